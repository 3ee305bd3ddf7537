"""Money as people read it: a figure with its currency, and a label naming it.

`money(1234.5, "EUR")` → '1,234.50 EUR'; `money(1234.5, None)` → '1,234.50' (a dataset whose files do not
state a currency: ingest/money.py). `money_label("Revenue", "EUR")` → 'Revenue (EUR)', for chart axes and
table headers. The currency is the ISO 4217 code (Dataset.currency): one form, whatever the language.
"""

from __future__ import annotations

import math


def money(value: float | None, currency: str | None, decimals: int = 2, sign: bool = False) -> str:
    """A money figure with thousands marks and the currency code after it; '–' when there is no value.
    `sign` writes '+' before positive values (a change)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:{'+' if sign else ''},.{decimals}f}"
    return f"{text} {currency}" if currency else text


def money_label(text: str, currency: str | None) -> str:
    """An axis title or column header for money: 'Revenue (EUR)'; the text unchanged without a currency."""
    return f"{text} ({currency})" if currency else text
