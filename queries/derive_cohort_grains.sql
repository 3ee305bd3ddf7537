-- Purpose: the period grains of the cohort tables and how their periods are numbered: period n of a grain is
--   the n-th whole period after the one holding 2000-01-01 (its `anchor`, the first day of that period), so
--   period k of cohort c is period c + k. Weeks are Monday-start calendar weeks (date_trunc('week')): the
--   days of ISO week 53 and the January days after it fall in one week.
-- Params: none
-- Creates: cohort_grains(grain VARCHAR 'week' | 'month' | 'quarter', anchor DATE)
create table cohort_grains as
with grains as (
    select grain
    from (values ('week'), ('month'), ('quarter')) as g(grain)
)

select grain, cast(date_trunc(grain, date '2000-01-01') as date) as anchor
from grains
