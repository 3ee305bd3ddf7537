-- Purpose: per calendar period, who was active at its start and at its end, who started being a customer
--   during it, and the lifecycle split. The raw counts behind CRR = (CE - CN) / CS and the lifecycle chart.
--   Time is counted in whole days and every dated event (signup, cancel, purchase, lapse) happens during
--   its day. "Active at the end of day d":
--     basis 'customers': signup_date <= d and (no churn_date or churn_date > d); a churn date before the
--       signup date counts as leaving on the signup day; customers marked churned without a churn date,
--       or without a signup date, cannot be placed in time and are left out.
--     basis 'purchases': a positive purchase (or any purchase when there are no amounts) on some day p
--       with p <= d < p + $inactive_days, i.e. the customer lapses on the day last purchase + W.
--   The start of a period is its first instant (the end of the day before its first day), the end is
--   its last instant (the end of its last day, which is $as_of for the incomplete last period).
-- Params: $basis VARCHAR ('customers' | 'purchases'), $period VARCHAR ('week' (Monday-Sunday), 'month',
--   'quarter', 'year'), $step VARCHAR (its length as an interval: '7 days', '1 month', '3 months',
--   '1 year'), $inactive_days INTEGER (W, used by basis 'purchases'), $as_of DATE (analysis date)
-- Returns: period_start DATE, period_end DATE (last day counted), complete BOOLEAN (the whole period
--   lies on or before $as_of), customers_start (CS), new_customers (CN: customers with an active spell
--   starting during the period, first-time or returning), customers_end (CE), retained (active at
--   start and end), new_first (active at end, not at start, first ever spell starts in the period),
--   resurrected (active at end, not at start, active at some time before the period), churned (active
--   at start, not at end), joined_and_left (started during the period, not active at start or end);
--   all counts BIGINT, one row per period from the period of the first start to the period of $as_of.
with subscription_spells as (
    select
        k.customer_no,
        c.signup_date as start_day,
        case when c.churn_date is not null then greatest(c.churn_date, c.signup_date) end as end_day
    from customers as c
    inner join cohort_customers as k on k.customer_id = c.customer_id and k.grain = 'month'
    where $basis = 'customers'
        and c.signup_date is not null
        and c.signup_date <= $as_of
        and (c.churn_date is not null or c.churned is distinct from true)
),

-- Purchases: a spell opens on an active day more than W days after the previous one (or the first) and
-- closes on one with no active day in the W days after it (up to $as_of); the k-th opening of a
-- customer pairs with its k-th closing. cohort_days holds the gaps, precomputed at load.
active_days as (
    select
        customer_no,
        day,
        coalesce(days_since_active > $inactive_days, true) as opens,
        coalesce(days_to_next_active > $inactive_days or day + days_to_next_active > $as_of, true) as closes
    from cohort_days
    where $basis = 'purchases'
        and active
        and day <= $as_of
),

edges as (
    select customer_no, day, opens, closes
    from active_days
    where opens or closes
),

openings as (
    select customer_no, day, row_number() over (partition by customer_no order by day) as spell_no
    from edges
    where opens
),

closings as (
    select customer_no, day, row_number() over (partition by customer_no order by day) as spell_no
    from edges
    where closes
),

purchase_spells as (
    select o.customer_no, o.day as start_day, c.day + $inactive_days::integer as end_day
    from openings as o
    inner join closings as c on c.customer_no = o.customer_no and c.spell_no = o.spell_no
),

spells as (
    select customer_no, start_day, end_day from subscription_spells
    union all
    select customer_no, start_day, end_day from purchase_spells
),

firsts as (
    select customer_no, min(start_day) as first_day
    from spells
    group by customer_no
),

period_starts as (
    select unnest(generate_series(
        cast(date_trunc($period, min(start_day)) as timestamp),
        cast(date_trunc($period, $as_of::date) as timestamp),
        $step::interval
    )) as period_start
    from spells
),

