"""Issue #21: every page's headline figures (its st.metric values and the numbers of its headline sentences) equal
the independent plain-Python references of tests/helpers, formatted as the page formats them (English). One small
generated purchases file (tests/helpers/reference_churn.purchase_file: refunds, zero amounts, same-day repeats,
lapses and returns) saved once for the module; each page is run once (AppTest). Nothing expected here comes from
retention.metrics: the references compute every figure from the file's rows.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from tests.conftest import app_data_dir, open_page
from tests.helpers import (page_text, reference_bgnbd, reference_churn, reference_cohorts, reference_headline,
                           reference_impact, reference_overview, reference_upload, reference_whatif)
from tests.helpers.page_text import metrics, months, pct

SEED, CUSTOMERS, WINDOW = 5, 150, 90
LAUNCH = dt.date(2024, 3, 1)
Z95 = 1.959963984540054


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """(data directory, dataset id, the file's rows as (customer_id, day, amount), the file's bytes)."""
    frame = reference_churn.purchase_file(SEED, n=CUSTOMERS)
    data = frame.to_csv(index=False).encode()
    path = tmp_path_factory.mktemp("headline-values")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_DATA_DIR", str(path))
        dataset_id, _ = store.create_dataset(prepare(data, "orders.csv", "purchases"), None, name="Shop")
    return path, dataset_id, reference_churn.purchase_rows(frame), data


@pytest.fixture
def run_page(shop, monkeypatch):
    """open(page, **query): the page on the module's dataset (Streamlit's caches emptied around the test)."""
    path, dataset_id, _, _ = shop
    with app_data_dir(path, monkeypatch):
        yield lambda name, **query: open_page(f"pages/{name}.py", dataset=dataset_id, **query)


@pytest.fixture(scope="module")
def want(shop):
    """Every figure the pages show, from the references."""
    _, _, rows, _ = shop
    frame = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    as_of, first = max(frame["day"]), min(frame["day"])
    kept = reference_headline.retention(reference_headline.purchase_active(frame, as_of, WINDOW), first, as_of,
                                        warm_until=first + dt.timedelta(days=WINDOW))
    assert kept["months"] == 12  # a whole year: the year is measured, not compounded
    month1 = reference_headline.month1_cohorts(frame, as_of)
    repeat = reference_headline.repeat_rate(frame, as_of)
    table = reference_churn.period_table(reference_churn.buyers(rows, as_of, WINDOW), as_of, "month")
    used = [r for r in table if kept["window"][0] <= r["period_start"] <= kept["window"][1]]
    assert len(used) == 12
    cs = sum(r["customers_start"] for r in used)
    # the same months a year earlier (Benchmarks): those the data has, outside the warm-up as in the headline
    warm_until = min(p.first_day() for p in reference_churn.buyers(rows, as_of, WINDOW).values()) \
        + dt.timedelta(days=WINDOW)
    earlier = [r for r in table if r["period_start"].year == kept["window"][0].year - 1 and r["customers_start"]]
    year_before = {warm: 100 * sum(r["retained"] for r in rs) / sum(r["customers_start"] for r in rs) for warm, rs in (
        (False, [r for r in earlier if r["period_end"] >= warm_until]), (True, earlier))}
    crr = 100 * (sum(r["customers_end"] for r in used) - sum(r["new_customers"] for r in used)) / cs
    purchases = pd.DataFrame({"customer_id": frame["customer_id"], "purchased_at": pd.to_datetime(frame["day"]),
                              "amount": frame["amount"], "row_no": range(2, len(frame) + 2)})
    no_customers = pd.DataFrame(columns=["customer_id", "signup_date", "churn_date", "churned"])
    cells = reference_cohorts.matrix(purchases, no_customers, {}, grain="month")
    assert all(r["complete"] for r in table[-12:])  # the model's twelve months: the last twelve, all complete
    s = reference_bgnbd.summary(rows)
    params = reference_bgnbd.fit(s)
    money = reference_bgnbd.monetary(rows)
    gg = reference_bgnbd.gamma_gamma_fit(s["x"], money)
    value = reference_bgnbd.purchase_value(gg, s["x"], money)
    return {"totals": reference_overview.totals(rows), "active": reference_overview.active_at(rows, as_of, WINDOW),
            "returning": reference_overview.returning_share(rows), "kept": kept, "month1": month1,
            "repeat": repeat, "crr": crr, "year_before": year_before,
            "cohort_lead": reference_cohorts.lead(cells, k=1, window=6),
            "p_alive": reference_bgnbd.p_alive(params, s),
            "model_month": reference_bgnbd.model_retention(rows, params, [(r["period_start"], r["period_end"])
                                                                          for r in table[-12:]]),
            "expected_12": reference_bgnbd.expected_purchases(params, s, 365.25 / 7),
            "value_12": reference_bgnbd.expected_value(params, s, value, 12), "spend_model": gg,
            "whatif": reference_whatif.measured(rows, kept["direct"], WINDOW),
            "launch": reference_impact.launch_sides(rows, LAUNCH, k=3), "as_of": as_of, "first": first}


# --- how the pages write numbers (English; tests/helpers/page_text.py for the shared ones) -----------------------


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The 95% Wilson score interval, in %."""
    p, z2 = successes / trials, Z95 ** 2
    centre, half = (p + z2 / (2 * trials)) / (1 + z2 / trials), \
        Z95 * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials ** 2)) / (1 + z2 / trials)
    return 100 * (centre - half), 100 * (centre + half)


