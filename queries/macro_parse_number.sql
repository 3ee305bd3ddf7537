-- Purpose: a macro that turns a number written by a person into a DOUBLE, or NULL when it is not one.
--   Handles currency symbols and codes before or after ($ € £ ¥ zł ₽ руб. 円 元 PLN USD CHF R$ NT$ …), spaces /
--   non-breaking spaces / apostrophes as thousands separators, and a minus sign (ASCII or Unicode,
--   leading or trailing) or parentheses for negatives. Decimal mark: when a cell holds both '.' and ','
--   the last one is the decimal mark; a mark that repeats (1.234.567) groups thousands; a single mark is
--   decimal or thousands as decided for the whole column ($decimal_comma, passed in).
-- Params: none (created once per connection; called as parse_number(text, decimal_comma)).
--   Built from number_text() and number_plain() (macro_number_text.sql, macro_number_plain.sql, created
--   first) as one expression, not CTEs: DuckDB runs a macro's subquery as a join that buffers every column
--   of the rows being parsed (gigabytes, spilled to disk, at ten million rows).
-- Returns: a TEMP MACRO parse_number(s VARCHAR, decimal_comma BOOLEAN) -> DOUBLE.
--   The first branch is a shortcut for what most cells hold, a plain ASCII number ('42', '-3', '19.99' when
--   the decimal mark is '.'): the rest of the expression gives exactly try_cast(s as double) for those, and
--   its currency pattern costs a CPU second per few million cells (issue 20). One pattern per decimal mark:
--   a cell with decimals is matched once, not twice.
create or replace temp macro parse_number(s, decimal_comma) as
    case
        when case when decimal_comma then regexp_full_match(s, '-?[0-9]+') else regexp_full_match(s, '-?[0-9]+(\.[0-9]+)?') end
            then try_cast(s as double)
        when regexp_full_match(regexp_replace(number_text(s), '[()+\-−–]', '', 'g'), '[0-9]+([.,][0-9]+)*|[0-9]*[.,][0-9]+')
            then try_cast(number_plain(regexp_replace(number_text(s), '[()+\-−–]', '', 'g'), decimal_comma) as double)
                * case when number_text(s) ~ '^\(.*\)$' or number_text(s) ~ '^[-−–]' or number_text(s) ~ '[-−–]$'
                       then -1 else 1 end
    end;
