-- Purpose: what the cohort pages can show for a dataset, and the default analysis date (the last date in
--   the data, future-dated rows left out).
-- Params: none
-- Returns: one row: first_date, last_date (DATE; NULL for an empty dataset), has_amounts, customers_first_purchase
--   (customers with a positive purchase), refund_only (customers in the purchases file with no positive
--   purchase: in no first-purchase cohort), customers_signup (customers with a signup date),
--   customers_survival (customers-file rows with a cancel date or a not-churned status, and a signup date or a
--   purchase; 0 when the file gives no cancel dates at all: then a status alone cannot place churn in time),
--   churned_without_date (churned per status but no cancel date: left out of calendar survival),
--   customers_tenure (rows with a tenure and a known status: Kaplan–Meier by tenure)
with purchase_days as (
    select cast(purchased_at as date) as day
    from purchases
    where not is_future
),

customer_days as (
    select unnest([signup_date, churn_date]) as day
    from customers
    where not is_future
),

days as (
    select day from purchase_days
    union all
    select day from customer_days
)

select
    (select min(day) from days) as first_date,
    (select max(day) from days) as last_date,
    (select count(amount) from purchases) > 0 as has_amounts,
    count(*) filter (where first_purchase_at is not null) as customers_first_purchase,
    count(*) filter (where in_purchases and first_purchase_at is null) as refund_only,
    count(*) filter (where signup_date is not null) as customers_signup,
    case when count(churn_date) > 0 then count(*) filter (
        where in_customers and (churn_date is not null or not churned)
            and (signup_date is not null or first_purchase_at is not null)
    ) else 0 end as customers_survival,
    count(*) filter (where churned and churn_date is null) as churned_without_date,
    count(*) filter (where tenure is not null and churned is not null) as customers_tenure
from customer_summary
