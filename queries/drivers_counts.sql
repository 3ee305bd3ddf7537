-- Purpose: churn per value of every candidate driver, counted in DuckDB: the customers file's own columns,
--   what the data says per customer (customer_summary: tenure, purchases, revenue) and the attributes taken at
--   the first purchase (customer_attributes from the purchases file). Numbers are binned in Python from the
--   per-value rows. customer_id is always unpivoted too (so that no list of columns is ever empty) and dropped.
-- Params: $columns VARCHAR[] (columns of customers; may be empty), $summary VARCHAR[] (columns of
--   customer_summary; may be empty)
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: source VARCHAR ('own' | 'summary' | 'first'), attribute VARCHAR, value VARCHAR (NULL = blank),
--   number DOUBLE (the value read as a number, thousands commas allowed; NULL when it is not one), customers
--   BIGINT, churned BIGINT, revenue DOUBLE, churned_revenue DOUBLE; one row per source, attribute and value.
--   Customers without a first-purchase attribute have no row for it.
with own as (
    -- blanks as '' so that unpivot keeps them
    select
        customer_id as cell_customer,
        coalesce(columns(lambda c: c = 'customer_id' or list_contains($columns::varchar[], c))::varchar, '')
    from customers
),

own_cells as (
    unpivot own on columns(* exclude (cell_customer)) into name attribute value raw
),

figures as (
    select
        customer_id as cell_customer,
        coalesce(columns(lambda c: c = 'customer_id' or list_contains($summary::varchar[], c))::varchar, '')
    from customer_summary
),

figure_cells as (
    unpivot figures on columns(* exclude (cell_customer)) into name attribute value raw
),

cells as (
    select cell_customer, 'own' as source, attribute, raw from own_cells where attribute <> 'customer_id'
    union all
    select cell_customer, 'summary' as source, attribute, raw from figure_cells where attribute <> 'customer_id'
    union all
    select customer_id, 'first' as source, attribute, coalesce(value, '') from customer_attributes
    where source = 'purchases'
)

select
    c.source,
    c.attribute,
    nullif(trim(c.raw), '') as value,
    try_cast(replace(trim(c.raw), ',', '') as double) as number,
    count(*) as customers,
    count(*) filter (where o.churned) as churned,
    sum(o.revenue) as revenue,
    sum(o.revenue) filter (where o.churned) as churned_revenue
from cells as c
join driver_outcome as o on o.customer_id = c.cell_customer
group by all
order by source, attribute, value
