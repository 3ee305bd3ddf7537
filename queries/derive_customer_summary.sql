-- Purpose: one row per customer known from either file: first/last positive purchase, counts, revenue,
--   and what the customers file says. Activity means a purchase with a positive amount (or any purchase
--   when the dataset has no amounts); refunds and zero amounts are not activity.
-- Params: none
-- Creates: customer_summary(customer_id, first_purchase_at, last_purchase_at, purchases, refunds, revenue,
--   signup_date, churn_date, churned, churn_reason, tenure, in_purchases, in_customers)
create table customer_summary as
with activity as (
    select
        customer_id,
        min(purchased_at) filter (where amount > 0 or amount is null) as first_purchase_at,
        max(purchased_at) filter (where amount > 0 or amount is null) as last_purchase_at,
        count(*) filter (where amount > 0 or amount is null) as purchases,
        count(*) filter (where is_refund) as refunds,
        sum(amount) as revenue
    from purchases
    group by customer_id
),

stated as (
    select customer_id, signup_date, churn_date, churn_reason, churned, tenure
    from customers
)

select
    coalesce(a.customer_id, s.customer_id) as customer_id,
    a.first_purchase_at,
    a.last_purchase_at,
    coalesce(a.purchases, 0) as purchases,
    coalesce(a.refunds, 0) as refunds,
    a.revenue,
    s.signup_date,
    s.churn_date,
    s.churned,
    s.churn_reason,
    s.tenure,
    a.customer_id is not null as in_purchases,
    s.customer_id is not null as in_customers
from activity as a
full outer join stated as s on s.customer_id = a.customer_id
order by customer_id
