-- Purpose: an empty canonical customers table, for a dataset that has a purchases file only.
-- Params: none
-- Creates: customers(row_no, customer_id, signup_date, churn_date, churn_reason, churned, tenure, status_recognised, is_future)
create table customers (
    row_no bigint,
    customer_id varchar,
    signup_date date,
    churn_date date,
    churn_reason varchar,
    churned boolean,
    tenure integer,
    status_recognised boolean,
    is_future boolean
)
