-- Purpose: rejected rows of the file just parsed, counted by reason, with example row numbers.
-- Params: none
-- Reads: TEMP VIEW parsed_current (row_no, reject_reason, reject_role)
-- Returns: reason, role, rows (count), examples (first 5 row numbers as in the user's file, ascending)
with problems as (
    select row_no, reject_reason as reason, reject_role as role
    from parsed_current
    where reject_reason is not null
)

select reason, role, count(*) as rows, list(row_no order by row_no)[1:5] as examples
from problems
group by reason, role
order by rows desc, reason
