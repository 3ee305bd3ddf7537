-- Purpose: segment attributes stated in the customers file, one row per customer and attribute.
-- Params: $segments VARCHAR[] (attribute columns of customers to use; non-empty)
-- Returns: nothing (inserts into customer_attributes; blank values are left out)
insert into customer_attributes
with chosen as (
    select customer_id, columns(lambda c: list_contains($segments::varchar[], c))::varchar
    from customers
),

long as (
    unpivot chosen on columns(* exclude (customer_id)) into name attribute value value
)

select customer_id, attribute, value, 'customers' as source
from long
