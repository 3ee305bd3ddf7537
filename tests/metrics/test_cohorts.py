"""Cohort retention (issue 4): queries/cohort_matrix.sql and retention.metrics.cohorts against
hand-computed cases and against the simple reference in tests/helpers/reference_cohorts.py on generated data."""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import reference_cohorts as ref
from retention import store
from retention.metrics import cohorts

D = dt.date


def load(purchases: list[tuple], customers: list[tuple] = (), channel: dict | None = None,
         plan: dict | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory dataset in the canonical schema, derived tables built as at load time.

    purchases: (customer_id, timestamp or date, amount or None); customers: (customer_id, signup_date,
    churn_date, churned); channel: customer → value (a purchases-file attribute, on every row of the
    customer); plan: customer → value (a customers-file attribute).
    """
    channel, plan = channel or {}, plan or {}
    p = pd.DataFrame(purchases, columns=["customer_id", "purchased_at", "amount"])
    p["purchased_at"] = pd.to_datetime(p["purchased_at"], format="mixed").astype("datetime64[us]")
    p["amount"] = p["amount"].astype(float)
    p.insert(0, "row_no", np.arange(2, len(p) + 2, dtype="int64"))
    p["order_id"] = None
    p["is_refund"] = p["amount"] < 0
    p["is_future"] = False
    p["channel"] = p["customer_id"].map(channel).astype(object)
    c = pd.DataFrame(list(customers), columns=["customer_id", "signup_date", "churn_date", "churned"])
    c.insert(0, "row_no", np.arange(2, len(c) + 2, dtype="int64"))
    c["plan"] = c["customer_id"].map(plan).astype(object)
    con = duckdb.connect()
    con.register("p_frame", p)
    con.register("c_frame", c)
    con.execute("""create table purchases as select row_no, customer_id::varchar as customer_id, purchased_at,
                   amount, order_id::varchar as order_id, is_refund, is_future, channel::varchar as channel
                   from p_frame""")
    con.execute("""create table customers as select row_no, customer_id::varchar as customer_id,
                   signup_date::date as signup_date, churn_date::date as churn_date, null::varchar as churn_reason,
                   churned::boolean as churned, null::integer as tenure, true as status_recognised,
                   false as is_future, plan::varchar as plan from c_frame""")
    store.derive(con, ["channel"] if channel else [], ["plan"] if plan else [])
    return con


def cell(frame: pd.DataFrame, cohort: str, period: int, column: str = "active", segment=None):
    rows = frame[(frame["cohort"] == pd.Timestamp(cohort)) & (frame["period"] == period)]
    if segment is not None:
        rows = rows[rows["segment"] == segment]
    assert len(rows) == 1, rows
    return rows.iloc[0][column]


# --- hand-computed cases ---------------------------------------------------------------------------------

SHOP = [
    # a: Jan, returns in Mar (gap in Feb), refund in Apr
    ("a", "2024-01-15", 10), ("a", "2024-03-02", 20), ("a", "2024-04-10", -20),
    # b: Jan 31 late evening, back Feb 1 and in April
    ("b", "2024-01-31 23:59:59", 5), ("b", "2024-02-01 00:00:01", 5), ("b", "2024-04-20", 7),
    # c: only a refund and a zero: in no first-purchase cohort
    ("c", "2024-01-20", -5), ("c", "2024-02-20", 0),
    # d: refund first, first positive purchase in Feb
    ("d", "2024-01-05", -3), ("d", "2024-02-29", 30),
]


def test_classic_matrix_by_hand():
    m = cohorts.matrix(load(SHOP), period="month", mode="classic", min_customers=2)
    # as_of defaults to the last date, 2024-04-20: April is reached but incomplete
    assert set(zip(m["cohort"].dt.strftime("%Y-%m"), m["period"])) == {
        ("2024-01", 0), ("2024-01", 1), ("2024-01", 2), ("2024-01", 3),
        ("2024-02", 0), ("2024-02", 1), ("2024-02", 2)}
    assert cell(m, "2024-01-01", 0, "cohort_size") == 2  # a, b (c never bought, d first bought in Feb)
    assert [cell(m, "2024-01-01", k) for k in range(4)] == [2, 1, 1, 1]  # Feb: b; Mar: a; Apr: b (a's refund is not activity)
    assert [cell(m, "2024-02-01", k) for k in range(3)] == [1, 0, 0]  # zero cells are there, with 0
    assert cell(m, "2024-01-01", 1, "retention_pct") == 50
    assert m.loc[m["period"] + m["cohort"].dt.month == 4, "complete"].eq(False).all()
    assert m.loc[m["period"] + m["cohort"].dt.month < 4, "complete"].all()
    assert m.groupby("cohort")["small"].all().tolist() == [False, True]  # sizes 2 and 1
    assert cohorts.matrix(load(SHOP), min_customers=3)["small"].all()


def test_rolling_and_revenue_by_hand():
    con = load(SHOP)
    rolling = cohorts.matrix(con, mode="rolling")
    assert [cell(rolling, "2024-01-01", k) for k in range(4)] == [2, 2, 2, 1]  # b returns in April
    assert [cell(rolling, "2024-02-01", k) for k in range(3)] == [1, 0, 0]
    revenue = cohorts.matrix(con, mode="revenue")
    assert [cell(revenue, "2024-01-01", k, "revenue") for k in range(4)] == [15, 5, 20, -13]  # net of refunds
    assert [cell(revenue, "2024-01-01", k, "retention_pct") for k in range(4)] == pytest.approx(
        [100, 100 / 3, 400 / 3, -260 / 3])
    assert [cell(revenue, "2024-01-01", k, "revenue_per_customer") for k in range(4)] == pytest.approx(
        [7.5, 10, 20, 13.5])
    assert cell(revenue, "2024-01-01", 1, "active") == 1


def test_analysis_date_cuts_the_data():
    m = cohorts.matrix(load(SHOP), as_of="2024-02-01", mode="revenue")
    # Feb 1 00:00:01 counts (same day), Feb 29 does not: d is in no cohort yet
    assert list(m["period"]) == [0, 1]
    assert cell(m, "2024-01-01", 1) == 1 and cell(m, "2024-01-01", 1, "revenue") == 5
    assert list(m["complete"]) == [True, False]
    rolling = cohorts.matrix(load(SHOP), as_of="2024-02-29", mode="rolling")
    assert cell(rolling, "2024-01-01", 1) == 1  # a's March return is after the analysis date
    assert cell(rolling, "2024-01-01", 1, "complete")  # Feb 29 is the last day of February


def test_week_53_and_monday_weeks():
    con = load([("a", "2020-12-31", 1), ("a", "2021-01-03", 1), ("a", "2021-01-04", 1),
                ("b", "2021-01-03 12:00", 1), ("b", "2021-01-11", 1)])
    m = cohorts.matrix(con, period="week")
    # ISO week 53 of 2020 runs Mon 2020-12-28 … Sun 2021-01-03: a and b share that cohort
    assert list(m["cohort"].unique()) == [pd.Timestamp("2020-12-28")]
    assert cell(m, "2020-12-28", 0, "cohort_size") == 2
    assert [cell(m, "2020-12-28", k) for k in range(3)] == [2, 1, 1]
    quarter = cohorts.matrix(con, period="quarter")
    assert [cell(quarter, "2020-10-01", k) for k in range(2)] == [1, 1]
    assert cell(quarter, "2021-01-01", 0) == 1


def test_signup_cohorts_include_customers_who_never_bought():
    customers = [("a", D(2024, 1, 10), None, False), ("b", D(2023, 12, 31), None, False),
                 ("z", D(2024, 2, 5), None, False)]
    m = cohorts.matrix(load(SHOP, customers), cohort_by="signup")
    assert cell(m, "2023-12-01", 0, "cohort_size") == 1
    assert [cell(m, "2023-12-01", k) for k in range(5)] == [0, 1, 1, 0, 1]  # b first bought in its k = 1
    assert cell(m, "2024-02-01", 0, "cohort_size") == 1 and cell(m, "2024-02-01", 0) == 0  # z never bought
    assert cell(m, "2024-01-01", 0, "cohort_size") == 1  # c and d are not in the customers file


def test_survival_by_hand():
    customers = [
        ("a", D(2024, 1, 10), D(2024, 2, 29), True),   # gone at the end of Feb (k = 1)
        ("b", D(2024, 1, 31), None, False),            # still a customer
        ("c", D(2024, 1, 2), D(2024, 3, 1), True),     # gone in March
        ("d", D(2024, 1, 3), None, True),              # churned, no date: left out
        ("e", D(2024, 1, 4), D(2024, 6, 1), True),     # cancels after the analysis date: still here
        ("f", D(2024, 1, 4), None, None),              # unknown: left out
    ]
    m = cohorts.matrix(load(SHOP, customers), mode="survival", cohort_by="signup", as_of="2024-04-20")
    assert cell(m, "2024-01-01", 0, "cohort_size") == 4
    assert [cell(m, "2024-01-01", k) for k in range(4)] == [4, 3, 2, 2]
    curve = cohorts.average_curve(m, mode="survival")
    # one cohort, periods 0–2 complete: Kaplan–Meier reduces to the plain proportions
    assert list(curve["retention_pct"]) == pytest.approx([100, 75, 50])
    assert list(curve["customers"]) == [4, 4, 3]


def test_segments_and_filters():
    channel = {"a": "Ads", "b": "Email", "d": "Ads"}
    con = load(SHOP, channel=channel)
    m = cohorts.matrix(con, segment="channel")
    assert cell(m, "2024-01-01", 0, "cohort_size", "Ads") == 1
    assert cell(m, "2024-01-01", 2, segment="Ads") == 1 and cell(m, "2024-01-01", 2, segment="Email") == 0
    only_ads = cohorts.matrix(con, filters={"channel": ["Ads"]})
    assert only_ads.groupby("cohort")["cohort_size"].first().to_dict() == {
        pd.Timestamp("2024-01-01"): 1, pd.Timestamp("2024-02-01"): 1}
    later = cohorts.matrix(con, cohort_from="2024-02-01", cohort_to="2024-02-01")
    assert set(later["cohort"]) == {pd.Timestamp("2024-02-01")}


# --- the reference on generated data ---------------------------------------------------------------------

EDGE_DAYS = [D(2020, 12, 31), D(2021, 1, 1), D(2021, 1, 3), D(2021, 1, 4), D(2020, 12, 28), D(2020, 11, 30),
             D(2021, 2, 28), D(2021, 3, 31), D(2020, 2, 29), D(2020, 6, 30), D(2020, 9, 30), D(2020, 10, 1)]
FIRST, LAST = D(2020, 1, 1), D(2021, 6, 30)
days = st.one_of(st.sampled_from(EDGE_DAYS), st.dates(FIRST, LAST))
moments = st.tuples(days, st.sampled_from([dt.time(0, 0), dt.time(12, 30), dt.time(23, 59, 59)])).map(
    lambda x: dt.datetime.combine(*x))
amounts = st.sampled_from([10.0, 25.5, 99.99, 0.0, -10.0, -25.5])
ids = [f"c{i}" for i in range(14)]


@st.composite
def datasets(draw):
    no_amounts = draw(st.integers(0, 5)) == 0
    purchases = draw(st.lists(st.tuples(st.sampled_from(ids), moments, amounts), min_size=1, max_size=50))
    if no_amounts:
        purchases = [(c, t, None) for c, t, _ in purchases]
    customers = []
    for customer in draw(st.lists(st.sampled_from(ids), unique=True, max_size=10)):
        signup = draw(st.one_of(st.none(), days))
        churned = draw(st.sampled_from([True, False, None]))
        churn = draw(st.one_of(st.none(), days)) if churned else None
        customers.append((customer, signup, churn, churned))
    channel = {c: draw(st.sampled_from(["Ads", "Email", None])) for c in ids}
    plan = {c: draw(st.sampled_from(["Free", "Pro", None])) for c, *_ in customers}
    return purchases, customers, channel, plan


def reference_inputs(purchases, customers, channel, plan):
    p = pd.DataFrame(purchases, columns=["customer_id", "purchased_at", "amount"])
    p["purchased_at"] = pd.to_datetime(p["purchased_at"], format="mixed")
    p["amount"] = p["amount"].astype(float)
    c = pd.DataFrame(customers, columns=["customer_id", "signup_date", "churn_date", "churned"]).astype(object)
    attributes: dict[str, dict] = {}
    first_rows = p.reset_index().sort_values(["purchased_at", "index"]).drop_duplicates("customer_id")
    for customer in first_rows["customer_id"]:
        if channel.get(customer) is not None:
            attributes.setdefault(customer, {})["channel"] = channel[customer]
    for customer, value in plan.items():
        if value is not None:
            attributes.setdefault(customer, {})["plan"] = value
    return p, c, attributes


def assert_same(ours: pd.DataFrame, theirs: pd.DataFrame):
    key = ["segment", "cohort", "period"]
    ours = ours.assign(segment=ours["segment"].fillna("")).sort_values(key).reset_index(drop=True)
    theirs = theirs.assign(segment=theirs["segment"].fillna("")).sort_values(key).reset_index(drop=True)
    assert len(ours) == len(theirs)
    for column in ["segment", "cohort", "period", "cohort_size", "active", "complete", "small"]:
        assert ours[column].tolist() == theirs[column].tolist(), column
    for column in ["revenue", "revenue_per_customer", "retention_pct"]:
        for a, b in zip(ours[column], theirs[column]):
            assert (pd.isna(a) and pd.isna(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (column, a, b)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=datasets(), grain=st.sampled_from(cohorts.GRAINS), mode=st.sampled_from(cohorts.MODES),
       cohort_by=st.sampled_from(cohorts.COHORT_BASES), as_of=st.one_of(st.none(), days),
       segment=st.sampled_from([None, "channel", "plan"]),
       filters=st.sampled_from([None, {"channel": ["Ads"]}, {"channel": ["Ads", "Email"], "plan": ["Pro"]}]),
       cohort_from=st.one_of(st.none(), days), cohort_to=st.one_of(st.none(), days),
       min_customers=st.integers(1, 4))
def test_matrix_agrees_with_reference(data, grain, mode, cohort_by, as_of, segment, filters, cohort_from,
                                      cohort_to, min_customers):
    con = load(data[0], data[1], data[2], data[3])
    p, c, attributes = reference_inputs(*data)
    params = dict(mode=mode, cohort_by=cohort_by, as_of=as_of, segment=segment, filters=filters,
                  cohort_from=cohort_from, cohort_to=cohort_to, min_customers=min_customers)
    iso = {name: value and value.isoformat() for name, value in params.items() if isinstance(value, dt.date)}
    ours = cohorts.matrix(con, period=grain, **{**params, **iso})
    theirs = ref.matrix(p, c, attributes, grain=grain, **params)
    assert_same(ours, theirs)
    if mode in ("classic", "rolling") and segment is None:
        curve = cohorts.average_curve(ours, mode=mode)
        expected = ref.average_curve(theirs)
        if expected.empty:
            assert curve.empty
        else:
            got = curve[["period", "cohorts", "customers", "retained"]].astype("int64")
            assert got.to_dict("list") == expected.astype("int64").to_dict("list")


@settings(max_examples=15, deadline=None)
@given(data=datasets())
def test_default_analysis_date_is_the_last_date(data):
    con = load(data[0], data[1], data[2], data[3])
    p, c, _ = reference_inputs(*data)
    assert cohorts.default_as_of(con) == ref.default_as_of(p, c).isoformat()


# --- averages, intervals, summaries ----------------------------------------------------------------------

def _cells(rows):
    frame = pd.DataFrame(rows, columns=["segment", "cohort", "period", "cohort_size", "active", "revenue",
                                        "revenue_per_customer", "complete"])
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    frame["retention_pct"] = np.where(frame["period"] >= 0, 100 * frame["active"] / frame["cohort_size"], 0)
    frame["small"] = frame["cohort_size"] < 30
    return frame


def test_average_curve_weighted_simple_and_incomplete():
    cells = _cells([
        (None, "2024-01-01", 0, 100, 100, 1000.0, 10.0, True), (None, "2024-01-01", 1, 100, 40, 500.0, 15.0, True),
        (None, "2024-02-01", 0, 10, 10, 100.0, 10.0, True), (None, "2024-02-01", 1, 10, 1, 80.0, 18.0, False),
        (None, "2024-03-01", 0, 50, 50, 600.0, 12.0, True),
    ])
    weighted = cohorts.average_curve(cells)
    assert weighted["customers"].tolist() == [160, 100]  # the incomplete Feb k = 1 cell is left out
    assert weighted["retention_pct"].tolist() == pytest.approx([100, 40])
    assert weighted["cohorts"].tolist() == [3, 1]
    simple = cohorts.average_curve(cells, average="simple")
    assert simple["retention_pct"].tolist() == pytest.approx([100, 40])
    assert simple["ci_low_pct"].isna().all()
    two = cells.copy()
    two.loc[3, "complete"] = True
    assert cohorts.average_curve(two)["retention_pct"].tolist()[1] == pytest.approx(100 * 41 / 110)
    assert cohorts.average_curve(two, average="simple")["retention_pct"].tolist()[1] == pytest.approx(25)
    revenue = cohorts.average_curve(two, mode="revenue")
    assert revenue["retention_pct"].tolist()[1] == pytest.approx(100 * 580 / 1100)
    assert revenue["revenue_per_customer"].tolist()[1] == pytest.approx((15 * 100 + 18 * 10) / 110)
    assert cohorts.average_curve(cells, min_customers=120)["small"].tolist() == [False, True]


def test_wilson_matches_scipy():
    from scipy.stats import binomtest

    from retention.metrics import stats

    for k, n in [(0, 1), (1, 1), (3, 10), (41, 110), (500, 1000), (0, 30), (30, 30)]:
        low, high = stats.wilson([k], [n])
        expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert (low[0], high[0]) == pytest.approx((expected.low, expected.high), abs=1e-12)
    assert np.isnan(stats.wilson([0], [0])[0][0])


def test_kaplan_meier_by_hand():
    from retention.metrics import stats

    # durations 1, 2+, 3, 3, 4+, 5 (+ = censored): S(1) = 5/6, S(3) = 5/6 · 2/4, S(5) = 0
    table = pd.DataFrame({"time": [1, 2, 3, 4, 5], "events": [1, 0, 2, 0, 1], "censored": [0, 1, 0, 1, 0]})
    km = stats.kaplan_meier(table)
    assert km["at_risk"].tolist() == [6, 5, 4, 2, 1]
    assert km["survival"].tolist() == pytest.approx([5 / 6, 5 / 6, 5 / 12, 5 / 12, 0])
    # Greenwood at t = 3: Σ d/(n(n−d)) = 1/30 + 2/8; log−log interval
    s, var_sum = 5 / 12, 1 / 30 + 2 / 8
    spread = 1.959963984540054 * math.sqrt(var_sum) / abs(math.log(s))
    assert km.loc[2, "ci_low"] == pytest.approx(s ** math.exp(spread))
    assert km.loc[2, "ci_high"] == pytest.approx(s ** math.exp(-spread))
    assert km.loc[4, ["ci_low", "ci_high"]].tolist() == [0, 0]


def test_tenure_survival_from_sql():
    con = load([("a", "2024-01-01", 1)], [("x", None, None, True), ("y", None, None, False)])
    con.execute("drop table customers")
    con.execute("""create table customers as select * from (values
        ('u1', 1, true, 'Fiber'), ('u2', 2, false, 'Fiber'), ('u3', 3, true, 'Fiber'), ('u4', 3, true, 'DSL'),
        ('u5', 4, false, 'DSL'), ('u6', 5, true, 'DSL'), ('u7', null, true, 'DSL'), ('u8', 6, null, 'DSL'))
        as t(customer_id, tenure, churned, internet)""")
    con.execute("insert into customer_attributes select customer_id, 'internet', internet, 'customers' from customers")
    both = cohorts.tenure_survival(con)
    assert both["period"].tolist() == [1, 2, 3, 4, 5]
    assert both["customers"].tolist() == [6, 5, 4, 2, 1]
    assert both["retention_pct"].tolist() == pytest.approx([500 / 6, 500 / 6, 500 / 12, 500 / 12, 0])
    split = cohorts.tenure_survival(con, segment="internet")
    fiber = split[split["segment"] == "Fiber"]
    assert fiber["retention_pct"].tolist() == pytest.approx([200 / 3, 200 / 3, 0])
    dsl = cohorts.tenure_survival(con, filters={"internet": ["DSL"]})
    assert dsl["period"].tolist() == [3, 4, 5] and dsl["retention_pct"].tolist() == pytest.approx([200 / 3, 200 / 3, 0])


def test_survival_curve_is_kaplan_meier_over_staggered_cohorts():
    # cohort A: 10 customers, complete through k = 2: 10 → 8 → 6; cohort B: 10, complete through k = 0: 10 → 5
    cells = _cells([(None, "2024-01-01", 0, 10, 10, None, None, True), (None, "2024-01-01", 1, 10, 8, None, None, True),
                    (None, "2024-01-01", 2, 10, 6, None, None, True), (None, "2024-02-01", 0, 10, 5, None, None, True),
                    (None, "2024-02-01", 1, 10, 5, None, None, False)])
    curve = cohorts.average_curve(cells, mode="survival")
    # k=0: 20 at risk, 5 leave → 0.75; k=1: 10 at risk (A only), 2 leave → 0.75·0.8; k=2: 8, 2 → ·0.75
    assert curve["customers"].tolist() == [20, 10, 8]
    assert curve["retention_pct"].tolist() == pytest.approx([75, 60, 45])
    assert curve["cohorts"].tolist() == [2, 1, 1]


def test_period_over_time_and_summary():
    cells = _cells([(None, f"2024-{m:02d}-01", k, 100, a, None, None, m + k <= 6)
                    for m, ones in zip(range(1, 7), [20, 22, 25, 30, 31, 99]) for k, a in ((0, 100), (1, ones))])
    series = cohorts.period_over_time(cells, k=1)
    assert series["retention_pct"].tolist() == [20, 22, 25, 30, 31, 99]
    assert series["complete"].tolist() == [True] * 5 + [False]
    assert (series["ci_low_pct"] < series["retention_pct"]).all()
    numbers = cohorts.summary(cells, k=1, window=3)
    assert numbers["latest_cohort"] == pd.Timestamp("2024-05-01") and numbers["latest_pct"] == 31
    assert numbers["first_cohort"] == pd.Timestamp("2024-03-01") and numbers["first_pct"] == 25
    assert numbers["average_pct"] == pytest.approx(128 / 5)
    assert cohorts.summary(cells, k=7) == {}


def test_summary_leaves_out_cohorts_below_the_minimum_sample():
    # CDNOW-like: three big cohorts, then a cohort of 2 customers (first positive purchase months later)
    cells = _cells([(None, c, k, n, a, None, None, True) for c, n, ones in
                    (("1997-01-01", 7814, 1155), ("1997-02-01", 8455, 1353), ("1997-03-01", 7231, 1012),
                     ("1997-11-01", 2, 0)) for k, a in ((0, n), (1, ones))])
    numbers = cohorts.summary(cells, k=1, window=6)
    assert numbers["latest_cohort"] == pd.Timestamp("1997-03-01") and numbers["latest_size"] == 7231
    assert numbers["first_cohort"] == pd.Timestamp("1997-01-01") and numbers["cohorts"] == 3
    only_small = _cells([(None, "2024-01-01", 0, 5, 5, None, None, True), (None, "2024-01-01", 1, 5, 2, None, None, True)])
    assert cohorts.summary(only_small, k=1)["latest_pct"] == 40  # nothing larger: the small one is still said


def test_trend_of_the_summary_window():
    assert cohorts.trend({"first_pct": 25.0, "latest_pct": 31.0}) == "risen"
    assert cohorts.trend({"first_pct": 25.0, "latest_pct": 24.0}) == "fallen"
    assert cohorts.trend({"first_pct": 25.0, "latest_pct": 25.5}) == "level"  # within half a point either way
    assert cohorts.trend({"first_pct": 25.0, "latest_pct": 24.5}) == "level"


@pytest.mark.parametrize("have, modes, bases", [
    (dict(customers_first_purchase=True, has_amounts=True, customers_survival=False, customers_signup=False),
     ["classic", "rolling", "revenue"], ["first_purchase"]),
    (dict(customers_first_purchase=True, has_amounts=False, customers_survival=True, customers_signup=True),
     ["classic", "rolling", "survival"], ["first_purchase", "signup"]),
    (dict(customers_first_purchase=False, has_amounts=True, customers_survival=True, customers_signup=True),
     ["survival"], ["signup"]),  # a customers file with dates: no purchases, so no revenue either
    (dict(customers_first_purchase=False, has_amounts=False, customers_survival=False, customers_signup=False),
     [], []),
])
def test_modes_and_bases_the_data_allows(have, modes, bases):
    info = pd.Series({k: np.bool_(v) for k, v in have.items()})
    assert (cohorts.available_modes(info), cohorts.available_bases(info)) == (modes, bases)
