-- Purpose: how long customers usually go between purchases, to suggest the inactivity window W:
--   the gaps in days between each customer's consecutive purchase days (positive purchases, or any
--   purchase when there are no amounts), on or before the analysis date.
-- Params: $as_of DATE
-- Returns: one row: customers_with_repeat BIGINT (customers with two or more purchase days), gaps BIGINT,
--   p50_days, p75_days, p90_days, p95_days DOUBLE (NULL when nobody bought twice)
with gaps as (
    -- the gap before each active day, precomputed at load (derive_cohort_days.sql); the previous active
    -- day of a day on or before $as_of is on or before it too, so the cut does not change the gaps
    select customer_no, days_since_active as gap_days
    from cohort_days
    where active and day <= $as_of
)

select
    count(distinct customer_no) filter (where gap_days is not null) as customers_with_repeat,
    count(gap_days) as gaps,
    quantile_cont(gap_days, 0.5) as p50_days,
    quantile_cont(gap_days, 0.75) as p75_days,
    quantile_cont(gap_days, 0.9) as p90_days,
    quantile_cont(gap_days, 0.95) as p95_days
from gaps
