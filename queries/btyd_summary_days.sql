-- Purpose: the BG/NBD summary (as btyd_summary.sql, without values or holdout) of every customer at each of
--   several days at once: for each day in $days, per customer whose first active day is on or before it,
--   frequency = repeat purchase days up to that day, recency_days = first to last active day up to it,
--   age_days = first active day to that day (one transaction per customer and day, active days of cohort_days).
--   One scan instead of one btyd_summary query per day (model churn per period needs ~13 days).
-- Params: $days DATE[] (the days to summarise at)
-- Reads: cohort_days (derive_cohort_days.sql)
-- Returns: summary_day DATE, customer_no INTEGER, frequency BIGINT, recency_days INTEGER, age_days INTEGER;
--   by summary_day, customer_no
with boundaries as (
    select distinct unnest(cast($days as date[])) as summary_day
),

days as (
    select
        customer_no,
        day,
        min(day) over (partition by customer_no) as first_day
    from cohort_days
    where active and day <= (select max(summary_day) from boundaries)
)

select
    b.summary_day,
    d.customer_no,
    count(*) filter (where d.day > d.first_day) as frequency,
    cast(max(d.day) - d.first_day as integer) as recency_days,
    cast(b.summary_day - d.first_day as integer) as age_days
from days as d
join boundaries as b on d.day <= b.summary_day
group by b.summary_day, d.customer_no, d.first_day
order by b.summary_day, d.customer_no
