-- Purpose: the sample cells of a money column that do not read as a number with a given prefix and suffix
--   removed (retention/ingest/money.py: how much of the column a candidate currency affix explains).
-- Params: $values VARCHAR[] (non-empty sample cells), $decimal_comma BOOLEAN, $prefix VARCHAR, $suffix VARCHAR
-- Returns: v (each failing cell, as written, once per occurrence)
with sample as (
    select unnest($values::varchar[]) as v
)

select v
from sample
where parse_money(v, $decimal_comma, $prefix, $suffix) is null
