-- Purpose: how many customers the purchases file just parsed has: distinct customer ids among the rows kept,
--   for the validation summary when no customer_summary is built with it (a preview; inspect).
-- Params: none
-- Reads: TEMP VIEW parsed_purchases
-- Returns: one row: customers
with kept as (
    select customer_id
    from parsed_purchases
    where reject_reason is null and skip_reason is null
)

select count(distinct customer_id) as customers
from kept
