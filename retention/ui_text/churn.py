"""The Churn page's words: choices, table column labels, definitions, tab names and download names
(pages/churn.py and the Churn views of retention/ui/churn/)."""

from __future__ import annotations

import pandas as pd

from retention.ui_text import RFM_GROUP_NAMES, SEGMENT_NAMES, reason_label, segment_value
from retention.fmt import number
from retention.i18n import L, _

BASES = {"customers": L("Customers file"), "purchases": L("Purchases")}
MEASURES = {"crr": L("Retention %"), "churn": L("Churn %")}
DEFINITION = L(
    "**How it is counted.** For each period: **CS** = customers active at its start (its first instant), **CN** = "
    "customers who started being customers during it (first time, or back after a lapse), **CE** = customers "
    "active at its end (the end of its last day). **Retention (CRR) = (CE − CN) / CS**, **churn = 100% − CRR**, "
    "**lost = CS + CN − CE**. A signup on the first day counts as new in that period; a cancel or lapse on the last "
    "day counts as lost in it. {active} The last period ends on the analysis date and is grey when incomplete; "
    "hollow points have fewer than {small} customers at the start. Annualised = retention per period to the power "
    "{n} (the periods in a year).")
ACTIVE = {"customers": L("Active = signed up on or before that moment and not yet cancelled (customers marked churned "
                         "without a cancel date, or without a signup date, are left out: {left}; so are customers "
                         "only in the purchases file)."),
          "purchases": L("Active = from the first purchase until {w} days after the last one (a customer whose last "
                         "purchase + {w} days is after the analysis date is still active). Periods ending in the first "
                         "{w} days of data are grey (warm-up): nobody can have lapsed yet.")}
ALT = L("**Alternative convention** (used by several billing tools): customers who joined and left within the same "
        "period are left out, and those who left and came back within it count as retained: active at both start and "
        "end / CS. The band is its {level} interval.")
STATUS = {"churned": L("Churned recently"), "at_risk": L("At risk (no recent purchase)")}
RATE_LABELS = {"period_start": L("Period (first day)"), "complete": L("Complete"),
               "warm_up": L("Warm-up (too early to lapse)"), "customers_start": L("Customers at start (CS)"),
               "new_customers": L("New or back (CN)"), "lost": L("Lost (CS + CN − CE)"),
               "customers_end": L("Customers at end (CE)"), "alt_crr_pct": L("Kept, %"),
               "crr_pct": L("Standard retention (CE − CN)/CS, %"), "churn_pct": L("Churn, %"),
               "difference_pp": L("Kept − standard, points")}
LIFE_LABELS = {"period_start": L("Period (first day)"), "period_end": L("Last day"), "complete": L("Complete"),
               "new": L("New customers"), "resurrected": L("Came back"), "retained": L("Retained"),
               "churned": L("Churned"), "joined_and_left": L("Joined and left in the period"),
               "customers_start": L("Customers at start"), "customers_end": L("Customers at end"),
               "warm_up": L("Warm-up (too early to lapse)"), "quick_ratio": L("Quick ratio (gained ÷ lost)")}
REVENUE_LABELS = {"period_start": L("Period (first day)"), "period_end": L("Last day"), "complete": L("Complete"),
                  "base_customers": L("Customers who bought the period before"),
                  "base_revenue": L("Their revenue before"), "kept_gross": L("Kept, capped at before"),
                  "kept_net": L("Kept, with growth"), "grr_pct": L("GRR, %"), "nrr_pct": L("NRR, %")}
SEGMENT_LABELS = {"segment": L("Segment value"), "reason": L("Reason"), "churned": L("Churned customers"),
                  "segment_churned": L("Churned in the segment"),
                  "share_pct": L("Share of the segment's churned, %"), "overall_share_pct": L("Share of all churned, %"),
                  "index": L("Index (100 = as overall)"), "residual": L("Residual (beyond ±2: unlikely chance)"),
                  "small": L("Few customers")}
TENURE_LABELS = {"band_from": L("Tenure from (months)"), "band_to": L("to (months; — = open)"),
                 "reached": L("Customers who reached it"), "churned": L("Churned within it"),
                 "churned_pct": L("Churned of those who reached it (%)")}
WINBACK_LABELS = {"customer_id": L("Customer"), "status": L("Status"), "churn_day": L("Churned on"),
                  "reason": L("Reason"), "last_purchase": L("Last purchase"),
                  "days_since_purchase": L("Days since purchase"), "purchases": L("Purchases"),
                  "revenue_to_date": L("Revenue to date"), "p_alive": L("P(alive), %"),
                  "expected_value": L("Expected value, next 12 months"), "value_at_risk": L("Value at risk"),
                  "rfm_group": L("RFM group")}
LIST_ORDERS = {"status": L("Churned first, then revenue"),
               "value_at_risk": L("Value at risk (1 − P(alive)) × revenue")}
MODEL_LABELS = {"period_start": L("Period (first day)"), "expected_start": L("Expected active at start"),
                "expected_kept": L("Of those, expected active at end"), "model_retention_pct": L("Model retention, %"),
                "model_churn_pct": L("Model churn, %"), "expected_active_end": L("Expected active at end (all)")}
TABS = {"rate": L("Retention rate"), "lifecycle": L("Lifecycle"), "revenue": L("Revenue retention"),
        "reasons": L("Why they leave"), "drivers": L("Drivers"), "winback": L("Win-back list")}
# Download file names (the view's words, in the reader's language; no spaces).
DOWNLOADS = {"week": L("churn_by_week"), "month": L("churn_by_month"), "quarter": L("churn_by_quarter"),
             "year": L("churn_by_year"), "reasons": L("churn_reasons"), "drivers": L("churn_drivers"),
             "winback": L("win_back_list")}
# The last complete period, as the lifecycle chart's title says it.
LAST_COMPLETE = {"week": L("in the last complete week"), "month": L("in the last complete month"),
                 "quarter": L("in the last complete quarter"), "year": L("in the last complete year")}


def pts(value: float, decimals: int = 2) -> str:
    """A signed difference in percentage points: '+0.12 pts'."""
    return _("{value} pts").format(value=number(value, decimals, sign=True))


def win_back_words(frame: pd.DataFrame, status: bool = True) -> pd.DataFrame:
    """The win-back list's coded cells in words: RFM group names, the reason labels the app adds (no reason,
    Other) and, on screen, the status (the download keeps its codes)."""
    words = {}
    if "rfm_group" in frame:
        words["rfm_group"] = frame["rfm_group"].map(lambda g: g if g is None or g != g else
                                                    str(RFM_GROUP_NAMES.get(g, g)))
    words |= {c: frame[c].map(lambda v, c=c: segment_value(c, v)) for c in SEGMENT_NAMES if c in frame}
    if "reason" in frame:
        words["reason"] = frame["reason"].map(reason_label)
    if status and "status" in frame:
        words["status"] = frame["status"].map(lambda s: str(STATUS[s]) if s in STATUS else s)
    return frame.assign(**words)
