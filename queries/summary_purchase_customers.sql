-- Purpose: how many customers the purchases file has, for its validation summary, from the customer_summary
--   built in the same load: one row per customer id of the kept purchases (in_purchases), so the same number as
--   parse_summary_purchase_customers.sql's distinct count, without a second pass over every purchase.
-- Params: none
-- Reads: customer_summary
-- Returns: one row: customers
with bought as (
    select customer_id
    from customer_summary
    where in_purchases
)

select count(*) as customers
from bought
