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
-- Every count comes from the spells' start and end events, without pairing them into spells: a
-- customer's spells never overlap and each ends after it starts (a subscription may end on its signup
-- day, after its start), so a customer's events alternate start, end, start, … CS and CE are running
-- totals of the events per day; the other counts need only the customers with an event in the period:
-- active at its start when their first event in it is an end, active at its end when their last event
-- in it is a start, first-time when their first ever start is in it.
with subscribers as (
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

-- Purchases: a spell starts on an active day more than W days after the previous one (or the first) and
-- ends W days after one with no active day in the W days after it (up to $as_of). cohort_days holds the
-- gaps, precomputed at load.
active_days as (
    select
        customer_no,
        day,
        days_since_active is null as is_first,
        coalesce(days_since_active > $inactive_days, true) as opens,
        coalesce(days_to_next_active > $inactive_days or day + days_to_next_active > $as_of, true) as closes
    from cohort_days
    where $basis = 'purchases'
        and active
        and day <= $as_of
),

events as (
    select customer_no, start_day as event_day, true as is_start, true as is_first from subscribers
    union all
    select customer_no, end_day as event_day, false as is_start, false as is_first from subscribers
    where end_day is not null
    union all
    select customer_no, day as event_day, true as is_start, is_first from active_days where opens
    union all
    select customer_no, day + $inactive_days::integer as event_day, false as is_start, false as is_first
    from active_days where closes
),

keyed as (
    select
        customer_no,
        event_day,
        2 * date_diff('day', date '2000-01-01', event_day) + case when is_start then 0 else 1 end as event_key,
        is_first
    from events
),

period_starts as (
    select unnest(generate_series(
        cast(date_trunc($period, min(event_day)) as timestamp),
        cast(date_trunc($period, $as_of::date) as timestamp),
        $step::interval
    )) as period_start
    from events
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

-- each event as one number ordered by day, a start before an end on the same day (a subscription
-- cancelled on its signup day): even for a start, odd for an end
touching as (
    select
        b.period_start,
        e.customer_no,
        min(e.event_key) as first_event,
        max(e.event_key) as last_event,
        bool_or(e.is_first) as first_time
    from keyed as e
    inner join bounded as b
        on b.period_start = cast(date_trunc($period, e.event_day) as date)
        and e.event_day <= b.period_end
    group by b.period_start, e.customer_no
),

-- events alternate, so two ends in a period have a start between them
per_customer as (
    select
        period_start,
        first_event % 2 <> 0 as at_start,  -- (keys before 2000-01-01 are negative: an odd one % 2 is -1)
        last_event % 2 = 0 as at_end,
        first_event % 2 = 0 or last_event % 2 = 0 or first_event <> last_event as started,
        first_time
    from touching
),

counts as (
    select
        period_start,
        count(*) filter (where at_start) as touched_start,
        count(*) filter (where started) as new_customers,
        count(*) filter (where at_start and at_end) as touched_retained,
        count(*) filter (where at_end and not at_start and first_time) as new_first,
        count(*) filter (where at_end and not at_start and not first_time) as resurrected,
        count(*) filter (where at_start and not at_end) as churned,
        count(*) filter (where started and not at_start and not at_end) as joined_and_left
    from per_customer
    group by period_start
),

day_totals as (
    select event_day as day, sum(case when is_start then 1 else -1 end) as net
    from events
    group by event_day
),

-- active at the start = started before it minus ended before it; at the end likewise up to its last day
running as (
    select
        b.period_start,
        sum(case when d.day < b.period_start then d.net else 0 end) as customers_start,
        sum(case when d.day <= b.period_end then d.net else 0 end) as customers_end
    from bounded as b
    cross join day_totals as d
    group by b.period_start
)

select
    b.period_start,
    b.period_end,
    b.complete,
    cast(coalesce(r.customers_start, 0) as bigint) as customers_start,
    coalesce(c.new_customers, 0) as new_customers,
    cast(coalesce(r.customers_end, 0) as bigint) as customers_end,
    -- retained: a spell running through the whole period (active at the start, no event in it) or a
    -- customer with events in it who was active at both ends
    cast(coalesce(r.customers_start, 0) as bigint) - coalesce(c.touched_start, 0)
        + coalesce(c.touched_retained, 0) as retained,
    coalesce(c.new_first, 0) as new_first,
    coalesce(c.resurrected, 0) as resurrected,
    coalesce(c.churned, 0) as churned,
    coalesce(c.joined_and_left, 0) as joined_and_left
from bounded as b
left join counts as c on c.period_start = b.period_start
left join running as r on r.period_start = b.period_start
order by b.period_start