def texts(at) -> str:
    return "\n".join(e.value for e in list(at.markdown) + list(at.caption) + list(at.info) + list(at.success)
                     + list(at.warning))


def chart_titles(at) -> list[str]:
    specs = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    return [spec["title"]["text"].replace("<br>", " ") for spec in specs if "title" in spec]  # long titles wrap


def month1_window(want) -> str:
    """The month-1 cohorts' window: the twelve months before the last complete month, from the data's first."""
    as_of = want["as_of"]
    last = pd.Timestamp(as_of.replace(day=1))  # the last complete month
    if (last + pd.offsets.MonthEnd(0)).date() > as_of:
        last -= pd.DateOffset(months=1)
    first = max((last - pd.DateOffset(months=12)).date(), want["first"].replace(day=1))
    return months(first, (last - pd.DateOffset(days=1)).date())


# --- the pages ---------------------------------------------------------------------------------------------------


def test_reference_checks_its_own_small_case():
    """The new references on rows small enough to count by hand."""
    rows = [("a", dt.date(2024, 1, 5), 10.0), ("a", dt.date(2024, 1, 5), 5.0), ("a", dt.date(2024, 2, 3), -4.0),
            ("b", dt.date(2024, 1, 20), 0.0), ("b", dt.date(2024, 2, 10), 7.0), ("c", dt.date(2024, 2, 28), -2.0),
            ("a", dt.date(2024, 3, 1), 3.0)]
    t = reference_overview.totals(rows)
    # 3 ids (c only refunded), 2 buyers, orders a 5 Jan, b 10 Feb, a 1 Mar; 10 + 5 − 4 + 0 + 7 − 2 + 3 = 19
    assert (t["customers"], t["buyers"], t["orders"], t["revenue"]) == (3, 2, 3, 19.0)
    # 31 Jan with a 30-day window: a (5 Jan) only; 10 Feb: a (5 Jan + 30 = 4 Feb, gone) no, b yes
    assert reference_overview.active_at(rows, dt.date(2024, 1, 31), 30) == 1
    assert reference_overview.active_at(rows, dt.date(2024, 2, 10), 30) == 1
    # last complete month February (data to 1 March): its buyer b first bought in February: 0% returning
    assert reference_overview.returning_share(rows) == (dt.date(2024, 2, 1), 0.0)
    # the upload reference: a bad date, a word for an amount and a blank id are the three rejected rows
    data = (b"customer_id,order_date,amount\na,2024-01-05,10\nb,2024-02-30,5\nc,2024-01-07,abc\n,2024-01-08,4\n"
            b"a,2024-01-09,-3\n")
    assert reference_upload.counts(data) == {"read": 5, "used": 2, "rejected": 3, "customers": 1}
    # the what-if scenario: 64% a year is 96.35% a month (0.64^(1/12)); +5 points → 69% a year
    s = reference_whatif.annual_points_scenario(64.0, 5)
    assert s["month"] == pytest.approx(96.3492, abs=1e-4) and s["month_after"] == pytest.approx(96.9551, abs=1e-4)
    assert s["churn_cut"] == pytest.approx(100 * (s["month_after"] - s["month"]) / (100 - s["month"]))
    # margin 10 a month, no discount, two months, retention 50% → 100%, 2 customers, 1 new a month costing 3:
    # a customer's value 10·0.5 + 10·0.25 = 7.5 → 20 (at month starts 15 → 20); profit 17 + 17 = 34 → 27 + 37 = 64
    o = reference_whatif.outcomes(2, 0.5, 1.0, 100, 10, 1, 3, 0, 2)
    assert o["profit_change"] == pytest.approx(30) and o["base_value"] == pytest.approx(40)
    assert o["base_value_change"] == pytest.approx(25) and o["new_value"] == pytest.approx(17)
    assert o["new_value_change_pct"] == pytest.approx(100 * (17 / 4.5 - 1)) and o["break_even"] == pytest.approx(2.5)


