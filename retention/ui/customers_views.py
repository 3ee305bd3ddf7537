"""The Customers page's tabs (pages/customers.py calls them): still a customer (P(alive)), the top customers, the
RFM groups and the model check. Each takes the dataset, the scored customers (metrics.customers.scored) and the
report the page collects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import ui_text
from retention.charts import customers as charts
from retention.fmt import date, money_label, number, percent
from retention.i18n import _
from retention.metrics import btyd, customers, rfm
from retention.ui import cache, downloads, widgets
from retention.ui_text.customers import PARAM_LABELS, RFM_LABELS, TOP_LABELS


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its `segment` column (stored RFM group codes) in the viewer's words."""
    return frame.assign(segment=frame["segment"].map(lambda g: str(ui_text.RFM_GROUP_NAMES.get(g, g))))


def alive_tab(result: customers.Scored, horizon: int, report: downloads.ReportSections) -> None:
    """Still a customer?: the spread of P(alive) and the two maps (P(alive), expected purchases) over recency and
    repeat purchase days."""
    c = result.customers
    likely = (c["p_alive"] >= 0.5).mean() * 100
    report.chart(cache.reuse(charts.p_alive_histogram, customers.distribution(result),
                         {"x": _("P(alive) (%)"), "y": _("Customers")},
                         _("{share} of customers are more likely alive than gone").format(share=percent(likely, 0))),
                 "customers_p_alive")
    st.caption(str(ui_text.P_ALIVE_HELP))
    grid = customers.heatmap_grid(result)
    age = int(c["age_days"].max())
    labels = {"x": _("Days since the last purchase"), "y": _("Repeat purchase days")}
    report.chart(cache.reuse(charts.grid_heatmap, grid, "p_alive", labels | {"colorbar": _("P(alive)")},
                         _("Frequent buyers who stopped: likely gone"), percent=True),
                 "customers_alive_map")
    report.chart(cache.reuse(charts.grid_heatmap, grid, "expected_purchases",
                         labels | {"colorbar": _("Purchases")},
                         _("Recent frequent buyers will buy the most")),
                 "customers_expected_map")
    st.caption(_("Expected purchases over the next {horizon} months. Both maps are for a customer who first bought "
                 "{age} days ago (the oldest customer's age); blank cells cannot happen (a customer with repeat "
                 "purchases has a last purchase after the first).").format(horizon=horizon, age=number(age)))


def top_tab(ds, result: customers.Scored, shown: int, horizon: int, report: downloads.ReportSections) -> None:
    """The `shown` customers with the highest expected value (or purchases, without amounts); all in the download."""
    c = _named(result.customers)
    has_value = c["clv"].notna().any()
    columns = ["customer_id", "segment", "p_alive", "frequency", "expected_purchases", "expected_value", "clv",
               "past_value", "value_at_risk"]
    labels = ui_text.texts(TOP_LABELS) | {k: money_label(TOP_LABELS[k], ds.currency)
                                   for k in ("expected_value", "clv", "past_value", "value_at_risk")}
    order = "clv" if has_value else "expected_purchases"
    top = {"n": number(min(shown, len(c))), "horizon": horizon, "total": number(len(c))}
    st.markdown(_("**The {n} customers with the highest expected value** in the next {horizon} months (of {total}).")
                .format(**top) if has_value else
                _("**The {n} customers with the most expected purchases** in the next {horizon} months (of {total}).")
                .format(**top))
    if has_value:
        st.caption(ui_text.value_note(horizon))
    table = c.sort_values([order, "customer_id"], ascending=[False, True]).head(shown)[columns]
    table = table.assign(p_alive=100 * table["p_alive"])
    readable, config = widgets.readable(table, labels, {"p_alive": "{:.0f}", "expected_purchases": "{:.2f}",
                                                   "expected_value": "{:,.2f}", "clv": "{:,.2f}",
                                                   "past_value": "{:,.2f}", "value_at_risk": "{:,.2f}"})
    st.dataframe(readable, hide_index=True, key="customers_top_table", column_config=config)
    report.table(table.rename(columns=labels), _("Top customers"))
    full = c[columns].assign(p_alive=100 * c["p_alive"]).rename(columns=labels)
    downloads.download_buttons(lambda: full, _("customers_expected_value"), key="customers_top_download")


