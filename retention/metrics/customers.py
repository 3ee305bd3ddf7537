"""What the Customers page, the Churn page and the win-back list read from the BG/NBD + Gamma-Gamma model
(retention.metrics.btyd) and the RFM groups (retention.metrics.rfm): per-customer scores, grids for the
heatmaps, expected active customers. Frames in, frames out; the store is read through btyd and rfm only.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from retention.metrics import btyd, rfm

DEFAULT_HORIZON_MONTHS = 12
GRID_FREQUENCIES = 20  # heatmap rows: 0 … this many repeat purchase days (at most)
GRID_RECENCY_STEPS = 24  # heatmap columns


@dataclass(frozen=True)
class Scored:
    """A fit on all the data ("today" = the last purchase day) and every customer scored.

    customers: DataFrame[customer_id, frequency (repeat purchase days), recency_days, age_days, monetary_value
    (mean repeat purchase value; NaN without), p_alive, expected_purchases (over the horizon), expected_value
    (per purchase; NaN without Gamma-Gamma), clv (NaN without Gamma-Gamma), past_value (net revenue to date; NaN
    without amounts), value_at_risk ((1 − p_alive) × past_value), segment (RFM group key)], sorted by clv (else
    expected purchases) descending, then customer_id."""

    fit: btyd.BgNbdFit
    customers: pd.DataFrame
    horizon_days: float
    as_of: dt.date


def scored(con, *, horizon_months: int = DEFAULT_HORIZON_MONTHS, margin_pct: float = 100.0,
           discount_pct: float = btyd.DEFAULT_DISCOUNT_PCT, time_unit: str = btyd.DEFAULT_TIME_UNIT) -> Scored:
    """Fit on every purchase up to the last purchase day and score each customer (see Scored). Raises
    btyd.NoModelData when there is too little to fit."""
    horizon_days = horizon_months * btyd.DAYS_PER_MONTH
    model, frame = btyd.customers(con, horizon_days=horizon_days, time_unit=time_unit, margin_pct=margin_pct,
                                  discount_pct=discount_pct)
    groups = rfm.segments(con, as_of=model.calibration_end)[["customer_id", "monetary", "segment"]]
    out = frame.drop(columns=["customer_no", "first_day", "holdout_frequency"], errors="ignore").merge(
        groups.rename(columns={"monetary": "past_value"}), on="customer_id", how="left")
    out["value_at_risk"] = (1 - out["p_alive"]) * out["past_value"]
    key = "clv" if out["clv"].notna().any() else "expected_purchases"
    out = out.sort_values([key, "customer_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    cols = ["customer_id", "frequency", "recency_days", "age_days", "monetary_value", "p_alive",
            "expected_purchases", "expected_value", "clv", "past_value", "value_at_risk", "segment"]
    return Scored(model, out[cols], horizon_days, model.calibration_end)


def validation(con, time_unit: str = btyd.DEFAULT_TIME_UNIT) -> btyd.Validation:
    """The calibration/holdout check with the default split (the last quarter of the data held out)."""
    return btyd.validate(con, time_unit=time_unit)


def headline(result: Scored) -> dict:
    """The page's headline figures: customers, expected_active (Σ P(alive)), expected_active_pct,
    expected_purchases (Σ over the horizon), expected_value_total (Σ CLV; NaN without Gamma-Gamma),
    mean_p_alive."""
    c = result.customers
    n = len(c)
    active = float(c["p_alive"].sum())
    return {"customers": n, "expected_active": active, "expected_active_pct": 100 * active / n if n else math.nan,
            "expected_purchases": float(c["expected_purchases"].sum()),
            "expected_value_total": float(c["clv"].sum(min_count=1)) if c["clv"].notna().any() else math.nan,
            "mean_p_alive": float(c["p_alive"].mean()) if n else math.nan}


def grid(model: btyd.BgNbdFit, age_days: float, horizon_days: float, max_frequency: int) -> pd.DataFrame:
    """P(alive) and expected purchases over the horizon for a customer of age `age_days` (the oldest customer's)
    by repeat purchase days x = 0 … max_frequency and days from first to last purchase t_x (GRID_RECENCY_STEPS
    steps from 0 to the age; the last purchase was age − t_x days ago). Cells with x ≥ 1 and t_x = 0 cannot
    happen and are NaN, as are x = 0 with t_x > 0.
    Out: DataFrame[frequency, recency_days (t_x), days_since_last, p_alive, expected_purchases], long form."""
    unit = model.unit_days
    xs = np.arange(0, max(1, int(max_frequency)) + 1, dtype=float)
    ts = np.linspace(0.0, float(age_days), GRID_RECENCY_STEPS + 1)
    x, t = np.meshgrid(xs, ts, indexing="ij")
    x, t = x.ravel(), t.ravel()
    T = np.full_like(x, float(age_days))
    p = btyd.p_alive(model.params, x, t / unit, T / unit)
    e = btyd.conditional_expected_purchases(model.params, horizon_days / unit, x, t / unit, T / unit)
    impossible = ((x >= 1) & (t == 0)) | ((x == 0) & (t > 0))
    return pd.DataFrame({"frequency": x.astype(int), "recency_days": np.round(t).astype(int),
                         "days_since_last": np.round(age_days - t).astype(int),
                         "p_alive": np.where(impossible, np.nan, p),
                         "expected_purchases": np.where(impossible, np.nan, e)})


def heatmap_grid(result: Scored) -> pd.DataFrame:
    """`grid` for the page: the oldest customer's age, frequencies up to the 99th percentile (at most
    GRID_FREQUENCIES)."""
    c = result.customers
    top = int(min(GRID_FREQUENCIES, max(1, np.ceil(np.percentile(c["frequency"], 99)))))
    return grid(result.fit, float(c["age_days"].max()), result.horizon_days, top)


def distribution(result: Scored, bins: int = 20) -> pd.DataFrame:
    """Customers by P(alive) in `bins` equal bins of [0, 1]: DataFrame[low, high, customers] (the last bin
    includes 1)."""
    edges = np.linspace(0, 1, bins + 1)
    counts, _ = np.histogram(result.customers["p_alive"].clip(0, 1), bins=edges)
    return pd.DataFrame({"low": edges[:-1], "high": edges[1:], "customers": counts})


def parameters(model: btyd.BgNbdFit) -> pd.DataFrame:
    """The fitted parameters: DataFrame[model ('BG/NBD' | 'Gamma-Gamma'), parameter, value, se]."""
    rows = [("BG/NBD", k, model.params[k], model.se.get(k, math.nan)) for k in btyd.BGNBD_PARAMS]
    gg = model.gamma_gamma
    if gg is not None:
        rows += [("Gamma-Gamma", k, gg.params[k], gg.se.get(k, math.nan)) for k in btyd.GAMMA_GAMMA_PARAMS]
    return pd.DataFrame(rows, columns=["model", "parameter", "value", "se"])