def test_reference_checks_its_cohort_and_launch_cases():
    # cohorts at period 1: Jan 10 of 40, Feb 5 of 10 (below the minimum sample), Mar 20 of 50; Apr not complete
    cells = pd.DataFrame([(dt.date(2024, m, 1), 1, size, active, 100 * active / size, m < 4, size < 30)
                          for m, size, active in ((1, 40, 10), (2, 10, 5), (3, 50, 20), (4, 30, 3))],
                         columns=["cohort", "period", "cohort_size", "active", "retention_pct", "complete", "small"])
    lead = reference_cohorts.lead(cells, k=1, window=6)
    assert (lead["latest_cohort"], lead["latest_size"], lead["latest_pct"], lead["first_pct"], lead["cohorts"]) == (
        dt.date(2024, 3, 1), 50, 40.0, 25.0, 2)  # the small February cohort left out of the sentence
    assert (lead["average_pct"], lead["average_cohorts"]) == (35.0, 3)  # (10 + 5 + 20) / 100, every complete one
    # launch on 1 Apr, month 1: Jan, Feb, Mar cohorts keep 1 of 2 each (a flat line at 50%), April's 2 of 2; June's
    # cohort has not completed July by 30 June
    day = dt.date
    rows = [("a1", day(2024, 1, 3), 10), ("a1", day(2024, 2, 5), 10), ("a2", day(2024, 1, 10), 10),
            ("b1", day(2024, 2, 2), 10), ("b1", day(2024, 3, 2), 10), ("b2", day(2024, 2, 3), 10),
            ("c1", day(2024, 3, 1), 10), ("c1", day(2024, 4, 1), 10), ("c2", day(2024, 3, 5), 10),
            ("d1", day(2024, 4, 2), 10), ("d1", day(2024, 5, 2), 10), ("d2", day(2024, 4, 3), 10),
            ("d2", day(2024, 5, 20), 10), ("e1", day(2024, 6, 30), 5)]
    got = reference_impact.launch_sides(rows, day(2024, 4, 1), k=1)
    assert (got["after"], got["before"]) == (2, 6)
    assert got["naive_pp"] == pytest.approx(50) and got["effect_pp"] == pytest.approx(50)


