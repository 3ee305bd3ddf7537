"""Customers: who is still a customer (P(alive)), what they are worth, the RFM groups, and how well the model fits."""

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.charts import customers as charts
from retention.fmt import money_label
from retention.metrics import btyd, customers, rfm

TOP_LABELS = {"customer_id": "Customer", "segment": "RFM group", "p_alive": "P(alive), %",
              "frequency": "Repeat purchase days", "recency_days": "Days first to last purchase",
              "age_days": "Days since first purchase", "expected_purchases": "Expected purchases",
              "expected_value": "Value per purchase", "clv": "Expected value", "past_value": "Revenue to date",
              "value_at_risk": "Value at risk (1 − P(alive)) × revenue"}
RFM_LABELS = {"segment": "RFM group", "customers": "Customers", "customers_pct": "Customers, %",
              "revenue": "Revenue to date", "revenue_pct": "Revenue, %", "mean_recency_days": "Days since last purchase (mean)",
              "mean_frequency": "Purchase days (mean)", "mean_p_alive": "P(alive), % (mean)"}
PARAM_LABELS = {"model": "Model", "parameter": "Parameter", "value": "Estimate", "se": "Standard error"}
TABS = {"alive": "Still a customer?", "top": "Top customers", "rfm": "RFM groups", "check": "Model check"}


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(segment=frame["segment"].map(ui_text.RFM_GROUPS))


def alive_tab(result, horizon) -> None:
    c = result.customers
    likely = (c["p_alive"] >= 0.5).mean() * 100
    report_sections.chart(cache.reuse(charts.p_alive_histogram, customers.distribution(result),
                         {"x": "P(alive) (%)", "y": "Customers"},
                         f"{likely:.0f}% of customers are more likely alive than gone"), "customers_p_alive")
    st.caption(ui_text.P_ALIVE_HELP)
    grid = customers.heatmap_grid(result)
    age = int(c["age_days"].max())
    labels = {"x": "Days since the last purchase", "y": "Repeat purchase days"}
    report_sections.chart(cache.reuse(charts.grid_heatmap, grid, "p_alive", labels | {"colorbar": "P(alive)"},
                         "Frequent buyers who stopped: likely gone", percent=True),
                 "customers_alive_map")
    report_sections.chart(cache.reuse(charts.grid_heatmap, grid, "expected_purchases",
                         labels | {"colorbar": "Purchases"},
                         "Recent frequent buyers will buy the most"),
                 "customers_expected_map")
    st.caption(f"Expected purchases over the next {horizon} months. Both maps are for a customer who first bought {age:,} days ago (the oldest customer's age); "
               "blank cells cannot happen (a customer with repeat purchases has a last purchase after the first).")


def top_tab(result, shown) -> None:
    c = _named(result.customers)
    has_value = c["clv"].notna().any()
    columns = ["customer_id", "segment", "p_alive", "frequency", "expected_purchases", "expected_value", "clv",
               "past_value", "value_at_risk"]
    labels = TOP_LABELS | {k: money_label(TOP_LABELS[k], ds.currency)
                           for k in ("expected_value", "clv", "past_value", "value_at_risk")}
    order = "clv" if has_value else "expected_purchases"
    st.markdown(f"**The {min(shown, len(c)):,} customers with the highest "
                f"{'expected value' if has_value else 'expected purchases'}** in the next {view.horizon} months "
                f"(of {len(c):,}).")
    if has_value:
        st.caption(ui_text.value_note(view.horizon))
    table = c.sort_values([order, "customer_id"], ascending=[False, True]).head(shown)[columns]
    table = table.assign(p_alive=100 * table["p_alive"])
    readable, config = widgets.readable(table, labels, {"p_alive": "{:.0f}", "expected_purchases": "{:.2f}",
                                                   "expected_value": "{:,.2f}", "clv": "{:,.2f}",
                                                   "past_value": "{:,.2f}", "value_at_risk": "{:,.2f}"})
    st.dataframe(readable, hide_index=True, key="customers_top_table", column_config=config)
    report_sections.table(table.rename(columns=labels), "Top customers")
    full = c[columns].assign(p_alive=100 * c["p_alive"]).rename(columns=labels)
    downloads.download_buttons(lambda: full, "customers_expected_value", key="customers_top_download")


def rfm_tab(result) -> None:
    groups = cache.cached(rfm.segments, ds, as_of=result.as_of.isoformat())
    table = rfm.summary(groups, result.customers[["customer_id", "p_alive"]])
    table = _named(table).assign(mean_p_alive=100 * table["mean_p_alive"])
    biggest = table.sort_values("revenue_pct", ascending=False).iloc[0] if table["revenue_pct"].notna().any() \
        else table.sort_values("customers", ascending=False).iloc[0]
    st.markdown(f"**{biggest.segment}: {biggest.customers_pct:.0f}% of customers"
                + (f", {biggest.revenue_pct:.0f}% of revenue**" if pd.notna(biggest.revenue_pct) else "**"))
    labels = RFM_LABELS | {"revenue": money_label(RFM_LABELS["revenue"], ds.currency)}
    readable, config = widgets.readable(table, labels, {"customers_pct": "{:.1f}", "revenue": "{:,.2f}",
                                                   "revenue_pct": "{:.1f}", "mean_recency_days": "{:.0f}",
                                                   "mean_frequency": "{:.1f}", "mean_p_alive": "{:.0f}"})
    st.dataframe(readable, hide_index=True, key="customers_rfm_table", column_config=config)
    report_sections.table(table.rename(columns=labels), "RFM groups")
    downloads.download_buttons(table.rename(columns=labels), "rfm_groups", key="customers_rfm_download")
    st.caption("Recency, frequency (purchase days) and monetary value (revenue to date) are each cut into five equal "
               "groups (quintiles, 5 = best); the group comes from recency and the mean of frequency and value, "
               "with the usual published map (README, “RFM groups”). " + " ".join(
                   f"**{ui_text.RFM_GROUPS[g]}**: {ui_text.RFM_GROUP_HELP[g]}" for g in rfm.GROUPS))
    named = _named(groups)[["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"]]
    downloads.download_buttons(lambda: named, "rfm_customers", key="customers_rfm_customers_download")


