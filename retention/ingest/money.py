"""Which currency a purchases file is in, and what surrounds the digits of its money cells.

`detect(detector, roles, decimal_comma, encoding)` → `Money`, from a sample of the amount column (and of
the unit price column when amounts are quantity × price) and, when the file has one, its currency column
(Shopify `Currency`, Stripe `currency`, WooCommerce `Order Currency`) read whole in DuckDB.

Parsing stays in SQL (queries/macro_parse_money.sql): this module only chooses the parameters it gets —
the column's own prefix and suffix when most cells are not numbers without them (HK$, лв., the yen sign a
Japanese code page writes as a backslash …) — by trying them on the sample with the very same macro.

The dataset's currency: the currency column's code with the most revenue (rows in other currencies are
rejected as `other_currency`, never added together); else the one currency sign or code written in the
amounts; else none. `Money.report()` is the JSON-ready "money" entry of the validation report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from retention import sql

# ISO 4217 codes in use.
ISO_CODES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD
TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
""".split())
# Signs and local abbreviations, compared case-folded with spaces and a final '.' removed. '$' alone is
# read as USD and '¥' as JPY (the common meaning); 'kr' (SEK, NOK, DKK, ISK) is left undecided.
SIGNS = {
    "$": "USD", "us$": "USD", "＄": "USD", "€": "EUR", "£": "GBP", "￡": "GBP", "¥": "JPY", "￥": "JPY",
    "円": "JPY", "元": "CNY", "rmb": "CNY", "₽": "RUB", "руб": "RUB", "р": "RUB", "zł": "PLN", "zl": "PLN",
    "kč": "CZK", "₹": "INR", "rs": "INR", "₩": "KRW", "￦": "KRW", "₺": "TRY", "₴": "UAH", "грн": "UAH", "฿": "THB",
    "₪": "ILS", "₫": "VND", "r$": "BRL", "nt$": "TWD", "fr": "CHF", "ft": "HUF", "lei": "RON", "лв": "BGN",
    "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD", "hk$": "HKD", "s$": "SGD", "nz$": "NZD",
    "mx$": "MXN", "rp": "IDR", "rm": "MYR", "₱": "PHP", "s/": "PEN", "₦": "NGN", "₸": "KZT", "₾": "GEL", "৳": "BDT",
}
# Code pages in which byte 0x5C is the yen (JIS) or won (KS) sign, decoded by Python as a backslash.
BACKSLASH_SIGN = {"cp932": "JPY", "shift_jis": "JPY", "euc_jp": "JPY", "cp949": "KRW", "euc_kr": "KRW"}
# Single-byte code pages a sign may have been written in (the reader's candidates, encoding.py).
SINGLE_BYTE = ("cp1252", "cp1250", "cp1251", "iso8859_2", "koi8_r")
CURRENCY_HEADERS = {"currency", "order currency", "currency code", "waluta", "währung", "devise", "moneda",
                    "divisa", "valuta", "валюта", "通貨", "货币", "币种", "幣別"}
MOST = 0.5  # a column whose sample reads as numbers less often than this is "mostly not numbers"
EXPLAINED = 0.8  # an affix is taken when the sample then reads as numbers at least this often
_EDGE = " \u00a0\u202f\t-−–+()"


@dataclass
class Money:
    """How a file's money is written. `prefix`/`suffix`: the affix parse_money removes (empty: none);
    `stripped`: the signs and codes seen around the digits (as written, most common first);
    `negatives`: how negative amounts are written; `currency`: ISO code or None, from `source`
    ('column' or 'values'); `rows_by_currency`: {code: rows} of the currency column over the whole file;
    `set_aside`: the other codes' rows (rejected); `currency_values`: the currency cells (upper case)
    meaning `currency`; `other_signs`: signs of other currencies written in the amounts (those rows are
    rejected); `unexplained`: a column mostly not numbers and no affix explaining it (column, share,
    three example cells as written)."""

    column: str | None = None
    prefix: str = ""
    suffix: str = ""
    stripped: list[str] = field(default_factory=list)
    negatives: list[str] = field(default_factory=list)
    currency: str | None = None
    source: str | None = None
    currency_column: str | None = None
    rows_by_currency: dict[str, int] = field(default_factory=dict)
    currency_values: list[str] = field(default_factory=list)
    other_signs: list[str] = field(default_factory=list)
    byte_note: str | None = None
    unexplained: dict | None = None
    most_revenue: str | None = None  # the currency column's code with the most revenue (the default choice)

    @property
    def set_aside(self) -> dict[str, int]:
        return {code: rows for code, rows in self.rows_by_currency.items() if code != self.currency}

    def report(self) -> dict:
        return {"column": self.column, "currency": self.currency, "source": self.source,
                "currency_column": self.currency_column, "prefix": self.prefix, "suffix": self.suffix,
                "stripped": self.stripped, "negatives": self.negatives, "byte_note": self.byte_note,
                "rows_by_currency": self.rows_by_currency, "set_aside": self.set_aside,
                "other_signs": self.other_signs, "unexplained": self.unexplained, "most_revenue": self.most_revenue}


