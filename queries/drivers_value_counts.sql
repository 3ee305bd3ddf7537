-- Purpose: churn per value of the customers file's text columns (the candidate drivers), counted in DuckDB.
-- Params: $columns VARCHAR[] (columns of customers; non-empty)
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: attribute VARCHAR, value VARCHAR (NULL = blank), customers BIGINT, churned BIGINT, revenue DOUBLE,
--   churned_revenue DOUBLE; one row per attribute and value
with chosen as (
    -- blanks as '' so that unpivot keeps them
    select customer_id, coalesce(columns(lambda c: list_contains($columns::varchar[], c))::varchar, '')
    from customers
),

long as (
    unpivot chosen on columns(* exclude (customer_id)) into name attribute value raw
)

select
    l.attribute,
    nullif(trim(l.raw), '') as value,
    count(*) as customers,
    count(*) filter (where o.churned) as churned,
    sum(o.revenue) as revenue,
    sum(o.revenue) filter (where o.churned) as churned_revenue
from long as l
join driver_outcome as o on o.customer_id = l.customer_id
group by all
order by attribute, value
