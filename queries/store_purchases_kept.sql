-- Purpose: remove the purchases that are not kept (rejected or skipped; ingest_unkept_purchases.sql has
--   copied them aside) from the purchases table that store_purchases.sql wrote with every parsed row.
--   The judgement column is dropped after it (canonical.load_into).
-- Params: none
-- Reads, changes: purchases
delete from purchases
where judgement is not null
