-- Purpose: per customer and day with any purchase: whether the customer was active that day (a purchase
--   with a positive amount, or any purchase when the dataset has no amounts; refunds and zero amounts are
--   not activity) and the day's net revenue (refunds included). Sorted by day, so that reading the days up
--   to an analysis date inside one period skips the rest of the table.
-- Params: none
-- Reads: purchases, cohort_customers
-- Creates: cohort_days(day DATE, customer_no INTEGER, active BOOLEAN, revenue DOUBLE)
create table cohort_days as
with numbered as (
    select c.customer_no, cast(p.purchased_at as date) as day, p.amount
    from purchases as p
    join cohort_customers as c on c.customer_id = p.customer_id and c.grain = 'month'
)

select day, customer_no, bool_or(amount > 0 or amount is null) as active, sum(amount) as revenue
from numbered
group by day, customer_no
order by day, customer_no
