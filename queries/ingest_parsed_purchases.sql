-- Purpose: every row of the purchases file just loaded, as the validation summaries read it: the kept
--   rows (the stored purchases table, no reasons) and the rows set aside (unkept_purchases).
-- Params: none
-- Reads: purchases (store_purchases.sql), TEMP TABLE unkept_purchases (ingest_unkept_purchases.sql)
-- Creates: TEMP VIEW parsed_purchases(row_no, customer_id, purchased_at, amount, order_id, is_refund,
--   is_future, reject_reason, reject_role, skip_reason, skip_status, <attribute columns>)
create or replace temp view parsed_purchases as
with kept as (
    select *, null::varchar as reject_reason, null::varchar as reject_role, null::varchar as skip_reason,
        null::varchar as skip_status
    from purchases
)

select * from kept
union all by name
select * from unkept_purchases
