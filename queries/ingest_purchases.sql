-- Purpose: parse the staged purchases (all text) into canonical values, and judge every row: kept,
--   skipped (not a purchase, nothing wrong with it) or rejected (with a reason). Refunds (negative
--   amounts) are kept and marked; dates after $today are kept and flagged.
--   Skipped: 'order_continuation' = a further line item of an order whose amount is on another row
--   (continuation_rows), so an order counts once; 'not_paid' = a status in $unpaid_values (failed, voided,
--   awaiting payment, …) or, when $paid_only, any status not in $paid_values (a deal not won);
--   'refunded' = a status in $refund_values (refunded in full: the money went back). skip_status is the
--   status as written for these two (statuses.py classifies each known export's values).
--   'duplicate_line' = a row identical to an earlier one (duplicate_rows) with an order id: a repeated line
--   of one order, merged. An identical row without an order id is kept (flagged by ingest_flag_summary.sql).
--   Money: amounts and unit prices are read with the column's own currency prefix/suffix removed
--   (parse_money); a row in another currency than the dataset's is rejected as 'other_currency', never
--   added in: its currency cell (upper case, trimmed) is not one of currency_values, or, without a currency
--   column, its amount is written with one of other_signs (retention/ingest/money.py).
-- Params: $date_formats VARCHAR[] (non-empty), $date_serial BOOLEAN, $decimal_comma BOOLEAN,
--   $amount_mode VARCHAR ('amount' | 'lines' = quantity × unit price | 'none'), $today DATE,
--   $unpaid_values VARCHAR[], $refund_values VARCHAR[], $paid_values VARCHAR[] (lower case), $paid_only BOOLEAN,
--   $money_prefix VARCHAR, $money_suffix VARCHAR ('' for none),
--   $currency_values VARCHAR[] (currency cells, upper case, meaning the dataset's currency; empty without a
--   currency column), $other_signs VARCHAR[] (signs of other currencies written in the amounts)
-- Reads: TEMP VIEW staged_purchases(row_no, customer_raw, date_raw, amount_raw, quantity_raw,
--   unit_price_raw, order_raw, status_raw, currency_raw, <attribute columns>); TEMP TABLE duplicate_rows(row_no)
--   (ingest_duplicate_rows.sql); TEMP TABLE continuation_rows(row_no) (ingest_order_continuations.sql)
-- Returns: every staged row: row_no, customer_id, purchased_at, amount, order_id, is_refund, is_future, judgement,
--   <attribute columns>. judgement is NULL on a kept row; on the others a JSON object of reject_reason (NULL for a
--   skipped row, else missing_customer | missing_date | bad_date | missing_amount | bad_amount | bad_quantity |
--   bad_unit_price | other_currency), reject_role (the column it names), skip_reason and skip_status (see above).
--   Not materialised: canonical.load_into binds it as the view judged_purchases, which store_purchases.sql writes
--   into the dataset's purchases table once; ingest_unkept_purchases.sql then copies the few rows not kept aside
--   from that table, unpacking their judgement (a table of ten million parsed rows would cost more to write than
--   the parse costs).
with staged as (
    select * from staged_purchases
),

numbered as (
    select
        *,
        row_no in (select row_no from duplicate_rows) as is_copy,
        row_no in (select row_no from continuation_rows) as is_continuation
    from staged
),

parsed as (
    select
        *,
        -- Shopify and Excel users prefix ids with an apostrophe to keep leading zeros. Written so that the
        -- repeated trim(customer_raw) is computed once and the apostrophe pass runs only on ids that have one
        -- (the same value as nullif(trim(ltrim(trim(customer_raw), '''')), ''): trim is idempotent; trim_spaces is
        -- trim, skipped where it changes nothing)
        case
            when starts_with(trim_spaces(customer_raw), '''') then nullif(trim(ltrim(trim(customer_raw), '''')), '')
            else nullif(trim_spaces(customer_raw), '')
        end as customer_id,
        parse_date(date_raw, $date_formats::varchar[], $date_serial) as purchased_at,
        case $amount_mode
            when 'amount' then parse_money(amount_raw, $decimal_comma, $money_prefix, $money_suffix)
            when 'lines' then parse_number(quantity_raw, $decimal_comma)
                * parse_money(unit_price_raw, $decimal_comma, $money_prefix, $money_suffix)
        end as amount,
        case
            when len($currency_values::varchar[]) > 0
                then not list_contains($currency_values::varchar[], nullif(upper(trim(currency_raw)), ''))
            -- the text before the first digit and after the last, signs and parentheses trimmed (money.affixes)
            when len($other_signs::varchar[]) > 0
                then list_has_any($other_signs::varchar[], [
                    trim(regexp_extract(coalesce(amount_raw, unit_price_raw), '^[^0-9]*'),
                         ' -−–+()' || chr(160) || chr(8239) || chr(9)),
                    trim(regexp_extract(coalesce(amount_raw, unit_price_raw), '[^0-9]*$'),
                         ' -−–+()' || chr(160) || chr(8239) || chr(9))])
            else false
        end as in_other_currency,
        nullif(trim(order_raw), '') as order_id,
        lower(trim(status_raw)) as status_norm
    from numbered
),

judged as (
    select
        *,
        case
            when coalesce(in_other_currency, false) then 'other_currency'
            when customer_id is null then 'missing_customer'
            -- a blank cell never parses, so only the rows without a date are trimmed to tell blank from bad
            when purchased_at is null and nullif(trim(date_raw), '') is null then 'missing_date'
            when purchased_at is null then 'bad_date'
            when $amount_mode = 'amount' and amount is null and nullif(trim(amount_raw), '') is null then 'missing_amount'
            when $amount_mode = 'amount' and amount is null then 'bad_amount'
            when $amount_mode = 'lines' and parse_number(quantity_raw, $decimal_comma) is null then 'bad_quantity'
            when $amount_mode = 'lines' and amount is null then 'bad_unit_price'
        end as problem
    from parsed
),

decided as (
    select
        *,
        case
            when is_continuation then 'order_continuation'
            when list_contains($refund_values::varchar[], status_norm) then 'refunded'
            when list_contains($unpaid_values::varchar[], status_norm) then 'not_paid'
            when $paid_only and not list_contains($paid_values::varchar[], coalesce(status_norm, '')) then 'not_paid'
            when is_copy and order_id is not null and problem is null then 'duplicate_line'
        end as skip_reason
    from judged
)

select
    row_no,
    customer_id,
    purchased_at,
    amount,
    order_id,
    coalesce(amount < 0, false) as is_refund,
    coalesce(cast(purchased_at as date) > $today, false) as is_future,
    -- the four judgement values of a row not kept, as one JSON text (NULL on a kept row): four columns that are
    -- NULL on nearly every row cost 0.9 CPU s to write at ten million rows, one such column 0.25
    -- (ingest_unkept_purchases.sql unpacks them for the few rows not kept)
    case when problem is not null or skip_reason is not null then cast(to_json({
        'reject_reason': case when skip_reason is null then problem end,
        'reject_role': case when skip_reason is null then
            case problem
                when 'missing_customer' then 'customer'
                when 'missing_date' then 'date'
                when 'bad_date' then 'date'
                when 'missing_amount' then 'amount'
                when 'bad_amount' then 'amount'
                when 'bad_quantity' then 'quantity'
                when 'bad_unit_price' then 'unit_price'
                when 'other_currency' then 'currency'
            end
        end,
        'skip_reason': skip_reason,
        'skip_status': case when skip_reason in ('not_paid', 'refunded')
            then coalesce(nullif(trim(status_raw), ''), '(blank)') end
    }) as varchar) end as judgement,
    columns(* exclude (row_no, customer_raw, date_raw, amount_raw, quantity_raw, unit_price_raw, order_raw,
                       status_raw, currency_raw, in_other_currency, is_copy, is_continuation, customer_id, purchased_at, amount, order_id,
                       status_norm, problem, skip_reason))
from decided
