-- Purpose: further line items of an order whose amount is on another row, so that each order counts
--   once: a row with a blank amount in an order that has an amount on some row (Shopify leaves Total
--   blank on continuation rows), and, when $order_level_amount (exports whose amount column is the order
--   total, repeated on every line item), a later line repeating the first line's amount.
-- Params: $enabled BOOLEAN (an order column and an amount column are mapped), $order_level_amount BOOLEAN
-- Reads: TEMP VIEW staged_purchases(row_no, order_raw, amount_raw, …)
-- Creates: TEMP TABLE continuation_rows(row_no)
create or replace temp table continuation_rows as
with lines as (
    select row_no, nullif(trim(order_raw), '') as order_id, nullif(trim(amount_raw), '') as amount_text
    from staged_purchases
    where $enabled and nullif(trim(order_raw), '') is not null
),

blank_orders as (
    select distinct order_id from lines where amount_text is null
),

priced_orders as (
    select distinct l.order_id
    from lines as l
    join blank_orders as b on b.order_id = l.order_id
    where l.amount_text is not null
),

blank_lines as (
    select l.row_no
    from lines as l
    join priced_orders as p on p.order_id = l.order_id
    where l.amount_text is null
),

numbered_lines as (
    select
        row_no,
        amount_text,
        row_number() over (partition by order_id order by row_no) as line_no,
        first_value(amount_text) over (partition by order_id order by row_no) as first_text
    from lines
    where $order_level_amount
),

repeated_totals as (
    select row_no from numbered_lines where line_no > 1 and amount_text is not distinct from first_text
)

select row_no from blank_lines
union
select row_no from repeated_totals
