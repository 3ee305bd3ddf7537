-- Purpose: churn per value of the attributes taken at each customer's first purchase (customer_attributes
--   from the purchases file: first product, acquisition channel …). Customers without the attribute are not
--   counted here (Python adds them as blank from the totals).
-- Params: none
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: attribute VARCHAR, value VARCHAR, customers BIGINT, churned BIGINT, revenue DOUBLE,
--   churned_revenue DOUBLE; one row per attribute and value
select
    a.attribute,
    nullif(trim(a.value), '') as value,
    count(*) as customers,
    count(*) filter (where o.churned) as churned,
    sum(o.revenue) as revenue,
    sum(o.revenue) filter (where o.churned) as churned_revenue
from customer_attributes as a
join driver_outcome as o on o.customer_id = a.customer_id
where a.source = 'purchases'
group by all
order by attribute, value
