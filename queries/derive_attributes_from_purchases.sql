-- Purpose: segment attributes of the purchases file taken at each customer's first purchase
--   ("acquisition channel", "first product"), unless the customers file already states that attribute.
-- Params: $segments VARCHAR[] (attribute columns of purchases to use; non-empty)
-- Returns: nothing (inserts into customer_attributes)
insert into customer_attributes
with first_rows as (
    -- the row number of each customer's first purchase (row numbers are unique within the file): a small
    -- per-customer state, where taking the segment values themselves with arg_min held all of them for
    -- every customer while aggregating (the slowest derive step at 10M rows)
    select arg_min(row_no, (purchased_at, row_no)) as row_no
    from purchases
    group by customer_id
),

firsts as (
    select customer_id, columns(lambda c: list_contains($segments::varchar[], c))::varchar
    from purchases
    where row_no in (select row_no from first_rows)
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
