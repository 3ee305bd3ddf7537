"""retention/fmt.py: money figures and labels carry the dataset's currency (hand-written answers)."""

import math

from retention.fmt import money, money_label


def test_money_with_and_without_currency():
    assert money(1234.5, "EUR") == "1,234.50 EUR"
    assert money(1234.5, None) == "1,234.50"
    assert money(1234567.891, "JPY", decimals=0) == "1,234,568 JPY"
    assert money(-12.5, "USD") == "-12.50 USD"
    assert money(12.5, "USD", sign=True) == "+12.50 USD"
    assert money(None, "EUR") == "–" and money(math.nan, "EUR") == "–"


def test_money_label():
    assert money_label("Revenue", "EUR") == "Revenue (EUR)"
    assert money_label("Revenue", None) == "Revenue"


def test_whatif_table_names_the_currency_on_money_rows_only():
    import pandas as pd

    from retention.ui_text import whatif as wording

    frame = pd.DataFrame({"output": ["retention", "margin_per_period", "value_of_base"], "base": [0.9, 10.0, 5.0]})
    measures = wording.output_table(frame, "month", "EUR")["measure"].tolist()
    assert measures == ["Retention per month", "Margin per customer per month (EUR)",
                        "Value of today's customers (margins at period ends) (EUR)"]
    assert wording.output_table(frame, "month")["measure"].tolist()[1] == "Margin per customer per month"


def test_report_subtitle_names_the_currency():
    from retention.ui_text import amounts_in

    assert amounts_in("EUR") == " · amounts in EUR" and amounts_in(None) == ""
