-- Purpose: the life table behind a Kaplan–Meier curve by tenure, for customers files that give a tenure and
--   an active/churned status but no dates (telecom and insurance exports). A churned customer is an event at
--   their tenure; a customer still active is censored at their tenure.
-- Params: $segment VARCHAR (an attribute of customer_attributes, or NULL for none), $filter_attributes
--   VARCHAR[] and $filter_values VARCHAR[] (pairs, as in cohort_matrix.sql; empty lists keep everyone)
-- Returns: segment (NULL when $segment is NULL or the customer has no value), tenure (as in the file, usually
--   months), events (churned at this tenure), censored (still active at this tenure); rows with no tenure or
--   an unknown status are left out
with filters as (
    select unnest($filter_attributes::varchar[]) as attribute, unnest($filter_values::varchar[]) as value
),

passing as (
    select a.customer_id
    from customer_attributes as a
    join filters as f on f.attribute = a.attribute and f.value = a.value
    group by a.customer_id
    having count(distinct a.attribute) = (select count(distinct attribute) from filters)
),

members as (
    select c.tenure, c.churned, a.value as segment
    from customers as c
    left join customer_attributes as a on a.customer_id = c.customer_id and a.attribute = $segment::varchar
    where c.tenure is not null and c.churned is not null
        and (len($filter_attributes::varchar[]) = 0 or c.customer_id in (select customer_id from passing))
)

select
    segment,
    tenure,
    count(*) filter (where churned) as events,
    count(*) filter (where not churned) as censored
from members
group by all
order by segment nulls first, tenure
