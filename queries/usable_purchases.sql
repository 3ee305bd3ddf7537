-- Purpose: whether the purchases just loaded count any customer, and if not, why: customers with a
--   purchase that counts as activity (a positive amount, or any amount when there are none) dated on or
--   before the load's today; the kept rows dated after it, with their range; kept amounts of 0 and below.
-- Params: none
-- Reads: purchases (the kept rows of the file just loaded: store_purchases_kept.sql)
-- Returns: one row: counts_any (BOOLEAN: some customer is counted; a row test, not a distinct count of
--   customers: this only decides whether the file is usable), rows (kept), future (rows), first_future, last_future (DATE),
--   refunds (rows with amount < 0), zero (rows with amount = 0)
select
    count(*) filter (where customer_id is not null and not is_future and (amount > 0 or amount is null)) > 0 as counts_any,
    count(*) as rows,
    count(*) filter (where is_future) as future,
    cast(min(purchased_at) filter (where is_future) as date) as first_future,
    cast(max(purchased_at) filter (where is_future) as date) as last_future,
    count(*) filter (where amount < 0) as refunds,
    count(*) filter (where amount = 0) as zero
from purchases
