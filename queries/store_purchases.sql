-- Purpose: keep the accepted parsed purchases as the dataset's canonical purchases table, in the file's
--   order (no sort: sorting ten million rows with their attribute columns was the largest cost of a load
--   and no page reads purchases in customer order; the derived tables the pages read are sorted).
-- Params: none
-- Reads: TEMP VIEW judged_purchases (ingest_purchases.sql: every staged row, parsed and judged)
-- Creates: purchases(row_no, customer_id, purchased_at, amount, order_id, is_refund, is_future, <attribute columns>)
create table purchases as
with accepted as (
    select * exclude (reject_reason, reject_role, skip_reason)
    from judged_purchases
    where reject_reason is null and skip_reason is null
)

select *
from accepted
