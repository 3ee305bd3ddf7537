-- Purpose: rows of the file just parsed that were skipped (not data, nothing wrong with them: further line
--   items of an order, repeated identical lines of an order, failed or voided payments, further rows of a
--   merged customer), counted by reason.
-- Params: none
-- Reads: TEMP VIEW parsed_current (row_no, skip_reason, amount)
-- Returns: reason, rows (count), examples (first 5 row numbers as in the user's file, ascending),
--   revenue (sum of the skipped rows' parsed amounts; NULL without amounts)
with skipped as (
    select row_no, skip_reason as reason, try_cast(amount as double) as amount
    from parsed_current
    where skip_reason is not null
)

select reason, count(*) as rows, list(row_no order by row_no)[1:5] as examples, round(sum(amount), 2) as revenue
from skipped
group by reason
order by rows desc, reason
