-- Purpose: repeat purchase among first-time buyers, as the benchmarks define it: the share of customers with
--   two or more orders (lifetime), and the share of first-time buyers whose second order came within N
--   calendar months or N days of the first (a cumulative repurchase curve). An order is a distinct order id,
--   or a distinct purchase time when the row has no order id; only purchases with a positive amount (any
--   purchase when there are no amounts) and dated on or before $as_of count. A buyer counts at horizon N
--   only when their first order is at least N months (days) before $as_of, so recent buyers, who have not
--   had the time, never pull a point down; 'lifetime' counts every buyer.
-- Params: $as_of DATE, $first_from DATE and $first_to DATE (keep buyers whose first order day is within;
--   NULL = open), $segment VARCHAR (an attribute of customer_attributes, or NULL for none), $months
--   INTEGER[] (horizons in calendar months), $days INTEGER[] (horizons in days)
-- Returns: segment (NULL when $segment is NULL or the customer has no value), unit ('lifetime' | 'month' |
--   'day'), horizon INTEGER (NULL for 'lifetime'), eligible BIGINT (buyers counted), repurchased BIGINT
--   (of those, with a second order by then); one row per segment and horizon with at least one buyer
with orders as (
    -- an order is its order id, or for a row without one its purchase time (grouped on the time itself: formatting
    -- ten million times as text for a key cost a quarter of this query)
    select
        customer_id,
        min(purchased_at) as ordered_at
    from purchases
    where (amount > 0 or amount is null)
        and cast(purchased_at as date) <= $as_of
    group by customer_id, order_id, case when order_id is null then purchased_at end
),

ranked as (
    select
        customer_id,
        ordered_at,
        -- orders at the same time tie; which of them is first does not change the first or second day
        row_number() over (partition by customer_id order by ordered_at) as n
    from orders
),

buyers as (
    select
        customer_id,
        cast(max(ordered_at) filter (where n = 1) as date) as first_day,
        cast(max(ordered_at) filter (where n = 2) as date) as second_day
    from ranked
    where n <= 2
    group by customer_id
),

members as (
    select b.first_day, b.second_day, a.value as segment
    from buyers as b
    left join customer_attributes as a
        on a.customer_id = b.customer_id
        and a.attribute = $segment::varchar
    where ($first_from::date is null or b.first_day >= $first_from::date)
        and ($first_to::date is null or b.first_day <= $first_to::date)
),

horizons as (
    select 'lifetime' as unit, cast(null as integer) as horizon
    union all
    select 'month' as unit, unnest($months::integer[]) as horizon
    union all
    select 'day' as unit, unnest($days::integer[]) as horizon
),

reached as (
    select
        m.segment,
        h.unit,
        h.horizon,
        case h.unit
            when 'lifetime' then $as_of::date
            when 'month' then cast(m.first_day + to_months(h.horizon) as date)
            else m.first_day + h.horizon
        end as horizon_day,
        m.second_day
    from members as m
    cross join horizons as h
)

select
    segment,
    unit,
    horizon,
    count(*) filter (where horizon_day <= $as_of) as eligible,
    count(*) filter (where horizon_day <= $as_of and second_day <= horizon_day) as repurchased
from reached
group by segment, unit, horizon
having count(*) filter (where horizon_day <= $as_of) > 0
order by segment nulls first, unit, horizon
