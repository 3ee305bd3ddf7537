"""Each page's controls ↔ URL query parameters. Pure functions, no Streamlit.

One frozen dataclass per page holds every control that changes what the page shows, as stable
codes (never display labels, which get translated): `from_query(Page, query, limits)` reads a
query mapping (str → list of str, as `urllib.parse.parse_qs` or `st.query_params` give it) and
`to_query(state, limits)` writes one (str → list of str), leaving out values that equal their
default, so a link holds only what the viewer changed.

Odd input never raises: a value that does not parse (garbage, NaN, an unknown code), lies outside
the field's range, or is not allowed by `limits` (a segment that no longer exists, a date after the
data) falls back to the default. `limits` maps a field name to a `Limit` built from the dataset in
view; its options, bounds and default may be callables of the fields read so far (fields are read in
declaration order), for controls whose choices depend on another control.

Widget keys are `<PREFIX>_<field>` (`widget_key`); `from_widgets` reads a state from widget values
through the same checks, so one validation path serves links and clicks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

if TYPE_CHECKING:
    import pandas as pd

Query = Mapping[str, "Sequence[str] | str"]
_UNSET = object()


@dataclass(frozen=True)
class Limit:
    """What the dataset in view allows for one field. Each part may be a callable of the fields read so far."""

    options: Sequence | Callable | None = None  # allowed values (of each element, for list fields)
    lo: Any = None
    hi: Any = None
    default: Any = _UNSET


def _spec(kind: str, default: Any, q: str, **extra: Any) -> Any:
    return field(default=default, metadata={"kind": kind, "q": q, **extra})


def choice(default: str, codes: Sequence[str], q: str, **extra: Any) -> Any:
    """One code out of a fixed set."""
    return _spec("choice", default, q, codes=tuple(codes), **extra)


def text(default: str | None, q: str, **extra: Any) -> Any:
    """A free string (a column or segment name), checked against Limit.options when given."""
    return _spec("text", default, q, **extra)


def texts(default: tuple = (), q: str = "", codes: Sequence[str] | None = None, **extra: Any) -> Any:
    """An ordered list of distinct strings (segment values, industries)."""
    return _spec("texts", default, q, codes=None if codes is None else tuple(codes), **extra)


def day(q: str, **extra: Any) -> Any:
    """A date; None means the page's own default (usually the last date in the data)."""
    return _spec("day", None, q, **extra)


def days(q: str, **extra: Any) -> Any:
    """A date range as st.date_input gives it: (), (start,) or (start, end) with start ≤ end."""
    return _spec("days", (), q, **extra)


def integer(default: int | None, lo: int, hi: int, q: str, **extra: Any) -> Any:
    return _spec("integer", default, q, lo=lo, hi=hi, **extra)


def number(default: float | None, lo: float, hi: float, q: str, **extra: Any) -> Any:
    return _spec("number", default, q, lo=lo, hi=hi, **extra)


def flag(q: str, **extra: Any) -> Any:
    return _spec("flag", False, q, **extra)


# ---------------------------------------------------------------- the pages

GRAINS = ("week", "month", "quarter")
COHORT_MODES = ("classic", "rolling", "revenue", "survival")


@dataclass(frozen=True)
class Cohorts:
    PREFIX = "cohorts"
    period: str = choice("month", GRAINS, "period")
    mode: str = choice("classic", COHORT_MODES, "mode")
    basis: str = choice("first_purchase", ("first_purchase", "signup"), "basis")
    as_of: dt.date | None = day("as_of")
    span: tuple = days("started")
    filter_by: str | None = text(None, "filter")
    filter_values: tuple = texts(q="value")
    min: int = integer(30, 1, 10_000, "min")
    shown: int | None = integer(None, 1, 10_000, "shown", reset_on=("period",))
    show: str = choice("pct", ("pct", "count", "revenue"), "cells")
    average: str = choice("weighted", ("weighted", "simple"), "average")
    picked: tuple = days("picked", many=True)
    k: int = integer(1, 1, 10_000, "k")
    segment: str | None = text(None, "segment")
    tenure_segment: str | None = text(None, "tenure_segment")
    tab: str = choice("heatmap", ("heatmap", "curve", "over_time", "segments"), "tab")


