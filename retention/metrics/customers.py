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

from retention import sql
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
    top = max(1, int(max_frequency))
    table = btyd.grid(model, float(age_days), top, GRID_RECENCY_STEPS, horizon_days=horizon_days)
    table.loc[(table["frequency"] >= 1) & (table["recency_days"] == 0), ["p_alive", "expected_purchases"]] = np.nan
    cells = pd.MultiIndex.from_product([range(top + 1), sorted(table["recency_days"].unique())],
                                       names=["frequency", "recency_days"])
    table = table.set_index(["frequency", "recency_days"]).reindex(cells).reset_index()  # x = 0, t_x > 0: NaN
    return table.assign(recency_days=table["recency_days"].round().astype(int),
                        days_since_last=(float(age_days) - table["recency_days"]).round().astype(int))[
        ["frequency", "recency_days", "days_since_last", "p_alive", "expected_purchases"]]


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


MODEL_PERIODS = 12  # complete periods of model-based churn shown (each costs one summary query)


def model_churn(con, *, period: str = "month", as_of: str | dt.date | None = None, periods: int = MODEL_PERIODS,
                time_unit: str = btyd.DEFAULT_TIME_UNIT) -> pd.DataFrame:
    """Churn per period by the BG/NBD model, next to the inactivity window's: one fit on the data up to as_of
    (default: the last purchase day), then for each of the last `periods` periods ending on or before as_of,
    with each customer's history up to the boundary:
      expected_start = Σ P(alive) at the start (end of the day before) over the customers who had bought by then;
      expected_kept = Σ P(alive) at the end over those same customers (new customers left out);
      model_retention_pct = expected_kept / expected_start × 100, model_churn_pct = 100 − it;
      expected_active_end = Σ P(alive) at the end over every customer who had bought by then.
    Out: DataFrame[period_start, period_end, complete, expected_start, expected_kept, model_retention_pct,
    model_churn_pct, expected_active_end], oldest first. Raises btyd.NoModelData when there is nothing to fit."""
    from retention.metrics import churn

    churn.check_period(period)
    last = btyd.data_span(con)[1] if as_of is None else btyd._date(as_of)
    return btyd.remembered(con, ("model_churn", period, last, periods, time_unit),
                           lambda: _model_churn(con, period, last, periods, time_unit))


def _model_churn(con, period: str, last: dt.date, periods: int, time_unit: str) -> pd.DataFrame:
    from retention.metrics import churn

    model = btyd.fit(btyd.summary(con, last), time_unit, last, gamma_gamma=False)
    frame = churn.retention_by_period(con, period=period, basis="purchases", as_of=last.isoformat())
    frame = frame[["period_start", "period_end", "complete"]].tail(periods).reset_index(drop=True)

    starts = [pd.Timestamp(d).date() - dt.timedelta(days=1) for d in frame["period_start"]]
    ends = [pd.Timestamp(d).date() for d in frame["period_end"]]
    alive = alive_at(con, model, starts + ends)
    empty = pd.Series(dtype=float)

    rows = []
    for start, end in zip(starts, ends):
        before, after = alive.get(start, empty), alive.get(end, empty)
        kept = float(after.reindex(before.index).sum())
        started = float(before.sum())
        rows.append((started, kept, 100 * kept / started if started > 0 else math.nan, float(after.sum())))
    values = pd.DataFrame(rows, columns=["expected_start", "expected_kept", "model_retention_pct",
                                         "expected_active_end"])
    out = pd.concat([frame, values], axis=1)
    out.insert(6, "model_churn_pct", 100 - out["model_retention_pct"])
    return out[["period_start", "period_end", "complete", "expected_start", "expected_kept", "model_retention_pct",
                "model_churn_pct", "expected_active_end"]]


def alive_at(con, model: btyd.BgNbdFit, days: list[dt.date]) -> dict[dt.date, pd.Series]:
    """P(alive) of every customer who had bought by each day, with what was known that day (one query,
    queries/btyd_summary_days.sql): {day: Series(p_alive, index customer_no)} (days nobody had bought by: absent).
    The query's rows come by day: each day's Series is a slice of them (a million customers at a dozen days are
    twelve million rows, which a DataFrame and a group-by took seconds to split)."""
    s = sql.columns(con, "btyd_summary_days", days=sorted(set(days)))
    day = s["summary_day"]
    if not len(day):
        return {}
    p_alive = btyd.p_alive(model.params, *btyd.in_unit(s, model.time_unit))
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    ends = np.r_[starts[1:], len(day)]
    customer = s["customer_no"]
    return {pd.Timestamp(day[i]).date(): pd.Series(p_alive[i:j], index=pd.Index(customer[i:j], name="customer_no"),
                                                    name="p_alive")
            for i, j in zip(starts, ends)}


