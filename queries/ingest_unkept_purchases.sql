-- Purpose: the rows of the purchases file just parsed that are not kept (rejected or skipped), set
--   aside so that the validation summaries need not parse the file again: they are few. Their four judgement
--   values are unpacked from the one JSON text store_purchases.sql wrote them in (ingest_purchases.sql).
-- Params: none
-- Reads: purchases as store_purchases.sql wrote it (every parsed row, with its judgement)
-- Creates: TEMP TABLE unkept_purchases (row_no, customer_id, purchased_at, amount, order_id, is_refund, is_future,
--   <attribute columns>, reject_reason, reject_role, skip_reason, skip_status)
create or replace temp table unkept_purchases as
with unkept as (
    select *
    from purchases
    where judgement is not null
)

select
    * exclude (judgement),
    judgement ->> 'reject_reason' as reject_reason,
    judgement ->> 'reject_role' as reject_role,
    judgement ->> 'skip_reason' as skip_reason,
    judgement ->> 'skip_status' as skip_status
from unkept
