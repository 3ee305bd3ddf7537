-- Purpose: the kept purchase rows identical to an earlier row (possible duplicates), for download.
-- Params: $max_rows (BIGINT, or NULL for all): at most this many rows, the first ones
-- Returns: row_no (as in the user's file), same_as_row, raw_json
select row_no, same_as_row, raw_json
from possible_duplicates
order by row_no
limit $max_rows
