-- Purpose: a macro that turns a date written by a person into a TIMESTAMP (the wall-clock time as
--   written): parse_timestamp() (queries/macro_parse_timestamp.sql, created first: the formats detected
--   for the column, in order, after clean_date(); Excel serial day numbers, 1927–2173, when allowed).
--   Years outside 1900–2200 are not dates (NULL), so a 2-digit year never parses as year 0005.
--   One expression (see macro_parse_timestamp.sql for why); DuckDB computes the repeated call once.
-- Params: none (created once per connection; called as parse_date(text, formats, allow_serial)).
-- Returns: a TEMP MACRO parse_date(s VARCHAR, formats VARCHAR[] (non-empty), allow_serial BOOLEAN) -> TIMESTAMP.
create or replace temp macro parse_date(s, formats, allow_serial) as
    case
        when year(parse_timestamp(s, formats, allow_serial)) between 1900 and 2200
            then parse_timestamp(s, formats, allow_serial)
    end;
