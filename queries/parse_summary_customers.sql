-- Purpose: headline counts of the customers file just parsed, for the validation summary.
-- Params: none
-- Reads: TEMP TABLE parsed_customers
-- Returns: one row: rows_read, rows_used, rows_rejected, customers, churned, active, churn_unknown,
--   with_reason, future_dated, unrecognised_status (list of up to 10 status values not understood)
with parsed as (
    select * from parsed_customers
),

kept as (
    select * from parsed where reject_reason is null
)

select
    (select count(*) from parsed) as rows_read,
    count(*) as rows_used,
    (select count(*) from parsed) - count(*) as rows_rejected,
    count(distinct customer_id) as customers,
    count(*) filter (where churned) as churned,
    count(*) filter (where not churned) as active,
    count(*) filter (where churned is null) as churn_unknown,
    count(*) filter (where churn_reason is not null) as with_reason,
    count(*) filter (where is_future) as future_dated,
    count(*) filter (where not status_recognised) as unrecognised_status
from kept
