-- Purpose: churn per distinct number of the customers file's numeric columns and of what the data says per
--   customer (tenure, purchases, revenue to date), for binning in Python.
-- Params: $columns VARCHAR[] (numeric columns of customers; may be empty), $summary VARCHAR[] (columns of
--   customer_summary among tenure, purchases, revenue; may be empty)
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: attribute VARCHAR, number DOUBLE (NULL = blank or not a number), customers BIGINT, churned BIGINT,
--   revenue DOUBLE, churned_revenue DOUBLE; one row per attribute and number
with own as (
    -- blanks as '' so that unpivot keeps them
    select customer_id, coalesce(columns(lambda c: list_contains($columns::varchar[], c))::varchar, '')
    from customers
),

own_long as (
    unpivot own on columns(* exclude (customer_id)) into name attribute value raw
),

summary as (
    select customer_id, coalesce(columns(lambda c: list_contains($summary::varchar[], c))::double::varchar, '')
    from customer_summary
),

summary_long as (
    unpivot summary on columns(* exclude (customer_id)) into name attribute value raw
),

numbers as (
    select customer_id, attribute, try_cast(replace(trim(raw), ',', '') as double) as number from own_long
    union all
    select customer_id, '@' || attribute, try_cast(raw as double) from summary_long
)

select
    n.attribute,
    n.number,
    count(*) as customers,
    count(*) filter (where o.churned) as churned,
    sum(o.revenue) as revenue,
    sum(o.revenue) filter (where o.churned) as churned_revenue
from numbers as n
join driver_outcome as o on o.customer_id = n.customer_id
group by all
order by attribute, number
