"""The what-if inputs of a customers file with tenure and a churned flag but no dates (telecom, insurance and CRM
exports), where retention per period cannot be measured from periods.

Monthly churn is the one the headline reports (retention.metrics.headline, tenure_churn_month): churned
customers ÷ the customer-months of tenure of all customers, the maximum-likelihood rate of a constant-hazard
(exponential, or per-month geometric) lifetime, where a churned customer's tenure is a whole lifetime and an
active customer's is cut short by the export. It is an estimate: it assumes every month of tenure carries the
same risk (in real files new customers leave more often) and tenure counted in months.

- retention per period = (1 − monthly churn) ^ months per period; its interval from the rate's exact Poisson
  interval the same way;
- active customers: customers not marked churned;
- ARPU: the active customers' mean monthly charge × months per period, when the file has a monthly-charges
  column (headline.charges_column); NaN otherwise;
- new customers per period: not known from such a file (NaN).
"""

from __future__ import annotations

import math

import pandas as pd

from retention.metrics import churn, headline
from retention.scenarios.inputs import MEASURED_COLUMNS

BASIS = "tenure"
COLUMNS = MEASURED_COLUMNS + ["retention_low", "retention_high", "churn_month", "churn_month_low",
                              "churn_month_high", "customer_months", "churned"]


def measure(con, *, period: str = "month") -> pd.DataFrame:
    """One row, COLUMNS: MEASURED_COLUMNS with basis 'tenure' (as_of and the period window None, periods_used 0,
    customers_start the customers with tenure), plus retention_low/high (95%, fractions), churn_month and its
    interval (fractions per month), customer_months, churned. Raises churn.NoChurnData when the customers file
    has no tenure and status to estimate from."""
    figures = headline.as_dict(headline.summary(con))
    rate = figures.get("tenure_churn_month")
    status = figures.get("share_churned")
    if rate is None or status is None:
        raise churn.NoChurnData("the customers file has neither dates nor tenure with a churned flag")
    months = 12 / churn.PERIODS_PER_YEAR[period]
    monthly, low, high = rate["value"] / 100, rate["ci_low"] / 100, rate["ci_high"] / 100
    active = int(status["customers"]) - int(status["successes"])
    charges = figures.get("revenue_at_risk_month")
    arpu = math.nan
    if charges is not None:
        all_charges = charges["amount"] / (charges["value"] / 100) if charges["value"] else math.nan
        active_with_charge = int(charges["customers"]) - int(charges["successes"])
        if active_with_charge > 0 and all_charges == all_charges:
            arpu = (all_charges - charges["amount"]) / active_with_charge * months
    return pd.DataFrame([{
        "basis": BASIS, "as_of": None, "period": period, "periods_used": 0, "first_period": None,
        "last_period": None, "active_customers": active, "retention": (1 - monthly) ** months,
        "customers_start": int(rate["customers"]), "new_customers": math.nan, "revenue": math.nan, "arpu": arpu,
        "has_amounts": arpu == arpu,
        "retention_low": (1 - high) ** months, "retention_high": (1 - low) ** months,
        "churn_month": monthly, "churn_month_low": low, "churn_month_high": high,
        "customer_months": float(rate["exposure"]), "churned": int(rate["successes"]),
    }], columns=COLUMNS)
