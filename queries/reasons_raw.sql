-- Purpose: the churn reasons as written, with how many churned customers gave each, so that Python can
--   normalise the distinct values (Unicode NFKC, case, spacing, synonyms) into one mapping.
--   Churned customers: churned is TRUE (a cancel date, or a status value meaning churned), or churned
--   is unknown (no status, no cancel date) but a reason is given. A blank reason is '' here.
-- Params: none
-- Returns: raw VARCHAR ('' for no reason), churned BIGINT; one row per distinct raw value
with leavers as (
    select coalesce(churn_reason, '') as raw
    from customer_summary
    where churned or (churned is null and churn_reason is not null)
)

select raw, count(*) as churned
from leavers
group by raw
order by churned desc, raw
