-- Purpose: a seeded random sample of the non-blank cells of one raw column, for format detection.
-- Params: none
-- Reads: TEMP VIEW detect_column(v VARCHAR)
-- Returns: v (up to 5000 rows)
with filled as (
    select v
    from detect_column
    where trim(v) <> ''
)

select v
from filled
using sample reservoir (5000 rows) repeatable (7)