def test_bgnbd_reference_reproduces_the_paper():
    """Fader, Hardie & Lee (2005) on the CDNOW cohort: r, α, a, b = 0.243, 4.414, 0.793, 2.426, LL −9582.4; their
    customer 1 (x = 2, t_x = 30.43, T = 38.86 weeks) is alive with 0.727 and buys 1.226 times in the next 39 weeks;
    Gamma-Gamma p, q, γ = 6.25, 3.74, 15.44 (their 2005 "RFM and CLV" paper, 946 repeat buyers)."""
    from tests.helpers import cdnow_data

    paper = pd.read_csv(cdnow_data.FIXTURE.parent / "cdnow_customers_summary.csv")
    s = {"x": paper["frequency"].to_numpy(float), "t_x": paper["recency"].to_numpy(float),
         "T": paper["T"].to_numpy(float)}
    params = reference_bgnbd.fit(s)
    assert [round(params[k], 3) for k in ("r", "alpha", "a", "b")] == [0.243, 4.414, 0.793, 2.426]
    assert reference_bgnbd.log_likelihood([params[k] for k in ("r", "alpha", "a", "b")], **s) == pytest.approx(
        -9582.4, abs=0.05)
    # Gamma-Gamma on the same customers' repeat purchase days up to 30 Sep 1997 (the paper's calibration period)
    sample = cdnow_data.purchases()
    sample = sample[sample["order_date"] <= "1997-09-30"]
    rows = reference_churn.purchase_rows(sample)
    x = reference_bgnbd.summary(rows)["x"]
    gg = reference_bgnbd.gamma_gamma_fit(x, reference_bgnbd.monetary(rows))
    assert [round(gg[k], 2) for k in ("p", "q", "gamma")] == [6.25, 3.74, 15.44]
    one = {"x": pd.Series([2.0]).to_numpy(), "t_x": pd.Series([30.43]).to_numpy(), "T": pd.Series([38.86]).to_numpy()}
    assert reference_bgnbd.p_alive(params, one)[0] == pytest.approx(0.727, abs=5e-4)
    assert round(reference_bgnbd.expected_purchases(params, one, 39)[0], 3) == 1.226


def test_overview(run_page, want):
    at = run_page("overview")
    shown = metrics(at)
    t, kept = want["totals"], want["kept"]
    window = months(*kept["window"])
    assert shown["Customers"] == f"{t['customers']:,}"
    assert shown["Active customers"] == f"{want['active']:,}"
    assert shown["Purchases"] == f"{t['orders']:,}"
    assert shown["Revenue"] == f"{t['revenue']:,.0f}"
    assert shown[f"Customers kept over a year ({window})"] == pct(kept["direct"])
    assert shown[f"Customers kept per month ({window})"] == pct(kept["month"])
    assert shown[f"Came back the next month ({month1_window(want)})"] == pct(want["month1"]["value"])
    assert shown[f"Repeat-purchase rate ({months(want['first'], want['as_of'])})"] == pct(want["repeat"]["value"])
    body = texts(at)
    assert (f"Of the customers we had at the start of {window}, **{pct(kept['direct'])}** were still customers at "
            f"its end; month by month, **{pct(kept['month'])}** stayed and **{pct(100 - kept['month'])}** left.") in body
    lead = want["cohort_lead"]
    size = lead["latest_size"]
    assert (f"Of the {want['month1']['customers']:,} customers who first bought in {month1_window(want)}, "
            f"**{pct(want['month1']['value'])}** bought again in the next calendar month. The latest cohort "
            f"({lead['latest_cohort']:%B %Y}, {size:,} customer{'s' * (size != 1)}): {pct(lead['latest_pct'])}.") in body
    assert f"Your annual customer retention of {pct(kept['direct'])} is " in body  # "How do we compare?"
    month, share = want["returning"]
    assert f"In {month:%B %Y}, {share:.0f}% of buyers were returning customers" in chart_titles(at)


def test_churn(run_page, want):
    at = run_page("churn")
    shown = metrics(at)
    kept = want["kept"]
    window = months(*kept["window"])
    assert shown[f"Customers kept over a year ({window})"] == pct(kept["direct"])
    assert shown[f"Customers kept per month ({window})"] == pct(kept["month"])
    assert shown[f"Customers lost per month ({window})"] == pct(100 - kept["month"])
    assert shown["Repeat-purchase rate"] == pct(want["repeat"]["value"])
    # the rate tab (month): the kept share pooled over the same twelve months, the standard formula beside it
    assert shown["Kept per month (active at start and end)"] == pct(kept["month"])
    assert shown["Standard formula (CE − CN) ÷ CS per month"] == pct(want["crr"])
    standard = next(m for m in at.metric if m.label.startswith("Standard formula"))
    assert standard.delta == f"{want['crr'] - kept['month']:+.2f} pts"
    assert shown["Churn per month (standard formula)"] == pct(100 - want["crr"])
    assert shown["Expected active customers (Σ P(alive))"] == f"{want['p_alive'].sum():,.0f}"
    assert shown["Model retention per month"] == pct(want["model_month"])
    assert shown["Model churn per month"] == pct(100 - want["model_month"])
    body = texts(at)
    n = kept["direct_customers"]
    assert (f"Of the {n:,} customers at the start of {window}, **{pct(kept['direct'])}** were still customers at its "
            f"end. Month by month, **{pct(kept['month'])}** stayed and **{pct(100 - kept['month'])}** left.") in body
    assert f"{want['repeat']['value']:.0f}% of buyers bought more than once." in body


