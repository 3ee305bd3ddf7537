"""Did it work? (issue 22), members with a join date: queries/impact_joined.sql against what the generator
planted (tests/helpers/impact_data.py joined_shop), the matched estimate on planted effects (members who were heavier
buyers before joining, +6 points after joining; no effect), a hand-computed case, and reading join dates."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd
import pytest

from tests.helpers.impact_data import joined_shop
from retention.metrics import impact
from tests.metrics.test_cohorts import load

K = 3


@pytest.fixture(scope="module")
def small():
    planted = joined_shop(seed=5, cohorts=6, size=80, months=8, member_effect=0.06)
    con = load(list(planted.purchases().itertuples(index=False, name=None)))
    return planted, con


def _joined(planted, con, **options):
    dates = planted.join_dates()
    return impact.joined_people(con, member_ids=dates["customer_id"].tolist(), join_dates=dates["join_date"].tolist(),
                                k=K, **options)


def test_query_matches_what_the_generator_planted(small):
    """Every member once at their join month; every non-member once at their cohort's join month (all members of a
    cohort share it); history before and activity after the join month as planted."""
    planted, con = small
    got = _joined(planted, con).set_index("customer_id")
    want = planted.rows(K).set_index("customer_id")
    assert got.index.is_unique and set(got.index) == set(want.index)  # every cohort has members here
    got = got.loc[want.index]
    for column in ("member", "cohort", "complete_months", "active_mask", "before_purchases"):
        assert (got[column].to_numpy() == want[column].to_numpy()).all(), column
    # indexes count from the data's first month: compare the months between cohort and join
    assert ((got["join_index"] - got["cohort_index"]).to_numpy() == (want["join_index"] - want["cohort_index"])
            .to_numpy()).all()
    np.testing.assert_allclose(got["months_since_active"], want["months_since_active"])
    np.testing.assert_allclose(got["revenue"], want["revenue"], atol=0.05)
    np.testing.assert_allclose(got["before_spend"], want["before_spend"], atol=0.05)
    offsets = (want["join_index"] - want["cohort_index"]).to_numpy()
    assert [j for j in got["join_month"]] == [c + pd.DateOffset(months=int(m)) for c, m in zip(got["cohort"], offsets)]


def test_controls_take_every_join_month_of_their_cohort_and_undated_members_neither_side():
    """Cohort Jan 2020: A joins in March, B in May (B's date given after the first purchase month's end), C is a
    member without a date, D and E never joined. D and E appear twice (pseudo join March and May), C never;
    F (first purchase in February) has no member in its cohort, so it is not a control. A member who joined
    before buying (G, joined Dec 2019, first purchase Jan 2020) counts from the first purchase's month."""
    rows = [("A", "2020-01-05", 10.0), ("A", "2020-02-05", 10.0), ("A", "2020-04-05", 10.0),
            ("B", "2020-01-06", 10.0), ("B", "2020-06-06", 10.0),
            ("C", "2020-01-07", 10.0), ("C", "2020-03-07", 10.0),
            ("D", "2020-01-08", 10.0), ("D", "2020-02-08", 10.0), ("D", "2020-06-08", 10.0),
            ("E", "2020-01-09", 10.0), ("E", "2020-01-19", 10.0),
            ("F", "2020-02-10", 10.0),
            ("G", "2020-01-11", 10.0), ("G", "2020-02-11", 10.0),
            ("Z", "2020-12-31", 1.0)]
    con = load(rows)
    got = impact.joined_people(con, member_ids=["A", "B", "G"],
                               join_dates=[dt.date(2020, 3, 15), dt.date(2020, 5, 1), dt.date(2019, 12, 1)],
                               undated_ids=["C"], k=K)
    seen = sorted(zip(got["customer_id"], got["join_month"].dt.strftime("%Y-%m"), got["member"]))
    assert sorted(seen) == sorted([("A", "2020-03", True), ("B", "2020-05", True),
                    ("D", "2020-01", False), ("D", "2020-03", False), ("D", "2020-05", False),
                    ("E", "2020-01", False), ("E", "2020-03", False), ("E", "2020-05", False),
                    ("G", "2020-01", True)])
    rows_ = got.set_index(["customer_id", got["join_month"].dt.strftime("%Y-%m")])
    assert ("C", "2020-03") not in rows_.index and "F" not in got["customer_id"].tolist()
    a = rows_.loc[("A", "2020-03")]
    assert (a["before_purchases"], a["before_spend"], a["months_since_active"]) == (2, 20.0, 1)
    assert int(a["active_mask"]) == 1 << 1  # April = month 1 after March
    d = rows_.loc[("D", "2020-05")]
    assert (d["before_purchases"], d["months_since_active"], int(d["active_mask"])) == (2, 3, 1 << 1)
    e = rows_.loc[("E", "2020-03")]
    assert (e["before_purchases"], e["months_since_active"], int(e["active_mask"])) == (2, 2, 0)
    g = rows_.loc[("G", "2020-01")]
    assert (g["before_purchases"], np.isnan(g["months_since_active"]), int(g["active_mask"])) == (0, True, 1 << 1)
    assert (got.loc[got["customer_id"] == "D", "join_month"].dt.month.tolist()) == [1, 3, 5]