def sign_currency(sign: str, encoding: str | None = None) -> str | None:
    """The ISO code a sign or code written next to an amount stands for (None: unknown or ambiguous).
    `encoding` is the file's: a backslash in a Japanese or Korean code page is its yen or won sign, and a
    symbol of a single-byte code page that is a currency sign in another one (cp1252 'ˆ' is byte 0x88,
    the euro sign of cp1251) counts as that sign."""
    key = re.sub(r"\s+", "", sign).casefold().rstrip(".")
    if not key:
        return None
    if key == "\\":
        return BACKSLASH_SIGN.get(_codec(encoding), "JPY")
    if key.upper() in ISO_CODES:
        return key.upper()
    if key in SIGNS:
        return SIGNS[key]
    return _other_code_page(sign, encoding)[0]


def _codec(encoding: str | None) -> str:
    import codecs

    try:
        return codecs.lookup(encoding or "").name.replace("-", "_")
    except LookupError:
        return ""


def _other_code_page(sign: str, encoding: str | None) -> tuple[str | None, str | None]:
    """(ISO code, note) when `sign`, one character of a single-byte code page, is a currency sign in another."""
    codec = _codec(encoding)
    if len(sign.strip()) != 1 or codec not in SINGLE_BYTE:
        return None, None
    try:
        byte = sign.strip().encode(codec)
    except UnicodeEncodeError:
        return None, None
    for other in SINGLE_BYTE:
        try:
            char = byte.decode(other)
        except UnicodeDecodeError:
            continue
        if other != codec and char in SIGNS:
            return SIGNS[char], f"{sign.strip()} is byte 0x{byte.hex().upper()}, {char} in {other}"
    return None, None


def affixes(value: str) -> tuple[str, str]:
    """(prefix, suffix): what a cell holds before its first digit and after its last one, without the
    signs, parentheses and spaces around them ('-HK$12.50' → ('HK$', ''), '12,50 zł.' → ('', 'zł.'))."""
    text = value.strip()
    first = re.search(r"\d", text)
    if first is None:
        return "", ""
    last = re.search(r"\d(?=\D*$)", text)
    prefix = text[:first.start()].strip(_EDGE)
    suffix = text[last.end():].strip(_EDGE)
    return ("" if set(prefix) <= set(".,") else prefix), ("" if set(suffix) <= set(".,") else suffix)


def negative_styles(values: list[str]) -> list[str]:
    """How the sample writes negative amounts: 'parentheses' (12.50), 'trailing minus' 12.50-, 'minus' -12.50."""
    found = Counter()
    for value in values:
        text = value.strip()
        if re.fullmatch(r"\(.*\d.*\)", text):
            found["parentheses"] += 1
        elif re.search(r"\d\s*\D{0,6}[-−–]$", text):
            found["trailing minus"] += 1
        elif re.match(r"\D{0,6}[-−–]", text):
            found["minus"] += 1
    return [style for style, _ in found.most_common()]


def failures(con, values: list[str], decimal_comma: bool, prefix: str = "", suffix: str = "") -> list[str]:
    """The sample cells that do not read as a number with `prefix` and `suffix` removed (DuckDB, parse_money)."""
    if not values:
        return []
    return [v for (v,) in sql.execute(con, "sample_money_failures", values=values, decimal_comma=decimal_comma,
                                      prefix=prefix, suffix=suffix).fetchall()]


def find_affix(con, values: list[str], decimal_comma: bool) -> tuple[str, str] | None:
    """The prefix and suffix shared by the cells that do not read as numbers, when most do not and removing
    it makes at least EXPLAINED of them read; else None."""
    failing = failures(con, values, decimal_comma)
    if not values or len(failing) < MOST * len(values):
        return None
    counts = Counter(a for a in map(affixes, failing) if any(a) and not re.search(r"\d", "".join(a)))
    for (prefix, suffix), _ in counts.most_common(3):
        if len(prefix) > 12 or len(suffix) > 12:
            continue
        if len(failures(con, values, decimal_comma, prefix, suffix)) <= (1 - EXPLAINED) * len(values):
            return prefix, suffix
    return None


