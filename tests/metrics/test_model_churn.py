"""#17.3: model-based churn per period (customers.model_churn) against an independent route: per-customer
summaries computed here in pandas at each boundary, P(alive) from the paper's closed form, and a hand check of
the pooled summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import btyd, customers
from tests.helpers import cdnow_data


def purchases() -> pd.DataFrame:
    return cdnow_data.purchases()


def summary_at(frame: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """x, t_x, T (weeks) per customer who bought on or before `end`, one transaction per day (a day with a
    positive amount: CDNOW has a few zero-value lines)."""
    days = frame[frame["amount"] > 0].assign(day=pd.to_datetime(frame["order_date"]))
    days = days[days["day"] <= end].drop_duplicates(["customer_id", "day"]).groupby("customer_id")["day"]
    first, last = days.min(), days.max()
    return pd.DataFrame({"x": days.count() - 1, "t_x": (last - first).dt.days / 7, "T": (end - first).dt.days / 7})


def p_alive(params, s) -> pd.Series:
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = s["x"], s["t_x"], s["T"]
    odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return pd.Series(1 / (1 + odds), index=s.index)


def test_model_churn_matches_an_independent_route():
    frame = purchases()
    con = ref.load(purchases=frame)
    got = customers.model_churn(con, period="month", periods=3)
    end = pd.to_datetime(frame["order_date"]).max()
    full = summary_at(frame, end)
    params = btyd.fit_bgnbd(full["x"], full["t_x"], full["T"], time_unit="week").params
    assert len(got) == 3
    for row in got.itertuples():
        before = p_alive(params, summary_at(frame, row.period_start - pd.Timedelta(days=1)))
        after = p_alive(params, summary_at(frame, row.period_end))
        kept = after.reindex(before.index).sum()
        assert row.expected_start == pytest.approx(before.sum(), rel=1e-4)
        assert row.expected_kept == pytest.approx(kept, rel=1e-4)
        assert row.expected_active_end == pytest.approx(after.sum(), rel=1e-4)
        assert row.model_churn_pct == pytest.approx(100 - 100 * kept / before.sum(), rel=1e-4)


def test_pooled_summary_weighs_periods_by_their_start():
    frame = pd.DataFrame({"complete": [True, True, False], "expected_start": [100.0, 300.0, 50.0],
                          "expected_kept": [90.0, 240.0, 10.0], "expected_active_end": [1.0, 2.0, 3.0]})
    s = customers.model_churn_summary(frame)
    assert s["periods"] == 2
    assert s["retention_pct"] == pytest.approx(100 * 330 / 400)
    assert s["churn_pct"] == pytest.approx(17.5)
    assert s["expected_active"] == 3.0


def test_churn_page_shows_the_model_next_to_the_window(tmp_path, monkeypatch):
    from tests.conftest import app_data_dir, open_page

    with app_data_dir(tmp_path, monkeypatch):
        shop = cdnow_data.create()
        at = open_page("pages/churn.py", dataset=shop, basis="purchases")
        shown = {m.label: m.value for m in at.metric}
        con = ref.load(purchases=purchases())
        want = customers.model_churn_summary(customers.model_churn(con, period="month"))
    assert shown["Expected active customers (Σ P(alive))"] == f"{want['expected_active']:,.0f}"
    assert shown["Model churn per month"] == f"{want['churn_pct']:.1f}%"
    assert any("Why the two differ" in c.value for c in at.caption)
