-- Purpose: an empty canonical purchases table, for a dataset that has a customers file only.
-- Params: none
-- Creates: purchases(row_no, customer_id, purchased_at, amount, order_id, is_refund, is_future)
create table purchases (
    row_no bigint,
    customer_id varchar,
    purchased_at timestamp,
    amount double,
    order_id varchar,
    is_refund boolean,
    is_future boolean
)
