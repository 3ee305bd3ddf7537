-- Purpose: segment attributes of the purchases file taken at each customer's first purchase
--   ("acquisition channel", "first product"), unless the customers file already states that attribute.
-- Params: $segments VARCHAR[] (attribute columns of purchases to use; non-empty)
-- Returns: nothing (inserts into customer_attributes)
insert into customer_attributes
with firsts as (
    -- earliest by (purchased_at, row_no), as one HUGEINT (microseconds × 2^32 + row number, row numbers
    -- being below 2^32): the same order, and half the cost of comparing a struct at 10M rows
    select customer_id, arg_min(columns(lambda c: list_contains($segments::varchar[], c)),
                                epoch_us(purchased_at)::hugeint * 4294967296 + row_no)::varchar
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
