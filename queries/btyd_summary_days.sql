-- Purpose: the BG/NBD summary (as btyd_summary.sql, without values or holdout) of every customer at each of
--   several days at once: for each day in $days, per customer whose first active day is on or before it,
--   frequency = repeat purchase days up to that day, recency_days = first to last active day up to it,
--   age_days = first active day to that day (one transaction per customer and day, active days of cohort_days).
--   One scan instead of one btyd_summary query per day (model churn per period needs ~13 days): each active day
--   numbered within its customer, then every (day, customer who had bought by it) matched to the customer's last
--   active day up to it (an ASOF join), whose number is the repeat purchases by then (a join of every active day
--   to every later boundary, grouped, cost a quarter more at ten million purchases).
-- Params: $days DATE[] (the days to summarise at)
-- Reads: cohort_days (derive_cohort_days.sql)
-- Returns: summary_day DATE, customer_no INTEGER, frequency BIGINT, recency_days INTEGER, age_days INTEGER;
--   by summary_day, customer_no
with boundaries as (
    select distinct unnest(cast($days as date[])) as summary_day
),

active as (
    select
        customer_no,
        day,
        row_number() over (partition by customer_no order by day) - 1 as repeats
    from cohort_days
    where active and day <= (select max(summary_day) from boundaries)
),

firsts as (
    select customer_no, day as first_day
    from active
    where repeats = 0
),

pairs as (
    select b.summary_day, f.customer_no, f.first_day
    from firsts as f
    join boundaries as b on f.first_day <= b.summary_day
)

select
    p.summary_day,
    p.customer_no,
    a.repeats as frequency,
    cast(a.day - p.first_day as integer) as recency_days,
    cast(p.summary_day - p.first_day as integer) as age_days
from pairs as p
asof join active as a on a.customer_no = p.customer_no and a.day <= p.summary_day
order by p.summary_day, p.customer_no
