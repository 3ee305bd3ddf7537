-- Purpose: a macro that turns a date written by a person into a TIMESTAMP (the wall-clock time as
--   written), tidied by clean_date() (queries/macro_clean_date.sql, created first) and tried with the
--   formats detected for the column, in order; Excel serial day numbers (5 digits, 1927–2173) when
--   allowed. Years outside 1900–2200 are not dates (NULL), so a 2-digit year never parses as year 0005.
-- Params: none (created once per connection; called as parse_date(text, formats, allow_serial)).
-- Returns: a TEMP MACRO parse_date(s VARCHAR, formats VARCHAR[] (non-empty), allow_serial BOOLEAN) -> TIMESTAMP.
create or replace temp macro parse_date(s, formats, allow_serial) as (
    with cleaned as (
        select clean_date(s) as t
    ),

    parsed as (
        select case
            when allow_serial and regexp_full_match(t, '\d{5}(\.\d+)?')
                then timestamp '1899-12-30' + to_microseconds(cast(round(cast(t as double) * 86400e6) as bigint))
            else try_strptime(t, formats)
        end as ts
        from cleaned
    )

    select case when year(ts) between 1900 and 2200 then ts end
    from parsed
);
