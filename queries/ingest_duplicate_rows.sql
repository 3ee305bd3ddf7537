-- Purpose: the rows of a staged file that repeat an earlier row exactly (every cell equal), found by
--   hashing each row once. Customers file: rejected as 'duplicate_row'. Purchases file: with an order id,
--   a further identical line of one order is merged (skipped as 'duplicate_line'); without one, the copy
--   is kept (two identical purchases are usually two purchases) and flagged 'possible_duplicate'.
--   Rows are few, so the parse queries check membership cheaply.
-- Params: none
-- Reads: TEMP VIEW staged_current (row_no, <every column of the file>)
-- Creates: TEMP TABLE duplicate_rows(row_no, first_row) — every copy after the first, and the row it repeats
create or replace temp table duplicate_rows as
with hashed as materialized (
    select row_no, hash(*columns(* exclude (row_no))) as row_hash
    from staged_current
),

repeated as (
    select row_hash, min(row_no) as first_row
    from hashed
    group by row_hash
    having count(*) > 1
)

select h.row_no, r.first_row
from hashed as h
join repeated as r on r.row_hash = h.row_hash
where h.row_no > r.first_row
