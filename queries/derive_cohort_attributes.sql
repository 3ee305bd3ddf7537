-- Purpose: the segment attributes keyed by the cohort tables' customer number, each value numbered
--   (1…n in value order within its attribute), so that splitting the cohort matrix by a segment joins
--   and groups on integers.
-- Params: none
-- Reads: customer_attributes, cohort_customers
-- Creates: cohort_attributes(attribute, customer_no INTEGER, segment_no INTEGER, value)
create table cohort_attributes as
with numbered as (
    select a.attribute, c.customer_no, a.value
    from customer_attributes as a
    join cohort_customers as c on c.customer_id = a.customer_id and c.grain = 'month'
)

select attribute, customer_no, cast(dense_rank() over (partition by attribute order by value) as integer) as segment_no, value
from numbered
order by attribute, customer_no
