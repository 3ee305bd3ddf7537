"""Lifecycle per calendar period: where the customers at the end of a period came from, and who left.

Built on the same active spells and period boundaries as retention.metrics.churn (see its docstring):
- retained: active at the start and at the end of the period;
- new: active at the end, not at the start, and the first time ever a customer (first signup or first
  purchase during the period);
- resurrected: active at the end, not at the start, but active at some time before the period (came
  back after a lapse or a cancellation);
- churned: active at the start, not at the end;
- joined_and_left: became a customer during the period and was gone again by its end (in no bar; shown
  so that nobody disappears silently).
So customers at the end = retained + new + resurrected and customers at the start = retained + churned.
Quick ratio = (new + resurrected) / churned: above 1 the base grows, below 1 it shrinks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retention.metrics import churn


def lifecycle(con, *, period: str = "month", basis: str = "auto",
              inactive_days: int = churn.DEFAULT_INACTIVE_DAYS, as_of: str | None = None) -> pd.DataFrame:
    """Out: period_start, period_end, complete, new, resurrected, retained, churned, joined_and_left,
    customers_start, customers_end, warm_up (see churn.period_counts), quick_ratio (NaN when nobody churned)."""
    c = churn.period_counts(con, period=period, basis=basis, inactive_days=inactive_days, as_of=as_of)
    out = c[["period_start", "period_end", "complete"]].copy()
    out["new"] = c["new_first"]
    out["resurrected"] = c["resurrected"]
    out["retained"] = c["retained"]
    out["churned"] = c["churned"]
    out["joined_and_left"] = c["joined_and_left"]
    out["customers_start"] = c["customers_start"]
    out["customers_end"] = c["customers_end"]
    out["warm_up"] = c["warm_up"]
    gained = (out["new"] + out["resurrected"]).to_numpy(float)
    lost = out["churned"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["quick_ratio"] = np.where(lost > 0, gained / lost, np.nan)
    return out
