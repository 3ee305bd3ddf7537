-- Purpose: a macro that strips what surrounds the digits of a number written by a person, for
--   parse_number() (queries/macro_parse_number.sql): currency symbols and codes before or after ($ € £ ¥ zł
--   ₽ руб. 円 元 PLN USD CHF R$ NT$ …), spaces, non-breaking spaces and apostrophes used as thousands separators.
-- Params: none (created once per connection, before macro_parse_number.sql; called as number_text(text)).
-- Returns: a TEMP MACRO number_text(s VARCHAR) -> VARCHAR (signs, parentheses, digits and marks left).
create or replace temp macro number_text(s) as
    regexp_replace(
        trim(s),
        '(?i)(usd|us\$|eur|gbp|pln|chf|czk|sek|nok|dkk|huf|uah|rub|jpy|cny|rmb|inr|aud|cad|nzd|brl|r\$|mxn|krw|try|ils|zar|sgd|hkd|twd|руб\.?|р\.|грн\.?|zł|zl|kč|kr\.?|fr\.|ft|lei|nt\$|元|円|[$€£¥￥￡＄￦₽₹₩₺₴฿₪₫]|\s|\x{00a0}|\x{202f}|''|\x{2019}|\x{02bc})',
        '', 'g');
