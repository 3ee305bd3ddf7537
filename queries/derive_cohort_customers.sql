-- Purpose: per period grain (week, month, quarter) and customer, the periods the cohort queries need:
--   the period of the first positive purchase, of the signup date and of the cancel date, numbered as in
--   cohort_grains (Monday-start weeks).
-- Params: none
-- Reads: customer_summary, cohort_grains
-- Creates: cohort_customers(grain, customer_no, customer_id, first_day, first_start, first_period,
--   signup_date, signup_start, signup_period, churn_date, churn_period, churned, in_customers);
--   customer_no numbers customer_summary's customers 1…n by id (same number in every grain).
create table cohort_customers as
with known as (
    select
        cast(row_number() over (order by customer_id) as integer) as customer_no,
        customer_id,
        cast(first_purchase_at as date) as first_day,
        signup_date,
        churn_date,
        churned,
        in_customers
    from customer_summary
),

dated as (
    select
        g.grain,
        g.anchor,
        k.*,
        cast(date_trunc(g.grain, k.first_day) as date) as first_start,
        cast(date_trunc(g.grain, k.signup_date) as date) as signup_start,
        cast(date_trunc(g.grain, k.churn_date) as date) as churn_start
    from known as k
    cross join cohort_grains as g
)

select
    grain,
    customer_no,
    customer_id,
    first_day,
    first_start,
    cast(date_diff(grain, anchor, first_start) as integer) as first_period,
    signup_date,
    signup_start,
    cast(date_diff(grain, anchor, signup_start) as integer) as signup_period,
    churn_date,
    cast(date_diff(grain, anchor, churn_start) as integer) as churn_period,
    churned,
    in_customers
from dated
order by grain, customer_no
