-- Purpose: a macro that turns a date written by a person into a TIMESTAMP, any year (parse_date(),
--   queries/macro_parse_date.sql, keeps the plausible years): the cell as written in the column's first
--   format, else tidied by clean_date() (queries/macro_clean_date.sql, created first) and tried with the
--   formats in order, or read as an Excel serial day number (5 digits) when allowed.
--   The first try skips clean_date() on the cells of a well-formed column (most of them), which is
--   the parse cost of a 10M-row load; the result is the same, because clean_date() changes nothing in a
--   cell that a format reads as written (no format has a 'T', zone, weekday, ordinal or 'г.' literal,
--   and cells arrive trimmed). It is one expression, not CTEs: DuckDB evaluates a CASE/COALESCE branch
--   only for the rows that reach it, while a macro's subquery is computed for every row.
-- Params: none (created once per connection; called as parse_timestamp(text, formats, allow_serial)).
-- Returns: a TEMP MACRO parse_timestamp(s VARCHAR, formats VARCHAR[] (non-empty), allow_serial BOOLEAN) -> TIMESTAMP.
create or replace temp macro parse_timestamp(s, formats, allow_serial) as
    coalesce(
        case when not allow_serial then try_strptime(s, formats[1]) end,
        case
            when allow_serial and regexp_full_match(clean_date(s), '\d{5}(\.\d+)?')
                then timestamp '1899-12-30'
                    + to_microseconds(cast(round(cast(clean_date(s) as double) * 86400e6) as bigint))
            else try_strptime(clean_date(s), formats)
        end
    );
