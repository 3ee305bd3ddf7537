-- Purpose: per period grain (week, month, quarter), customer and period with any purchase: active (as in
--   cohort_days), net revenue, and the customer's previous active period (rolling retention counts a
--   customer in the periods after that one up to this one, so it needs no per-customer pass at query time).
--   Precomputed at load so that a change of the cohort controls only scans small integer rows.
--   Periods are numbered as in cohort_grains (Monday-start weeks). The grouping, the window and the sort
--   key the grains by their number in sort order (grain_no), not by name: integer keys cost a quarter less
--   at ten million purchases; the names are joined back to the few result rows' grain numbers at the end.
-- Params: none
-- Reads: cohort_days, cohort_grains
-- Creates: cohort_activity(grain, customer_no, period, active BOOLEAN, revenue DOUBLE, previous_active INTEGER
--   (NULL when none)), sorted by grain, customer_no, period
create table cohort_activity as
with grains as (
    select grain, anchor, cast(row_number() over (order by grain) as integer) as grain_no
    from cohort_grains
),

dated as (
    select
        g.grain_no,
        d.customer_no,
        cast(date_diff(g.grain, g.anchor, cast(date_trunc(g.grain, d.day) as date)) as integer) as period,
        d.active,
        d.revenue
    from cohort_days as d
    cross join grains as g
),

periods as (
    select grain_no, customer_no, period, bool_or(active) as active, sum(revenue) as revenue
    from dated
    group by grain_no, customer_no, period
),

spaced as (
    select
        *,
        max(period) filter (where active) over (
            partition by grain_no, customer_no order by period rows between unbounded preceding and 1 preceding
        ) as previous_active
    from periods
)

select g.grain, s.customer_no, s.period, s.active, s.revenue, s.previous_active
from spaced as s
join grains as g on g.grain_no = s.grain_no
order by s.grain_no, s.customer_no, s.period
