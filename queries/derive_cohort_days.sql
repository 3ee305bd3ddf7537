-- Purpose: per customer and day with any purchase: whether the customer was active that day (a purchase
--   with a positive amount, or any purchase when the dataset has no amounts; refunds and zero amounts are
--   not activity), the day's net revenue (refunds included), how many of its purchases are activity, and,
--   on active days, the days since the customer's previous active day and until the next one (so that the
--   churn queries find spells of activity for any inactivity window without a pass over the purchases).
--   Sorted by day, so that reading the days up to an analysis date inside one period skips the rest of the table.
-- Params: none
-- Reads: purchases, cohort_customers
-- Creates: cohort_days(day DATE, customer_no INTEGER, active BOOLEAN, revenue DOUBLE, active_purchases BIGINT,
--   days_since_active INTEGER, days_to_next_active INTEGER (both NULL on days that are not active, and
--   at a customer's first / last active day))
create table cohort_days as
with daily_ids as (
    -- grouped by the customer's id before the join: the join then numbers one row per customer and day,
    -- not every purchase (the same groups, customer ids and numbers being one to one)
    select
        cast(purchased_at as date) as day,
        customer_id,
        bool_or(amount > 0 or amount is null) as active,
        sum(amount) as revenue,
        count(*) filter (where amount > 0 or amount is null) as active_purchases
    from purchases
    group by cast(purchased_at as date), customer_id
),

daily as (
    select d.day, c.customer_no, d.active, d.revenue, d.active_purchases
    from daily_ids as d
    join cohort_customers as c on c.customer_id = d.customer_id and c.grain = 'month'
),

spaced as (
    select
        *,
        case when active then cast(day - lag(day) over (partition by customer_no, active order by day) as integer)
        end as days_since_active,
        case when active then cast(lead(day) over (partition by customer_no, active order by day) - day as integer)
        end as days_to_next_active
    from daily
)

select day, customer_no, active, revenue, active_purchases, days_since_active, days_to_next_active
from spaced
order by day, customer_no
