"""RFM segments: recency, frequency and monetary quintiles per customer, and the usual named groups.

Scores (queries/rfm_scores.sql), on the analysis date: recency = days since the last active day (a day
with a positive purchase), frequency = active days to date (one transaction per day, as in the BG/NBD
papers), monetary = net revenue to date. Each is cut into quintiles 1–5 by DuckDB's ntile(5) (5 = most
recent, most frequent, highest value); equal values share the lowest quintile any of them received.

Groups: the R × FM grid, FM = mean of F and M rounded half up (F alone without amounts). The names and
their placement follow the segment map published with the RFM guides of Putler ("RFM Analysis For
Successful Customer Segmentation") and the default segments of the `rfm` R package (Hebbali,
`rfm_segment`, CRAN). Their published ranges overlap (e.g. 'hibernating' and 'lost' both R ≤ 2,
FM ≤ 2), so we use the usual non-overlapping 5 × 5 form of that map (the R × F map of the same guides
with FM in place of F), and split its bottom-left corner: R = 1 is 'lost', R = 2 is 'hibernating'.

        FM=1            FM=2                 FM=3                 FM=4              FM=5
  R=5   new_customers   potential_loyalists  potential_loyalists  champions         champions
  R=4   promising       potential_loyalists  potential_loyalists  loyal_customers   loyal_customers
  R=3   about_to_sleep  about_to_sleep       need_attention       loyal_customers   loyal_customers
  R=2   hibernating     hibernating          at_risk              at_risk           cant_lose_them
  R=1   lost            lost                 at_risk              at_risk           cant_lose_them
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from retention import sql

GROUPS = ("champions", "loyal_customers", "potential_loyalists", "new_customers", "promising", "need_attention",
          "about_to_sleep", "at_risk", "cant_lose_them", "hibernating", "lost")  # best to worst, for display order

GRID = (  # GRID[r - 1][fm - 1]
    ("lost", "lost", "at_risk", "at_risk", "cant_lose_them"),
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"),
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"),
    ("promising", "potential_loyalists", "potential_loyalists", "loyal_customers", "loyal_customers"),
    ("new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"),
)

ATTRIBUTE = "RFM group"  # the segment attribute saved with each dataset with purchases (see attribute_rows)
COLUMNS = ["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"]


def group_of(r: int, fm: int) -> str:
    """The named group of an R score and an FM score (both 1–5)."""
    return GRID[r - 1][fm - 1]


def _as_of(con, as_of) -> dt.date:
    from retention.metrics import churn

    return churn.resolve_as_of(con, as_of)


def segments(con, *, as_of: str | dt.date | None = None) -> pd.DataFrame:
    """One row per customer with an active day on or before as_of (default: the last day of the data).

    Out: customer_id, recency_days (int), frequency (active days, int), monetary (float; NaN without amounts),
    r, f, m (1–5; m NaN without amounts), segment (a GROUPS key); sorted by customer_id."""
    frame = sql.frame(con, "rfm_scores", as_of=_as_of(con, as_of), groups=[g for row in GRID for g in row])
    return frame[COLUMNS]


def summary(frame: pd.DataFrame, p_alive: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group, from `segments` output (and optionally a frame customer_id, p_alive from the BG/NBD model).

    Out, one row per group present, in GROUPS order: segment, customers, customers_pct (% of all scored),
    revenue (Σ monetary), revenue_pct (% of the total; NaN without amounts or when the total is not
    positive), mean_recency_days, mean_frequency, mean_p_alive (NaN without p_alive)."""
    data = frame
    if p_alive is not None:
        data = frame.merge(p_alive[["customer_id", "p_alive"]], on="customer_id", how="left")
    else:
        data = frame.assign(p_alive=np.nan)
    grouped = data.groupby("segment", sort=False).agg(
        customers=("customer_id", "size"), revenue=("monetary", lambda s: s.sum(min_count=1)),
        mean_recency_days=("recency_days", "mean"), mean_frequency=("frequency", "mean"),
        mean_p_alive=("p_alive", "mean"))
    order = [g for g in GROUPS if g in grouped.index]
    out = grouped.loc[order].reset_index()
    total_customers = out["customers"].sum()
    total_revenue = out["revenue"].sum(min_count=1)
    out.insert(2, "customers_pct", 100 * out["customers"] / total_customers if total_customers else np.nan)
    out.insert(4, "revenue_pct", 100 * out["revenue"] / total_revenue
               if pd.notna(total_revenue) and total_revenue > 0 else np.nan)
    return out


def save_attribute(con) -> None:
    """Insert each scored customer's RFM group on the last day of the data into customer_attributes (attribute
    ATTRIBUTE, value the group's name from ui_text.RFM_GROUPS, source 'derived'). Nothing without dated
    positive purchases, or when a file already has a column of that name. The scores go from query to table
    inside DuckDB (a million customers' ids passed as a list parameter were read on one thread)."""
    from retention import ui_text
    from retention.metrics import churn

    try:
        as_of = _as_of(con, None)
    except churn.NoChurnData:
        return
    sql.relation(con, "rfm_scores", as_of=as_of, groups=[ui_text.RFM_GROUPS[g] for row in GRID for g in row]
                 ).create_view("rfm_now", replace=True)
    try:
        sql.execute(con, "derive_attributes_rfm", attribute=ATTRIBUTE)
    finally:
        con.execute("drop view rfm_now")
