-- Purpose: share of sample values that parse as dates with the given formats (format detection).
-- Params: $values VARCHAR[] (non-empty sample cells), $formats VARCHAR[], $serial BOOLEAN (Excel serials allowed)
-- Returns: one row, rate DOUBLE in [0, 1] (NULL for an empty sample).
with sample as (
    select unnest($values::varchar[]) as v
)

select avg((parse_date(v, $formats::varchar[], $serial) is not null)::int) as rate
from sample
