-- Purpose: remove the purchases that are not kept (rejected or skipped; ingest_unkept_purchases.sql has
--   copied them aside) from the purchases table that store_purchases.sql wrote with every parsed row.
--   The judgement columns are dropped after it (canonical.load_into).
-- Params: none
-- Reads, changes: purchases
delete from purchases
where reject_reason is not null or skip_reason is not null
