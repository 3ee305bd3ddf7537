-- Purpose: the table of rejected input rows, kept so that a person can download and fix them.
-- Params: none
-- Creates: rejected(source 'purchases'|'customers', row_no as in the user's file, reason code, role of the
--   offending column, raw_json: the whole original row as JSON of its cells)
create table rejected (
    source varchar,
    row_no bigint,
    reason varchar,
    role varchar,
    raw_json varchar
)
