-- Purpose: a macro that writes the digits and marks of a number (signs and parentheses removed) the way
--   a cast to DOUBLE reads them, for parse_number() (queries/macro_parse_number.sql). When a cell holds
--   both '.' and ',' the last one is the decimal mark; a mark that repeats (1.234.567) groups thousands; a
--   single mark is decimal or thousands as decided for the whole column (decimal_comma).
-- Params: none (created once per connection, before macro_parse_number.sql; called as number_plain(d, decimal_comma)).
-- Returns: a TEMP MACRO number_plain(d VARCHAR, decimal_comma BOOLEAN) -> VARCHAR.
create or replace temp macro number_plain(d, decimal_comma) as
    case
        when contains(d, ',') and contains(d, '.') then
            case when strpos(reverse(d), ',') < strpos(reverse(d), '.')
                 then replace(replace(d, '.', ''), ',', '.')
                 else replace(d, ',', '') end
        when length(d) - length(replace(d, ',', '')) > 1 then replace(d, ',', '')
        when length(d) - length(replace(d, '.', '')) > 1 then replace(d, '.', '')
        when decimal_comma then replace(replace(d, '.', ''), ',', '.')
        else replace(d, ',', '')
    end;
