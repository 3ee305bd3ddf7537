-- Purpose: RFM scores per customer on the analysis date $as_of: recency (days from the last active day to
--   $as_of), frequency (active days, i.e. days with a positive purchase, one transaction per day as in the
--   BG/NBD papers), monetary (net revenue to date, refunds included; NULL without amounts), and quintile
--   scores 1–5 (5 = most recent / most frequent / highest value). Quintiles are DuckDB's ntile(5) over the
--   customers sorted by the value, then customer_id; customers with equal values get the lowest quintile
--   any of them received, so equal values always share a score whatever their ids (deterministic).
--   Customers without an active day on or before $as_of are left out. fm = the mean of f and m rounded half
--   up (f when there are no amounts); segment = $groups[(r − 1) × 5 + fm] (the R × FM grid of
--   retention/metrics/rfm.py, row by row).
-- Params: $as_of DATE, $groups VARCHAR[] (25 group names)
-- Returns: customer_id, recency_days INTEGER, frequency BIGINT, monetary DOUBLE, r INTEGER, f INTEGER,
--   m INTEGER (NULL when monetary is NULL), fm INTEGER, segment VARCHAR; sorted by customer_id
with per_customer as (
    select
        customer_no,
        max(day) filter (where active) as last_day,
        count(*) filter (where active) as frequency,
        sum(revenue) as monetary
    from cohort_days
    where day <= $as_of::date
    group by customer_no
),

valued as (
    select
        k.customer_id,
        cast(date_diff('day', p.last_day, $as_of::date) as integer) as recency_days,
        p.frequency,
        p.monetary
    from per_customer as p
    join cohort_customers as k on k.customer_no = p.customer_no and k.grain = 'month'
    where p.last_day is not null
),

tiled as (
    select
        *,
        ntile(5) over (order by recency_days desc, customer_id) as r_tile,
        ntile(5) over (order by frequency, customer_id) as f_tile,
        case when monetary is not null
            then ntile(5) over (order by monetary nulls first, customer_id)
        end as m_tile
    from valued
),

scored as (
    select
        customer_id,
        recency_days,
        frequency,
        monetary,
        cast(min(r_tile) over (partition by recency_days) as integer) as r,
        cast(min(f_tile) over (partition by frequency) as integer) as f,
        cast(min(m_tile) over (partition by monetary) as integer) as m
    from tiled
),

combined as (
    select *, cast(ceil((f + coalesce(m, f)) / 2.0) as integer) as fm
    from scored
)

select
    customer_id,
    recency_days,
    frequency,
    monetary,
    r,
    f,
    m,
    fm,
    list_extract($groups::varchar[], (r - 1) * 5 + fm) as segment
from combined
order by customer_id
