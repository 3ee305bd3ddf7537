-- Purpose: parse the staged purchases (all text) into canonical values, and give every unusable row
--   its reject reason. Refunds (negative amounts) are kept; dates after $today are kept and flagged.
-- Params: $date_formats VARCHAR[], $date_serial BOOLEAN, $decimal_comma BOOLEAN,
--   $amount_mode VARCHAR ('amount' | 'lines' = quantity × unit price | 'none'), $today DATE
-- Reads: TEMP VIEW staged_purchases(row_no, customer_raw, date_raw, amount_raw, quantity_raw,
--   unit_price_raw, order_raw, <attribute columns>)
-- Creates: TEMP TABLE parsed_purchases(row_no, customer_id, purchased_at, amount, order_id, is_refund,
--   is_future, reject_reason, reject_role, <attribute columns>); reject_reason is NULL for kept rows, else
--   missing_customer | missing_date | bad_date | missing_amount | bad_amount | duplicate_row.
create or replace temp table parsed_purchases as
with staged as (
    select * from staged_purchases
),

numbered as (
    -- exact duplicates: every cell equal to an earlier row's
    select
        *,
        row_number() over (partition by hash(*columns(* exclude (row_no))) order by row_no) as copy_no
    from staged
),

parsed as (
    select
        *,
        -- Shopify and Excel users prefix ids with an apostrophe to keep leading zeros
        nullif(trim(regexp_replace(customer_raw, '^''', '')), '') as customer_id,
        parse_date(date_raw, $date_formats::varchar[], $date_serial) as purchased_at,
        case $amount_mode
            when 'amount' then parse_number(amount_raw, $decimal_comma)
            when 'lines' then parse_number(quantity_raw, $decimal_comma) * parse_number(unit_price_raw, $decimal_comma)
        end as amount,
        nullif(trim(order_raw), '') as order_id
    from numbered
),

judged as (
    select
        *,
        case
            when customer_id is null then 'missing_customer'
            when nullif(trim(date_raw), '') is null then 'missing_date'
            when purchased_at is null then 'bad_date'
            when $amount_mode = 'amount' and nullif(trim(amount_raw), '') is null then 'missing_amount'
            when $amount_mode = 'amount' and amount is null then 'bad_amount'
            when $amount_mode = 'lines' and parse_number(quantity_raw, $decimal_comma) is null then 'bad_quantity'
            when $amount_mode = 'lines' and amount is null then 'bad_unit_price'
            when copy_no > 1 then 'duplicate_row'
        end as reject_reason
    from parsed
)

select
    row_no,
    customer_id,
    purchased_at,
    amount,
    order_id,
    coalesce(amount < 0, false) as is_refund,
    coalesce(cast(purchased_at as date) > $today, false) as is_future,
    reject_reason,
    case reject_reason
        when 'missing_customer' then 'customer'
        when 'missing_date' then 'date'
        when 'bad_date' then 'date'
        when 'missing_amount' then 'amount'
        when 'bad_amount' then 'amount'
        when 'bad_quantity' then 'quantity'
        when 'bad_unit_price' then 'unit_price'
    end as reject_role,
    columns(* exclude (row_no, customer_raw, date_raw, amount_raw, quantity_raw, unit_price_raw, order_raw,
                       copy_no, customer_id, purchased_at, amount, order_id, reject_reason))
from judged