def test_cohorts(run_page, want):
    at = run_page("cohorts")
    assert at.markdown[0].value == page_text.cohorts_lead(want["cohort_lead"], "first bought",
                                                         "bought again the next month")


def test_benchmarks(run_page, want):
    at = run_page("benchmarks")
    body = texts(at)
    kept, repeat = want["kept"], want["repeat"]
    assert at.selectbox(key="benchmarks_period").value == "year"  # a whole year in the data
    retained = round(kept["direct"] * kept["direct_customers"] / 100)
    low, high = wilson(retained, kept["direct_customers"])
    assert f"Your annual customer retention of {pct(kept['direct'])} (95% CI {low:.1f}–{pct(high)})" in body
    repeated = round(repeat["value"] * repeat["customers"] / 100)
    low, high = wilson(repeated, repeat["customers"])
    assert f"Your repeat purchase rate of {pct(repeat['value'])} (95% CI {low:.1f}–{pct(high)})" in body
    yoy = f"Monthly customer retention, {months(*kept['window'])}: {pct(kept['month'])} vs "
    assert f"{yoy}{pct(want['year_before'][False])} for the same months a year earlier" in body


def test_whatif(run_page, want):
    at = run_page("whatif")
    w = want["whatif"]
    assert w["months"] == 12
    assert at.number_input(key="whatif_active").value == w["active"]
    assert at.number_input(key="whatif_retention").value == pytest.approx(w["retention_month_pct"], abs=0.005)
    assert at.number_input(key="whatif_new").value == pytest.approx(w["new_per_month"], abs=0.005)
    assert at.number_input(key="whatif_arpu").value == pytest.approx(w["arpu"], abs=0.005)
    # the model runs on its inputs as shown (two decimals): the measured monthly rate rounded, and the year it
    # compounds to (exactly: 84.5431% → 86.8167% a month, shown 86.82%; from 84.54%: 86.8144%, shown 86.81%)
    shown = round(w["retention_month_pct"], 2)
    s = reference_whatif.annual_points_scenario(100 * (shown / 100) ** 12, 5)
    assert pct(s["year"]) == pct(want["kept"]["direct"])
    o = reference_whatif.outcomes(w["active"], shown / 100, s["month_after"] / 100, round(w["arpu"], 2), 30,
                                  round(w["new_per_month"], 2), 0, 10, 60)  # assumed: margin 30%, no CAC, 10% a year
    figures = {m.label: m for m in at.metric}
    assert (figures["More profit over 5 years"].value, figures["More profit over 5 years"].delta) == (
        f"{o['profit_change']:,.0f}", f"{o['profit_change_pct']:+.1f} %")
    assert (figures["Value of today's customers"].value, figures["Value of today's customers"].delta) == (
        f"{o['base_value']:,.0f}", f"{o['base_value_change']:+,.0f}")
    assert (figures["New customer's value"].value, figures["New customer's value"].delta) == (
        f"{o['new_value']:,.2f}", f"{o['new_value_change_pct']:+.1f} %")
    assert figures["Break-even programme cost per customer per month"].value == f"{o['break_even']:,.2f}"
    assert (f"retention per year {pct(s['year'])} → {pct(s['year_after'])}; the model works per month: "
            f"{pct(s['month'], 2)} → {pct(s['month_after'], 2)} per month ({s['points']:+.2f} points, "
            f"{s['churn_cut']:+.1f} % churn cut)") in texts(at)


