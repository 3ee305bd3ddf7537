-- Purpose: one row per customer in driver_outcome with the columns a multivariable model and the over-time
--   view need (a deterministic sample of at most $limit customers, by a hash of the customer id).
-- Params: $columns VARCHAR[] (columns of customers, as text; may be empty), $limit INTEGER
-- Reads: driver_outcome (queries/drivers_outcome.sql)
-- Returns: driver_customer_id VARCHAR, churned BOOLEAN, started DATE, tenure DOUBLE, purchases DOUBLE,
--   revenue_to_date DOUBLE, customer_id (of the customers file; NULL when the customer is not in it), then the
--   chosen columns (VARCHAR) under their own names
with own as (
    select columns(lambda c: c = 'customer_id' or list_contains($columns::varchar[], c))::varchar
    from customers
)

select
    o.customer_id as driver_customer_id,
    o.churned,
    o.started,
    s.tenure::double as tenure,
    s.purchases::double as purchases,
    s.revenue::double as revenue_to_date,
    w.*
from driver_outcome as o
join customer_summary as s on s.customer_id = o.customer_id
left join own as w on w.customer_id = o.customer_id
order by hash(o.customer_id), o.customer_id
limit $limit