def rfm_tab(ds, result: customers.Scored, report: downloads.ReportSections) -> None:
    """The RFM groups on the model's analysis date: the largest group's share, the table, each customer's scores."""
    groups = cache.cached(rfm.segments, ds, as_of=result.as_of.isoformat())
    table = rfm.summary(groups, result.customers[["customer_id", "p_alive"]])
    table = _named(table).assign(mean_p_alive=100 * table["mean_p_alive"])
    biggest = table.sort_values("revenue_pct", ascending=False).iloc[0] if table["revenue_pct"].notna().any() \
        else table.sort_values("customers", ascending=False).iloc[0]
    shares = {"group": biggest.segment, "customers": percent(biggest.customers_pct, 0),
              "revenue": percent(biggest.revenue_pct, 0)}
    st.markdown(_("**{group}: {customers} of customers, {revenue} of revenue**").format(**shares)
                if pd.notna(biggest.revenue_pct) else _("**{group}: {customers} of customers**").format(**shares))
    labels = ui_text.texts(RFM_LABELS) | {"revenue": money_label(RFM_LABELS["revenue"], ds.currency)}
    readable, config = widgets.readable(table, labels, {"customers_pct": "{:.1f}", "revenue": "{:,.2f}",
                                                   "revenue_pct": "{:.1f}", "mean_recency_days": "{:.0f}",
                                                   "mean_frequency": "{:.1f}", "mean_p_alive": "{:.0f}"})
    st.dataframe(readable, hide_index=True, key="customers_rfm_table", column_config=config)
    report.table(table.rename(columns=labels), _("RFM groups"))
    downloads.download_buttons(table.rename(columns=labels), _("rfm_groups"), key="customers_rfm_download")
    st.caption(_("Recency, frequency (purchase days) and monetary value (revenue to date) are each cut into five "
                 "equal groups (quintiles, 5 = best); the group comes from recency and the mean of frequency and "
                 "value, with the usual published map (README, “RFM groups”).") + " " + " ".join(
                   f"**{ui_text.RFM_GROUP_NAMES[g]}**: {ui_text.RFM_GROUP_HELP[g]}" for g in rfm.GROUPS))
    named = _named(groups)[["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"]]
    downloads.download_buttons(lambda: named, _("rfm_customers"), key="customers_rfm_customers_download")


def check_tab(ds, check: btyd.Validation | None, result: customers.Scored, report: downloads.ReportSections) -> None:
    """Model check: held-out purchases against the model (when the data is long enough), the fitted parameters and
    the spend model's assumption. check: customers.validation, None when it cannot be run."""
    if check is None:
        st.info(_("The fit cannot be checked: the data is too short to hold out its last quarter."))
    else:
        v = check.verdict
        labels = {"actual": _("Actual"), "predicted": _("Model"), "holdout": _("Held out"), "x": _("Week")}
        report.chart(cache.reuse(charts.tracking_lines, check.tracking, True, check.calibration_end,
                             labels | {"y": _("Repeat purchases, cumulative")},
                             _("Held-out repeat purchases: {predicted} predicted, {actual} actual").format(
                                 predicted=number(v.total_predicted), actual=number(v.total_actual))),
                     "customers_tracking_cumulative")
        report.chart(cache.reuse(charts.tracking_lines, check.tracking, False, check.calibration_end,
                             labels | {"y": _("Repeat purchases per week")},
                             _("Repeat purchases per week: model and actual")), "customers_tracking_weekly")
        groups = check.by_frequency
        report.chart(cache.reuse(charts.by_frequency_bars, groups, {"actual": _("Actual"), "predicted": _("Model"),
                             "x": _("Repeat purchase days before the holdout"),
                             "y": _("Purchases in the holdout, mean")},
                             _("Per customer group the model is {error} off on average").format(
                                 error=percent(100 * v.frequency_error, 0))),
                     "customers_by_frequency")
        st.caption(_("The model was fitted on the purchases up to {calibration} and predicts the last quarter of the "
                     "data, up to {holdout}, which it did not see.").format(
            calibration=date(check.calibration_end), holdout=date(check.holdout_end)))
    params = customers.parameters(result.fit)
    unit = _("weeks") if result.fit.time_unit == "week" else _("days")
    st.markdown(_("**Fitted parameters** (α in {unit}, γ in {currency}), log-likelihood {ll}, {n} customers:").format(
        unit=unit, currency=ds.currency or _("the amounts’ unit"), ll=number(result.fit.log_likelihood, 1),
        n=number(result.fit.customers)))
    param_labels = ui_text.texts(PARAM_LABELS)
    readable, config = widgets.readable(params, param_labels, {"value": "{:.4g}", "se": "{:.3g}"})
    st.dataframe(readable, hide_index=True, key="customers_params", column_config=config)
    report.table(params.rename(columns=param_labels), _("Fitted parameters"))
    gg = result.fit.gamma_gamma
    if gg is not None and gg.correlated:
        st.warning(_("Frequency and purchase value are correlated ({correlation}) among repeat buyers: the "
                     "Gamma-Gamma model assumes they are not, so read the expected values with care.").format(
            correlation=number(gg.correlation, 2, sign=True)))
    elif gg is not None:
        st.caption(_("Frequency and purchase value among the {n} repeat buyers: correlation {correlation}, small "
                     "enough for the Gamma-Gamma model.").format(n=number(gg.customers),
                                                                 correlation=number(gg.correlation, 2, sign=True)))
