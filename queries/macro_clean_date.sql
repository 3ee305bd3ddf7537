-- Purpose: a macro that tidies a date written by a person before strptime: an ISO 'T' becomes a space, a
--   trailing time-zone offset, Z, UTC or GMT after a time is dropped (the wall-clock time as written is
--   kept), a leading weekday name, ordinal suffixes (5th) and a Russian year mark 'г.' are removed.
-- Params: none (created once per connection; called as clean_date(text)).
-- Returns: a TEMP MACRO clean_date(s VARCHAR) -> VARCHAR.
create or replace temp macro clean_date(s) as
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        trim(s),
        '^(\d{4}-\d{2}-\d{2})T', '\1 '),
        '(\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*(?i:am|pm))?)\s*(?i:z|utc|gmt|[+-]\d{2}(:?\d{2})?)$', '\1'),
        '^(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+', ''),
        '(?i:(\d{1,2})(st|nd|rd|th)\b|\s*г\.?$)', '\1');
