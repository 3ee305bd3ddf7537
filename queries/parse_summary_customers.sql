-- Purpose: headline counts of the customers file just parsed, for the validation summary.
-- Params: none
-- Reads: TEMP TABLE parsed_customers
-- Returns: one row: rows_read, rows_used, rows_rejected, rows_skipped, customers, churned, active,
--   churn_unknown, with_reason, future_dated, unrecognised_status (counts; rows_used counts merged customers)
with parsed as (
    select * from parsed_customers
),

kept as (
    select * from parsed where reject_reason is null and skip_reason is null
)

select
    (select count(*) from parsed) as rows_read,
    count(*) as rows_used,
    (select count(*) from parsed where reject_reason is not null) as rows_rejected,
    (select count(*) from parsed where skip_reason is not null) as rows_skipped,
    count(distinct customer_id) as customers,
    count(*) filter (where churned) as churned,
    count(*) filter (where not churned) as active,
    count(*) filter (where churned is null) as churn_unknown,
    count(*) filter (where churn_reason is not null) as with_reason,
    count(*) filter (where is_future) as future_dated,
    count(*) filter (where not status_recognised) as unrecognised_status
from kept
