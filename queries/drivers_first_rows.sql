-- Purpose: the first-purchase attributes of the customers in driver_outcome, long, for the multivariable view.
-- Params: $attributes VARCHAR[] (attribute names of customer_attributes)
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: customer_id VARCHAR, attribute VARCHAR, value VARCHAR; one row per customer and attribute
select a.customer_id, a.attribute, nullif(trim(a.value), '') as value
from customer_attributes as a
join driver_outcome as o on o.customer_id = a.customer_id
where a.source = 'purchases' and list_contains($attributes::varchar[], a.attribute)
