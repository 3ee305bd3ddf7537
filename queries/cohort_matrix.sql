-- Purpose: the cohort retention matrix, one row per reached cell (segment, cohort, period k), cells where
--   nobody was retained included (active 0). A customer's cohort is the period of their first positive
--   purchase ($cohort_by 'first_purchase') or of their signup date ('signup'); period k of cohort c is
--   period c + k (Monday-start weeks, calendar months, calendar quarters). Nothing after the analysis
--   date $as_of is seen: later purchases and cancellations are ignored, later cells are not returned.
--   Modes: 'classic' active = customers with a positive purchase in period c + k; 'rolling' = with a
--   positive purchase in c + k or any later period; 'revenue' = as classic, and retention_pct is the
--   revenue of c + k over the revenue of period 0; 'survival' = customers of the customers file with a
--   known status (a cancel date, or not churned) not cancelled by the end of period c + k.
--   Refunds and zero amounts are not activity; revenue is net of refunds.
-- Params: $grain VARCHAR ('week' | 'month' | 'quarter'), $mode VARCHAR ('classic' | 'rolling' | 'revenue' |
--   'survival'), $cohort_by VARCHAR ('first_purchase' | 'signup'), $as_of DATE, $segment VARCHAR (an
--   attribute of customer_attributes, or NULL for none), $filter_attributes VARCHAR[] and $filter_values
--   VARCHAR[] (pairs: a customer is kept when, for every attribute named, their value is one of those
--   paired with it; empty lists keep everyone), $cohort_from DATE, $cohort_to DATE (keep cohorts whose
--   first day is within; NULL = open), $min_customers INTEGER (cohorts smaller than this are flagged small)
-- Returns: segment (NULL when $segment is NULL or the customer has no value), cohort (first day of the
--   cohort period), period (k), cohort_size, active, revenue (net; NULL without amounts and in 'survival' mode),
--   revenue_per_customer (cumulative revenue of periods 0…k over the cohort size), retention_pct (active
--   over cohort size × 100; in 'revenue' mode revenue over period-0 revenue × 100, NULL when that is not
--   positive), complete (the period ended on or before $as_of), small (cohort_size < $min_customers)
-- Reads: cohort_grains, cohort_customers, cohort_activity, cohort_days, cohort_attributes (derive_cohort_*.sql), customer_summary
with settings as (
    select
        cast(date_diff($grain, anchor, cast(date_trunc($grain, $as_of::date) as date)) as integer) as reached,
        cast(date_diff($grain, anchor, cast(date_trunc($grain, $as_of::date + 1) as date)) as integer) - 1
            as completed,
        (select count(revenue) from customer_summary) > 0 as has_amounts
    from cohort_grains
    where grain = $grain
),

filters as (
    select unnest($filter_attributes::varchar[]) as attribute, unnest($filter_values::varchar[]) as value
),

passing as (
    select a.customer_no
    from cohort_attributes as a
    join filters as f on f.attribute = a.attribute and f.value = a.value
    group by a.customer_no
    having count(distinct a.attribute) = (select count(distinct attribute) from filters)
),

segments as (
    select distinct segment_no, value
    from cohort_attributes
    where attribute = $segment::varchar
),

members as (
    select
        c.customer_no,
        case $cohort_by when 'signup' then c.signup_period else c.first_period end as cohort,
        case $cohort_by when 'signup' then c.signup_start else c.first_start end as cohort_start,
        c.churn_date,
        c.churn_period,
        coalesce(a.segment_no, 0) as segment_no
    from cohort_customers as c
    left join cohort_attributes as a on a.customer_no = c.customer_no and a.attribute = $segment::varchar
    where c.grain = $grain
        and case $cohort_by when 'signup' then c.signup_date else c.first_day end <= $as_of::date
        and ($cohort_from::date is null
             or case $cohort_by when 'signup' then c.signup_start else c.first_start end >= $cohort_from::date)
        and ($cohort_to::date is null
             or case $cohort_by when 'signup' then c.signup_start else c.first_start end <= $cohort_to::date)
        and (len($filter_attributes::varchar[]) = 0 or c.customer_no in (select customer_no from passing))
        and ($mode <> 'survival' or (c.in_customers and (c.churn_date is not null or not c.churned)))
),

