-- Purpose: a macro that turns a date written by a person into a TIMESTAMP (wall-clock time as
--   written; a trailing time-zone offset, Z or UTC is dropped, an ISO 'T' becomes a space),
--   trying the formats detected for the column in order; Excel serial day numbers when allowed.
-- Params: none (created once per connection; called as parse_date(text, formats, allow_serial)).
-- Returns: a TEMP MACRO parse_date(s VARCHAR, formats VARCHAR[], allow_serial BOOLEAN) -> TIMESTAMP.
create or replace temp macro parse_date(s, formats, allow_serial) as (
    with cleaned as (
        select regexp_replace(
            regexp_replace(trim(s), '^(\d{4}-\d{2}-\d{2})T', '\1 '),
            '(\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)\s*(?i:z|utc|gmt|[+-]\d{2}:?\d{2})$', '\1') as t
    )
    select case
        when allow_serial and regexp_full_match(t, '\d{5}(\.\d+)?')
            then timestamp '1899-12-30' + to_microseconds(cast(round(cast(t as double) * 86400e6) as bigint))
        when len(formats) = 0 then null
        else try_strptime(t, formats)
    end
    from cleaned
);