def test_planted_member_effect_after_joining_is_recovered_and_naive_overstates():
    """Members joined with a probability growing with their purchases before joining and then bought in each
    month with 6 points more probability. The plain comparison with all non-members is well above 6; matched on
    the history before the join month, the interval covers 6."""
    rows = joined_shop(seed=100, member_effect=0.06).rows(K)
    out = impact.members(rows, K)
    result = out["result"]
    assert result["method"] == "cem_joined"
    assert result["ci_low_pp"] < 6 < result["ci_high_pp"], result
    assert result["naive_pp"] > result["ci_high_pp"] and result["naive_low_pp"] > 6, result
    assert "members_differed" in result["warnings"] and "join_date_unknown" not in result["warnings"]
    table = out["balance"].set_index("covariate")
    assert table.loc["before_purchases", "smd"] > 0.3
    assert (table["smd_matched"].abs() < 0.05).all()
    assert result["unmatched_members"] < 0.02 * result["matched_members"]
    assert 0.9 * (~rows["member"]).sum() < result["control_customers"] <= (~rows["member"]).sum()


def test_matching_by_hand_on_the_join_month():
    """One cohort, join month March: members with 2 purchases before it (1 of 2 retained at month 3) against
    non-members with 2 purchases (1 of 4 retained), members with none before (joined at once: 2 of 2) against
    non-members with none (0 of 2) → ATT = 2/4 · (1/2 − 1/4) + 2/4 · (1 − 0) = 62.5 points; a member with 5
    purchases has no match (left out)."""
    rows = ([(2, 1, True, True), (2, 1, True, False)] + [(2, 1, False, True)] + [(2, 1, False, False)] * 3
            + [(0, None, True, True)] * 2 + [(0, None, False, False)] * 2 + [(5, 1, True, True)])
    frame = pd.DataFrame(rows, columns=["before_purchases", "months_since_active", "member", "kept"])
    frame = frame.assign(customer_id=[f"c{i}" for i in range(len(frame))], cohort_index=600, join_index=602,
                         complete_months=6, before_spend=np.nan, revenue=np.nan, segment=None,
                         months_since_active=frame["months_since_active"].astype(float),
                         active_mask=np.where(frame["kept"], 1 << K, 0))
    result = impact.members(frame, K)["result"]
    assert result["effect_pp"] == pytest.approx(62.5)
    assert (result["matched_members"], result["unmatched_members"], result["control_customers"]) == (4, 1, 6)
    assert "unmatched_members" in result["warnings"] and "few_members" in result["warnings"]


def _covered(seed: int) -> bool:
    out = impact.members(joined_shop(seed=seed, size=600).rows(K), K, curve_to=0)["result"]
    return out["ci_low_pp"] < 0 < out["ci_high_pp"]


def test_no_effect_intervals_cover_zero_quick():
    assert sum(_covered(seed) for seed in range(200, 205)) >= 4


SEEDS = int(os.environ.get("RETENTION_COVERAGE_SEEDS", "0"))


@pytest.mark.skipif(SEEDS < 200, reason="opt-in: RETENTION_COVERAGE_SEEDS=200 (or more)")
def test_no_effect_coverage_is_about_95_percent():
    rate = np.mean([_covered(seed) for seed in range(2000, 2000 + SEEDS)])
    assert 0.91 <= rate <= 0.99, rate


def test_joined_effect_on_the_database(small):
    """The whole path on DuckDB (query → matching): the same numbers as members() on the generator's rows."""
    planted, con = small
    dates = planted.join_dates()
    got = impact.joined_effect(con, k=K, member_ids=dates["customer_id"].tolist(),
                               join_dates=dates["join_date"].tolist())["result"]
    want = impact.members(planted.rows(K), K)["result"]
    for key in ("effect_pp", "ci_low_pp", "ci_high_pp", "naive_pp"):
        assert got[key] == pytest.approx(want[key]), key
    assert got["treated_customers"] == want["treated_customers"] and got["method"] == "cem_joined"


# ---------------------------------------------------------------- reading join dates


def test_parse_join_dates():
    out = impact.parse_join_dates([" a", "b", "c", "d", "e", "a", ""],
                                  ["2024-03-15", "2024-03-15 10:30", "", "soon", "31/01/2024", "2020-01-01", "x"])
    assert out["ids"] == ["a", "b", "e"]
    assert out["dates"] == [dt.date(2024, 3, 15), dt.date(2024, 3, 15), dt.date(2024, 1, 31)]
    assert out["undated"] == ["c", "d"] and out["bad"] == [("d", "soon")]


def test_read_member_list_with_and_without_dates():
    dated = impact.read_member_list('customer_id,join_date\n"A",2024-01-10\nB,\nC,2024-02-01\n')
    assert (dated["ids"], dated["undated"], dated["all_ids"], dated["dated"]) == (["A", "C"], ["B"],
                                                                                   ["A", "B", "C"], True)
    plain = impact.read_member_list("A\nB\n\nC\n")
    assert (plain["all_ids"], plain["dated"]) == (["A", "B", "C"], False)


def test_join_dates_from_a_segment_column():
    rows = [("A", "2020-01-05", 10.0), ("B", "2020-01-06", 10.0), ("C", "2020-01-07", 10.0)]
    con = load(rows, channel={"A": "2020-03-01", "C": "later"})
    out = impact.join_dates_from_column(con, "channel")
    assert (out["ids"], out["dates"], out["bad"]) == (["A"], [dt.date(2020, 3, 1)], [("C", "later")])
