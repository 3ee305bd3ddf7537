-- Purpose: the "RFM group" segment attribute of every customer with a positive purchase, on the last day of
--   the data, so that every page's segment picker offers it (derived once at save time: a store rebuild is
--   never needed). Nothing is inserted when a file already has an attribute of that name.
-- Params: $attribute VARCHAR
-- Reads: TEMP VIEW rfm_now (rfm_scores.sql on the last day of the data, its $groups the groups' stored names
--   from retention/metrics/rfm.py, so that segment is the value stored), customer_attributes
-- Returns: nothing (inserts into customer_attributes, in rfm_now's order: by customer_id)
insert into customer_attributes
with scored as (
    select customer_id, segment
    from rfm_now
)

select customer_id, $attribute::varchar as attribute, segment as value, 'derived' as source
from scored
where not exists (select 1 from customer_attributes where attribute = $attribute::varchar)
