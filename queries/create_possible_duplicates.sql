-- Purpose: the table of kept purchase rows identical to an earlier row of a file without an order id
--   (possible duplicates: kept, and listed so that a person can download and check them).
-- Params: none
-- Creates (if missing): possible_duplicates(row_no as in the user's file, same_as_row: the earlier identical
--   row, raw_json: the whole original row as JSON of its cells)
create table if not exists possible_duplicates (
    row_no bigint,
    same_as_row bigint,
    raw_json varchar
)