periods as (
    select
        cast(period_start as date) as period_start,
        cast(period_start + $step::interval - interval 1 day as date) as calendar_end
    from period_starts
),

bounded as (
    select
        period_start,
        least(calendar_end, $as_of::date) as period_end,
        calendar_end <= $as_of::date as complete
    from periods
),

-- A customer's spells never overlap, so per period a customer either has one spell running from before
-- its start to after its end (counted from day totals, below) or has every spell that touches the period
-- start or end inside it (an event). Only the events need a row per (period, customer): a few million at
-- 10M purchases, where one row per period a spell touches was tens of millions for weekly periods.
events as (
    select customer_no, start_day, end_day, start_day as event_day from spells
    union all
    select customer_no, start_day, end_day, end_day as event_day from spells where end_day is not null
),

touching as (
    select
        b.period_start,
        e.customer_no,
        bool_or(e.start_day < b.period_start and (e.end_day is null or e.end_day >= b.period_start)) as at_start,
        bool_or(e.start_day <= b.period_end and (e.end_day is null or e.end_day > b.period_end)) as at_end,
        bool_or(e.start_day >= b.period_start) as started
    from events as e
    inner join bounded as b
        on b.period_start = cast(date_trunc($period, e.event_day) as date)
        and e.event_day <= b.period_end
    group by b.period_start, e.customer_no
),

per_customer as (
    select
        t.period_start,
        t.at_start,
        t.at_end,
        t.started,
        f.first_day >= t.period_start as first_time
    from touching as t
    inner join firsts as f on f.customer_no = t.customer_no
),

counts as (
    select
        period_start,
        count(*) filter (where at_start) as customers_start,
        count(*) filter (where started) as new_customers,
        count(*) filter (where at_end) as customers_end,
        count(*) filter (where at_start and at_end) as retained,
        count(*) filter (where at_end and not at_start and first_time) as new_first,
        count(*) filter (where at_end and not at_start and not first_time) as resurrected,
        count(*) filter (where at_start and not at_end) as churned,
        count(*) filter (where started and not at_start and not at_end) as joined_and_left
    from per_customer
    group by period_start
),

day_totals as (
    select day, sum(starts) as starts, sum(ends) as ends
    from (
        select start_day as day, 1 as starts, 0 as ends from spells
        union all
        select end_day as day, 0 as starts, 1 as ends from spells where end_day is not null
    ) as boundaries
    group by day
),

inside as (
    select b.period_start, count(*) as spells
    from spells as s
    inner join bounded as b
        on b.period_start = cast(date_trunc($period, s.start_day) as date)
        and s.start_day <= b.period_end
    where s.end_day <= b.period_end
    group by b.period_start
),

-- spells started before the period and ending after it: (started before its start) minus (ended by its
-- end) plus (started and ended inside it), since those last are in the second count but not the first
spanning as (
    select
        b.period_start,
        sum(case when d.day < b.period_start then d.starts else 0 end)
            - sum(case when d.day <= b.period_end then d.ends else 0 end)
            + coalesce(any_value(i.spells), 0) as total
    from bounded as b
    cross join day_totals as d
    left join inside as i on i.period_start = b.period_start
    group by b.period_start
)

select
    b.period_start,
    b.period_end,
    b.complete,
    coalesce(c.customers_start, 0) + cast(coalesce(w.total, 0) as bigint) as customers_start,
    coalesce(c.new_customers, 0) as new_customers,
    coalesce(c.customers_end, 0) + cast(coalesce(w.total, 0) as bigint) as customers_end,
    coalesce(c.retained, 0) + cast(coalesce(w.total, 0) as bigint) as retained,
    coalesce(c.new_first, 0) as new_first,
    coalesce(c.resurrected, 0) as resurrected,
    coalesce(c.churned, 0) as churned,
    coalesce(c.joined_and_left, 0) as joined_and_left
from bounded as b
left join counts as c on c.period_start = b.period_start
left join spanning as w on w.period_start = b.period_start
order by b.period_start
