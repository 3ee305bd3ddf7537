-- Purpose: the win-back list: customers who churned recently, and active customers at risk (no purchase
--   for a while), with their segment attributes, last purchase, revenue to date and normalised reason.
--   Status per basis, on the analysis date $as_of:
--     'customers': churned = the file says churned (or the churn is unknown but a reason is given) and the
--       churn date, if any, is on or before $as_of; churned customers without a date are always listed;
--       customers signed up (else first purchase) after $as_of are left out, those with neither are kept.
--     'purchases': churned = last positive purchase + $inactive_days on or before $as_of (the lapse day).
--   Listed: churned customers whose churn (or lapse) day is within the last $recent_days days (day
--   $as_of - $recent_days excluded), and active customers whose last purchase is $risk_days or more days
--   before $as_of. Purchases after $as_of are left out. Of those, the page's filters keep the statuses in
--   $statuses, the reasons in $reason_filter (all when empty) and, when $segment is given, the customers
--   whose value of that attribute is in $segment_values (all when empty); then the first $limit rows in
--   the list's order (all when NULL), so that a page never receives a list of 200,000 customers.
-- Params: $basis VARCHAR ('customers' | 'purchases'), $inactive_days INTEGER, $as_of DATE,
--   $recent_days INTEGER, $risk_days INTEGER, $raw_values VARCHAR[], $reasons VARCHAR[] (raw → label),
--   $statuses VARCHAR[], $reason_filter VARCHAR[], $segment VARCHAR (NULL: no segment filter),
--   $segment_values VARCHAR[], $limit BIGINT (NULL: every row)
-- Returns: customer_id, status ('churned' | 'at_risk'), churn_day DATE (churn date or lapse day; NULL when
--   unknown), reason VARCHAR (normalised; NULL when the customers file has no reason for them),
--   last_purchase DATE, days_since_purchase INTEGER, purchases BIGINT, revenue_to_date DOUBLE,
--   attributes MAP(VARCHAR, VARCHAR) (segment attribute → value; NULL when none), listed_total BIGINT (rows
--   that pass the filters, before $limit); sorted churned first, then by revenue to date, then customer_id
with mapping as (
    select unnest($raw_values::varchar[]) as raw, unnest($reasons::varchar[]) as reason
),

last_active as (
    -- per-day rows precomputed at load (derive_cohort_days.sql) instead of the purchases: a customer's
    -- last active day on or before $as_of is the one whose next active day (if any) is after $as_of
    select customer_no, day as last_purchase
    from cohort_days
    where active
        and day <= $as_of::date
        and (days_to_next_active is null or day + days_to_next_active > $as_of::date)
),

people as (
    select
        s.customer_id,
        s.churned,
        s.churn_date,
        s.signup_date,
        s.churn_reason,
        k.customer_no,
        b.last_purchase
    from customer_summary as s
    left join cohort_customers as k on k.customer_id = s.customer_id and k.grain = 'month'
    left join last_active as b on b.customer_no = k.customer_no
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
        j.customer_no,
        j.last_purchase,
        date_diff('day', j.last_purchase, $as_of::date) as days_since_purchase
    from judged as j
    left join mapping as m on m.raw = coalesce(j.churn_reason, '')
    where j.has_started
        and (
            (j.has_churned and (j.churn_day is null or j.churn_day > $as_of::date - $recent_days::integer))
            or (not j.has_churned and date_diff('day', j.last_purchase, $as_of::date) >= $risk_days::integer)
        )
),

-- totals to date for the listed customers only (a fraction of them)
bought as (
    select
        customer_no,
        cast(sum(active_purchases) as bigint) as purchases,
        sum(revenue) as revenue_to_date
    from cohort_days
    where day <= $as_of::date
        and customer_no in (select customer_no from listed)
    group by customer_no
),

totalled as (
    select
        l.customer_id,
        l.status,
        l.churn_day,
        l.reason,
        l.last_purchase,
        l.days_since_purchase,
        coalesce(b.purchases, 0) as purchases,
        b.revenue_to_date
    from listed as l
    left join bought as b on b.customer_no = l.customer_no
),

picked_statuses as (
    select unnest($statuses::varchar[]) as status
),

picked_reasons as (
    select unnest($reason_filter::varchar[]) as reason
),

picked_values as (
    select unnest($segment_values::varchar[]) as value
),

in_segment as (
    select customer_id
    from customer_attributes
    where attribute = $segment::varchar
        and value in (select value from picked_values)
),

filtered as (
    select *
    from totalled
    where status in (select status from picked_statuses)
        and (not exists (select 1 from picked_reasons) or reason in (select reason from picked_reasons))
        and ($segment::varchar is null or not exists (select 1 from picked_values)
            or customer_id in (select customer_id from in_segment))
),

ordered as (
    select
        *,
        row_number() over (
            order by case when status = 'churned' then 0 else 1 end, revenue_to_date desc nulls last, customer_id
        ) as row_no,
        count(*) over () as listed_total
    from filtered
),

shown as (
    select *
    from ordered
    where $limit::bigint is null or row_no <= $limit::bigint
),

attributes as (
    -- only for the customers shown (a fraction of them), not a map for every customer
    select customer_id, map_from_entries(list((attribute, value) order by attribute)) as attributes
    from customer_attributes
    where customer_id in (select customer_id from shown)
    group by customer_id
)

select
    s.customer_id,
    s.status,
    s.churn_day,
    s.reason,
    s.last_purchase,
    s.days_since_purchase,
    s.purchases,
    s.revenue_to_date,
    a.attributes,
    s.listed_total
from shown as s
left join attributes as a on a.customer_id = s.customer_id
order by s.row_no
