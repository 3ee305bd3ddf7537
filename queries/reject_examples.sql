-- Purpose: the first rejected rows of one file for one reason, to quote example values in a message.
-- Params: $source VARCHAR ('purchases' | 'customers'), $reason VARCHAR (reject reason code)
-- Returns: raw_json (the whole original row as JSON of its cells), first 200 rows in file order
select raw_json
from rejected
where source = $source and reason = $reason
order by row_no
limit 200
