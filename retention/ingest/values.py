"""Decide how a column writes its numbers and dates.

The parsing itself happens in DuckDB (queries/macro_parse_number.sql, macro_parse_date.sql);
this module only chooses the parameters those macros get, by trying them on a sample with the
very same macros, so detection and parsing can never disagree. Day/month order is decided from
the whole column (one DuckDB pass over the text, `detect_day_month_order.sql`), not from a sample.

Columns are read through a `Detector`: a private DuckDB connection in which the raw frame is
registered, so whole-column questions cost one scan and no Python loop over rows. Detection's work is
bounded whatever the file's size: the Detector sees only the first DETECT_ROWS rows (every row of a
file that has no more), so a file of millions of rows is judged on those; its date forms are then
reported as counted in a sample (DateChoice.forms_sampled). The load parses every row either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from retention import config, sql

SAMPLE = 5000
DETECT_ROWS = 250_000  # rows detection reads at most (the first ones): "the whole column" up to this size
_TIMES = ["", " %H:%M:%S", " %H:%M", " %H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p"]
# Date layouts without a time part; each is tried with every time suffix above. Two-digit years
# (%y) come before four-digit ones: DuckDB's %Y also reads "24" (as year 24, which parse_date refuses),
# while %y never reads "2024".
YMD = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]
DMY = ["%d.%m.%y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"]
MDY = ["%m/%d/%y", "%m-%d-%y", "%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y"]
NAMED = ["%d-%b-%y", "%b %d, %y", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%d-%b-%Y", "%B %d %Y",
         "%b %d %Y", "%d %b, %Y", "%d %B, %Y", "%d. %B %Y", "%d. %b %Y", "%d-%B-%Y"]
FAMILIES = {"ymd": YMD, "named": NAMED, "dmy": DMY, "mdy": MDY}
MACROS = ("macro_trim_spaces", "macro_number_text", "macro_number_plain", "macro_parse_number", "macro_parse_money",
          "macro_clean_date", "macro_parse_timestamp", "macro_parse_date", "macro_date_form")
# Forms a date cell can be written in (queries/macro_date_form.sql); 'other' is not a date form.
FORMS = ("year_first", "slashed", "dotted", "yyyymmdd", "excel_serial", "month_name", "other")


@dataclass
class DateChoice:
    """How a date column is written. `formats` are tried in order; `order` is 'dmy' or 'mdy' when
    day/month order mattered; `ambiguous` when no value in the column tells the order (every day ≤ 12);
    `conflict` when some values say day-first and others month-first (the minority is rejected);
    `forms` counts the cells per form (FORMS; over the whole column, or over the sample when
    `forms_sampled`); `mixed` when the column is written in more than one form, or conflicts.
    `decided_by` says why `order` is what it is: 'column' (a day or month above 12 in this column),
    'dotted' (05.01.2024 is day-first by convention), 'other_column' (another date column of the
    same upload proved it: `source` = {file, column}), 'chosen' (the person chose it), 'guess'.
    `examples` are cells whose order is ambiguous (for the question put to the person)."""

    formats: list[str] = field(default_factory=list)
    order: str | None = None
    ambiguous: bool = False
    serial: bool = False
    rate: float = 0.0
    mixed: bool = False
    evidence: dict = field(default_factory=dict)
    conflict: bool = False
    forms: dict = field(default_factory=dict)
    forms_sampled: bool = False
    decided_by: str | None = None
    source: dict | None = None
    examples: list[str] = field(default_factory=list)

    @property
    def needs_order(self) -> bool:
        """The column mixes forms and its day/month dates fit both orders, with no evidence anywhere:
        parsing it by a guess would put one customer's purchases in different months. Ask instead."""
        return self.ambiguous and self.mixed and self.decided_by == "guess"


