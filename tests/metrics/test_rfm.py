"""RFM scores and groups (retention.metrics.rfm): a hand-computed case, and exact agreement with a plain
pandas reference (written here from the definitions, not from the query) on generated purchases."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import rfm


def purchases_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])


HAND = [  # as of 2024-03-31
    ("A", "2024-03-30", 100), ("A", "2024-03-20", 100), ("A", "2024-03-10", 100), ("A", "2024-03-31", -50),
    ("B", "2024-03-25", 50), ("B", "2024-02-01", 50),
    ("C", "2024-02-29", 500),
    ("D", "2024-01-01", 10),
    ("E", "2024-03-31", 20), ("E", "2024-03-01", 20), ("E", "2024-02-01", 20), ("E", "2024-01-01", 20),
]


def test_hand_computed_scores_and_groups():
    con = ref.load(purchases=purchases_frame(HAND))
    got = rfm.segments(con, as_of="2024-03-31").set_index("customer_id")
    # recency: A's refund on the 31st is not a purchase, so A last bought on the 30th
    assert got["recency_days"].to_dict() == {"A": 1, "B": 6, "C": 31, "D": 90, "E": 0}
    assert got["frequency"].to_dict() == {"A": 3, "B": 2, "C": 1, "D": 1, "E": 4}
    assert got["monetary"].to_dict() == {"A": 250, "B": 100, "C": 500, "D": 10, "E": 80}
    assert got["r"].to_dict() == {"A": 4, "B": 3, "C": 2, "D": 1, "E": 5}
    # C and D both bought once: ntile puts them in 1 and 2, the tie gives both the lower one
    assert got["f"].to_dict() == {"A": 4, "B": 3, "C": 1, "D": 1, "E": 5}
    assert got["m"].to_dict() == {"A": 4, "B": 3, "C": 5, "D": 1, "E": 2}
    # FM = ceil((f + m) / 2): A 4, B 3, C 3, D 1, E ceil(3.5) = 4
    assert got["segment"].to_dict() == {"A": "loyal_customers", "B": "need_attention", "C": "at_risk",
                                        "D": "lost", "E": "champions"}


def test_hand_computed_summary():
    con = ref.load(purchases=purchases_frame(HAND))
    s = rfm.summary(rfm.segments(con, as_of="2024-03-31")).set_index("segment")
    assert list(s.index) == ["champions", "loyal_customers", "need_attention", "at_risk", "lost"]
    assert s.loc["champions", "customers"] == 1
    assert s.loc["champions", "customers_pct"] == pytest.approx(20.0)
    assert s.loc["at_risk", "revenue_pct"] == pytest.approx(100 * 500 / 940)
    assert s["mean_p_alive"].isna().all()
    p = pd.DataFrame({"customer_id": ["A", "B", "C", "D", "E"], "p_alive": [0.9, 0.8, 0.5, 0.1, 1.0]})
    with_p = rfm.summary(rfm.segments(con, as_of="2024-03-31"), p).set_index("segment")
    assert with_p.loc["lost", "mean_p_alive"] == pytest.approx(0.1)


def test_analysis_date_leaves_out_later_purchases():
    con = ref.load(purchases=purchases_frame(HAND))
    got = rfm.segments(con, as_of="2024-02-15").set_index("customer_id")
    assert sorted(got.index) == ["B", "D", "E"]  # A and C had not bought yet
    assert got["recency_days"].to_dict() == {"B": 14, "D": 45, "E": 14}
    assert got["monetary"].to_dict() == {"B": 50, "D": 10, "E": 40}


def test_every_cell_of_the_grid_has_a_published_group():
    cells = {rfm.group_of(r, fm) for r in range(1, 6) for fm in range(1, 6)}
    assert cells == set(rfm.GROUPS)
    assert rfm.group_of(5, 5) == "champions" and rfm.group_of(1, 5) == "cant_lose_them"
    assert rfm.group_of(1, 1) == "lost" and rfm.group_of(2, 1) == "hibernating"
    assert rfm.group_of(5, 1) == "new_customers"


# --- independent reference -----------------------------------------------------------------------------------

def _ntile_min(values: pd.Series, ids: pd.Series, ascending: bool) -> pd.Series:
    """ntile(5) over the rows sorted by value (then id), as SQL defines it (the first n mod 5 buckets one row
    larger), then the lowest bucket among equal values."""
    order = sorted(range(len(values)), key=lambda i: ((values.iloc[i] if ascending else -values.iloc[i]),
                                                      ids.iloc[i]))
    n = len(order)
    size, extra = divmod(n, 5)
    bucket = {}
    pos = 0
    for b in range(1, 6):
        for _ in range(size + (1 if b <= extra else 0)):
            bucket[order[pos]] = b
            pos += 1
    tiles = pd.Series([bucket[i] for i in range(n)], index=values.index)
    return tiles.groupby(values).transform("min")


def reference(purchases: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    p = purchases.copy()
    p["day"] = pd.to_datetime(p["order_date"]).dt.date
    p = p[p["day"] <= as_of]
    days = p.groupby(["customer_id", "day"])["amount"].agg(active=lambda a: (a > 0).any(), revenue="sum")
    days = days.reset_index()
    rows = []
    for cid, d in days.groupby("customer_id"):
        active = d[d["active"]]
        if active.empty:
            continue
        rows.append({"customer_id": cid, "recency_days": (as_of - active["day"].max()).days,
                     "frequency": len(active), "monetary": float(d["revenue"].sum())})
    out = pd.DataFrame(rows).sort_values("customer_id").reset_index(drop=True)
    out["r"] = _ntile_min(out["recency_days"], out["customer_id"], ascending=False)
    out["f"] = _ntile_min(out["frequency"], out["customer_id"], ascending=True)
    out["m"] = _ntile_min(out["monetary"], out["customer_id"], ascending=True)
    fm = [int(np.ceil((f + m) / 2)) for f, m in zip(out["f"], out["m"])]
    out["segment"] = [rfm.GRID[r - 1][x - 1] for r, x in zip(out["r"], fm)]
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_matches_reference_on_generated_purchases(seed):
    rng = random.Random(seed)
    rows = []
    start = dt.date(2023, 1, 1)
    for i in range(rng.randint(180, 260)):
        day = start + dt.timedelta(days=rng.randrange(300))
        for _ in range(rng.choice([1, 1, 1, 2, 3, 6])):
            rows.append((f"K{i:04d}", day.isoformat(), rng.choice([10, 20, 20, 35, 50, 120])))
            if rng.random() < 0.1:
                rows.append((f"K{i:04d}", day.isoformat(), -5))  # a refund the same day
            day += dt.timedelta(days=rng.randint(1, 90))
    purchases = purchases_frame(rows)
    as_of = dt.date(2023, 11, 30)
    con = ref.load(purchases=purchases)
    got = rfm.segments(con, as_of=as_of.isoformat()).reset_index(drop=True)
    want = reference(purchases, as_of)
    pd.testing.assert_frame_equal(got, want[rfm.COLUMNS], check_dtype=False)
    s = rfm.summary(got)
    assert s["customers"].sum() == len(want)
    assert s["revenue"].sum() == pytest.approx(want["monetary"].sum())
    # the group saved with the dataset is the reference's group on the last day of the data, for every customer
    from retention import ui_text

    last_day = max(dt.date.fromisoformat(d) for _c, d, a in rows if a > 0)
    saved = dict(con.execute("select customer_id, value from customer_attributes where attribute = 'RFM group'"
                             ).fetchall())
    on_last_day = reference(purchases, last_day)
    assert saved == {c: ui_text.RFM_GROUPS[g] for c, g in zip(on_last_day["customer_id"], on_last_day["segment"])}


def test_rfm_group_is_saved_as_a_segment_attribute():
    con = ref.load(purchases=purchases_frame(HAND))
    rows = con.execute("select customer_id, value, source from customer_attributes where attribute = 'RFM group' "
                       "order by customer_id").fetchall()
    # saved on the last day of the data (2024-03-31), as in the hand-computed case
    assert rows == [("A", "Loyal customers", "derived"), ("B", "Need attention", "derived"),
                    ("C", "At risk", "derived"), ("D", "Lost", "derived"), ("E", "Champions", "derived")]
    numbered = con.execute("select count(distinct customer_no) from cohort_attributes "
                           "where attribute = 'RFM group'").fetchone()[0]
    assert numbered == 5  # the cohort pages can split by it


def test_a_file_column_named_rfm_group_wins():
    customers = pd.DataFrame({"customer_id": list("ABCDE"), "RFM group": ["x", "y", "x", "y", "x"],
                              "signup_date": ["2024-01-01"] * 5})
    con = ref.load(purchases=purchases_frame(HAND), customers=customers, customer_segments=["RFM group"])
    values = con.execute("select distinct value from customer_attributes where attribute = 'RFM group' "
                         "order by 1").fetchall()
    assert values == [("x",), ("y",)]


@pytest.mark.parametrize("customers", [1, 2, 3, 4, 6, 7, 9, 11, 13])
def test_few_customers_and_every_remainder_match_reference(customers):
    """Fewer customers than quintiles, and each remainder of n / 5, with ties in all three values."""
    rng = random.Random(customers)
    rows = []
    for i in range(customers):
        for _ in range(rng.choice([1, 1, 2, 3])):
            rows.append((f"S{i:02d}", f"2024-0{rng.choice([1, 2, 3])}-{rng.choice([5, 15, 25])}",
                         rng.choice([10, 10, 20, 40])))
    purchases = purchases_frame(rows)
    as_of = dt.date(2024, 3, 31)
    got = rfm.segments(ref.load(purchases=purchases), as_of=as_of.isoformat()).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, reference(purchases, as_of)[rfm.COLUMNS], check_dtype=False)