@dataclass(frozen=True)
class Churn:
    PREFIX = "churn"
    period: str = choice("month", ("week", "month", "quarter", "year"), "period")
    basis: str = choice("customers", ("customers", "purchases"), "basis")
    days: int = integer(90, 1, 3650, "window")
    as_of: dt.date | None = day("as_of")
    measure: str = choice("crr", ("crr", "churn"), "measure")
    fold: float = number(0.0, 0.0, 10.0, "fold")
    reason_share: bool = flag("shares")
    segment: str | None = text(None, "segment")
    recent: int = integer(90, 1, 3650, "recent")
    risk: int | None = integer(None, 1, 3650, "risk", reset_on=("days",))
    status: tuple = texts(("churned", "at_risk"), "status", codes=("churned", "at_risk"))
    list_reasons: tuple = texts(q="reason")
    list_segment: str | None = text(None, "list_segment")
    list_values: tuple = texts(q="list_value")
    list_order: str = choice("status", ("status", "value_at_risk"), "list_order")
    tab: str = choice("rate", ("rate", "lifecycle", "revenue", "reasons", "drivers", "winback"), "tab")


@dataclass(frozen=True)
class Benchmarks:
    PREFIX = "benchmarks"
    industries: tuple | None = texts(None, "industry")  # None: the page's default industries
    period: str = choice("year", ("month", "quarter", "year"), "period")
    range: tuple = days("range")
    first: tuple = days("first_range")
    days: int = integer(90, 1, 3650, "window")
    segment_metric: str = choice("repeat_12", ("repeat_12", "repeat", "month1"), "share")
    segment: str | None = text(None, "segment")


_MEASURED = ("period",)  # measured inputs follow the period until the viewer types a value


@dataclass(frozen=True)
class WhatIf:
    PREFIX = "whatif"
    period: str = choice("month", ("week", "month", "quarter", "year"), "period")
    active: float | None = number(None, 0.0, 1e12, "active", reset_on=_MEASURED)
    retention: float | None = number(None, 0.0, 99.9, "retention", reset_on=_MEASURED)
    arpu: float | None = number(None, 0.0, 1e12, "arpu", reset_on=_MEASURED)
    new: float | None = number(None, 0.0, 1e12, "new", reset_on=_MEASURED)
    margin: float = number(30.0, 0.0, 100.0, "margin")
    cac: float = number(0.0, 0.0, 1e12, "cac")
    discount: float = number(10.0, 0.0, 100.0, "discount")
    years: float = number(5.0, 0.0, 50.0, "years")
    growth: float = number(0.0, 0.0, 100.0, "growth")
    programme: float = number(0.0, 0.0, 1e12, "programme")
    kind: str = choice("annual_pp", ("annual_pp", "pp", "relative", "churn_cut", "reason"), "scenario")
    x: float = number(5.0, -100.0, 100.0, "x")
    reason: str | None = text(None, "reason")
    tab: str = choice("profit", ("profit", "sensitivity", "tornado", "sbg", "bgnbd"), "tab")


@dataclass(frozen=True)
class Customers:
    PREFIX = "customers"
    horizon: int = integer(12, 1, 60, "horizon")  # months ahead for expected purchases and value
    top: int = integer(100, 10, 1000, "top")
    tab: str = choice("alive", ("alive", "top", "rfm", "check"), "tab")


PAGES = (Cohorts, Churn, Benchmarks, WhatIf, Customers)
SHOWN = {"week": 26, "month": 18, "quarter": 8}  # cohort periods shown by default


# ---------------------------------------------------------------- what each page's data allows


def cohorts_limits(modes: list[str], bases: list[str], first: dt.date | None, last: dt.date | None,
                   values: "pd.DataFrame", segments: list[str]) -> dict[str, Limit]:
    """values: attribute, value (the filter choices); segments: attributes to compare by."""
    attributes = list(dict.fromkeys(values["attribute"]))
    return {
        "mode": Limit(modes), "basis": Limit(bases), "as_of": Limit(lo=first, hi=last, default=last),
        "span": Limit(lo=first, hi=last),
        "filter_by": Limit([None, *attributes]),
        "filter_values": Limit(lambda s: values.loc[values["attribute"] == s["filter_by"], "value"]),
        "shown": Limit(default=lambda s: SHOWN[s["period"]]), "segment": Limit(segments),
        "show": Limit(lambda s: ["pct", "count"] + ["revenue"] * (s["mode"] == "revenue")),
        "tenure_segment": Limit([None, *segments])}


