-- Purpose: keep the accepted parsed purchases as the dataset's canonical purchases table,
--   ordered by customer and time (queries scan per customer).
-- Params: none
-- Reads: TEMP TABLE parsed_purchases
-- Creates: purchases(row_no, customer_id, purchased_at, amount, order_id, is_refund, is_future, <attribute columns>)
create table purchases as
with accepted as (
    select * exclude (reject_reason, reject_role, skip_reason)
    from parsed_purchases
    where reject_reason is null and skip_reason is null
)

select *
from accepted
order by customer_id, purchased_at, row_no
