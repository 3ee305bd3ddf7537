-- Purpose: repeat purchase days per calendar day, for the calibration/holdout tracking chart: active days of
--   cohort_days (one transaction per customer and day) after a customer's first active day, counted only for
--   customers whose first active day is on or before $calibration_end (the customers the model was fitted on),
--   up to $end inclusive.
-- Params: $calibration_end DATE, $end DATE (the holdout end, or the calibration end without a holdout)
-- Reads: cohort_days
-- Returns: day DATE, repeat_purchases BIGINT; only days with at least one, by day
with days as (
    select
        day,
        min(day) over (partition by customer_no) as first_day
    from cohort_days
    where active and day <= cast($end as date)
)

select
    day,
    count(*) as repeat_purchases
from days
where first_day <= cast($calibration_end as date) and day > first_day
group by day
order by day
