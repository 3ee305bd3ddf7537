-- Purpose: headline numbers of a dataset for the Overview page.
-- Params: none
-- Returns: one row: customers (known from either file), buyers (with at least one positive purchase),
--   purchases (positive), refunds, revenue (net of refunds), first_date, last_date, churned (per the customers file)
with summary as (
    select * from customer_summary
)

select
    count(*) as customers,
    count(*) filter (where purchases > 0) as buyers,
    coalesce(sum(purchases), 0) as purchases,
    coalesce(sum(refunds), 0) as refunds,
    sum(revenue) as revenue,
    cast(least(min(first_purchase_at), min(signup_date)) as date) as first_date,
    cast(greatest(max(last_purchase_at), max(signup_date), max(churn_date)) as date) as last_date,
    count(*) filter (where churned) as churned
from summary
