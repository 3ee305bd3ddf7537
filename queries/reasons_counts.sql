-- Purpose: churned customers per normalised reason, overall or per value of one segment attribute.
--   Churned customers as in reasons_raw.sql; the reason of each is looked up in the mapping given by the
--   two parallel lists (raw value as written, '' for blank → reason label).
-- Params: $raw_values VARCHAR[], $reasons VARCHAR[] (same length: raw → label), $segment VARCHAR
--   (an attribute of customer_attributes; NULL for overall counts)
-- Returns: segment VARCHAR (the customer's value of $segment; NULL when overall or the customer has none),
--   reason VARCHAR, churned BIGINT; one row per (segment, reason) with at least one customer
with mapping as (
    select unnest($raw_values::varchar[]) as raw, unnest($reasons::varchar[]) as reason
),

leavers as (
    select customer_id, coalesce(churn_reason, '') as raw
    from customer_summary
    where churned or (churned is null and churn_reason is not null)
),

chosen as (
    select customer_id, value
    from customer_attributes
    where attribute = $segment::varchar
),

labelled as (
    select c.value as segment, coalesce(m.reason, l.raw) as reason
    from leavers as l
    left join mapping as m on m.raw = l.raw
    left join chosen as c on c.customer_id = l.customer_id
)

select segment, reason, count(*) as churned
from labelled
group by segment, reason
order by segment nulls last, churned desc, reason
