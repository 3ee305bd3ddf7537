-- Purpose: distinct cells of one raw column that contain '.' or ',' — the evidence for deciding whether
--   the column writes decimals with a comma or a point — taken from the whole column.
-- Params: none
-- Reads: TEMP VIEW detect_column(v VARCHAR)
-- Returns: v (up to 5000 distinct values)
with marked as (
    select distinct v
    from detect_column
    where v similar to '.*[0-9][.,][0-9].*'
)

select v
from marked
limit 5000
