-- Purpose: rows of the file just parsed that were set aside for their status (not paid, refunded, not a
--   customer yet), counted per status value as written, so the upload page can say which statuses were
--   not counted ("52 cancelled, 35 pending").
-- Params: none
-- Reads: TEMP VIEW parsed_current (skip_reason, skip_status)
-- Returns: reason, status, rows (count); most rows first
with by_status as (
    select skip_reason as reason, skip_status as status
    from parsed_current
    where skip_status is not null
)

select reason, status, count(*) as rows
from by_status
group by reason, status
order by reason, rows desc, status
