-- Purpose: net revenue per calendar period (refunds subtract), the numerator of revenue per active customer
--   (ARPU) in the what-if model. Purchases dated after $as_of are left out. Weeks run Monday to Sunday,
--   as in churn_periods.sql, so the periods line up with its customer counts.
-- Params: $period VARCHAR ('week' | 'month' | 'quarter' | 'year'), $as_of DATE
-- Returns: period_start DATE, revenue DOUBLE (sum of amounts), paying_customers BIGINT (customers with a
--   positive amount in the period); one row per period with amounts, none when the file has no amounts
with dated as (
    select
        cast(date_trunc($period, purchased_at) as date) as period_start,
        customer_id,
        amount
    from purchases
    where amount is not null
        and cast(purchased_at as date) <= $as_of
)

select
    period_start,
    sum(amount) as revenue,
    count(distinct customer_id) filter (where amount > 0) as paying_customers
from dated
group by period_start
order by period_start
