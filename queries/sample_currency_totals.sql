-- Purpose: a currency column's codes over the whole file, with their rows and revenue: which currency a
--   dataset is in when a file mixes several (retention/ingest/money.py keeps the one with the most revenue).
-- Params: $decimal_comma BOOLEAN, $prefix VARCHAR, $suffix VARCHAR (the amount column's affix, money.py)
-- Reads: TEMP VIEW detect_money(c VARCHAR currency cell, a VARCHAR amount cell or NULL)
-- Returns: code (upper case, trimmed, non-empty), rows BIGINT, revenue DOUBLE (sum of the amounts that read
--   as numbers; 0 when none), ordered by revenue then rows, largest first
with cells as (
    select upper(trim(c)) as code, parse_money(a, $decimal_comma, $prefix, $suffix) as amount
    from detect_money
    where nullif(trim(c), '') is not null
)

select code, count(*) as rows, coalesce(sum(amount), 0) as revenue
from cells
group by code
order by revenue desc, rows desc, code
