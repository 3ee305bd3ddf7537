"""Numbers, money and dates as people read them, in the current language (retention/i18n.py), through Babel's
CLDR data: one place, so every page, chart and report formats the same way.

`money(1234.5, "EUR")` → '1,234.50 EUR' (English: the ISO code after the figure, as before) and '1 234,50 €'
in Polish (CLDR's symbol and position; the separators are no-break spaces); `money(1234.5, None)` → '1,234.50'
(a dataset whose files do not state a currency: ingest/money.py). `money_label("Revenue", "EUR")` →
'Revenue (EUR)', for chart axes and table headers. The currency is the dataset's ISO 4217 code
(Dataset.currency).

number(1234.5, 1) → '1,234.5' en/zh/ja, '1 234,5' pl/ru; percent(12.3) → '12.3%' (en), '12,3 %' (ru);
month_year(2025-03-01) → 'March 2025', 'marzec 2025', 'март 2025', '2025年3月'; date(…) → '5 March 2025' …;
week_start() → 0 (Monday) … 6 (Sunday); plotly_formats() → separators and tick/hover formats for charts.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from babel import Locale
from babel import dates as bdates
from babel import numbers as bnumbers

from retention import i18n


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _shown(value: Any, decimals: int) -> Any:
    """The value to format: a value that rounds to zero at `decimals` is plain 0 (never "-0.00", never "+0.00")."""
    return 0.0 if round(float(value), decimals) == 0 else value


def _pattern(pattern: str, decimals: int) -> bnumbers.NumberPattern:
    """A CLDR number pattern with exactly `decimals` digits after the decimal mark."""
    parsed = bnumbers.parse_pattern(pattern)
    parsed.frac_prec = (decimals, decimals)
    return parsed


def number(value: float | None, decimals: int = 0, sign: bool = False) -> str:
    """A number with the locale's grouping and decimal mark; '–' when there is no value."""
    if _missing(value):
        return "–"
    value = _shown(value, decimals)
    locale = Locale.parse(i18n.cldr_locale())
    text = _pattern(locale.decimal_formats[None].pattern, decimals).apply(value, locale)
    return "+" + text if sign and value > 0 else text


def percent(points: float | None, decimals: int = 1) -> str:
    """A percentage given in points (12.3 → '12.3%'; ru '12,3 %', CLDR's spacing); '–' when there is none."""
    if _missing(points):
        return "–"
    points = _shown(points, decimals)
    locale = Locale.parse(i18n.cldr_locale())
    return _pattern(locale.percent_formats[None].pattern, decimals).apply(points / 100, locale)


def compact(value: float | None) -> str:
    """A large number shortened the locale's way: 12,300 → '12.3K' (en), '12,3 tys.' (pl), '12,3 тыс.' (ru),
    '1.2万' (zh, ja); '–' when there is no value."""
    if _missing(value):
        return "–"
    return bnumbers.format_compact_decimal(value, locale=i18n.cldr_locale(), fraction_digits=1)


def money(value: float | None, currency: str | None, decimals: int = 2, sign: bool = False) -> str:
    """A money figure with thousands marks and the currency; '–' when there is no value. `sign` writes '+'
    before positive values (a change). English keeps the ISO code after the figure ('1,234.50 EUR': pages,
    tests and the CLI read it so); the other languages use CLDR's symbol and position ('1 234,50 zł')."""
    if _missing(value):
        return "–"
    value = _shown(value, decimals)
    if i18n.language() == i18n.DEFAULT:
        text = f"{value:{'+' if sign and value else ''},.{decimals}f}"
        return f"{text} {currency}" if currency else text
    if not currency:
        return number(value, decimals, sign)
    locale = Locale.parse(i18n.cldr_locale())
    pattern = _pattern(locale.currency_formats["standard"].pattern, decimals)
    text = pattern.apply(value, locale, currency=currency, currency_digits=False)
    return "+" + text if sign and value > 0 else text


def money_label(text: object, currency: str | None) -> str:
    """An axis title or column header for money: 'Revenue (EUR)'; the text unchanged without a currency."""
    return f"{text} ({currency})" if currency else str(text)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def date(value: Any, form: str = "long") -> str:
    """A day: 'long' → '5 March 2025' / '5 marca 2025' / '2025年3月5日'; 'medium', 'short' as CLDR has them.
    '–' when there is no value (None, NaT)."""
    if value is None or value != value:
        return "–"
    return i18n.marked(bdates.format_date(_as_date(value), form, locale=i18n.cldr_locale()))


def month_year(value: Any, short: bool = False) -> str:
    """A month with its year as a heading or label says it: 'March 2025', 'marzec 2025', 'март 2025',
    '2025年3月' (the stand-alone month name, as a month is named on its own); `short`: 'Mar 2025', 'mar 2025'."""
    if value is None or value != value:
        return "–"
    locale = i18n.cldr_locale()
    if i18n.language() in ("zh", "ja"):
        return i18n.marked(bdates.format_skeleton("yMMM", _as_date(value), locale=locale))
    return i18n.marked(bdates.format_date(_as_date(value), "LLL y" if short else "LLLL y", locale=locale))


def week_start() -> int:
    """The first day of the week in the current language's main country: 0 = Monday … 6 = Sunday."""
    return Locale.parse(i18n.cldr_locale()).first_week_day


# Month ticks: plotly names months in English only (its locale files are not loaded by Streamlit), so the
# languages other than English get numeric months as their own short dates write them.
_MONTH_TICK = {"en": "%b %Y", "pl": "%m.%Y", "ru": "%m.%Y", "zh": "%Y年%-m月", "ja": "%Y年%-m月"}
_DAY_HOVER = {"en": "%d %b %Y", "pl": "%d.%m.%Y", "ru": "%d.%m.%Y", "zh": "%Y年%-m月%-d日", "ja": "%Y年%-m月%-d日"}


def plotly_formats() -> dict[str, str]:
    """Chart formats for the current language: 'separators' (plotly's layout.separators: the decimal mark then
    the thousands mark, e.g. ', ' with a no-break space for pl/ru), 'month_tick' and 'day_hover' (d3
    time formats for date axes and hover text)."""
    locale = Locale.parse(i18n.cldr_locale())
    symbols = locale.number_symbols["latn"]
    code = i18n.language()
    return {"separators": symbols["decimal"] + symbols["group"], "month_tick": _MONTH_TICK[code],
            "day_hover": _DAY_HOVER[code]}
