"""URL state of every page: round trips through a real query string, odd values, and links by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from urllib.parse import parse_qs, urlencode

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retention import state
from retention.state import Limit

ODD = ["Zürich", "北京", "a&b", "x=y", "#1", "100%", "a+b", "one, two", " spaced  out ", "Ünïcødé ✓", "%2B", "?q"]
names = st.one_of(st.sampled_from(ODD), st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12))
dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))


def _field_values(f: dataclasses.Field) -> st.SearchStrategy:
    """Any value the field may hold (limits aside), odd strings included."""
    meta = f.metadata
    kind = meta["kind"]
    if kind == "choice":
        return st.sampled_from(meta["codes"])
    if kind == "text":
        return st.one_of(st.none(), names) if f.default is None else names
    if kind == "texts":
        pool = st.sampled_from(meta["codes"]) if meta["codes"] else names
        lists = st.lists(pool, unique=True, max_size=5).map(tuple)
        return st.one_of(st.none(), lists) if f.default is None else lists
    if kind == "day":
        return st.one_of(st.none(), dates)
    if kind == "days":
        if meta.get("many"):
            return st.lists(dates, unique=True, max_size=4).map(tuple)
        return st.lists(dates, max_size=2).map(lambda d: tuple(sorted(d)))
    if kind == "integer":
        ints = st.integers(meta["lo"], meta["hi"])
        return st.one_of(st.none(), ints) if f.default is None else ints
    if kind == "number":
        floats = st.floats(meta["lo"], meta["hi"], allow_nan=False, allow_infinity=False)
        return st.one_of(st.none(), floats) if f.default is None else floats
    if kind == "flag":
        return st.booleans()
    raise AssertionError(kind)


def states(page: type) -> st.SearchStrategy:
    return st.builds(page, **{f.name: _field_values(f) for f in dataclasses.fields(page)})


def through_a_url(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """What a browser gives back for these parameters: encoded into a link, then parsed."""
    return parse_qs(urlencode(query, doseq=True), keep_blank_values=True)


@pytest.mark.parametrize("page", state.PAGES, ids=lambda p: p.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_page_round_trips_through_a_url(page, data):
    view = data.draw(states(page))
    assert state.from_query(page, through_a_url(state.to_query(view))) == view


@pytest.mark.parametrize("page", state.PAGES, ids=lambda p: p.__name__)
def test_defaults_make_an_empty_query(page):
    assert state.to_query(page()) == {}
    assert state.from_query(page, {}) == page()


@pytest.mark.parametrize("page", state.PAGES, ids=lambda p: p.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_garbage_never_raises_and_lands_on_a_valid_state(page, data):
    keys = st.one_of(st.sampled_from(state.params(page)), st.text(max_size=5))
    junk = st.one_of(st.text(max_size=12), st.sampled_from(["nan", "inf", "-inf", "1e400", "", "2024-02-30",
                                                            "9999-12-31", "-5", "0x10", "true", "None", "Zürich"]))
    query = data.draw(st.dictionaries(keys, st.lists(junk, max_size=3)))
    view = state.from_query(page, query)
    # whatever came in, the result is a state the URL can hold and give back unchanged
    assert state.from_query(page, through_a_url(state.to_query(view))) == view
    for f in dataclasses.fields(page):
        value, meta = getattr(view, f.name), f.metadata
        if meta["kind"] == "choice":
            assert value in meta["codes"]
        if meta["kind"] in ("integer", "number") and value is not None:
            assert meta["lo"] <= value <= meta["hi"] and math.isfinite(value)


VALUES = pd.DataFrame({"attribute": ["channel", "channel", "city", "city", "city"],
                       "value": ["Referral", "Paid social", "Zürich", "北京", "a&b=c #1, 100% +"]})
COHORT_LIMITS = state.cohorts_limits(["classic", "rolling", "survival"], ["first_purchase", "signup"],
                                     dt.date(2023, 7, 1), dt.date(2025, 12, 31), VALUES, ["channel", "city"])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_cohorts_round_trip_with_the_datasets_limits(data):
    attribute = data.draw(st.sampled_from([None, "channel", "city"]))
    allowed = VALUES.loc[VALUES["attribute"] == attribute, "value"].tolist()
    view = state.Cohorts(
        period=data.draw(st.sampled_from(state.GRAINS)), mode=data.draw(st.sampled_from(["classic", "rolling"])),
        as_of=data.draw(st.dates(dt.date(2023, 7, 1), dt.date(2025, 12, 31))), filter_by=attribute,
        filter_values=tuple(data.draw(st.lists(st.sampled_from(allowed), unique=True))) if allowed else (),
        segment=data.draw(st.sampled_from(["channel", "city"])), min=data.draw(st.integers(1, 10_000)))
    view = dataclasses.replace(view, shown=data.draw(st.integers(1, 60)))
    assert state.from_query(state.Cohorts, through_a_url(state.to_query(view, COHORT_LIMITS)), COHORT_LIMITS) == view


def test_a_cohorts_link_by_hand():
    link = ("period=week&mode=rolling&segment=city&filter=city&value=Z%C3%BCrich&value=a%26b%3Dc+%231%2C+100%25+%2B"
            "&as_of=2025-06-15&started=2024-01-01&started=2024-12-31&cells=count&picked=2024-01-01")
    view = state.from_query(state.Cohorts, parse_qs(link), COHORT_LIMITS)
    assert view == state.Cohorts(period="week", mode="rolling", as_of=dt.date(2025, 6, 15),
                                 span=(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), filter_by="city",
                                 filter_values=("Zürich", "a&b=c #1, 100% +"), shown=26, show="count",
                                 picked=(dt.date(2024, 1, 1),), segment="city")


def test_a_link_built_from_the_state_opens_the_view_it_names():
    """Links between pages are built from the state dataclasses (state.link): parsed back by the page they open,
    with that page's limits, they give exactly the chosen fields and every other field at its default."""
    link = state.link(state.Cohorts, filter_by="city", filter_values=("a&b=c #1, 100% +",))
    assert link == {"filter": ["city"], "value": ["a&b=c #1, 100% +"]}
    assert state.from_query(state.Cohorts, through_a_url(link), COHORT_LIMITS) == dataclasses.replace(
        state.from_query(state.Cohorts, {}, COHORT_LIMITS), filter_by="city", filter_values=("a&b=c #1, 100% +",))
    limits = state.churn_limits(["customers", "purchases"], "purchases", dt.date(2025, 12, 31), ["plan", "Zürich"])
    link = state.link(state.Churn, tab="winback", list_segment="Zürich", list_values=("北京",),
                      basis="customers")  # the dataclass default, not this dataset's: kept in the link
    assert list(link) == ["tab", "list_segment", "list_value", "basis"]  # in the order given
    assert state.from_query(state.Churn, through_a_url(link), limits) == dataclasses.replace(
        state.from_query(state.Churn, {}, limits), tab="winback", list_segment="Zürich", list_values=("北京",),
        basis="customers")
    assert state.link(state.Churn, segment=None) == {}
    with pytest.raises(TypeError):
        state.link(state.Churn, list_value=("x",))  # the URL's name, not the field's


