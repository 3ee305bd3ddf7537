-- Purpose: per period grain (week, month, quarter), customer and period with any purchase: active (as in
--   cohort_days), net revenue, and the customer's previous active period (rolling retention counts a
--   customer in the periods after that one up to this one, so it needs no per-customer pass at query time).
--   Precomputed at load so that a change of the cohort controls only scans small integer rows.
--   Periods are numbered as in cohort_grains (Monday-start weeks).
-- Params: none
-- Reads: cohort_days, cohort_grains
-- Creates: cohort_activity(grain, customer_no, period, active BOOLEAN, revenue DOUBLE, previous_active INTEGER
--   (NULL when none))
create table cohort_activity as
with dated as (
    select
        g.grain,
        d.customer_no,
        cast(date_diff(g.grain, g.anchor, cast(date_trunc(g.grain, d.day) as date)) as integer) as period,
        d.active,
        d.revenue
    from cohort_days as d
    cross join cohort_grains as g
),

periods as (
    select grain, customer_no, period, bool_or(active) as active, sum(revenue) as revenue
    from dated
    group by grain, customer_no, period
)

select
    *,
    max(period) filter (where active) over (
        partition by grain, customer_no order by period rows between unbounded preceding and 1 preceding
    ) as previous_active
from periods
order by grain, customer_no, period
