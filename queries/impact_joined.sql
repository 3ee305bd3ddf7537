-- Purpose: the rows of the "Did it work?" members design with join dates (retention.metrics.impact.joined):
--   each dated member once, at the month they joined, and each non-member once for every join month of the
--   members of their own cohort (a pseudo join date: the members' join month), so that both are measured over
--   the same calendar window. Per row: what the customer did before the join month (purchases, spend, the
--   last active month: what drives retention anyway, for matching) and whether they were active in each month
--   k after it (as the classic cohort matrix counts: a positive purchase in calendar month join + k).
--   A member who joined before their first purchase counts from the month of that purchase.
--   Nothing after $as_of is seen.
-- Params: $as_of DATE, $k INTEGER (revenue is summed over months 0…$k after the join month), $max_k INTEGER
--   (months kept in active_mask), $member_ids VARCHAR[] and $join_dates DATE[] (the dated members: ids and join
--   dates, position by position), $undated_ids VARCHAR[] (members without a usable join date: neither side),
--   $segment VARCHAR (a segment attribute to match on, or NULL)
-- Returns: customer_no, customer_id, member (BOOLEAN), cohort (DATE, first day of the first purchase's month),
--   cohort_index (months since the data's anchor), join_month (DATE, first day), join_index, complete_months (the
--   months after the join month that ended on or before $as_of), active_mask (INTEGER: bit k set for each k in
--   1…$max_k with a positive purchase in month join + k), revenue (net revenue of months join…join + $k; NULL
--   without amounts), before_purchases (active purchases before the join month), before_spend (net revenue
--   before it; NULL without amounts), months_since_active (join_index − the last active month before it; NULL
--   when none), segment (the $segment value or NULL)
-- Reads: cohort_grains, cohort_customers, cohort_activity, cohort_days, cohort_attributes, customer_summary
with settings as (
    select
        anchor,
        cast(date_diff('month', anchor, cast(date_trunc('month', $as_of::date + 1) as date)) as integer) - 1
            as completed,
        (select count(revenue) from customer_summary) > 0 as has_amounts
    from cohort_grains
    where grain = 'month'
),

dated as (
    select unnest($member_ids::varchar[]) as customer_id, unnest($join_dates::date[]) as join_date
),

members as (
    select
        c.customer_no,
        greatest(cast(date_diff('month', s.anchor, cast(date_trunc('month', min(d.join_date)) as date)) as integer),
                 c.first_period) as join_index
    from dated as d
    join cohort_customers as c on c.customer_id = d.customer_id and c.grain = 'month'
    cross join settings as s
    where c.first_day <= $as_of::date and d.join_date <= $as_of::date
    group by c.customer_no, c.first_period, s.anchor
),

left_out as (
    select c.customer_no
    from cohort_customers as c
    where c.grain = 'month' and (list_contains($undated_ids::varchar[], c.customer_id)
        or list_contains($member_ids::varchar[], c.customer_id))
),

join_months as (
    select distinct c.first_period as cohort_index, m.join_index
    from members as m
    join cohort_customers as c on c.customer_no = m.customer_no and c.grain = 'month'
),

sides as (
    select m.customer_no, true as member, m.join_index
    from members as m
    union all
    select c.customer_no, false as member, j.join_index
    from cohort_customers as c
    join join_months as j on j.cohort_index = c.first_period
    where c.grain = 'month' and c.first_day <= $as_of::date
        and c.customer_no not in (select customer_no from left_out)
),

history as (
    select
        r.customer_no,
        r.join_index,
        sum(d.active_purchases) as before_purchases,
        sum(d.revenue) as before_spend
    from sides as r
    cross join settings as s
    join cohort_days as d on d.customer_no = r.customer_no
    where d.day < s.anchor + to_months(r.join_index)
    group by r.customer_no, r.join_index
),

months as (
    select
        r.customer_no,
        r.join_index,
        -- the shift is clamped because the filter may be applied after the expression is computed for every row
        cast(sum(1 << least(greatest(a.period - r.join_index, 0), 30)) filter (
            where a.active and a.period - r.join_index between 1 and $max_k
        ) as integer) as active_mask,
        sum(a.revenue) filter (where a.period - r.join_index between 0 and $k) as revenue,
        max(a.period) filter (where a.active and a.period < r.join_index) as last_active
    from sides as r
    join cohort_activity as a on a.customer_no = r.customer_no and a.grain = 'month'
    cross join settings as s
    where a.period <= s.completed
    group by r.customer_no, r.join_index
)

select
    r.customer_no,
    c.customer_id,
    r.member,
    c.first_start as cohort,
    c.first_period as cohort_index,
    cast(s.anchor + to_months(r.join_index) as date) as join_month,
    r.join_index,
    s.completed - r.join_index as complete_months,
    coalesce(m.active_mask, 0) as active_mask,
    case when s.has_amounts then coalesce(m.revenue, 0) end as revenue,
    coalesce(b.before_purchases, 0) as before_purchases,
    case when s.has_amounts then coalesce(b.before_spend, 0) end as before_spend,
    r.join_index - m.last_active as months_since_active,
    g.value as segment
from sides as r
cross join settings as s
join cohort_customers as c on c.customer_no = r.customer_no and c.grain = 'month'
left join months as m on m.customer_no = r.customer_no and m.join_index = r.join_index
left join history as b on b.customer_no = r.customer_no and b.join_index = r.join_index
left join cohort_attributes as g on g.customer_no = r.customer_no and g.attribute = $segment::varchar
order by r.join_index, r.customer_no, r.member
