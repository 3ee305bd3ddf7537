-- Purpose: headline counts of the purchases file just parsed, for the validation summary.
-- Params: none
-- Reads: TEMP TABLE parsed_purchases
-- Returns: one row: rows_read, rows_used, rows_rejected, rows_skipped, customers (always NULL here), refunds,
--   future_dated, first_date, last_date, revenue. The customers are counted apart
--   (parse_summary_purchase_customers.sql), or from customer_summary when the load builds it
--   (summary_purchase_customers.sql): a distinct count of the ids is most of this summary's work (1.7 CPU s of
--   the one-shot CLI's at ten million rows); the NULL keeps their place in the report
with parsed as (
    select * from parsed_purchases
),

kept as (
    select * from parsed where reject_reason is null and skip_reason is null
)

select
    (select count(*) from parsed) as rows_read,
    count(*) as rows_used,
    (select count(*) from parsed where reject_reason is not null) as rows_rejected,
    (select count(*) from parsed where skip_reason is not null) as rows_skipped,
    cast(null as bigint) as customers,
    count(*) filter (where is_refund) as refunds,
    count(*) filter (where is_future) as future_dated,
    cast(min(purchased_at) as date) as first_date,
    cast(max(purchased_at) as date) as last_date,
    round(sum(amount), 2) as revenue
from kept
