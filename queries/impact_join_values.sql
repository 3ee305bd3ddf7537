-- Purpose: the value of one segment attribute per customer, for a column holding each member's join date
--   ("Did it work?", retention.metrics.impact.join_dates_from_column parses the dates in Python, so that a
--   value that is not a date can be named in a message).
-- Params: $column VARCHAR (the attribute)
-- Returns: customer_id, value (VARCHAR), one row per customer that has a value
-- Reads: cohort_attributes, cohort_customers
select c.customer_id, a.value
from cohort_attributes as a
join cohort_customers as c on c.customer_no = a.customer_no and c.grain = 'month'
where a.attribute = $column::varchar and a.value is not null and trim(a.value) <> ''
order by c.customer_id
