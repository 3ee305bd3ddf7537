-- Purpose: the rows of the uploaded files that were rejected, for download.
-- Params: $max_rows (BIGINT, or NULL for all): at most this many rows, the first ones
-- Returns: source ('purchases' | 'customers'), row_no (as in the user's file), reason (code), role, raw_json
select source, row_no, reason, role, raw_json
from rejected
order by source, row_no
limit $max_rows
