-- Purpose: revenue that walked out per normalised churn reason: for each churned customer with purchases,
--   their average revenue per calendar period while a customer = revenue to date / number of calendar
--   periods from the period of their first purchase to the period of their churn date (else of their last
--   purchase), both included; summed per reason.
-- Params: $raw_values VARCHAR[], $reasons VARCHAR[] (same length: raw → label), $period VARCHAR ('week' |
--   'month' | 'quarter' | 'year')
-- Returns: reason VARCHAR, churned BIGINT, with_purchases BIGINT (churned customers with a purchase),
--   revenue_to_date DOUBLE (their revenue, refunds subtracted), lost_per_period DOUBLE (sum of their
--   average revenue per period), avg_per_customer DOUBLE (lost_per_period / with_purchases)
with mapping as (
    select unnest($raw_values::varchar[]) as raw, unnest($reasons::varchar[]) as reason
),

leavers as (
    select
        coalesce(churn_reason, '') as raw,
        revenue,
        first_purchase_at,
        coalesce(cast(churn_date as timestamp), last_purchase_at) as end_at
    from customer_summary
    where churned or (churned is null and churn_reason is not null)
),

per_customer as (
    select
        coalesce(m.reason, l.raw) as reason,
        l.revenue,
        case when l.first_purchase_at is not null and l.revenue is not null
            then l.revenue / (greatest(datediff($period, date_trunc($period, l.first_purchase_at),
                                                date_trunc($period, greatest(l.end_at, l.first_purchase_at))), 0) + 1)
        end as per_period
    from leavers as l
    left join mapping as m on m.raw = l.raw
)

select
    reason,
    count(*) as churned,
    count(per_period) as with_purchases,
    coalesce(sum(revenue), 0) as revenue_to_date,
    coalesce(sum(per_period), 0) as lost_per_period,
    avg(per_period) as avg_per_customer
from per_customer
group by reason
order by lost_per_period desc, reason
