-- Purpose: segment attributes of the purchases file taken at each customer's first purchase
--   ("acquisition channel", "first product"), unless the customers file already states that attribute.
-- Params: $segments VARCHAR[] (attribute columns of purchases to use; non-empty)
-- Returns: nothing (inserts into customer_attributes)
insert into customer_attributes
with firsts as (
    select customer_id, arg_min(columns(lambda c: list_contains($segments::varchar[], c)), (purchased_at, row_no))::varchar
    from purchases
    group by customer_id
),

long as (
    unpivot firsts on columns(* exclude (customer_id)) into name attribute value value
),

stated as (
    select distinct attribute from customer_attributes where source = 'customers'
)

select customer_id, attribute, value, 'purchases' as source
from long
where attribute not in (select attribute from stated)
