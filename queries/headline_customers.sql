-- Purpose: what a customers file says by itself, without dates: how many customers have a known status, how
--   many of them churned, and the customer-months of tenure behind a churn rate implied by tenure (telecom,
--   insurance and CRM exports with a tenure column and a churned flag).
-- Params: none
-- Returns: one row: customers BIGINT (in the customers file), with_status BIGINT (churned known TRUE/FALSE),
--   churned BIGINT, with_tenure BIGINT (status known and tenure given), churned_with_tenure BIGINT,
--   tenure_total DOUBLE (sum of tenure of those, in the file's unit, usually months; NULL when none)
select
    count(*) as customers,
    count(*) filter (where churned is not null) as with_status,
    count(*) filter (where churned) as churned,
    count(*) filter (where churned is not null and tenure is not null) as with_tenure,
    count(*) filter (where churned and tenure is not null) as churned_with_tenure,
    cast(sum(tenure) filter (where churned is not null) as double) as tenure_total
from customers
