-- Purpose: how many cells of a sample are written in each date form (date_form(), macro_date_form.sql),
--   for a column whose sample shows one form only (the whole column is not scanned then).
-- Params: $values VARCHAR[]
-- Returns: form VARCHAR, cells BIGINT (one row per form found; blank cells left out)
select date_form(v) as form, count(*) as cells
from (select unnest($values::varchar[]) as v)
where date_form(v) is not null
group by form
order by form
