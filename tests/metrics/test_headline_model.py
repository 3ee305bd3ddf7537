"""#17.1: for a shop (purchases, no cancel dates) the headline leads with the purchase model (BG/NBD) when its
calibration/holdout check passes, and with the inactivity window (saying why) when it fails; the figures are
the Churn page's (customers.model_churn, month), checked here against an independent pandas route, and
`python -m retention summary` prints the same."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from tests.helpers import reference_churn as ref
from retention import cli, ui_text
from retention.metrics import btyd, headline
from tests.helpers import cdnow_data
from tests.conftest import app_data_dir, open_page
from tests.metrics.test_model_churn import p_alive, summary_at


@pytest.fixture(scope="module")
def shop():
    frame = cdnow_data.purchases()
    con = ref.load(purchases=frame)
    return frame, con, headline.as_dict(headline.summary(con, model=True))


def test_model_figures_match_an_independent_route(shop):
    frame, _, head = shop
    end = pd.to_datetime(frame["order_date"]).max()
    full = summary_at(frame, end)
    params = btyd.fit_bgnbd(full["x"], full["t_x"], full["T"], time_unit="week").params
    starts = pd.date_range("1997-07-01", "1998-06-01", freq="MS")  # the 12 complete months before 1998-06-30
    start_sum = kept_sum = 0.0
    for first in starts:
        before = p_alive(params, summary_at(frame, first - pd.Timedelta(days=1)))
        after = p_alive(params, summary_at(frame, first + pd.offsets.MonthEnd(0)))
        start_sum += before.sum()
        kept_sum += after.reindex(before.index).sum()
    month = head["model_retention_month"]
    assert month["value"] == pytest.approx(100 * kept_sum / start_sum, rel=1e-4)
    assert head["model_churn_month"]["value"] == pytest.approx(100 - month["value"])
    assert (month["window_start"], month["window_end"]) == (dt.date(1997, 7, 1), dt.date(1998, 6, 30))
    active = head["expected_active_customers"]
    now = p_alive(params, full)
    assert active["expected"] == pytest.approx(now.sum(), rel=1e-4)
    assert active["customers"] == len(full)
    assert active["value"] == pytest.approx(100 * now.sum() / len(full), rel=1e-4)


def test_cdnow_passes_its_check_so_the_model_leads(shop):
    _, con, head = shop
    check = head["model_retention_month"]["check"]
    assert check["used"] and check["check"] == "fits"
    assert check["total_error"] <= btyd.TOTAL_ERROR_LIMIT and check["frequency_error"] <= btyd.FREQUENCY_ERROR_LIMIT
    assert head["model_retention_month"]["headline"] and head["expected_active_customers"]["headline"]
    assert not head["customer_retention_month"]["headline"]  # the window's figure is shown beside, not leading
    # the check is btyd.validate with the last quarter held out (as the Customers page's)
    v = btyd.validate(con)
    assert (check["calibration_end"], check["holdout_end"]) == (v.calibration_end, v.holdout_end)
    assert check["total_predicted"] == pytest.approx(v.verdict.total_predicted)
    assert ui_text.model_headline_note(check).startswith("From the purchase model (BG/NBD), which passed its check")


def shop_that_stops():
    """Customers buy at their own Poisson rates for six months, then nobody buys again except one late
    customer: the model fitted on the first months expects purchases the held-out quarter does not have."""
    rng = np.random.default_rng(3)
    start, stop = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    rows = []
    for i, rate in enumerate(rng.gamma(2.0, 1 / 20, 150)):
        day = int(rng.integers(0, 60))
        while start + dt.timedelta(days=day) <= stop:
            rows.append((f"c{i}", (start + dt.timedelta(days=day)).isoformat(), 10.0))
            day += 1 + int(rng.exponential(1 / rate))
    rows.append(("late", "2024-09-30", 10.0))
    return pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])


def test_a_failed_check_keeps_the_window_and_says_why():
    head = headline.as_dict(headline.summary(ref.load(purchases=shop_that_stops()), model=True))
    check = head["customer_retention_month"]["check"]
    assert not check["used"] and check["check"] == "total"
    assert head["customer_retention_month"]["headline"]
    assert not head.get("model_retention_month", {"headline": False})["headline"]
    note = ui_text.model_headline_note(check)
    assert note.startswith("These figures use the inactivity window. The purchase model (BG/NBD) was not used: "
                           "it failed its check.")


@pytest.mark.parametrize("code, words", [
    ("degenerate", "same chance of leaving after each purchase (18.0%)"),
    ("not_converged", "did not converge"),
    ("no_holdout_purchases", "nobody bought again"),
    ("no_check", "too short to hold out"),
    ("no_fit", "cannot be fitted on this data (12 customers; at least 30 are needed)"),
])
def test_every_reason_is_said(code, words):
    check = {"check": code, "used": False, "dropout": 0.18, "problem": "12 customers; at least 30 are needed"}
    note = ui_text.model_headline_note(check)
    assert "was not used" in note and words in note


def test_without_the_model_the_summary_is_unchanged(shop):
    _, con, head = shop
    plain = headline.as_dict(headline.summary(con))
    assert "model_retention_month" not in plain and "check" not in plain["customer_retention_month"]
    assert plain["customer_retention_month"]["value"] == head["customer_retention_month"]["value"]


def test_summary_command_prints_the_model_figures_and_which_leads(shop, tmp_path, capsys):
    frame, _, head = shop
    path = tmp_path / "cdnow.csv"
    frame.to_csv(path, index=False)
    assert cli.main(["summary", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model_retention_month"]["value"] == pytest.approx(head["model_retention_month"]["value"], abs=0.01)
    assert out["model_retention_month"]["headline"] is True and out["customer_retention_month"]["headline"] is False
    assert out["model_retention_month"]["model_check"]["check"] == "fits"
    assert out["expected_active_customers"]["expected_customers"] == pytest.approx(
        head["expected_active_customers"]["expected"], abs=0.01)
    assert cli.main(["summary", str(path), "--no-model"]) == 0
    assert "model_retention_month" not in json.loads(capsys.readouterr().out)


def test_overview_leads_with_the_model_and_shows_the_window_beside(shop, tmp_path, monkeypatch):
    _, _, head = shop
    with app_data_dir(tmp_path, monkeypatch):
        at = open_page("pages/overview.py", dataset=cdnow_data.create())
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    model = [v for k, v in shown.items() if k.startswith("Customers kept per month (purchase model)")]
    window = [v for k, v in shown.items() if k.startswith("Customers kept per month (inactivity window)")]
    assert model == [ui_text.headline_value("model_retention_month", head["model_retention_month"]["value"])]
    assert window == [ui_text.headline_value("customer_retention_month", head["customer_retention_month"]["value"])]
    assert shown["Expected active customers (purchase model)"] == f"{head['expected_active_customers']['expected']:,.0f}"
    assert any(c.value.startswith("From the purchase model (BG/NBD), which passed its check. Fitted on the "
                                  "purchases up to 14 February 1998") for c in at.caption)


def test_overview_of_a_shopify_export_whose_model_fails_its_check(tmp_path, monkeypatch):
    """A real-shaped Shopify orders export (tests/fixtures/real): the model misses the held-out quarter by more
    than the limit, so the Overview keeps the inactivity window and says why."""
    from pathlib import Path

    from retention import store
    from retention.ingest.canonical import prepare

    path = Path(__file__).parents[1] / "fixtures" / "real" / "e_shopify_orders_export_small_shop.csv"
    with app_data_dir(tmp_path, monkeypatch):
        shop, _ = store.create_dataset(prepare(path.read_bytes(), path.name, "purchases"), None, name="shopify")
        con = store.open_dataset(shop)
        head = headline.as_dict(headline.summary(con, model=True))
        con.close()
        at = open_page("pages/overview.py", dataset=shop)
    check = head["customer_retention_month"]["check"]
    assert check["check"] == "total" and not check["used"] and head["customer_retention_month"]["headline"]
    labels = [m.label for m in at.metric]
    assert not any(label.startswith("Customers kept per month (purchase model)") for label in labels)
    assert any("The purchase model (BG/NBD) was not used: it failed its check." in c.value for c in at.caption)
