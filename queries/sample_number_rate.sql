-- Purpose: share of sample values that parse as numbers under a decimal convention (role detection).
-- Params: $values VARCHAR[] (non-empty sample cells), $decimal_comma BOOLEAN
-- Returns: one row, rate DOUBLE in [0, 1] (NULL for an empty sample).
with sample as (
    select unnest($values::varchar[]) as v
)

select avg((parse_number(v, $decimal_comma) is not null)::int) as rate
from sample
