-- Purpose: how long customers usually go between purchases, to suggest the inactivity window W:
--   the gaps in days between each customer's consecutive purchase days (positive purchases, or any
--   purchase when there are no amounts), on or before the analysis date.
-- Params: $as_of DATE
-- Returns: one row: customers_with_repeat BIGINT (customers with two or more purchase days), gaps BIGINT,
--   p50_days, p75_days, p90_days, p95_days DOUBLE (NULL when nobody bought twice)
with activity_days as (
    select distinct customer_id, cast(purchased_at as date) as day
    from purchases
    where (amount > 0 or amount is null)
        and cast(purchased_at as date) <= $as_of
),

gaps as (
    select customer_id, day - lag(day) over (partition by customer_id order by day) as gap_days
    from activity_days
)

select
    count(distinct customer_id) filter (where gap_days is not null) as customers_with_repeat,
    count(gap_days) as gaps,
    quantile_cont(gap_days, 0.5) as p50_days,
    quantile_cont(gap_days, 0.75) as p75_days,
    quantile_cont(gap_days, 0.9) as p90_days,
    quantile_cont(gap_days, 0.95) as p95_days
from gaps