cohorts as (
    select segment_no, cohort, cohort_start, count(*) as cohort_size
    from members
    group by all
),

grid as (
    select c.*, unnest(range(0, s.reached - c.cohort + 1)) as period
    from cohorts as c
    cross join settings as s
),

recent as (
    -- the period holding the analysis date, from its days up to that date (cohort_days is sorted by day)
    select customer_no, bool_or(active) as active, sum(revenue) as revenue
    from cohort_days
    where $mode <> 'survival'
        and day >= cast(date_trunc($grain, $as_of::date) as date) and day <= $as_of::date
    group by customer_no
),

activity as (
    select a.customer_no, a.period, a.active, a.revenue, a.previous_active
    from cohort_activity as a
    cross join settings as s
    where $mode <> 'survival' and a.grain = $grain and a.period < s.reached
    union all
    select r.customer_no, a.period, r.active, r.revenue, a.previous_active
    from recent as r
    join cohort_activity as a on a.customer_no = r.customer_no
    cross join settings as s
    where a.grain = $grain and a.period = s.reached
),

member_periods as (
    -- k = period − cohort (k < 0, purchases before a signup, is left out by the grid). rolling_from: the
    -- first k in which this active period counts for rolling retention (the one after the previous active)
    select
        m.segment_no,
        m.cohort,
        a.period - m.cohort as period,
        a.active,
        a.revenue,
        greatest(coalesce(a.previous_active + 1, m.cohort), m.cohort) - m.cohort as rolling_from
    from members as m
    join activity as a on a.customer_no = m.customer_no
),

counted as (
    select segment_no, cohort, period, count(*) filter (where active) as active, sum(revenue) as revenue
    from member_periods
    group by all
),

rolling_starts as (
    -- rolling: a customer active in k counts in rolling_from … k; summed over k, counts in k are
    -- (runs started up to k) − (runs ended before k), and a run ends at each active period
    select segment_no, cohort, rolling_from as period, count(*) as customers
    from member_periods
    where $mode = 'rolling' and active and period >= 0
    group by all
),

churning as (
    -- survival: customers cancelled (on or before the analysis date) in this period; before the cohort → 0
    select segment_no, cohort, greatest(churn_period - cohort, 0) as period, count(*) as customers
    from members
    where $mode = 'survival' and churn_date <= $as_of::date
    group by all
),

cells as (
    select
        g.segment_no,
        g.cohort,
        g.cohort_start,
        g.cohort_size,
        g.period,
        coalesce(c.active, 0) as active_in_period,
        case when s.has_amounts and $mode <> 'survival' then coalesce(c.revenue, 0) end as revenue,
        coalesce(r.customers, 0) as rolling_started,
        coalesce(ch.customers, 0) as churning,
        g.cohort + g.period <= s.completed as complete
    from grid as g
    cross join settings as s
    left join counted as c on c.segment_no = g.segment_no and c.cohort = g.cohort and c.period = g.period
    left join rolling_starts as r on r.segment_no = g.segment_no and r.cohort = g.cohort and r.period = g.period
    left join churning as ch on ch.segment_no = g.segment_no and ch.cohort = g.cohort and ch.period = g.period
),

measured as (
    select
        segment_no,
        cohort_start as cohort,
        period,
        cohort_size,
        case $mode
            when 'rolling' then sum(rolling_started) over up_to_period
                - sum(active_in_period) over up_to_period + active_in_period
            when 'survival' then cohort_size - sum(churning) over up_to_period
            else active_in_period
        end as active,
        revenue,
        sum(revenue) over up_to_period / cohort_size as revenue_per_customer,
        first_value(revenue) over up_to_period as base_revenue,
        complete
    from cells
    window up_to_period as (
        partition by segment_no, cohort order by period rows between unbounded preceding and current row
    )
)

select
    s.value as segment,
    m.cohort,
    m.period,
    m.cohort_size,
    cast(m.active as bigint) as active,
    m.revenue,
    m.revenue_per_customer,
    case $mode
        when 'revenue' then 100 * m.revenue / case when m.base_revenue > 0 then m.base_revenue end
        else 100.0 * m.active / m.cohort_size
    end as retention_pct,
    m.complete,
    m.cohort_size < $min_customers as small
from measured as m
left join segments as s on s.segment_no = m.segment_no
order by segment nulls first, m.cohort, m.period
