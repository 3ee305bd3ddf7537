-- Purpose: who counts in a churn-drivers analysis and whether they churned, kept as the temp table
--   driver_outcome for the drivers_* queries. Customers file ($lapsed false): customers whose churn is known
--   (a cancel date or a status), churned as the file says. Purchases only ($lapsed true): customers whose first
--   purchase is at least $inactive_days days before $as_of (they could have lapsed), churned = no purchase in
--   the $inactive_days days up to $as_of. Revenue: revenue to date from purchases, else the monthly charge of
--   the temp view driver_charges (customer_id, charge_raw), made by retention/metrics/drivers.py.
-- Params: $lapsed BOOLEAN, $inactive_days INTEGER, $as_of DATE (any date when $lapsed is false)
-- Creates: temp table driver_outcome(customer_id VARCHAR, churned BOOLEAN, revenue DOUBLE, started DATE)
create or replace temp table driver_outcome as
select
    s.customer_id,
    case
        when $lapsed then s.last_purchase_at + to_days($inactive_days::integer) <= $as_of::date
        else s.churned
    end as churned,
    coalesce(s.revenue, try_cast(replace(c.charge_raw, ',', '') as double)) as revenue,
    cast(coalesce(s.signup_date, s.first_purchase_at) as date) as started
from customer_summary as s
left join driver_charges as c on c.customer_id = s.customer_id
where
    case
        when $lapsed then s.first_purchase_at + to_days($inactive_days::integer) <= $as_of::date
        else s.in_customers and s.churned is not null
    end
