-- Purpose: the win-back list: customers who churned recently, and active customers at risk (no purchase
--   for a while), with their segment attributes, last purchase, revenue to date and normalised reason.
--   Status per basis, on the analysis date $as_of:
--     'customers': churned = the file says churned (or the churn is unknown but a reason is given) and the
--       churn date, if any, is on or before $as_of; churned customers without a date are always listed;
--       customers signed up (else first purchase) after $as_of are left out, those with neither are kept.
--     'purchases': churned = last positive purchase + $inactive_days on or before $as_of (the lapse day).
--   Listed: churned customers whose churn (or lapse) day is within the last $recent_days days (day
--   $as_of - $recent_days excluded), and active customers whose last purchase is $risk_days or more days
--   before $as_of. Purchases after $as_of are left out.
-- Params: $basis VARCHAR ('customers' | 'purchases'), $inactive_days INTEGER, $as_of DATE,
--   $recent_days INTEGER, $risk_days INTEGER, $raw_values VARCHAR[], $reasons VARCHAR[] (raw → label)
-- Returns: customer_id, status ('churned' | 'at_risk'), churn_day DATE (churn date or lapse day; NULL when
--   unknown), reason VARCHAR (normalised; NULL when the customers file has no reason for them),
--   last_purchase DATE, days_since_purchase INTEGER, purchases BIGINT, revenue_to_date DOUBLE,
--   attributes MAP(VARCHAR, VARCHAR) (segment attribute → value; NULL when none); sorted churned first, then by revenue to date
with mapping as (
    select unnest($raw_values::varchar[]) as raw, unnest($reasons::varchar[]) as reason
),

bought as (
    -- per-day totals precomputed at load (derive_cohort_days.sql) instead of the purchases themselves,
    -- grouped by the integer customer number
    select
        customer_no,
        max(day) filter (where active) as last_purchase,
        cast(sum(active_purchases) as bigint) as purchases,
        sum(revenue) as revenue_to_date
    from cohort_days
    where day <= $as_of::date
    group by customer_no
),

people as (
    select
        s.customer_id,
        s.churned,
        s.churn_date,
        s.signup_date,
        s.churn_reason,
        b.last_purchase,
        coalesce(b.purchases, 0) as purchases,
        b.revenue_to_date
    from customer_summary as s
    left join cohort_customers as k on k.customer_id = s.customer_id and k.grain = 'month'
    left join bought as b on b.customer_no = k.customer_no
),

judged as (
    select
        *,
        case $basis
            when 'customers' then (churned or (churned is null and churn_reason is not null))
                and (churn_date is null or churn_date <= $as_of::date)
            else last_purchase + $inactive_days::integer <= $as_of::date
        end as has_churned,
        case $basis
            when 'customers' then churn_date
            else last_purchase + $inactive_days::integer
        end as churn_day,
        case $basis
            when 'customers' then coalesce(coalesce(signup_date, last_purchase) <= $as_of::date, true)
            else last_purchase is not null
        end as has_started
    from people
),

listed as (
    select
        j.customer_id,
        case when j.has_churned then 'churned' else 'at_risk' end as status,
        case when j.has_churned then j.churn_day end as churn_day,
        case when j.churn_reason is not null or j.has_churned and $basis = 'customers'
            then coalesce(m.reason, coalesce(j.churn_reason, ''))
        end as reason,
        j.last_purchase,
        date_diff('day', j.last_purchase, $as_of::date) as days_since_purchase,
        j.purchases,
        j.revenue_to_date
    from judged as j
    left join mapping as m on m.raw = coalesce(j.churn_reason, '')
    where j.has_started
        and (
            (j.has_churned and (j.churn_day is null or j.churn_day > $as_of::date - $recent_days::integer))
            or (not j.has_churned and date_diff('day', j.last_purchase, $as_of::date) >= $risk_days::integer)
        )
),

attributes as (
    -- only for the customers listed (a fraction of them), not a map for every customer
    select customer_id, map_from_entries(list((attribute, value) order by attribute)) as attributes
    from customer_attributes
    where customer_id in (select customer_id from listed)
    group by customer_id
)

select l.*, a.attributes
from listed as l
left join attributes as a on a.customer_id = l.customer_id
order by l.status = 'churned' desc, l.revenue_to_date desc nulls last, l.customer_id