def test_values_the_dataset_does_not_allow_fall_back_to_defaults():
    link = {"mode": ["revenue"],  # this dataset has no amounts
            "basis": ["signup"], "segment": ["plan"],  # plan: no longer a segment
            "filter": ["channel"], "value": ["Referral", "Gone"],  # one value that no longer exists
            "as_of": ["2031-01-01"], "cells": ["revenue"], "min": ["nan"], "k": ["2.5"], "shown": ["-3"],
            "started": ["2024-12-31", "2024-01-01"]}  # reversed range
    view = state.from_query(state.Cohorts, link, COHORT_LIMITS)
    assert view == state.Cohorts(basis="signup", as_of=dt.date(2025, 12, 31), filter_by="channel", shown=18,
                                 segment="channel")


def test_a_mode_the_dataset_lacks_falls_back_to_one_it_has():
    survival_only = state.cohorts_limits(["survival"], ["signup"], dt.date(2024, 1, 1), dt.date(2024, 6, 30),
                                         VALUES.iloc[:0], [])
    view = state.from_query(state.Cohorts, {"mode": ["classic"], "segment": ["channel"]}, survival_only)
    assert (view.mode, view.basis, view.segment, view.as_of) == ("survival", "signup", None, dt.date(2024, 6, 30))


def test_churn_link_by_hand_and_defaults_that_follow_other_controls():
    limits = state.churn_limits(["customers", "purchases"], "customers", dt.date(2025, 12, 31), ["plan"])
    link = parse_qs("basis=purchases&window=60&fold=2.5&status=&reason=Too+expensive", keep_blank_values=True)
    view = state.from_query(state.Churn, link, limits)
    assert (view.basis, view.days, view.fold, view.status, view.list_reasons) == (
        "purchases", 60, 2.5, (), ("Too expensive",))
    assert view.risk == 30  # W / 2 until set
    assert view.as_of == dt.date(2025, 12, 31) and view.segment == "plan"
    assert state.to_query(view, limits) == {"basis": ["purchases"], "window": ["60"], "fold": ["2.5"],
                                            "status": [""], "reason": ["Too expensive"]}
    assert state.from_query(state.Churn, {"fold": ["nan"], "window": ["1e3"], "shares": ["yes"]}, limits) == \
        state.from_query(state.Churn, {}, limits)


