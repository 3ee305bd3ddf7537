-- Purpose: a macro that turns a number written by a person into a DOUBLE, or NULL when it is not one.
--   Handles currency symbols and codes before or after, spaces / non-breaking spaces / apostrophes
--   as thousands separators, decimal comma or point (decided per column, passed in), and a minus
--   sign (ASCII or Unicode, leading or trailing) or parentheses for negatives.
-- Params: none (created once per connection; called as parse_number(text, decimal_comma)).
-- Returns: a TEMP MACRO parse_number(s VARCHAR, decimal_comma BOOLEAN) -> DOUBLE.
create or replace temp macro parse_number(s, decimal_comma) as (
    with stripped as (
        select regexp_replace(
            trim(s),
            '(?i)(usd|eur|gbp|pln|chf|czk|sek|nok|dkk|huf|uah|rub|jpy|cny|rmb|inr|aud|cad|nzd|brl|mxn|krw|руб\.?|р\.|zł|kč|kr\.?|[$€£¥₽₹₩₺₴฿]|\s|\x{00a0}|\x{202f}|'')',
            '', 'g') as t
    ),
    signed as (
        select
            t ~ '^\(.*\)$' or t ~ '^[-−]' or t ~ '[-−]$' as negative,
            regexp_replace(t, '[()+\-−]', '', 'g') as digits
        from stripped
    )
    select case
        when not regexp_full_match(digits, '[0-9]+([.,][0-9]+)*|[0-9]*[.,][0-9]+') then null
        else try_cast(
            case when decimal_comma then replace(replace(digits, '.', ''), ',', '.')
                 else replace(digits, ',', '') end
            as double) * case when negative then -1 else 1 end
    end
    from signed
);