def test_customers(run_page, want):
    at = run_page("customers")
    shown = metrics(at)
    alive = want["p_alive"]
    assert shown["Customers who bought"] == f"{want['totals']['buyers']:,}" == f"{len(alive):,}"
    assert shown["Expected still active (Σ P(alive))"] == f"{alive.sum():,.0f}"
    assert next(m for m in at.metric if m.label.startswith("Expected still")).delta == \
        f"{pct(100 * alive.sum() / len(alive))} of customers"
    assert shown["Expected purchases, next 12 months"] == f"{want['expected_12'].sum():,.0f}"
    # Gamma-Gamma is degenerate on this file (spend hardly varies between customers: q, γ → ∞ with γ/q fixed, and a
    # purchase is worth the mean repeat-day spend); two fits stop at different points of that ridge, 3·10⁻⁵ apart,
    # which here straddles a rounding step (11,349.3 and 11,349.6): equal up to the shown integer's rounding
    assert abs(int(shown["Expected value, next 12 months"].replace(",", "")) - want["value_12"].sum()) < 1
    # ... and the page says so, with the mean purchase value γp/(q−1) (stable along that ridge)
    gg = want["spend_model"]
    assert gg["q"] > 2_502  # the spread 1/√(q−2) of customers' mean spends is under 2%
    flat = next(c.value for c in at.caption if c.value.startswith("Spend per purchase hardly differs"))
    shown_mean = float(re.search(r"average spend per purchase, ([\d,.]+), rather than", flat).group(1).replace(",", ""))
    assert shown_mean == pytest.approx(gg["gamma"] * gg["p"] / (gg["q"] - 1), abs=0.015)  # a cent: see the ridge above


def test_impact(run_page, want):
    at = run_page("impact", launch=LAUNCH.isoformat())
    shown = metrics(at)
    got = want["launch"]
    assert shown["Customers after the launch"] == f"{got['after']:,}"
    assert shown["Customers before the launch"] == f"{got['before']:,}"
    assert shown["Plain difference (no trend, no matching)"] == f"{got['naive_pp']:+.1f} points"
    assert shown["Effect on month-3 retention"] == f"{got['effect_pp']:+.1f} points"
    effect = next(m for m in at.metric if m.label == "Effect on month-3 retention")
    assert effect.delta == f"95%: {got['low_pp']:+.1f} to {got['high_pp']:+.1f}"


def test_upload(shop, monkeypatch, tmp_path):
    """The upload page's counts on the module's file with three broken rows added."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    data = shop[3] + b"X1,2024-02-30,5\nX2,2024-03-01,twelve\n,2024-03-02,4\n"
    want = reference_upload.counts(data)
    assert want["rejected"] == 3
    with app_data_dir(tmp_path, monkeypatch):
        at = AppTest.from_file(APP, default_timeout=120).run()
        at.switch_page("pages/data.py").run()
        at.file_uploader(key="data_purchases_file").set_value(("orders.csv", data, "text/csv")).run()
        assert not at.exception, at.exception
        shown = metrics(at)
    assert shown["Rows read"] == f"{want['read']:,}"
    assert shown["Rows used"] == f"{want['used']:,}"
    assert shown["Rows rejected"] == f"{want['rejected']:,}"
    assert shown["Customers"] == f"{want['customers']:,}"


def test_one_cohort_has_no_trend_in_the_cohorts_lead():
    """CDNOW by quarter: one large cohort (1997 Q1) and a small one completed quarter 1. The lead said 'has stayed
    about level, from 23% to 23%, over the last 1 cohorts'; a single cohort has no trend, and the sentence says so."""
    from retention.ui_text import cohorts as words

    one = {"latest_cohort": dt.date(1997, 1, 1), "latest_size": 23_500, "latest_pct": 23.4, "first_pct": 23.4,
           "cohorts": 1, "average_pct": 23.1, "average_cohorts": 2}
    assert words.lead(one, "level", "classic", "first_purchase", "month") == page_text.cohorts_lead(
        one, "first bought", "bought again the next month")
    assert "no trend yet" in words.lead(one | {"average_cohorts": 1}, "level", "classic", "first_purchase", "month")
    assert "weighted average with the smaller ones: 23%" in words.lead(one, "level", "classic", "first_purchase",
                                                                        "month")
