-- Purpose: whether every date in the dataset lies after the load's today (such rows are kept but left out
--   of every analysis), and their range, to say so instead of "no dates".
-- Params: none
-- Reads: purchases(purchased_at, is_future), customers(signup_date, churn_date, is_future)
-- Returns: one row: future (rows dated after today), dated (rows with any date), first_date, last_date
--   (DATE range of the future-dated rows; NULL when none)
with dated as (
    select cast(purchased_at as date) as day, is_future from purchases
    union all
    select cast(coalesce(signup_date, churn_date) as date) as day, is_future
    from customers
    where signup_date is not null or churn_date is not null
)

select
    count(*) filter (where is_future) as future,
    count(*) as dated,
    min(day) filter (where is_future) as first_date,
    max(day) filter (where is_future) as last_date
from dated