def churn_limits(bases: list[str], basis: str | None, last: dt.date | None, segments: list[str],
                 first: dt.date | None = None) -> dict[str, Limit]:
    """basis: the dataset's own basis (the default); first, last: the first and last dates of the data."""
    return {"basis": Limit(bases, default=basis), "as_of": Limit(lo=first, hi=last, default=last),
            "segment": Limit(segments),
            "list_segment": Limit(segments), "risk": Limit(default=lambda s: max(1, s["days"] // 2))}


def benchmarks_limits(industries: list[str], default: list[str], segments: list[str],
                      first: dt.date | None = None, last: dt.date | None = None,
                      period: str | None = None) -> dict[str, Limit]:
    """first, last: the first and last dates of the data (the bounds of both date ranges); period: the default
    comparison period for this dataset (compare.default_period), None keeps 'year'."""
    limits = {"industries": Limit(industries, default=tuple(i for i in default if i in industries)),
              "range": Limit(lo=first, hi=last), "first": Limit(lo=first, hi=last), "segment": Limit(segments)}
    if period is not None:
        limits["period"] = Limit(default=period)
    return limits


# field: (measured input, value when it cannot be measured, scale of the box)
MEASURED = {"active": ("active_customers", 1000.0, 1), "retention": ("retention", 0.8, 100),
            "arpu": ("arpu", 100.0, 1), "new": ("new_customers", 100.0, 1)}


def measured_input(measured: Mapping, name: str) -> float:
    """A measured what-if input as its box shows it (within the box's bounds); NaN when not measured."""
    column, _, scale = MEASURED[name]
    top = WhatIf.__dataclass_fields__[name].metadata["hi"]
    value = float(measured.get(column, math.nan)) * scale
    return round(min(max(value, 0.0), top), 2) if value == value else math.nan


def whatif_limits(measure: Callable[[str], Mapping], reasons: Callable[[], list[str]]) -> dict[str, Limit]:
    """measure(period) → the measured inputs ({} when retention cannot be measured); reasons() → churn reasons."""
    def default(name: str) -> Callable:
        def at(s: dict) -> float:
            value = measured_input(measure(s["period"]), name)
            return value if value == value else MEASURED[name][1] * MEASURED[name][2]
        return at
    return {name: Limit(default=default(name)) for name in MEASURED} | {
        "reason": Limit(lambda s: reasons() if s["kind"] == "reason" else None)}


# ---------------------------------------------------------------- reading and writing


def widget_key(page: type, name: str) -> str:
    return f"{page.PREFIX}_{name}"


def keys(page: type) -> Any:
    """The widget keys of a page's fields as attributes (`keys(Churn).period == "churn_period"`), so a page never
    types a key that must match a field: a misspelt field raises AttributeError."""
    fields = [f.name for f in dataclasses.fields(page)]
    return type(f"{page.__name__}Keys", (), {"__slots__": ()} | {n: widget_key(page, n) for n in fields})()


def params(page: type) -> list[str]:
    """The query parameter names a page owns."""
    return [f.metadata["q"] for f in dataclasses.fields(page)]


def _resolve(part: Any, so_far: dict) -> Any:
    return part(so_far) if callable(part) else part


def _parse_one(kind: str, meta: Mapping, raw: str) -> Any:
    if kind in ("choice", "text"):
        if not raw:
            raise ValueError("empty")
        if kind == "choice" and raw not in meta["codes"]:
            raise ValueError(raw)
        return raw
    if kind == "day":
        return dt.date.fromisoformat(raw)
    if kind == "integer":
        return int(raw)
    if kind == "number":
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
        return value
    if kind == "flag":
        return {"true": True, "false": False}[raw]
    raise AssertionError(kind)


def _parse(meta: Mapping, raw: Sequence[str]) -> Any:
    kind = meta["kind"]
    if kind == "texts":
        if list(raw) == [""]:
            return ()
        kept = tuple(dict.fromkeys(v for v in raw if v))
        if meta["codes"] is not None and any(v not in meta["codes"] for v in kept):
            raise ValueError(kept)
        return kept
    if kind == "days":
        dates = tuple(dt.date.fromisoformat(v) for v in raw if v)
        if meta.get("many"):
            return tuple(dict.fromkeys(dates))
        if len(dates) > 2 or (len(dates) == 2 and dates[0] > dates[1]):
            raise ValueError(dates)
        return dates
    if len(raw) != 1:
        raise ValueError(raw)
    return _parse_one(kind, meta, raw[0])


def _options(limit: Limit | None, so_far: dict) -> list | None:
    options = _resolve(limit.options, so_far) if limit is not None else None
    return None if options is None else list(options)


def _allowed(meta: Mapping, value: Any, limit: Limit | None, so_far: dict) -> bool:
    lo, hi = meta.get("lo"), meta.get("hi")
    if limit is not None:
        lo = _resolve(limit.lo, so_far) if limit.lo is not None else lo
        hi = _resolve(limit.hi, so_far) if limit.hi is not None else hi
    options = _options(limit, so_far)
    items = value if meta["kind"] in ("texts", "days") else (value,)
    if options is not None and any(v not in options for v in items):
        return False
    return all((lo is None or v >= lo) and (hi is None or v <= hi) for v in items if not isinstance(v, str))


def _default(meta: Mapping, static: Any, limit: Limit | None, so_far: dict) -> Any:
    """The field's default for this dataset: Limit.default, else the dataclass default; when that is
    not allowed, the first allowed option (choices, names) or the allowed part (lists)."""
    value = static if limit is None or limit.default is _UNSET else _resolve(limit.default, so_far)
    options = _options(limit, so_far)
    if meta["kind"] in ("choice", "text") and options is not None and value not in options:
        return options[0] if options else None
    if meta["kind"] == "texts" and options is not None and value is not None:
        return tuple(v for v in value if v in options)
    return value if value is None or _allowed(meta, value, limit, so_far) else static


def _as_list(raw: Sequence[str] | str) -> list[str]:
    return [raw] if isinstance(raw, str) else list(raw)


def from_query(page: type, query: Query, limits: Mapping[str, Limit] | None = None) -> Any:
    """The page's state from a query mapping; anything missing or not allowed takes its default."""
    limits = limits or {}
    so_far: dict[str, Any] = {}
    for f in dataclasses.fields(page):
        meta, limit = f.metadata, limits.get(f.name)
        value = _UNSET
        if meta["q"] in query:
            try:
                value = _parse(meta, _as_list(query[meta["q"]]))
            except (ValueError, KeyError, TypeError, OverflowError):
                value = _UNSET
            if value is not _UNSET and not _allowed(meta, value, limit, so_far):
                value = _UNSET
        so_far[f.name] = _default(meta, f.default, limit, so_far) if value is _UNSET else value
    return page(**so_far)


def _encode(meta: Mapping, value: Any) -> list[str]:
    kind = meta["kind"]
    if kind in ("texts", "days"):
        return [v.isoformat() if isinstance(v, dt.date) else str(v) for v in value] or [""]
    if kind == "day":
        return [value.isoformat()]
    if kind == "flag":
        return ["true" if value else "false"]
    if kind == "number":
        value = float(value)
        return [str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)]
    return [str(value)]


def to_query(state: Any, limits: Mapping[str, Limit] | None = None) -> dict[str, list[str]]:
    """The state as query parameters (name → values), without the values that equal their default."""
    limits = limits or {}
    so_far: dict[str, Any] = {}
    out: dict[str, list[str]] = {}
    for f in dataclasses.fields(state):
        value = getattr(state, f.name)
        default = _default(f.metadata, f.default, limits.get(f.name), so_far)
        so_far[f.name] = value
        if value is not None and value != default:
            out[f.metadata["q"]] = _encode(f.metadata, value)
    return out


def link(page: type, **chosen: Any) -> dict[str, list[str]]:
    """The query parameters of a link that opens `page` with these fields set (in the order given) and every other
    field at the page's default for its dataset: `link(Churn, tab="winback", list_values=("Yes",))` →
    {"tab": ["winback"], "list_value": ["Yes"]}. Unlike to_query, a chosen value that equals the default is kept,
    since the page it opens may have another default; None (the default) is left out. A misspelt field raises
    TypeError."""
    view = page(**chosen)
    meta = {f.name: f.metadata for f in dataclasses.fields(page)}
    return {meta[name]["q"]: _encode(meta[name], getattr(view, name)) for name in chosen
            if getattr(view, name) is not None}


def _from_widget(meta: Mapping, value: Any) -> list[str] | None:
    """A widget's value in query form (None: leave the field to its default)."""
    if value is None:
        return None
    kind = meta["kind"]
    if kind in ("texts", "days"):
        value = tuple(value)
    elif kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            return None
        value = int(value)
    elif kind == "day" and isinstance(value, dt.datetime):
        value = value.date()
    try:
        return _encode(meta, value)
    except (TypeError, ValueError, AttributeError):
        return None


def from_widgets(page: type, values: Mapping[str, Any], limits: Mapping[str, Limit] | None = None,
                 before: Any = None) -> Any:
    """The state from widget values keyed by widget key, through the same checks as a link.

    A field with `reset_on` goes back to its default when one of those fields changed since `before`
    (e.g. the number of periods shown when the period changes)."""
    query: dict[str, list[str]] = {}
    fields = dataclasses.fields(page)
    changed = {f.name for f in fields if before is not None
               and values.get(widget_key(page, f.name), getattr(before, f.name)) != getattr(before, f.name)}
    for f in fields:
        key = widget_key(page, f.name)
        if key not in values or changed & set(f.metadata.get("reset_on", ())):
            continue
        encoded = _from_widget(f.metadata, values[key])
        if encoded is not None:
            query[f.metadata["q"]] = encoded
    return from_query(page, query, limits)


def to_widgets(state: Any) -> dict[str, Any]:
    """Widget key → value to seed st.session_state with (lists for multiselects; None fields left out)."""
    out = {}
    for f in dataclasses.fields(state):
        value = getattr(state, f.name)
        if value is None:
            continue
        out[widget_key(type(state), f.name)] = list(value) if f.metadata["kind"] == "texts" else value
    return out


# ---------------------------------------------------------------- "Did it work?" (pages/impact.py)


@dataclass(frozen=True)
class Impact:
    PREFIX = "impact"
    design: str = choice("launch", ("launch", "members"), "design")
    launch: dt.date | None = day("launch")
    k: int = integer(3, 1, 12, "k")
    member_column: str | None = text(None, "member_column")
    member_values: tuple | None = texts(None, "member_value")  # None: the values that look like 'member'
    match_segment: str | None = text(None, "match_segment")
    join_column: str | None = text(None, "join_column")  # a segment column of join dates (None: not used)
    cost: float = number(0.0, 0.0, 1e12, "cost")
    margin: float = number(30.0, 0.0, 100.0, "margin")


PAGES = PAGES + (Impact,)


def impact_limits(first: dt.date | None, last: dt.date | None, segments: list[str],
                  values: Callable[[str], list[str]], guess: Callable[[str], list[str]],
                  launch: dt.date | None = None) -> dict[str, Limit]:
    """first, last: the data's first and last dates; launch: the default launch date (metrics.impact.default_launch;
    None: the first day of the month halfway between first and last); segments: the segment columns;
    values(column) → its values; guess(column) → the values meaning 'member'."""
    if launch is None and first is not None and last is not None:
        launch = (first + (last - first) / 2).replace(day=1)
    return {"launch": Limit(lo=first, hi=last, default=launch),
            "member_column": Limit([*segments] or [None]),
            "member_values": Limit(lambda s: values(s["member_column"]) if s["member_column"] else [],
                                   default=lambda s: tuple(guess(s["member_column"])) if s["member_column"] else ()),
            "match_segment": Limit([None, *segments]),
            "join_column": Limit([None, *segments])}
