-- Purpose: RFM scores per customer on the analysis date $as_of: recency (days from the last active day to
--   $as_of), frequency (active days, i.e. days with a positive purchase, one transaction per day as in the
--   BG/NBD papers), monetary (net revenue to date, refunds included; NULL without amounts), and quintile
--   scores 1–5 (5 = most recent / most frequent / highest value). Quintiles are DuckDB's ntile(5) over the
--   customers sorted by the value, then customer_id; customers with equal values get the lowest quintile
--   any of them received, so equal values always share a score whatever their ids (deterministic). That
--   lowest quintile is the ntile of the first of the equal values, whose position is rank() over the value:
--   ntile(5) of n rows gives the first n % 5 quintiles q + 1 rows (q = n // 5) and the others q, so position
--   p is in quintile (p - 1) // (q + 1) + 1 while p <= (q + 1) × (n % 5), else (p - 1 - n % 5) // q + 1. One
--   rank window per score instead of an ntile and a min over the equal values: two windows fewer each.
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

ranked as (
    select
        *,
        rank() over (order by recency_days desc) as r_at,
        rank() over (order by frequency) as f_at,
        rank() over (order by monetary nulls first) as m_at,
        count(*) over () // 5 as q,
        count(*) over () % 5 as extra
    from valued
),

scored as (
    select
        customer_id,
        recency_days,
        frequency,
        monetary,
        cast(case when r_at <= (q + 1) * extra then (r_at - 1) // (q + 1) + 1 else (r_at - 1 - extra) // q + 1 end
             as integer) as r,
        cast(case when f_at <= (q + 1) * extra then (f_at - 1) // (q + 1) + 1 else (f_at - 1 - extra) // q + 1 end
             as integer) as f,
        cast(case when monetary is null then null
                  when m_at <= (q + 1) * extra then (m_at - 1) // (q + 1) + 1
                  else (m_at - 1 - extra) // q + 1 end
             as integer) as m
    from ranked
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