def currency_affix(series, con) -> bool:
    """True when the first cells of a column are amounts written with a currency prefix or suffix that
    parse_number does not know (HK$, лв.): role detection then takes it for a money column."""
    from retention.ingest.values import _head, detect_decimal_comma

    values = _head(series)
    affix = find_affix(con, values, detect_decimal_comma(values)) if values else None
    return bool(affix) and any(sign_currency(part) for part in affix if part)


def _signs(values: list[str]) -> Counter:
    """Signs and codes written around the digits of the sample, as written, counted."""
    counts = Counter()
    for value in values:
        for part in affixes(value):
            if part:
                counts[part] += 1
    return counts


def looks_like_codes(values: list[str], encoding: str | None = None) -> bool:
    """True when the cells of a column name currencies (ISO codes in any case, or signs)."""
    cells = [v.strip() for v in values if v.strip()]
    return bool(cells) and sum(sign_currency(v, encoding) is not None for v in cells) >= 0.9 * len(cells)


def currency_checked(roles: dict[str, str], frame, encoding: str | None = None) -> dict[str, str]:
    """`roles` without a detected currency column whose first cells do not name currencies (a column
    called Currency holding yes/no); a column the person maps is used as they say."""
    column = roles.get("currency")
    if column and not looks_like_codes(frame[column].head(2000).astype(str).tolist(), encoding):
        return {role: c for role, c in roles.items() if role != "currency"}
    return roles


def detect(detector, roles: dict[str, str], decimal_comma: bool, encoding: str | None = None,
           currency: str | None = None) -> Money:
    """How the money of a purchases file is written and which currency it is in. `detector` is a
    values.Detector over the file; `roles` its column roles (amount, unit_price, currency: a column
    checked by currency_checked or chosen by the person); `currency`: the code the person chose among
    the currency column's (ignored when the column does not hold it)."""
    column = roles.get("amount") or roles.get("unit_price")
    money = Money(column=column)
    con = detector.con
    values = detector.sample(column) if column else []
    if values:
        affix = find_affix(con, values, decimal_comma)
        if affix:
            money.prefix, money.suffix = affix
        left = failures(con, values, decimal_comma, money.prefix, money.suffix)
        read = Counter(values) - Counter(left)
        signs = _signs(list(read.elements()))  # what was removed from cells that then read as numbers
        money.stripped = [sign for sign, _ in signs.most_common(5)]
        money.negatives = negative_styles(list(read.elements()))
        if len(left) >= MOST * len(values):
            money.unexplained = {"column": column, "share": round(len(left) / len(values), 3),
                                 "examples": list(dict.fromkeys(left))[:3]}
        by_code = Counter()
        for sign, count in signs.items():
            code = sign_currency(sign, encoding)
            if code:
                by_code[code] += count
        if by_code:
            money.currency, money.source = by_code.most_common(1)[0][0], "values"
            money.other_signs = [s for s in signs if sign_currency(s, encoding) not in (None, money.currency)]
            for sign in signs:
                note = _other_code_page(sign, encoding)[1] if sign.strip().casefold() not in SIGNS else None
                if note and sign_currency(sign, encoding) == money.currency:
                    money.byte_note = note
    if roles.get("currency"):
        _from_column(money, detector, roles["currency"], column, decimal_comma, encoding, currency)
    return money


def _from_column(money: Money, detector, currency_column: str, amount_column: str | None, decimal_comma: bool,
                 encoding: str | None, chosen: str | None = None) -> None:
    """The dataset's currency from a currency column: its code with the most revenue over the whole file, or
    `chosen` when the column holds it."""
    sql.create_projection(detector.con, "detect_money", "detect_raw", {"c": currency_column, "a": amount_column}, [])
    totals = sql.frame(detector.con, "sample_currency_totals", decimal_comma=decimal_comma, prefix=money.prefix,
                       suffix=money.suffix)
    if totals.empty:
        return
    codes = {str(r.code): sign_currency(str(r.code), encoding) or str(r.code) for r in totals.itertuples()}
    revenue = Counter()
    for r in totals.itertuples():
        revenue[codes[str(r.code)]] += float(r.revenue)
    best = max(revenue, key=lambda code: (revenue[code], sum(int(r.rows) for r in totals.itertuples()
                                                             if codes[str(r.code)] == code)))
    money.most_revenue = best
    if chosen and chosen in revenue:
        best = chosen
    money.currency, money.source, money.currency_column = best, "column", currency_column
    money.currency_values = [raw for raw, code in codes.items() if code == best]
    money.rows_by_currency = {}
    for r in totals.itertuples():
        money.rows_by_currency[codes[str(r.code)]] = money.rows_by_currency.get(codes[str(r.code)], 0) + int(r.rows)
    money.other_signs = []  # the column decides each row's currency