def check_tab(check, result) -> None:
    if check is None:
        st.info("The fit cannot be checked: the data is too short to hold out its last quarter.")
    else:
        v = check.verdict
        labels = {"actual": "Actual", "predicted": "Model", "holdout": "Held out", "x": "Week"}
        report_sections.chart(cache.reuse(charts.tracking_lines, check.tracking, True, check.calibration_end,
                             labels | {"y": "Repeat purchases, cumulative"},
                             f"Held-out repeat purchases: {v.total_predicted:,.0f} predicted, {v.total_actual:,.0f} "
                             f"actual"), "customers_tracking_cumulative")
        report_sections.chart(cache.reuse(charts.tracking_lines, check.tracking, False, check.calibration_end,
                             labels | {"y": "Repeat purchases per week"}, "Repeat purchases per week: model and "
                             "actual"), "customers_tracking_weekly")
        groups = check.by_frequency
        report_sections.chart(cache.reuse(charts.by_frequency_bars, groups, {"actual": "Actual", "predicted": "Model",
                             "x": "Repeat purchase days before the holdout", "y": "Purchases in the holdout, mean"},
                             f"Per customer group the model is {v.frequency_error:.0%} off on average"),
                     "customers_by_frequency")
        st.caption(f"The model was fitted on the purchases up to {check.calibration_end:%d %b %Y} and predicts "
                   f"the last quarter of the data, up to {check.holdout_end:%d %b %Y}, which it did not see.")
    params = customers.parameters(result.fit)
    st.markdown(f"**Fitted parameters** (time unit: {result.fit.time_unit}; α in {result.fit.time_unit}s, "
                f"γ in {ds.currency or 'the amounts’ unit'}), log-likelihood {result.fit.log_likelihood:,.1f}, "
                f"{result.fit.customers:,} customers:")
    readable, config = widgets.readable(params, PARAM_LABELS, {"value": "{:.4g}", "se": "{:.3g}"})
    st.dataframe(readable, hide_index=True, key="customers_params", column_config=config)
    report_sections.table(params.rename(columns=PARAM_LABELS), "Fitted parameters")
    gg = result.fit.gamma_gamma
    if gg is not None and gg.correlated:
        st.warning(f"Frequency and purchase value are correlated ({gg.correlation:+.2f}) among repeat buyers: the "
                   "Gamma-Gamma model assumes they are not, so read the expected values with care.")
    elif gg is not None:
        st.caption(f"Frequency and purchase value among the {gg.customers:,} repeat buyers: correlation "
                   f"{gg.correlation:+.2f}, small enough for the Gamma-Gamma model.")


ds = datasets.dataset()
st.title("Customers")
st.caption(ui_text.CUSTOMERS_CAPTION)
report_sections = downloads.ReportSections()
view = links.page_state(state.Customers)
if not ds.has_purchases:
    st.info(ui_text.CUSTOMERS_NO_PURCHASES.format(why="a customers file only"), icon=":material/info:")
    st.stop()
c = st.columns(2)
c[0].number_input("Months ahead", 1, 60, key="customers_horizon",
                  help="The horizon of expected purchases and expected value.")
c[1].number_input("Top customers shown", 10, 1000, step=10, key="customers_top")
try:
    result = cache.cached(customers.scored, ds, horizon_months=int(view.horizon))
except btyd.NoModelData as problem:
    st.info(ui_text.CUSTOMERS_NO_FIT.format(problem=widgets.md(problem)), icon=":material/info:")
    st.stop()
try:
    check = cache.cached(customers.validation, ds)
except btyd.NoModelData:
    check = None
head = customers.headline(result)
if result.fit.degenerate:
    st.warning(ui_text.MODEL_DEGENERATE.format(dropout=result.fit.dropout))
m = st.columns(4)
m[0].metric("Customers", f"{head['customers']:,}")
m[1].metric("Expected still active (Σ P(alive))", f"{head['expected_active']:,.0f}",
            f"{head['expected_active_pct']:.1f}% of customers", delta_color="off", delta_arrow="off",
            help=ui_text.P_ALIVE_HELP)
m[2].metric(f"Expected purchases, next {view.horizon} months", f"{head['expected_purchases']:,.0f}")
if pd.notna(head["expected_value_total"]):
    m[3].metric(money_label(f"Expected value, next {view.horizon} months", ds.currency),
                f"{head['expected_value_total']:,.0f}", help=ui_text.value_note(view.horizon))
if check is not None:
    (st.success if check.verdict.fits else st.warning)(
        ui_text.fit_verdict(check.verdict, check.calibration_end, check.holdout_end))
tab, panel = widgets.tabs(TABS, key="customers_tab")
with panel:
    if tab == "alive":
        alive_tab(result, view.horizon)
    elif tab == "top":
        top_tab(result, int(view.top))
    elif tab == "rfm":
        rfm_tab(result)
    else:
        check_tab(check, result)
downloads.report_button("Customers", report_sections, key="customers_report")
