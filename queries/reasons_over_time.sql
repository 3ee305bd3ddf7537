-- Purpose: churned customers per normalised reason and calendar period of their churn date (customers
--   whose churn is known only from a status column have no date and are not counted here).
-- Params: $raw_values VARCHAR[], $reasons VARCHAR[] (same length: raw → label), $period VARCHAR ('week' |
--   'month' | 'quarter' | 'year'), $step VARCHAR (its length as an interval: '7 days', '1 month', '3 months',
--   '1 year'), $as_of DATE (later churn dates are left out)
-- Returns: period_start DATE, complete BOOLEAN (the whole period lies on or before $as_of), reason VARCHAR,
--   churned BIGINT; one row per (period, reason) with at least one customer
with mapping as (
    select unnest($raw_values::varchar[]) as raw, unnest($reasons::varchar[]) as reason
),

leavers as (
    select coalesce(churn_reason, '') as raw, churn_date
    from customer_summary
    where (churned or (churned is null and churn_reason is not null))
        and churn_date is not null
        and churn_date <= $as_of::date
),

dated as (
    select
        cast(date_trunc($period, l.churn_date) as date) as period_start,
        coalesce(m.reason, l.raw) as reason
    from leavers as l
    left join mapping as m on m.raw = l.raw
)

select
    period_start,
    cast(period_start + $step::interval - interval 1 day as date) <= $as_of::date as complete,
    reason,
    count(*) as churned
from dated
group by period_start, reason
order by period_start, churned desc, reason
