"""#17.4: the win-back list with the model's P(alive), expected value, RFM group and value at risk, sortable by
value at risk (hand-computed frames), and on the Churn page of a shop (AppTest)."""

from __future__ import annotations

import pandas as pd
import pytest

from retention.metrics import churn
from tests.helpers import dated_datasets
from tests.conftest import app_data_dir, open_page

LIST = pd.DataFrame({"customer_id": ["A", "B", "C"], "status": ["churned", "at_risk", "at_risk"],
                     "revenue_to_date": [100.0, 500.0, 80.0], "Plan": ["x", "y", "z"]})
MODEL = pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "p_alive": [0.1, 0.9, 0.5, 1.0],
                      "clv": [5.0, 300.0, 40.0, 1.0], "segment": ["lost", "champions", "at_risk", "new_customers"]})


def test_model_columns_follow_revenue_and_keep_the_order():
    out = churn.with_model(LIST, MODEL)
    assert list(out.columns) == ["customer_id", "status", "revenue_to_date", "p_alive", "expected_value",
                                 "value_at_risk", "rfm_group", "Plan"]
    assert list(out["customer_id"]) == ["A", "B", "C"]
    # (1 − P(alive)) × revenue to date: 0.9 × 100, 0.1 × 500, 0.5 × 80
    assert out["value_at_risk"].tolist() == pytest.approx([90.0, 50.0, 40.0])
    assert out["rfm_group"].tolist() == ["lost", "champions", "at_risk"]


def test_sorted_by_value_at_risk():
    out = churn.with_model(LIST, MODEL, "value_at_risk")
    assert list(out["customer_id"]) == ["A", "B", "C"]  # 90, 50, 40
    flipped = churn.with_model(LIST.assign(revenue_to_date=[10.0, 500.0, 80.0]), MODEL, "value_at_risk")
    assert list(flipped["customer_id"]) == ["B", "C", "A"]  # 50, 40, 9


def test_without_a_model_the_list_is_unchanged():
    assert churn.with_model(LIST, None).equals(LIST)
    with pytest.raises(ValueError):
        churn.with_model(LIST, MODEL, "revenue")


@pytest.fixture
def shop(tmp_path, monkeypatch):
    with app_data_dir(tmp_path, monkeypatch):
        yield dated_datasets.create("cdnow_1997")


def test_churn_page_win_back_list_shows_the_model(shop):
    at = open_page("pages/churn.py", dataset=shop, tab="winback", basis="purchases", list_order="value_at_risk")
    assert not at.error, [e.value for e in at.error]
    table = next(d.value for d in at.dataframe if "value_at_risk" in d.value.columns)
    assert {"p_alive", "expected_value", "rfm_group"} <= set(table.columns)
    risk = pd.to_numeric(table["value_at_risk"].str.replace(",", ""), errors="coerce")
    assert risk.is_monotonic_decreasing