def model_churn_summary(frame: pd.DataFrame) -> dict:
    """Pooled over the complete periods of `model_churn`: periods, retention_pct = Σ expected_kept /
    Σ expected_start × 100, churn_pct, expected_active (expected_active_end of the last period)."""
    done = frame[frame["complete"] & (frame["expected_start"] > 0)]
    start = done["expected_start"].sum()
    kept = 100 * done["expected_kept"].sum() / start if start > 0 else math.nan
    return {"periods": len(done), "retention_pct": kept, "churn_pct": 100 - kept,
            "expected_active": float(frame["expected_active_end"].iloc[-1]) if len(frame) else math.nan}


LIFETIME_YEARS = 10  # the what-if page's "whole lives" (0 years) is read as this many years here


def model_clv(con, *, years: float = 5.0, margin_pct: float = 30.0,
              discount_pct: float = btyd.DEFAULT_DISCOUNT_PCT) -> dict:
    """CLV from the fitted BG/NBD + Gamma-Gamma models with the what-if page's inputs (years 0 = LIFETIME_YEARS):
    customers, years (used), expected_active (Σ P(alive)), today_total (Σ CLV of today's customers),
    today_mean, new_customer (CLV of a customer making their first purchase today, repeat purchases only);
    the CLV figures NaN without a Gamma-Gamma fit. Raises btyd.NoModelData."""
    used = years if years > 0 else LIFETIME_YEARS
    horizon_days = used * 365.25
    model, frame = btyd.customers(con, horizon_days=horizon_days, margin_pct=margin_pct, discount_pct=discount_pct)
    has_value = model.gamma_gamma is not None
    total = float(frame["clv"].sum()) if has_value else math.nan
    return {"customers": len(frame), "years": used, "expected_active": float(frame["p_alive"].sum()),
            "today_total": total, "today_mean": total / len(frame) if has_value and len(frame) else math.nan,
            "new_customer": btyd.new_customer_clv(model, horizon_days=horizon_days, margin_pct=margin_pct,
                                                  discount_pct=discount_pct)}


def model_scenario(con, *, points: float, years: float = 5.0, margin_pct: float = 30.0,
                   discount_pct: float = btyd.DEFAULT_DISCOUNT_PCT) -> dict:
    """The what-if page's retention scenario in the purchase model's terms: `points` = the scenario's change of
    annual retention in percentage points; every customer's future dropout probability p becomes k·p, with k
    chosen so that the model's implied annual retention of today's customers (btyd.implied_retention: Σ P(alive)
    expected still alive a year later ÷ Σ P(alive)) moves by those points (btyd.dropout_multiplier).
    Out: points, k, capped, retention_before / retention_after (implied annual retention, %), dropout_before /
    dropout_after (mean dropout probability after a purchase, a/(a+b) and k times it, %), years (used: 0 =
    LIFETIME_YEARS), today_before / today_after (Σ CLV of today's customers), new_before / new_after (CLV of a
    customer making their first purchase today, repeat purchases only), profit_change (today_after −
    today_before: the margin on the extra purchases of today's customers, in present value); the CLV figures NaN
    without a Gamma-Gamma fit. Raises btyd.NoModelData."""
    used = years if years > 0 else LIFETIME_YEARS
    horizon_days = used * 365.25
    model, frame = btyd.customers(con, horizon_days=horizon_days, margin_pct=margin_pct, discount_pct=discount_pct)
    x, t_x, T = btyd.in_unit(frame, model.time_unit)
    k, capped = btyd.dropout_multiplier(model, x, t_x, T, points)
    out = {"points": points, "k": k, "capped": capped, "years": used,
           "retention_before": 100 * btyd.implied_retention(model, x, t_x, T, 1.0),
           "retention_after": 100 * btyd.implied_retention(model, x, t_x, T, k),
           "dropout_before": 100 * model.dropout, "dropout_after": 100 * min(1.0, k * model.dropout)}
    if model.gamma_gamma is None:
        return out | dict.fromkeys(("today_before", "today_after", "new_before", "new_after", "profit_change"),
                                   math.nan)
    kwargs = {"horizon_days": horizon_days, "margin_pct": margin_pct, "discount_pct": discount_pct}
    value = frame["expected_value"].to_numpy(dtype=float)
    before, after = (float(btyd.scenario_clv(model, x, t_x, T, value, kk, **kwargs).sum()) for kk in (1.0, k))
    new = [float(btyd.scenario_clv(model, [0.0], [0.0], [0.0], [model.gamma_gamma.mean_value], kk, **kwargs)[0])
           for kk in (1.0, k)]
    return out | {"today_before": before, "today_after": after, "new_before": new[0], "new_after": new[1],
                  "profit_change": after - before}
