-- Purpose: write every parsed purchase, kept or not, as the dataset's purchases table, in the file's
--   order; the few rows not kept are then copied aside (ingest_unkept_purchases.sql) and removed
--   (store_purchases_kept.sql) with their judgement column, so that the file is parsed once, not once
--   for the kept rows and again for the others (no sort: sorting ten million rows with their attribute columns was the largest cost of a load
--   and no page reads purchases in customer order; the derived tables the pages read are sorted).
--   An insert into the empty table canonical.load_into creates first with the view's columns
--   (sql.create_table_like), customer_id stored uncompressed (canonical.UNCOMPRESSED_PURCHASE_COLUMNS:
--   compressing it was a third of the cost of writing the table; a CREATE TABLE … AS cannot choose a
--   column's compression).
-- Params: none
-- Reads: TEMP VIEW judged_purchases (ingest_purchases.sql: every staged row, parsed and judged)
-- Returns: nothing (inserts into purchases: row_no, customer_id, purchased_at, amount, order_id, is_refund,
--   is_future, judgement, <attribute columns>; judgement dropped once the rows not kept are removed)
insert into purchases
with judged as (
    select *
    from judged_purchases
)

select *
from judged
