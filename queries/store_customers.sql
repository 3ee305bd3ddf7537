-- Purpose: keep the accepted parsed customers (one row per customer) as the dataset's canonical customers table.
-- Params: none
-- Reads: TEMP TABLE parsed_customers
-- Creates: customers(row_no, customer_id, signup_date, churn_date, churn_reason, churned, tenure,
--   status_recognised, is_future, <attribute columns>)
create table customers as
with accepted as (
    select * exclude (reject_reason, reject_role, skip_reason, skip_status)
    from parsed_customers
    where reject_reason is null and skip_reason is null
)

select *
from accepted
order by customer_id
