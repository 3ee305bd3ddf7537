-- Purpose: the segment attributes a dataset offers, with how many customers and distinct values each has.
-- Params: none
-- Returns: attribute, customers, distinct_values
with attrs as (
    select * from customer_attributes
)

select attribute, count(distinct customer_id) as customers, count(distinct value) as distinct_values
from attrs
group by attribute
order by attribute
