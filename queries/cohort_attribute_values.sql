-- Purpose: the values of each segment attribute with their customer counts, for the cohort filters.
-- Params: none
-- Returns: attribute, value, customers; most common values first
select attribute, value, count(*) as customers
from customer_attributes
group by attribute, value
order by attribute, customers desc, value
