-- Purpose: gross and net revenue retention per calendar period from each customer's revenue in
--   consecutive periods. The base of a period is every customer with revenue > 0 in the previous period;
--   GRR = sum over the base of min(revenue now, revenue before) / base revenue before (contraction and
--   loss, no expansion); NRR = sum over the base of revenue now / base revenue before (with expansion).
--   A customer's revenue in a period is the sum of their amounts in it (refunds subtract), floored at 0.
--   Customers new in a period are not in its base. Purchases after $as_of are left out.
-- Params: $period VARCHAR ('week' | 'month' | 'quarter' | 'year'), $step VARCHAR (its length as an interval:
--   '7 days', '1 month', '3 months', '1 year'), $as_of DATE
-- Returns: period_start DATE, period_end DATE (last day counted), complete BOOLEAN, base_customers BIGINT,
--   base_revenue DOUBLE, kept_gross DOUBLE, kept_net DOUBLE, grr_pct DOUBLE, nrr_pct DOUBLE (NULL when
--   the base is empty); one row per period from the second period with purchases to the period of $as_of.
-- from the per-day totals precomputed at load (derive_cohort_days.sql: a day's revenue is the sum of its
-- amounts, NULL when none has an amount) instead of the purchases themselves
with customer_period as (
    select
        customer_no,
        cast(date_trunc($period, day) as date) as period_start,
        greatest(sum(revenue), 0) as revenue
    from cohort_days
    where revenue is not null
        and day <= $as_of
    group by customer_no, cast(date_trunc($period, day) as date)
),

period_starts as (
    select unnest(generate_series(
        cast(min(period_start) as timestamp) + $step::interval,
        cast(date_trunc($period, $as_of::date) as timestamp),
        $step::interval
    )) as period_start
    from customer_period
),

periods as (
    select
        cast(period_start as date) as period_start,
        cast(period_start - $step::interval as date) as previous_start,
        cast(period_start + $step::interval - interval 1 day as date) as calendar_end
    from period_starts
),

pairs as (
    select
        p.period_start,
        prev.revenue as revenue_before,
        coalesce(cur.revenue, 0) as revenue_now
    from periods as p
    inner join customer_period as prev
        on prev.period_start = p.previous_start
        and prev.revenue > 0
    left join customer_period as cur
        on cur.customer_no = prev.customer_no
        and cur.period_start = p.period_start
),

sums as (
    select
        period_start,
        count(*) as base_customers,
        sum(revenue_before) as base_revenue,
        sum(least(revenue_now, revenue_before)) as kept_gross,
        sum(revenue_now) as kept_net
    from pairs
    group by period_start
)

select
    p.period_start,
    least(p.calendar_end, $as_of::date) as period_end,
    p.calendar_end <= $as_of::date as complete,
    coalesce(s.base_customers, 0) as base_customers,
    coalesce(s.base_revenue, 0) as base_revenue,
    coalesce(s.kept_gross, 0) as kept_gross,
    coalesce(s.kept_net, 0) as kept_net,
    100 * s.kept_gross / s.base_revenue as grr_pct,
    100 * s.kept_net / s.base_revenue as nrr_pct
from periods as p
left join sums as s on s.period_start = p.period_start
order by p.period_start
