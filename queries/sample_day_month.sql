-- Purpose: evidence over the WHOLE column for the day/month order of dates like 05/01/2024: how many
--   cells can only be day-first (first part > 12), only month-first (second part > 12), either (both
--   ≤ 12), and how many are written with dots (05.01.2024, day-first by convention).
-- Params: none
-- Reads: TEMP VIEW detect_column(v VARCHAR)
-- Returns: one row: day_first, month_first, undecided, dotted (BIGINT)
with parts as (
    select regexp_extract(trim(v), '^(\d{1,2})([./-])(\d{1,2})[./-]\d{2,4}($|[^0-9])', ['first', 'sep', 'second']) as p
    from detect_column
),

numbers as (
    select try_cast(p.first as integer) as first, try_cast(p.second as integer) as second, p.sep as sep
    from parts
    where p.first <> ''
)

select
    count(*) filter (where first > 12 and second <= 12) as day_first,
    count(*) filter (where second > 12 and first <= 12) as month_first,
    count(*) filter (where first <= 12 and second <= 12) as undecided,
    count(*) filter (where sep = '.') as dotted
from numbers
