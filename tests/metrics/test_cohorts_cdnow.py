"""Cohort retention on real public data: the CDNOW purchase log (tests/fixtures/cdnow, MIT, see README there),
loaded through the normal ingest path. Expected figures were derived independently: with awk from the
raw file (the constants below) and with plain pandas in the test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from retention.metrics import cohorts

MASTER = Path(__file__).parents[1] / "fixtures" / "cdnow" / "CDNOW_master.txt"

# awk 'NR>1 && $4+0>0 …' over CDNOW_master.txt: first positive purchase month per customer, active months
SIZES = {"1997-01-01": 7814, "1997-02-01": 8455, "1997-03-01": 7231, "1997-11-01": 2}
ZERO_ONLY_CUSTOMERS = 23570 - sum(SIZES.values())  # 68 customers whose purchases are all $0.00
CELLS = {("1997-01-01", 1): 1155, ("1997-02-01", 1): 1311, ("1997-03-01", 1): 1032,
         ("1997-01-01", 17): 498, ("1997-03-01", 15): 457}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(MASTER, sep=r"\s+", dtype=str)


@pytest.fixture(scope="module")
def con(raw) -> duckdb.DuckDBPyConnection:
    # The ingest reads delimited text; the original is aligned with runs of spaces, so hand it over as CSV.
    prepared = prepare(raw.to_csv(index=False).encode(), "cdnow.csv", "purchases")
    connection = duckdb.connect()
    store.build(connection, prepared, None, name="cdnow")
    return connection


def _cell(frame, cohort, k):
    return frame.loc[(frame["cohort"] == pd.Timestamp(cohort)) & (frame["period"] == k), "active"].item()


def test_cohort_sizes_and_cells(con):
    m = cohorts.matrix(con)
    sizes = m.groupby("cohort")["cohort_size"].first()
    assert {c.date().isoformat(): n for c, n in sizes.items()} == SIZES
    assert cohorts.availability(con)["refund_only"].item() == ZERO_ONLY_CUSTOMERS
    for (cohort, k), expected in CELLS.items():
        assert _cell(m, cohort, k) == expected
    assert m["complete"].all()  # the log ends on 1998-06-30, the last day of a month
    assert len(m) == 18 + 17 + 16 + 8


def test_other_modes_and_grains(con):
    assert _cell(cohorts.matrix(con, mode="rolling"), "1997-01-01", 12) == 1741
    quarters = cohorts.matrix(con, period="quarter")
    assert _cell(quarters, "1997-01-01", 1) == 5376
    weeks = cohorts.matrix(con, period="week")
    assert weeks.loc[weeks["cohort"] == pd.Timestamp("1996-12-30"), "cohort_size"].iloc[0] == 1095
    last = weeks[weeks["cohort"] + pd.to_timedelta(7 * weeks["period"], unit="D") == pd.Timestamp("1998-06-29")]
    assert not last["complete"].any() and len(last) == weeks["cohort"].nunique()


def test_whole_monthly_matrix_against_plain_pandas(con, raw):
    frame = raw.assign(day=pd.to_datetime(raw["date"], format="%Y%m%d"), amount=raw["dollar_value"].astype(float))
    paid = frame[frame["amount"] > 0]
    month = paid["day"].dt.year * 12 + paid["day"].dt.month - 1
    paid = paid.assign(month=month, cohort=month.groupby(paid["customer_id"]).transform("min"))
    expected = paid.groupby(["cohort", paid["month"] - paid["cohort"]])["customer_id"].nunique()
    m = cohorts.matrix(con)
    ours = m.assign(c=m["cohort"].dt.year * 12 + m["cohort"].dt.month - 1).set_index(["c", "period"])["active"]
    assert (ours[ours > 0].sort_index().to_dict()) == expected.sort_index().to_dict()

    # revenue: every row counts, exact duplicates too (a log without order ids: two identical rows are two purchases)
    january = frame[frame["date"].str.startswith("199701")]["amount"].sum()
    revenue = cohorts.matrix(con, mode="revenue")
    base = revenue.loc[(revenue["cohort"] == pd.Timestamp("1997-01-01")) & (revenue["period"] == 0), "revenue"]
    assert base.item() == pytest.approx(january)


def test_average_curve_weights_by_cohort_size(con):
    curve = cohorts.curve(con)
    month1 = curve[curve["period"] == 1].iloc[0]
    assert month1["customers"] == sum(SIZES.values())
    assert month1["retained"] == 1155 + 1311 + 1032 + _cell(cohorts.matrix(con), "1997-11-01", 1)
    assert month1["ci_low_pct"] < month1["retention_pct"] < month1["ci_high_pct"]


def test_identical_rows_are_kept_and_reported_as_possible_duplicates(raw):
    """The log has no order ids: the 255 rows identical to an earlier one ($4,332.88) are purchases, kept,
    and reported (counted with pandas' duplicated(), independently of the SQL hash)."""
    copies = raw[raw.duplicated(keep="first")]
    assert len(copies) == 255 and round(copies["dollar_value"].astype(float).sum(), 2) == 4332.88
    prepared = prepare(raw.to_csv(index=False).encode(), "cdnow.csv", "purchases")
    reports, rejected, duplicates = store.preview(prepared, None)
    report = reports["purchases"]
    assert report["summary"]["rows_used"] == len(raw) and report["problems"] == [] and len(rejected) == 0
    assert report["flags"] == [{"flag": "possible_duplicate", "rows": 255, "examples": [r + 2 for r in copies.index[:5]],
                                "revenue": 4332.88}]
    assert duplicates["row"].tolist() == [r + 2 for r in copies.index]  # the user's row numbers (header is row 1)
    first = raw.reset_index().merge(copies.reset_index(), on=list(raw.columns)).groupby("index_y")["index_x"].min()
    assert duplicates["same_as_row"].tolist() == [first[r] + 2 for r in copies.index]
    assert duplicates[list(raw.columns)].values.tolist() == copies.values.tolist()
