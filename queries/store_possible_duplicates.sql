-- Purpose: record the kept rows of the purchases file being loaded that repeat an earlier row exactly
--   (no order id to tell them apart), each with its whole original row.
-- Params: none
-- Reads: TEMP VIEW parsed_current (row_no, reject_reason, skip_reason), TEMP TABLE duplicate_rows(row_no,
--   first_row), TEMP VIEW raw_current (__row, <original cells>)
-- Returns: nothing (inserts into possible_duplicates)
insert into possible_duplicates
with kept_copies as (
    select d.row_no, d.first_row
    from duplicate_rows as d
    join parsed_current as p on p.row_no = d.row_no
    where p.reject_reason is null and p.skip_reason is null
)

select k.row_no, k.first_row as same_as_row, to_json(r) as raw_json
from kept_copies as k
join raw_current as r on r.__row = k.row_no
order by k.row_no
