-- Purpose: what each of the customers file's own columns holds, to decide whether it can be a churn driver
--   (outcome, identifier, numbers, a few values, too many values).
-- Params: $columns VARCHAR[] (columns of customers to profile; non-empty)
-- Returns: attribute VARCHAR, filled BIGINT (non-blank cells), distinct_values BIGINT, numbers BIGINT (cells that
--   read as a number, thousands commas allowed), examples VARCHAR[] (up to 61 distinct values); one row per column
with chosen as (
    select columns(lambda c: list_contains($columns::varchar[], c))::varchar
    from customers
),

long as (
    unpivot chosen on columns(*) into name attribute value raw
),

cells as (
    select attribute, nullif(trim(raw), '') as value
    from long
)

select
    attribute,
    count(value) as filled,
    count(distinct value) as distinct_values,
    count(try_cast(replace(value, ',', '') as double)) as numbers,
    list_slice(list(distinct value order by value), 1, 61) as examples
from cells
group by attribute
order by attribute
