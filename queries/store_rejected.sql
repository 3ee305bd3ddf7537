-- Purpose: record the rejected rows of the file being loaded, each with its whole original row.
-- Params: $source VARCHAR ('purchases' | 'customers')
-- Reads: TEMP VIEW parsed_current (row_no, reject_reason, reject_role), TEMP VIEW raw_current (__row, <original cells>)
-- Returns: nothing (inserts into rejected)
insert into rejected
with problems as (
    select row_no, reject_reason, reject_role
    from parsed_current
    where reject_reason is not null
)

select $source as source, p.row_no, p.reject_reason as reason, p.reject_role as role, to_json(r) as raw_json
from problems as p
join raw_current as r on r.__row = p.row_no
order by p.row_no
