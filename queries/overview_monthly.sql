-- Purpose: activity per calendar month for the Overview chart: buyers, new buyers, revenue.
-- Params: none
-- Returns: month (DATE, first day), buyers (distinct customers with a positive purchase), new_buyers
--   (first positive purchase that month), revenue (net of refunds)
with monthly as (
    select
        date_trunc('month', purchased_at) as month,
        count(distinct customer_id) filter (where amount > 0 or amount is null) as buyers,
        sum(amount) as revenue
    from purchases
    group by 1
),

newcomers as (
    select date_trunc('month', first_purchase_at) as month, count(*) as new_buyers
    from customer_summary
    where first_purchase_at is not null
    group by 1
)

select cast(m.month as date) as month, m.buyers, coalesce(n.new_buyers, 0) as new_buyers, m.revenue
from monthly as m
left join newcomers as n on n.month = m.month
order by month
