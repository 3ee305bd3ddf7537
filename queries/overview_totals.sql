-- Purpose: headline numbers of a dataset for the Overview page.
-- Params: none
-- Returns: one row: customers (known from either file), buyers (with at least one positive purchase),
--   purchases (positive purchase rows), orders (positive orders: a distinct order id per customer, or a
--   distinct purchase time when the row has no order id, as benchmark_repurchase.sql counts them),
--   with_order_ids (BOOLEAN: some purchase has an order id), refunds, revenue (net of refunds), first_date,
--   last_date, churned (per the customers file)
with summary as (
    select * from customer_summary
),

positive as (
    -- one row per positive order, keyed by its columns rather than by one text made of them (formatting ten
    -- million times as text cost half this query's time)
    select distinct customer_id, order_id, case when order_id is null then purchased_at end as purchase_time
    from purchases
    where amount > 0 or amount is null
),

orders as (
    select count(*) as orders, coalesce(bool_or(order_id is not null), false) as with_order_ids
    from positive
)

select
    count(*) as customers,
    count(*) filter (where purchases > 0) as buyers,
    coalesce(sum(purchases), 0) as purchases,
    any_value(o.orders) as orders,
    any_value(o.with_order_ids) as with_order_ids,
    coalesce(sum(refunds), 0) as refunds,
    sum(revenue) as revenue,
    cast(least(min(first_purchase_at), min(signup_date)) as date) as first_date,
    cast(greatest(max(last_purchase_at), max(signup_date), max(churn_date)) as date) as last_date,
    count(*) filter (where churned) as churned
from summary
cross join orders as o
