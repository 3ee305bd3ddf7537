-- Purpose: customer retention over one window measured directly: of the customers active at the window's
--   start (the end of $start_day, the day before its first day), how many are still active at its end (the
--   end of $end_day). "Active at the end of day d" as in churn_periods.sql:
--     basis 'customers': signup_date <= d and (no churn_date or churn_date > d); a churn date before the
--       signup date counts as leaving on the signup day; customers marked churned without a churn date are
--       left out.
--     basis 'purchases': a positive purchase (any purchase when there are no amounts) on some day p with
--       p <= d < p + $inactive_days.
--   So a customer who left and came back within the window counts as retained; one who joined during it
--   is in neither count.
-- Params: $basis VARCHAR ('customers' | 'purchases'), $inactive_days INTEGER (W, basis 'purchases'),
--   $start_day DATE, $end_day DATE (both on or before $as_of), $as_of DATE (analysis date)
-- Returns: one row: customers_start BIGINT (active at the end of $start_day), retained BIGINT (of those,
--   active at the end of $end_day)
with subscribers as (
    select
        c.customer_id,
        c.signup_date <= $start_day
            and (c.churn_date is null or greatest(c.churn_date, c.signup_date) > $start_day) as at_start,
        c.signup_date <= $end_day
            and (c.churn_date is null or greatest(c.churn_date, c.signup_date) > $end_day) as at_end
    from customers as c
    inner join cohort_customers as k on k.customer_id = c.customer_id and k.grain = 'month'
    where $basis = 'customers'
        and c.signup_date is not null
        and c.signup_date <= $as_of
        and (c.churn_date is not null or c.churned is distinct from true)
),

buyers as (
    select
        customer_no,
        bool_or(day <= $start_day and day + $inactive_days::integer > $start_day) as at_start,
        bool_or(day <= $end_day and day + $inactive_days::integer > $end_day) as at_end
    from cohort_days
    where $basis = 'purchases'
        and active
        and day <= $as_of
    group by customer_no
),

flags as (
    select at_start, at_end from subscribers
    union all
    select at_start, at_end from buyers
)

select
    count(*) filter (where at_start) as customers_start,
    count(*) filter (where at_start and at_end) as retained
from flags
