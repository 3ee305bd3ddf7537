"""Segments never restate the outcome (churn label, value, score, reason, category, customer status, cancel
dates, lifetime value, status columns), never are money per period or identifiers, and at most four useful
ones are preselected. The Telco fixtures have IBM's real headers (tests/fixtures/telco/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError
from retention.ingest.roles import is_outcome_column
from retention.ingest.segments import choose_segments
from retention.ui_text import segments_left_out_note

TELCO = Path(__file__).parents[1] / "fixtures" / "telco"
EXPORTS = Path(__file__).parents[1] / "fixtures" / "ingest" / "exports"

# Every column of the two Telco headers that restates the outcome, written out by hand.
TELCO_OUTCOMES = {"Churn Label", "Churn Value", "Churn Score", "CLTV", "Churn Reason", "Customer Status",
                  "Churn Category"}


@pytest.mark.parametrize("name", ["telco_customer_churn.csv", "telco_customer_churn_status.csv"])
def test_telco_offers_no_outcome_column_and_at_most_four_defaults(name):
    prepared = prepare((TELCO / name).read_bytes(), name, "customers")
    offered = set(prepared.segment_options)
    assert not offered & TELCO_OUTCOMES
    assert not set(prepared.segments) & TELCO_OUTCOMES
    assert 1 <= len(prepared.segments) <= 4 and set(prepared.segments) <= offered
    # the outcome columns not used by a role are named as left out
    kept = set(prepared.kept_columns)
    assert {c for c, why in prepared.segments_left_out.items() if why == "outcome"} == TELCO_OUTCOMES & kept
    # identifiers, near-unique, single-valued and money columns are never offered
    assert not offered & {"CustomerID", "Customer ID", "Count", "Country", "State", "Quarter", "Zip Code",
                          "Lat Long", "Latitude", "Longitude", "Monthly Charges", "Total Charges"}


def test_telco_single_table_offers_the_service_and_contract_columns():
    prepared = prepare((TELCO / "telco_customer_churn.csv").read_bytes(), "t.csv", "customers")
    assert {"Gender", "Contract", "Payment Method", "Internet Service", "Phone Service", "Senior Citizen"} \
        <= set(prepared.segment_options)
    # near-unique money columns are not offered, and not worth naming either
    assert "Monthly Charges" not in prepared.segments_left_out


@pytest.mark.parametrize("name", [
    "Churn Label", "Churn Value", "Churn Score", "CLTV", "Churn Reason", "Churn Category", "Customer Status",
    "Canceled At (UTC)", "Ended At (UTC)", "Cancellation Reason", "cancel_date", "Status", "Subscription Status",
    "Lifecycle Stage", "churned", "Exited", "Customer Lifetime Value", "Reason", "Kündigungsdatum", "解約日",
    "is_active", "Attrition_Flag"])
def test_outcome_columns_by_name(name):
    assert is_outcome_column(name)


@pytest.mark.parametrize("name", ["Contract", "Plan", "Gender", "Payment Method", "Internet Service", "Country",
                                  "Satisfaction Score", "Senior Citizen", "Channel", "Customer type"])
def test_ordinary_columns_are_not_outcomes(name):
    assert not is_outcome_column(name, ["a", "b"])


def test_outcome_column_by_values():
    assert is_outcome_column("Group", ["Stayed", "Churned", "Joined"])
    assert is_outcome_column("x", ["active", "canceled", "past_due"])
    assert not is_outcome_column("Senior", ["Yes", "No"])  # yes / no alone says nothing
    assert not is_outcome_column("Tier", ["active", "current"])  # no value says anyone left


def test_subscription_price_is_money_not_a_segment():
    name = "stripe_subscriptions.csv"
    prepared = prepare((EXPORTS / name).read_bytes(), name, "customers")
    assert "Amount" not in prepared.segment_options and prepared.segments_left_out.get("Amount") == "money"
    assert "Interval" in prepared.segment_options


def test_defaults_need_few_values_and_coverage():
    n = 40
    frame = pd.DataFrame({
        "plan": ["Basic", "Pro"] * (n // 2),                      # useful header, 2 values
        "sparse": ["x", "y"] * 4 + [""] * (n - 8),                # 20 % filled: offered, never preselected
        "many": [f"v{i % 20}" for i in range(n)],                  # 20 values: offered, not preselected
        "one": ["same"] * n,                                       # one value: not offered
        "email": [f"u{i}@example.com" for i in range(n)],          # near-unique identifier
        "region": ["N", "S", "E", "W"] * (n // 4),
        "channel": ["web", "shop"] * (n // 2),
        "source": ["ad", "seo", "ref", "ad"] * (n // 4),
        "tier": ["a", "b", "c", "d"] * (n // 4),
        "monthly_price": ["9", "19"] * (n // 2),
        "churn_flag": ["1", "0"] * (n // 2),
    })
    choice = choose_segments(frame, list(frame.columns))
    assert choice.options == ["plan", "sparse", "many", "region", "channel", "source", "tier"]
    assert len(choice.defaults) == 4 and not {"sparse", "many"} & set(choice.defaults)
    assert choice.left_out == {"monthly_price": "money", "churn_flag": "outcome"}


def test_an_outcome_column_asked_for_as_a_segment_is_refused():
    data = (TELCO / "telco_customer_churn_status.csv").read_bytes()
    with pytest.raises(IngestError, match="Churn Category.*restates the outcome"):
        prepare(data, "t.csv", "customers", segments=["Churn Category"])


def test_left_out_note_is_one_line_naming_columns_and_why():
    note = segments_left_out_note({"Churn Value": "outcome", "CLTV": "outcome", "Monthly Charges": "money"})
    assert note.startswith("Not offered as segments: Churn Value, CLTV (they restate the outcome")
    assert "Monthly Charges (money" in note and "\n" not in note
    assert segments_left_out_note({}) == ""
