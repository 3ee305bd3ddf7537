-- Purpose: a macro that reads a money cell: removes the column's own currency prefix and suffix (found by
--   retention/ingest/money.py when most cells of the column are not numbers without it: HK$, лв., the yen
--   sign a Japanese code page writes as a backslash …), then reads the rest with parse_number().
--   An empty prefix or suffix removes nothing.
-- Params: none (created once per connection, after macro_parse_number.sql; called as
--   parse_money(text, decimal_comma, prefix, suffix)).
-- Returns: a TEMP MACRO parse_money(s VARCHAR, decimal_comma BOOLEAN, prefix VARCHAR, suffix VARCHAR) -> DOUBLE.
create or replace temp macro parse_money(s, decimal_comma, prefix, suffix) as
    parse_number(replace(replace(s, prefix, ''), suffix, ''), decimal_comma);
