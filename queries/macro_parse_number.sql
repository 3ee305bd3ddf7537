-- Purpose: a macro that turns a number written by a person into a DOUBLE, or NULL when it is not one.
--   Handles currency symbols and codes before or after ($ € £ ¥ zł ₽ руб. 円 元 PLN USD CHF R$ NT$ …), spaces /
--   non-breaking spaces / apostrophes as thousands separators, and a minus sign (ASCII or Unicode,
--   leading or trailing) or parentheses for negatives. Decimal mark: when a cell holds both '.' and ','
--   the last one is the decimal mark; a mark that repeats (1.234.567) groups thousands; a single mark is
--   decimal or thousands as decided for the whole column ($decimal_comma, passed in).
-- Params: none (created once per connection; called as parse_number(text, decimal_comma)).
-- Returns: a TEMP MACRO parse_number(s VARCHAR, decimal_comma BOOLEAN) -> DOUBLE.
create or replace temp macro parse_number(s, decimal_comma) as (
    with stripped as (
        select regexp_replace(
            trim(s),
            '(?i)(usd|us\$|eur|gbp|pln|chf|czk|sek|nok|dkk|huf|uah|rub|jpy|cny|rmb|inr|aud|cad|nzd|brl|r\$|mxn|krw|try|ils|zar|sgd|hkd|twd|руб\.?|р\.|грн\.?|zł|zl|kč|kr\.?|fr\.|ft|lei|nt\$|元|円|[$€£¥￥￡＄￦₽₹₩₺₴฿₪₫]|\s|\x{00a0}|\x{202f}|''|\x{2019}|\x{02bc})',
            '', 'g') as t
    ),

    signed as (
        select
            t ~ '^\(.*\)$' or t ~ '^[-−–]' or t ~ '[-−–]$' as negative,
            regexp_replace(t, '[()+\-−–]', '', 'g') as d
        from stripped
    ),

    normalised as (
        select
            negative,
            d,
            case
                when contains(d, ',') and contains(d, '.') then
                    case when strpos(reverse(d), ',') < strpos(reverse(d), '.')
                         then replace(replace(d, '.', ''), ',', '.')
                         else replace(d, ',', '') end
                when length(d) - length(replace(d, ',', '')) > 1 then replace(d, ',', '')
                when length(d) - length(replace(d, '.', '')) > 1 then replace(d, '.', '')
                when decimal_comma then replace(replace(d, '.', ''), ',', '.')
                else replace(d, ',', '')
            end as plain
        from signed
    )

    select case
        when not regexp_full_match(d, '[0-9]+([.,][0-9]+)*|[0-9]*[.,][0-9]+') then null
        else try_cast(plain as double) * case when negative then -1 else 1 end
    end
    from normalised
);
