-- Purpose: what the data allows for churn: the last day seen in each file (rows dated in the future
--   left out), how many customers the customers file dates, and whether it says who churned.
--   Used to pick the basis (customers file or purchases) and the default analysis date.
-- Params: none
-- Returns: one row: first_purchase_day DATE, last_purchase_day DATE, last_customer_day DATE, purchase_customers BIGINT,
--   file_customers BIGINT, with_signup BIGINT (not dated in the future), with_churn_info BIGINT (churned known TRUE/FALSE),
--   churned BIGINT, churned_with_date BIGINT, churned_without_date BIGINT, without_signup BIGINT,
--   has_amounts BOOLEAN
with purchase_side as (
    select
        min(cast(purchased_at as date)) as first_purchase_day,
        max(cast(purchased_at as date)) filter (where not is_future) as last_purchase_day,
        bool_or(amount is not null) as has_amounts
    from purchases
),

customer_side as (
    select
        greatest(
            max(signup_date) filter (where not is_future),
            max(churn_date) filter (where not is_future)
        ) as last_customer_day,
        count(*) as file_customers,
        count(*) filter (where signup_date is not null and not is_future) as with_signup,
        count(*) filter (where churned is not null) as with_churn_info,
        count(*) filter (where churned) as churned,
        count(*) filter (where churned and churn_date is not null) as churned_with_date,
        count(*) filter (where churned and churn_date is null) as churned_without_date,
        count(*) filter (where signup_date is null) as without_signup
    from customers
)

select
    p.first_purchase_day,
    p.last_purchase_day,
    c.last_customer_day,
    (select count(*) from customer_summary where in_purchases) as purchase_customers,
    c.file_customers,
    c.with_signup,
    c.with_churn_info,
    c.churned,
    c.churned_with_date,
    c.churned_without_date,
    c.without_signup,
    coalesce(p.has_amounts, false) as has_amounts
from purchase_side as p
cross join customer_side as c
