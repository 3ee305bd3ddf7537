-- Purpose: the rows of the purchases file just parsed that are not kept (rejected or skipped), set
--   aside so that the validation summaries need not parse the file again: they are few.
-- Params: none
-- Reads: purchases as store_purchases.sql wrote it (every parsed row, with its judgement)
-- Creates: TEMP TABLE unkept_purchases (the columns of judged_purchases)
create or replace temp table unkept_purchases as
with unkept as (
    select *
    from purchases
    where reject_reason is not null or skip_reason is not null
)

select *
from unkept
