"""#17.5: the what-if page can start from the fitted purchase model: CLV of today's customers and of a new
customer (customers.model_clv), with the page's margin, discount and years; assumed inputs labelled."""

from __future__ import annotations

import pytest

from tests.helpers import reference_churn as ref
from retention.metrics import customers
from tests.helpers import cdnow_data
from tests.conftest import app_data_dir, open_page


@pytest.fixture(scope="module")
def con():
    return ref.load(purchases=cdnow_data.purchases())


def test_margin_scales_the_value_and_discounting_lowers_it(con):
    full = customers.model_clv(con, years=3, margin_pct=100, discount_pct=0)
    part = customers.model_clv(con, years=3, margin_pct=30, discount_pct=0)
    discounted = customers.model_clv(con, years=3, margin_pct=100, discount_pct=20)
    longer = customers.model_clv(con, years=6, margin_pct=100, discount_pct=0)
    assert part["today_total"] == pytest.approx(0.3 * full["today_total"])
    assert part["new_customer"] == pytest.approx(0.3 * full["new_customer"])
    assert discounted["today_total"] < full["today_total"] < longer["today_total"]
    assert full["today_mean"] == pytest.approx(full["today_total"] / full["customers"])
    assert 0 < full["expected_active"] <= full["customers"]


def test_whole_lives_are_read_as_ten_years(con):
    assert customers.model_clv(con, years=0)["years"] == customers.LIFETIME_YEARS
    assert customers.model_clv(con, years=0)["today_total"] == pytest.approx(
        customers.model_clv(con, years=10)["today_total"])


def test_whatif_page_shows_the_model_tab(tmp_path, monkeypatch):
    with app_data_dir(tmp_path, monkeypatch):
        shop = cdnow_data.create()
        at = open_page("pages/whatif.py", dataset=shop, tab="bgnbd")
    labels = [m.label for m in at.metric]
    assert "Value of today's customers, next 5 years" in labels
    assert "New customer's value, next 5 years" in labels
    assert any("Assumed, not measured: margin 30%" in c.value for c in at.caption)
