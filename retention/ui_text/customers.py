"""The Customers page's words: table column labels and tab names (the model's words are shared: ui_text RFM_*, P_ALIVE_HELP, fit_verdict)."""

from __future__ import annotations

from retention.i18n import L

TOP_LABELS = {"customer_id": L("Customer"), "segment": L("RFM group"), "p_alive": L("P(alive), %"),
              "frequency": L("Repeat purchase days"), "recency_days": L("Days first to last purchase"),
              "age_days": L("Days since first purchase"), "expected_purchases": L("Expected purchases"),
              "expected_value": L("Value per purchase"), "clv": L("Expected value"), "past_value": L("Revenue to date"),
              "value_at_risk": L("Value at risk (1 − P(alive)) × revenue")}
RFM_LABELS = {"segment": L("RFM group"), "customers": L("Customers"), "customers_pct": L("Customers, %"),
              "revenue": L("Revenue to date"), "revenue_pct": L("Revenue, %"),
              "mean_recency_days": L("Days since last purchase (mean)"), "mean_frequency": L("Purchase days (mean)"),
              "mean_p_alive": L("P(alive), % (mean)")}
PARAM_LABELS = {"model": L("Model"), "parameter": L("Parameter"), "value": L("Estimate"), "se": L("Standard error")}
TABS = {"alive": L("Still a customer?"), "top": L("Top customers"), "rfm": L("RFM groups"), "check": L("Model check")}


# The spend model found (almost) no difference in spend between customers (btyd.GammaGammaFit.flat).
FLAT_SPEND = L("Spend per purchase hardly differs between customers in this data (the spend model finds a spread of "
               "{spread} between them), so each customer's expected value uses about the average spend per purchase, "
               "{average}, rather than their own.")
