-- Purpose: churn per distinct number of the customers file's numeric columns, for binning in Python.
-- Params: $columns VARCHAR[] (numeric columns of customers; non-empty)
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: attribute VARCHAR, number DOUBLE (NULL = blank or not a number), customers BIGINT, churned BIGINT,
--   revenue DOUBLE, churned_revenue DOUBLE; one row per attribute and number
with own as (
    -- blanks as '' so that unpivot keeps them
    select customer_id, coalesce(columns(lambda c: list_contains($columns::varchar[], c))::varchar, '')
    from customers
),

long as (
    unpivot own on columns(* exclude (customer_id)) into name attribute value raw
)

select
    l.attribute,
    try_cast(replace(trim(l.raw), ',', '') as double) as number,
    count(*) as customers,
    count(*) filter (where o.churned) as churned,
    sum(o.revenue) as revenue,
    sum(o.revenue) filter (where o.churned) as churned_revenue
from long as l
join driver_outcome as o on o.customer_id = l.customer_id
group by all
order by attribute, number
