-- Purpose: kept rows worth a second look, counted by flag: dates after today ('future_date'), refunds
--   (negative amounts, 'refund'), and rows identical to an earlier row of a purchases file without an order
--   id ('possible_duplicate': kept, as two identical purchases are usually two purchases); all are kept.
-- Params: none
-- Reads: TEMP VIEW parsed_current (row_no, reject_reason, skip_reason, is_future, is_refund, amount),
--   TEMP TABLE duplicate_rows(row_no) (ingest_duplicate_rows.sql)
-- Returns: flag, rows (count), examples (first 5 row numbers as in the user's file, ascending),
--   revenue (sum of the flagged rows' amounts; NULL without amounts)
with kept as (
    select
        row_no,
        coalesce(is_future::boolean, false) as is_future,
        coalesce(is_refund::boolean, false) as is_refund,
        row_no in (select row_no from duplicate_rows) as is_copy,
        try_cast(amount as double) as amount
    from parsed_current
    where reject_reason is null and skip_reason is null
),

flags as (
    select row_no, amount, 'future_date' as flag from kept where is_future
    union all
    select row_no, amount, 'refund' as flag from kept where is_refund
    union all
    select row_no, amount, 'possible_duplicate' as flag from kept where is_copy
)

select flag, count(*) as rows, list(row_no order by row_no)[1:5] as examples, round(sum(amount), 2) as revenue
from flags
group by flag
order by flag
