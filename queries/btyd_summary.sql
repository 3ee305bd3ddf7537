-- Purpose: per customer, the "buy till you die" summary of the calibration period (first active day up to
--   $calibration_end, inclusive), one transaction per customer and day (active days of cohort_days: a day with a
--   positive purchase, or any purchase when the data has no amounts): frequency = repeat purchase days (active days
--   after the first), recency_days = first to last active day, age_days = first active day to $calibration_end,
--   monetary_value = mean revenue of the repeat purchase days (days whose net revenue is positive; NULL without
--   amounts or without such a day); and, when $holdout_end is given, the active days in ($calibration_end, $holdout_end].
--   Only customers whose first active day is on or before $calibration_end.
-- Params: $calibration_end DATE, $holdout_end DATE or NULL (no holdout)
-- Reads: cohort_days, cohort_customers (derive_cohort_*.sql)
-- Returns: customer_no INTEGER, customer_id VARCHAR, first_day DATE, frequency BIGINT, recency_days INTEGER,
--   age_days INTEGER, monetary_value DOUBLE, holdout_frequency BIGINT (NULL without $holdout_end); by customer_no
with days as (
    select
        customer_no,
        day,
        revenue,
        min(day) over (partition by customer_no) as first_day
    from cohort_days
    where active and day <= coalesce(cast($holdout_end as date), cast($calibration_end as date))
)

select
    d.customer_no,
    c.customer_id,
    d.first_day,
    count(*) filter (where d.day <= cast($calibration_end as date) and d.day > d.first_day) as frequency,
    cast(max(d.day) filter (where d.day <= cast($calibration_end as date)) - d.first_day as integer) as recency_days,
    cast(cast($calibration_end as date) - d.first_day as integer) as age_days,
    avg(d.revenue) filter (
        where d.day <= cast($calibration_end as date) and d.day > d.first_day and d.revenue > 0
    ) as monetary_value,
    case
        when cast($holdout_end as date) is not null
            then count(*) filter (where d.day > cast($calibration_end as date))
    end as holdout_frequency
from days as d
join cohort_customers as c on c.customer_no = d.customer_no and c.grain = 'month'
where d.first_day <= cast($calibration_end as date)
group by d.customer_no, c.customer_id, d.first_day
order by d.customer_no
