-- Purpose: churn per distinct value of what the data says per customer (tenure, orders, revenue to date), for
--   binning in Python.
-- Params: $summary VARCHAR[] (columns of customer_summary among tenure, purchases, revenue; non-empty)
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: attribute VARCHAR (the customer_summary column), number DOUBLE (NULL = unknown), customers BIGINT,
--   churned BIGINT, revenue DOUBLE, churned_revenue DOUBLE; one row per attribute and number
with figures as (
    -- unknown as '' so that unpivot keeps them
    select customer_id, coalesce(columns(lambda c: list_contains($summary::varchar[], c))::double::varchar, '')
    from customer_summary
),

long as (
    unpivot figures on columns(* exclude (customer_id)) into name attribute value raw
)

select
    l.attribute,
    try_cast(nullif(l.raw, '') as double) as number,
    count(*) as customers,
    count(*) filter (where o.churned) as churned,
    sum(o.revenue) as revenue,
    sum(o.revenue) filter (where o.churned) as churned_revenue
from long as l
join driver_outcome as o on o.customer_id = l.customer_id
group by all
order by attribute, number
