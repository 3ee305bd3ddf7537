-- Purpose: key/value metadata of a dataset (name, created time, mappings, validation reports as JSON).
-- Params: none
-- Creates: meta(key, value)
create table meta (
    key varchar primary key,
    value varchar
)
