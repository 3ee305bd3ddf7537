-- Purpose: an empty duplicate_rows table, in place of ingest_duplicate_rows.sql, for a one-shot CLI
--   command on a purchases file without an order id column: there a copy of a row is kept either way and
--   only flagged (possible_duplicate), a flag no such command prints, so the pass over every row is skipped.
-- Params: none
-- Creates: TEMP TABLE duplicate_rows(row_no, first_row), empty
create or replace temp table duplicate_rows (row_no bigint, first_row bigint)
