"""Churn reasons (retention.metrics.reasons): normalisation, the no-reason bucket, folding, and the counts
overall, by segment, over time, by tenure and by lost revenue — each checked against counts computed
independently in the test (from the generator's true labels or by plain loops)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import reasons

# The generated files use ref.LABELS; "Moved away" is in the default synonym file, the others map to
# themselves, so the default mapping must give back exactly the true labels.


def test_normalise():
    assert reasons.normalise("  Too_EXPENSIVE! ") == "too expensive"
    assert reasons.normalise("Ｔｏｏ　ｅｘｐｅｎｓｉｖｅ") == "too expensive"  # full-width letters and space
    assert reasons.normalise("Zu  teuer\t") == "zu teuer"
    assert reasons.normalise("«Trop cher»") == "trop cher"
    assert reasons.normalise("") == "" and reasons.normalise(None) == ""


def test_label_map_spelling_synonyms_and_blanks():
    raw = pd.DataFrame({"raw": ["Network reliability", "network  RELIABILITY", "NETWORK RELIABILITY",
                                "zu teuer", "payment_failed", "", "n/a"],
                        "churned": [5, 1, 1, 2, 1, 4, 1]})
    got = reasons.label_map(raw, synonyms=[["Zu Teuer", "Too expensive"], ["N/A", reasons.NO_REASON]])
    assert got["reason"].tolist() == (["Network reliability"] * 3 + ["Too expensive", "Payment failed"]
                                      + [reasons.NO_REASON] * 2)


def test_rare_reasons_fold_into_other_but_no_reason_never_does():
    raw = pd.DataFrame({"raw": ["a", "b", "c", ""], "churned": [90, 6, 3, 1]})
    got = reasons.label_map(raw, synonyms=[], min_share_pct=5)
    assert dict(zip(got["raw"], got["reason"])) == {"a": "a", "b": "b", "c": reasons.OTHER, "": reasons.NO_REASON}


def test_default_synonym_file_reads():
    pairs = reasons.read_synonyms()
    lookup = {reasons.normalise(v): label for v, label in pairs}
    assert lookup["too expensive"] == "Too expensive"
    assert lookup["zu teuer"] == "Too expensive"
    assert lookup["n/a"] == reasons.NO_REASON


# --- Generated subscription files --------------------------------------------------------------------

@pytest.fixture(scope="module", params=[11, 12])
def case(request):
    frame = ref.subscription_file(request.param, n=200)
    return frame, ref.load(customers=frame, customer_segments=["plan"])


def churned_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["cancel_date"] != "") | (frame["status"] == "Churned")]


def test_counts_match_true_labels(case):
    frame, con = case
    leavers = churned_rows(frame)
    expected = Counter(t if t else reasons.NO_REASON for t in leavers["truth"])
    got = reasons.reason_counts(con)
    assert dict(zip(got["reason"], got["churned"])) == dict(expected)
    assert got["share_pct"].sum() == pytest.approx(100)
    assert got["cumulative_pct"].iloc[-1] == pytest.approx(100)
    assert got["churned"].is_monotonic_decreasing


def test_by_segment_matches_plain_counts(case):
    frame, con = case
    leavers = churned_rows(frame)
    table = Counter((p, t if t else reasons.NO_REASON) for p, t in zip(leavers["plan"], leavers["truth"]))
    seg_total = Counter(leavers["plan"])
    reason_total = Counter(t if t else reasons.NO_REASON for t in leavers["truth"])
    n = len(leavers)
    got = reasons.reasons_by_segment(con, segment="plan")
    assert len(got) == len(seg_total) * len(reason_total)  # zero cells included
    for r in got.itertuples():
        observed = table[(r.segment, r.reason)]
        assert r.churned == observed
        assert r.share_pct == pytest.approx(100 * observed / seg_total[r.segment])
        assert r.index == pytest.approx((observed / seg_total[r.segment]) / (reason_total[r.reason] / n) * 100)
        e = seg_total[r.segment] * reason_total[r.reason] / n
        v = e * (1 - seg_total[r.segment] / n) * (1 - reason_total[r.reason] / n)
        assert r.residual == pytest.approx((observed - e) / np.sqrt(v))


def test_over_time_counts_dated_churns_only(case):
    frame, con = case
    leavers = churned_rows(frame)
    dated = leavers[leavers["cancel_date"] != ""]
    expected = Counter((c[:7], t if t else reasons.NO_REASON) for c, t in zip(dated["cancel_date"], dated["truth"])
                       if c <= "2024-12-20")
    got = reasons.reasons_over_time(con, as_of="2024-12-20")
    got = got[got["churned"] > 0]
    cells = zip(got["period_start"], got["reason"], got["churned"])
    assert {(p.strftime("%Y-%m"), r): c for p, r, c in cells} == dict(expected)
    assert not got["complete"].iloc[-1]


def test_tenure_bands(case):
    frame, con = case
    leavers = churned_rows(frame)
    edges = [0, 1, 3, 6, 12]
    expected = Counter()
    for r in leavers.itertuples():
        label = r.truth if r.truth else reasons.NO_REASON
        if r.cancel_date and r.signup_date:
            months = max((dt.date.fromisoformat(r.cancel_date) - dt.date.fromisoformat(r.signup_date)).days, 0) / 30.4375
            band = max(i for i, e in enumerate(edges, 1) if e <= months)
        else:
            band = None
        expected[(label, band)] += 1
    got = reasons.reasons_by_tenure(con, band_edges=edges)
    cells = {(r.reason, None if pd.isna(r.band_no) else int(r.band_no)): r.churned for r in got.itertuples()}
    assert cells == dict(expected)


def test_custom_synonyms_and_folding(case):
    frame, con = case
    merged = reasons.reason_counts(con, synonyms=[["moved away", "Too expensive"]], min_share_pct=0)
    leavers = churned_rows(frame)
    assert merged.set_index("reason").loc["Too expensive", "churned"] == leavers["truth"].isin(
        ["Too expensive", "Moved away"]).sum()
    folded = reasons.reason_counts(con, min_share_pct=99)
    assert set(folded["reason"]) <= {reasons.OTHER, reasons.NO_REASON}
    assert folded["churned"].sum() == len(leavers)


def test_lost_revenue_per_reason():
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D"],
        "signup_date": ["2024-01-01"] * 4,
        "cancel_date": ["2024-03-10", "2024-02-20", "2024-04-01", ""],
        "churn_reason": ["Too expensive", "too expensive", "", ""],
    })
    purchases = pd.DataFrame([
        ("A", "2024-01-05", 30), ("A", "2024-02-05", 30), ("A", "2024-03-05", 30),   # 90 over Jan–Mar: 30/month
        ("B", "2024-02-01", 100), ("B", "2024-02-10", -20),                         # 80 in Feb only: 80/month
        ("D", "2024-01-02", 500),                                                    # not churned
    ], columns=["customer_id", "order_date", "amount"])
    got = reasons.lost_revenue_by_reason(ref.load(purchases=purchases, customers=customers)).set_index("reason")
    assert got.loc["Too expensive", "lost_per_period"] == pytest.approx(30 + 80)
    assert got.loc["Too expensive", "revenue_to_date"] == pytest.approx(170)
    assert got.loc["Too expensive", "with_purchases"] == 2
    assert got.loc[reasons.NO_REASON, ["churned", "with_purchases"]].tolist() == [1, 0]
    quarterly = reasons.lost_revenue_by_reason(ref.load(purchases=purchases, customers=customers), period="quarter")
    assert quarterly.set_index("reason").loc["Too expensive", "lost_per_period"] == pytest.approx(90 + 80)


def test_unknown_churn_with_a_reason_counts_as_churned():
    # An exit-survey export: no status, no cancel date, only reasons.
    con = ref.load(customers=pd.DataFrame({"customer_id": ["A", "B", "C"], "churn_reason": ["Zu teuer", "Trop cher", ""]}))
    got = reasons.reason_counts(con)
    assert dict(zip(got["reason"], got["churned"])) == {"Too expensive": 2}


def test_no_customers_file_gives_empty_tables():
    con = ref.load(purchases=pd.DataFrame([("A", "2024-01-05", 30)], columns=["customer_id", "order_date", "amount"]))
    assert reasons.reason_counts(con).empty
    assert reasons.reasons_over_time(con).empty
    assert reasons.reasons_by_segment(con, segment="plan").empty
    assert reasons.lost_revenue_by_reason(con).empty
    assert reasons.reasons_by_tenure(con).empty


def test_reasons_as_written_are_grouped_case_and_space_insensitively():
    frame = pd.DataFrame({"customer_id": list("ABCD"), "status": ["Yes"] * 4,
                          "churn_reason": ["Network reliability", "network reliability", "NETWORK  RELIABILITY",
                                           "Deceased"]})
    got = reasons.reason_counts(ref.load(customers=frame))
    assert dict(zip(got["reason"], got["churned"])) == {"Network reliability": 3, "Deceased": 1}


def test_segment_values_missing_for_some_customers():
    frame = pd.DataFrame({"customer_id": list("ABCDE"), "status": ["churned"] * 5, "region": ["N", "N", "S", "", ""],
                          "churn_reason": ["x", "y", "x", "x", "x"]})
    got = reasons.reasons_by_segment(ref.load(customers=frame, customer_segments=["region"]), segment="region")
    cells = defaultdict(int)
    for r in got.itertuples():
        cells[(None if pd.isna(r.segment) else r.segment, r.reason)] = r.churned
    assert cells[("N", "x")] == 1 and cells[("S", "x")] == 1 and cells[(None, "x")] == 2
