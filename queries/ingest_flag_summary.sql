-- Purpose: kept rows worth a second look, counted by flag: dates after today ('future_date') and refunds
--   (negative amounts, 'refund'); both are kept in the dataset.
-- Params: none
-- Reads: TEMP VIEW parsed_current (row_no, reject_reason, skip_reason, is_future, is_refund)
-- Returns: flag, rows (count), examples (first 5 row numbers as in the user's file, ascending)
with kept as (
    select row_no, coalesce(is_future::boolean, false) as is_future, coalesce(is_refund::boolean, false) as is_refund
    from parsed_current
    where reject_reason is null and skip_reason is null
),

flags as (
    select row_no, 'future_date' as flag from kept where is_future
    union all
    select row_no, 'refund' as flag from kept where is_refund
)

select flag, count(*) as rows, list(row_no order by row_no)[1:5] as examples
from flags
group by flag
order by flag
