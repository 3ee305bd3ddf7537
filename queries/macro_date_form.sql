-- Purpose: a macro naming the form a date cell is written in, so that a column mixing forms can be
--   reported (2024-01-05 next to 05/01/2024 next to Jan 5 2024): 'year_first' (2024-01-05, 2024/1/5,
--   2024年1月5日), 'slashed' (05/01/2024, 05-01-24: day/month order unknown from the cell alone),
--   'dotted' (05.01.2024), 'yyyymmdd' (20240105), 'excel_serial' (45296), 'month_name' (Jan 5 2024,
--   5 January 2024, Mon, 5 Jan 2024), 'other'; NULL for a blank cell. Checks are in that order.
--   The slashed/dotted test is the one detect_day_month_order.sql splits into day-first/month-first.
-- Params: none (created once per connection; called as date_form(text)).
-- Returns: a TEMP MACRO date_form(s VARCHAR) -> VARCHAR.
create or replace temp macro date_form(s) as
    case
        when trim(s) = '' then null
        when regexp_matches(trim(s), '^\d{1,2}[/-]\d{1,2}[/-]\d{2,4}($|[^0-9])') then 'slashed'
        when regexp_matches(trim(s), '^\d{1,2}[.]\d{1,2}[.]\d{2,4}($|[^0-9])') then 'dotted'
        when regexp_matches(trim(s), '^\d{4}[^0-9]\d{1,2}[^0-9]\d{1,2}') then 'year_first'
        when regexp_matches(trim(s), '^\d{8}($|[^0-9])') then 'yyyymmdd'
        when regexp_full_match(trim(s), '\d{5}(\.\d+)?') then 'excel_serial'
        when regexp_matches(s, '\p{L}{3}') then 'month_name'
        else 'other'
    end;
