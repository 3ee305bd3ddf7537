-- Purpose: one row per customer for the "Did it work?" page (retention.metrics.impact): the month cohort of
--   the first positive purchase, whether the customer was active in month k after it (k = 1…$max_k, as the
--   classic cohort matrix counts it: a positive purchase in calendar month cohort + k), net revenue of months
--   0…$k, what they did in their first month (purchases, spend: what drives retention anyway, for matching),
--   how many months after the cohort's are complete by $as_of, membership and a segment value.
--   Nothing after $as_of is seen.
-- Params: $as_of DATE, $k INTEGER (revenue is summed over months 0…$k), $max_k INTEGER (months kept in
--   active_mask), $member_column VARCHAR (a segment attribute marking members, or NULL),
--   $member_values VARCHAR[] (its values that mean "member"), $member_ids VARCHAR[] (customer ids that are
--   members; empty for none), $segment VARCHAR (a segment attribute to match on, or NULL)
-- Returns: customer_no, customer_id, cohort (DATE, first day of the month), cohort_index (months since the
--   data's anchor), complete_months (the months after the cohort's month that ended on or before $as_of),
--   active_mask (INTEGER: bit k set for each k in 1…$max_k with a positive purchase in month cohort + k), revenue (net revenue
--   of months 0…$k; NULL without amounts), first_purchases (active purchases in month 0), first_spend (net
--   revenue of month 0; NULL without amounts), member (BOOLEAN), segment (the $segment value or NULL)
-- Reads: cohort_grains, cohort_customers, cohort_activity, cohort_days, cohort_attributes, customer_summary
with settings as (
    select
        cast(date_diff('month', anchor, cast(date_trunc('month', $as_of::date + 1) as date)) as integer) - 1
            as completed,
        (select count(revenue) from customer_summary) > 0 as has_amounts
    from cohort_grains
    where grain = 'month'
),

people as (
    select c.customer_no, c.customer_id, c.first_start as cohort, c.first_period as cohort_index
    from cohort_customers as c
    where c.grain = 'month' and c.first_day <= $as_of::date
),

first_month as (
    select
        p.customer_no,
        sum(d.active_purchases) as first_purchases,
        sum(d.revenue) as first_spend
    from people as p
    join cohort_days as d on d.customer_no = p.customer_no
    where d.day >= p.cohort and d.day < p.cohort + interval 1 month and d.day <= $as_of::date
    group by p.customer_no
),

months as (
    select
        p.customer_no,
        -- one cohort_activity row per customer and month, so the sum of distinct powers of two is a bit mask; the
        -- shift is clamped because the filter may be applied after the expression is computed for every row
        cast(sum(1 << least(greatest(a.period - p.cohort_index, 0), 30)) filter (
            where a.active and a.period - p.cohort_index between 1 and $max_k
        ) as integer) as active_mask,
        sum(a.revenue) filter (where a.period - p.cohort_index between 0 and $k) as revenue
    from people as p
    join cohort_activity as a on a.customer_no = p.customer_no and a.grain = 'month'
    cross join settings as s
    where a.period <= s.completed
    group by p.customer_no
),

members as (
    select distinct customer_no
    from cohort_attributes
    where attribute = $member_column::varchar and list_contains($member_values::varchar[], value)
    union
    select c.customer_no
    from cohort_customers as c
    where c.grain = 'month' and list_contains($member_ids::varchar[], c.customer_id)
)

select
    p.customer_no,
    p.customer_id,
    p.cohort,
    p.cohort_index,
    s.completed - p.cohort_index as complete_months,
    coalesce(m.active_mask, 0) as active_mask,
    case when s.has_amounts then coalesce(m.revenue, 0) end as revenue,
    coalesce(f.first_purchases, 0) as first_purchases,
    case when s.has_amounts then coalesce(f.first_spend, 0) end as first_spend,
    p.customer_no in (select customer_no from members) as member,
    g.value as segment
from people as p
cross join settings as s
left join months as m on m.customer_no = p.customer_no
left join first_month as f on f.customer_no = p.customer_no
left join cohort_attributes as g on g.customer_no = p.customer_no and g.attribute = $segment::varchar
order by p.customer_no