def test_whatif_measured_inputs_are_defaults_and_typed_ones_stay():
    measured = {"month": {"active_customers": 9874.0, "retention": 0.9123456, "arpu": 42.0, "new_customers": 800.0},
                "quarter": {}}
    limits = state.whatif_limits(lambda period: measured[period], lambda: ["Too expensive", "Zürich & co"])
    view = state.from_query(state.WhatIf, {"retention": ["95"], "scenario": ["reason"], "reason": ["Zürich & co"],
                                           "x": ["inf"]}, limits)
    assert (view.active, view.retention, view.arpu, view.kind, view.reason, view.x) == (
        9874.0, 95.0, 42.0, "reason", "Zürich & co", 5.0)
    assert state.to_query(view, limits) == {"retention": ["95"], "scenario": ["reason"], "reason": ["Zürich & co"]}
    unmeasured = state.from_query(state.WhatIf, {"period": ["quarter"]}, limits)
    assert (unmeasured.active, unmeasured.retention) == (1000.0, 80.0)  # fallbacks when nothing is measured
    assert state.from_query(state.WhatIf, {"scenario": ["reason"], "reason": ["gone"]}, limits).reason == "Too expensive"


def test_benchmarks_industries_default_and_empty_choice():
    limits = state.benchmarks_limits(["A", "B", "C"], ["B", "Z"], ["plan"])
    assert state.from_query(state.Benchmarks, {}, limits).industries == ("B",)
    emptied = state.from_query(state.Benchmarks, {"industry": [""]}, limits)
    assert emptied.industries == () and state.to_query(emptied, limits) == {"industry": [""]}
    assert state.from_query(state.Benchmarks, {"industry": ["C", "nope"]}, limits).industries == ("B",)


def test_widgets_go_through_the_same_checks_and_resets():
    before = state.Cohorts(period="month", shown=12)
    after = state.from_widgets(state.Cohorts, {"cohorts_period": "week", "cohorts_shown": 12, "cohorts_min": 50.0,
                                               "cohorts_filter_values": ["x"], "cohorts_k": float("nan")},
                               COHORT_LIMITS, before=before)
    assert (after.period, after.shown, after.min, after.filter_values, after.k) == ("week", 26, 50, (), 1)
    seeded = state.to_widgets(after)
    assert seeded["cohorts_filter_values"] == [] and seeded["cohorts_as_of"] == dt.date(2025, 12, 31)


ALL_PAGES = state.PAGES


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.__name__)
def test_keys_name_every_field_by_its_widget_key(page):
    keys = state.keys(page)
    for f in dataclasses.fields(page):
        assert getattr(keys, f.name) == f"{page.PREFIX}_{f.name}" == state.widget_key(page, f.name)
    with pytest.raises(AttributeError):
        keys.no_such_field  # noqa: B018 - a misspelt field fails instead of making a new key


def test_no_page_types_a_state_fields_widget_key():
    """Widget keys of URL-state fields come from state.keys / state.widget_key, never typed as text (issue #21):
    no quoted "<prefix>_<field>" of a state field in the pages or the Streamlit layer."""
    from tests.conftest import ROOT

    typed = {f'"{state.widget_key(p, f.name)}"': p.__name__ for p in ALL_PAGES for f in dataclasses.fields(p)}
    files = [*ROOT.glob("pages/*.py"), *ROOT.glob("retention/ui/**/*.py"), ROOT / "app.py"]
    found = [f"{path.relative_to(ROOT)}: {key}" for path in files for key in typed
             if key in path.read_text(encoding="utf-8")]
    assert not found, found


def test_links_between_pages_are_built_from_state_not_typed():
    """Every st.page_link's parameters come from links.to_view (the target page's state fields), so a renamed field
    cannot break a link: no page or view types a query-parameter dict or adds one to another."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    typed = re.compile(r"query_params\s*=\s*(\{|[A-Za-z_][\w.]*\s*\|)")
    found = [f"{path.relative_to(root)}:{n}" for path in [*root.glob("pages/*.py"), *root.glob("retention/ui/**/*.py")]
             for n, line in enumerate(path.read_text().splitlines(), 1) if typed.search(line)]
    assert not found, found
