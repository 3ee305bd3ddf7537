-- Purpose: the "RFM group" segment attribute of every customer with a positive purchase, on the last day of
--   the data, so that every page's segment picker offers it (derived once at save time: a store rebuild is
--   never needed). The customer ids and group names come from retention/metrics/rfm.py (rfm_scores.sql).
--   Nothing is inserted when a file already has an attribute of that name.
-- Params: $attribute VARCHAR, $customer_ids VARCHAR[], $values VARCHAR[] (same length, one group per id)
-- Returns: nothing (inserts into customer_attributes)
insert into customer_attributes
with given as (
    select unnest($customer_ids::varchar[]) as customer_id, unnest($values::varchar[]) as value
)

select customer_id, $attribute::varchar as attribute, value, 'derived' as source
from given
where not exists (select 1 from customer_attributes where attribute = $attribute::varchar)
