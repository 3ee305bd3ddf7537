-- Purpose: how many customers had bought by a day: those whose first active day (cohort_days: a purchase with a
--   positive amount, or any purchase without amounts) is on or before it. The customers btyd_summary_days.sql
--   gives a row at that day, counted without computing their summaries.
-- Params: $day DATE
-- Reads: cohort_days (derive_cohort_days.sql: days_since_active is NULL on a customer's first active day only)
-- Returns: buyers BIGINT (one row)
with first_days as (
    select customer_no
    from cohort_days
    where active
        and days_since_active is null
        and day <= $day
)

select count(*) as buyers
from first_days