def connection(owner: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the parsing macros (a cursor of `owner` when given)."""
    con = owner.cursor() if owner is not None else duckdb.connect(config=config.duckdb_settings(ingest=True))
    con.execute("set enable_progress_bar = false")
    for name in MACROS:
        sql.execute(con, name)
    return con


class Detector:
    """Whole-column questions about a raw frame (text cells), answered by DuckDB. `staged` (a
    stage.Staged) when the whole table is in a staging file and `frame` holds only its first rows."""

    def __init__(self, frame: pd.DataFrame, staged=None, rows: int | None = None):
        self.con = connection(staged.owner if staged is not None else None)
        limit = DETECT_ROWS if rows is None else rows
        if staged is not None:
            staged.attach(self.con, "detect_raw", limit=limit)
            self.truncated = staged.rows > limit
        else:
            self.con.register("detect_raw", frame.iloc[:limit])
            self.truncated = len(frame) > limit

    def close(self) -> None:
        self.con.close()

    def _focus(self, column: str) -> None:
        sql.create_projection(self.con, "detect_column", "detect_raw", {"v": column}, [])

    def sample(self, column: str) -> list[str]:
        """Up to SAMPLE non-blank cells, drawn at random from the whole column (seeded)."""
        self._focus(column)
        return [v for (v,) in sql.execute(self.con, "sample_column_values").fetchall()]

    def separator_values(self, column: str) -> list[str]:
        """Up to SAMPLE distinct cells holding '.' or ',' (what decides the decimal mark)."""
        self._focus(column)
        return [v for (v,) in sql.execute(self.con, "sample_number_marks").fetchall()]

    def day_month(self, column: str) -> dict:
        """Counts over the whole column (its first DETECT_ROWS cells) of d/m/y-like cells: day_first (first part > 12),
        month_first (second part > 12), undecided (both ≤ 12), dotted (written with '.'); and
        form_<form> for each of FORMS (cells written that way)."""
        self._focus(column)
        row = sql.frame(self.con, "detect_day_month_order").iloc[0]
        return {k: int(v or 0) for k, v in row.items()}

    def dates(self, column: str, order: str | None = None, prefer_dmy: bool = False,
              hint: dict | None = None) -> DateChoice:
        """How `column` writes dates (detect_dates). The whole column is scanned (one DuckDB pass) when
        its sample holds d/m/y-like cells or more than one form; else the forms are the sample's."""
        sample = self.sample(column)
        evidence = _sample_evidence(sample)
        forms = sample_forms(self.con, sample)
        sampled = True
        if any(evidence.values()) or len(forms) > 1:  # the whole column decides order and mixture
            counts = self.day_month(column)
            evidence = {k: v for k, v in counts.items() if not k.startswith("form_")}
            forms = {k[5:]: v for k, v in counts.items() if k.startswith("form_") and v}
            sampled = self.truncated
        choice = detect_dates(sample, order, evidence, prefer_dmy, con=self.con, hint=hint)
        return _with_forms(choice, forms, sampled)

    def decimal_comma(self, column: str) -> bool:
        return detect_decimal_comma(self.separator_values(column))


def _with_times(layouts: list[str]) -> list[str]:
    return [layout + time for layout in layouts for time in _TIMES]


class _Rates(dict):
    """Date family → the share of `values` it parses (FAMILIES' layouts with every time suffix), each asked of
    DuckDB when first read: a failing family costs a strptime per format and cell (98 formats for 'named')."""

    def __init__(self, con, values: list[str]):
        super().__init__()
        self.con, self.values = con, values

    def __missing__(self, family: str) -> float:
        self[family] = rate = _rate(self.con, self.values, _with_times(FAMILIES[family]), False)
        return rate


def _rate(con, values: list[str], formats: list[str], serial: bool) -> float:
    if not values:
        return 0.0
    formats = formats or _with_times(YMD[:1])
    rate = sql.execute(con, "sample_date_rate", values=values, formats=formats, serial=serial).fetchone()[0]
    return float(rate or 0.0)


def _shape(text: str) -> str:
    """2024-01-05 10:23 → Y-9-9 9:9; 5 Jan 24 → 9 a 9 (letter runs → a, 4-digit runs → Y, other digit runs → 9)."""
    return re.sub(r"\d+", lambda m: "Y" if len(m.group()) == 4 else "9", re.sub(r"[A-Za-z]+", "a", text))


def _format_shape(fmt: str) -> str:
    shape = re.sub(r"%[Bbp]", "a", re.sub(r"%[mdHMSfyI]", "9", fmt.replace("%Y", "Y")))
    return re.sub(r"[Y9]{2,}", "9", shape)  # %Y%m%d is one run of digits


def _ordered(con, values: list[str], formats: list[str]) -> list[str]:
    """`formats` with those shaped like most of the sample first (9-9-9 9:9:9 …), so that DuckDB
    usually needs one strptime per cell. Ranking only orders the list; DuckDB does all the parsing."""
    cleaned = [t for (t,) in sql.execute(con, "sample_clean_dates", values=values[:1000]).fetchall() if t]
    shapes: dict[str, int] = {}
    for text in cleaned:
        shapes[_shape(text)] = shapes.get(_shape(text), 0) + 1
    return sorted(formats, key=lambda f: -shapes.get(_format_shape(f), 0))


SERIAL = re.compile(r"\d{5}(\.\d+)?")


def sample_forms(con: duckdb.DuckDBPyConnection, values: list[str]) -> dict[str, int]:
    """{form: cells} over `values` (FORMS; blank cells left out)."""
    if not values:
        return {}
    return {form: int(n) for form, n in sql.execute(con, "sample_date_forms", values=values).fetchall()}


def _with_forms(choice: DateChoice, forms: dict[str, int], sampled: bool) -> DateChoice:
    choice.forms = {form: forms[form] for form in FORMS if forms.get(form)}
    choice.forms_sampled = sampled
    choice.mixed = choice.conflict or len([f for f in choice.forms if f != "other"]) > 1
    return choice


def detect_dates(values: list[str], order: str | None = None, evidence: dict | None = None,
                 prefer_dmy: bool = False, con: duckdb.DuckDBPyConnection | None = None,
                 rank: bool = True, hint: dict | None = None) -> DateChoice:
    """Choose how to parse a date column from a sample of its cells. `evidence` is the whole-column
    day_month() count (when absent, the sample's own); `order` forces 'dmy' or 'mdy'; `hint`
    ({order, file, column}: another date column of the same upload that proves its order) decides
    when this column has no evidence of its own; `prefer_dmy` breaks a genuine tie (a file written
    with decimal commas or in a European language). `forms` and `mixed` are set by the caller that
    counted them (Detector.dates); here `mixed` only reflects a day-first/month-first conflict."""
    values = [v for v in values if v.strip()]
    if not values:
        return DateChoice()
    own = con is None
    con = con or connection()
    try:
        serial = sum(bool(SERIAL.fullmatch(v.strip())) for v in values) / len(values)
        texts = [v for v in values if not SERIAL.fullmatch(v.strip())]
        if not texts:
            return DateChoice(serial=True, rate=_rate(con, values, [], True))
        rates = _Rates(con, texts[:1000])
        evidence = evidence if evidence is not None else _sample_evidence(texts)
        # every sampled cell year-first (most exports): no other family can parse more of them
        everything = rates["ymd"] == 1.0
        if not everything and max(rates["dmy"], rates["mdy"]) > max(rates["ymd"], rates["named"]):
            choice = _day_month_choice(evidence, order, prefer_dmy, hint)
            first = choice.order
        else:
            choice = DateChoice()
            first = "ymd" if everything or rates["ymd"] >= rates["named"] else "named"
            if evidence.get("day_first") or evidence.get("month_first") or evidence.get("undecided"):
                choice = _day_month_choice(evidence, order, prefer_dmy, hint)
                choice.ambiguous = choice.ambiguous and rates[choice.order] > 0
                if not rates[choice.order]:
                    choice.order = choice.decided_by = choice.source = None
        families = [first] + [f for f in ("ymd", "named") if f != first]
        if choice.order and choice.order != first:
            families.append(choice.order)
        formats = [f for name in families for f in _with_times(FAMILIES[name])]
        choice.formats = _ordered(con, texts, formats) if rank else formats
        choice.serial = serial > 0
        choice.rate = _rate(con, values, choice.formats, choice.serial)
        choice.evidence = evidence
        choice.examples = _ambiguous_examples(texts) if choice.order else []
        return choice
    finally:
        if own:
            con.close()


def _day_month_choice(evidence: dict, order: str | None, prefer_dmy: bool, hint: dict | None = None) -> DateChoice:
    day_first, month_first = evidence.get("day_first", 0), evidence.get("month_first", 0)
    conflict = day_first > 0 and month_first > 0
    source = None
    if day_first or month_first:
        found, ambiguous, why = ("dmy" if day_first >= month_first else "mdy"), False, "column"
    elif evidence.get("dotted", 0) and evidence.get("dotted", 0) >= evidence.get("undecided", 0):
        found, ambiguous, why = "dmy", False, "dotted"  # 05.01.2024 is day-first wherever it is written
    elif hint:
        found, ambiguous, why = hint["order"], False, "other_column"
        source = {"file": hint["file"], "column": hint["column"]}
    else:
        found, ambiguous, why = ("dmy" if prefer_dmy else "mdy"), True, "guess"
    if order:
        why, source = "chosen", None
    return DateChoice(order=order or found, ambiguous=ambiguous, mixed=conflict, conflict=conflict,
                      decided_by=why, source=source)


def _ambiguous_examples(values: list[str], limit: int = 3) -> list[str]:
    """Up to `limit` distinct cells like 05/01/2024 whose two first parts are both ≤ 12."""
    out: list[str] = []
    for value in values:
        match = _DAY_MONTH.match(value)
        if match and int(match.group(1)) <= 12 and int(match.group(3)) <= 12 and value.strip() not in out:
            out.append(value.strip())
            if len(out) == limit:
                break
    return out


_DAY_MONTH = re.compile(r"\s*(\d{1,2})([./-])(\d{1,2})[./-]\d{2,4}\b")


def _sample_evidence(values: list[str]) -> dict:
    """day_month() computed on a sample (for callers without a Detector)."""
    out = {"day_first": 0, "month_first": 0, "undecided": 0, "dotted": 0}
    for value in values:
        match = _DAY_MONTH.match(value)
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        key = "day_first" if first > 12 >= second else "month_first" if second > 12 >= first else \
            "undecided" if first <= 12 and second <= 12 else None
        if key:
            out[key] += 1
        out["dotted"] += match.group(2) == "."
    return out


def date_parse_rate(series: pd.Series, con: duckdb.DuckDBPyConnection | None = None) -> float:
    """Share of the first non-empty cells of a column that parse as a date under its best format."""
    return detect_dates(_head(series)[:500], con=con, rank=False).rate


def _head(series: pd.Series) -> list[str]:
    values = series.head(SAMPLE * 2).astype(str)
    return [v for v in values.tolist() if v.strip() and v != "nan"][:SAMPLE]


def detect_decimal_comma(values: list[str]) -> bool:
    """True when the cells write decimals with a comma (1.234,56 / 12,5)."""
    comma = point = 0
    for value in values[:SAMPLE]:
        digits = re.sub(r"[^0-9.,]", "", value).strip(".,")
        last = max(digits.rfind(","), digits.rfind("."))
        if last < 0:
            continue
        tail = digits[last + 1:]
        if "," in digits and "." in digits:
            comma += digits[last] == ","
            point += digits[last] == "."
        elif len(tail) != 3:  # 12,5 or 12.50: the separator is a decimal mark
            comma += digits[last] == ","
            point += digits[last] == "."
        elif digits.count(digits[last]) > 1:  # 1.234.567: thousands, so the other mark is decimal
            comma += digits[last] == "."
            point += digits[last] == ","
    return comma > point


def number_parse_rate(series: pd.Series, decimal_comma: bool | None = None,
                      con: duckdb.DuckDBPyConnection | None = None) -> float:
    """Share of the first non-empty cells of a column that parse as numbers."""
    values = _head(series)
    if not values:
        return 0.0
    if decimal_comma is None:
        decimal_comma = detect_decimal_comma(values)
    own = con is None
    con = con or connection()
    try:
        rate = sql.execute(con, "sample_number_rate", values=values, decimal_comma=decimal_comma).fetchone()[0]
    finally:
        if own:
            con.close()
    return float(rate or 0.0)
