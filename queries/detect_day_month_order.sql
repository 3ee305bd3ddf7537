-- Purpose: evidence over the WHOLE column for the day/month order of dates like 05/01/2024: how many
--   cells can only be day-first (first part > 12), only month-first (second part > 12), either (both
--   ≤ 12), and how many are written with dots (05.01.2024, day-first by convention); and, in the same
--   pass, how many cells are written in each form (date_form(), queries/macro_date_form.sql).
-- Params: none
-- Reads: TEMP VIEW detect_column(v VARCHAR)
-- Returns: one row: day_first, month_first, undecided, dotted, form_year_first, form_slashed, form_dotted,
--   form_yyyymmdd, form_excel_serial, form_month_name, form_other (BIGINT)
with parts as (
    select
        date_form(v) as form,
        regexp_extract(trim(v), '^(\d{1,2})([./-])(\d{1,2})[./-]\d{2,4}($|[^0-9])', ['first', 'sep', 'second']) as p
    from detect_column
),

numbers as (
    select
        form,
        try_cast(nullif(p.first, '') as integer) as first,
        try_cast(nullif(p.second, '') as integer) as second,
        p.sep as sep
    from parts
)

select
    count(*) filter (where first > 12 and second <= 12) as day_first,
    count(*) filter (where second > 12 and first <= 12) as month_first,
    count(*) filter (where first <= 12 and second <= 12) as undecided,
    count(*) filter (where first is not null and sep = '.') as dotted,
    count(*) filter (where form = 'year_first') as form_year_first,
    count(*) filter (where form = 'slashed') as form_slashed,
    count(*) filter (where form = 'dotted') as form_dotted,
    count(*) filter (where form = 'yyyymmdd') as form_yyyymmdd,
    count(*) filter (where form = 'excel_serial') as form_excel_serial,
    count(*) filter (where form = 'month_name') as form_month_name,
    count(*) filter (where form = 'other') as form_other
from numbers
