"""Customers: who is still a customer (P(alive)), what they are worth, the RFM groups, and how well the model fits."""

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.fmt import money, money_label, number, percent
from retention.i18n import _
from retention.metrics import btyd, customers
from retention.ui.customers_views import alive_tab, check_tab, rfm_tab, top_tab
from retention.ui_text.customers import FLAT_SPEND, TABS

K = state.keys(state.Customers)

ds = datasets.dataset()
st.title(_("Customers"))
st.caption(str(ui_text.CUSTOMERS_CAPTION))
report_sections = downloads.ReportSections()
view = links.page_state(state.Customers)
if not ds.has_purchases:
    st.info(ui_text.CUSTOMERS_NO_PURCHASES.format(why=_("a customers file only")), icon=":material/info:")
    st.stop()
c = st.columns(2)
c[0].number_input(_("Months ahead"), 1, 60, key=K.horizon,
                  help=_("The horizon of expected purchases and expected value."))
c[1].number_input(_("Top customers shown"), 10, 1000, step=10, key=K.top)
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
m[0].metric(_("Customers who bought"), number(head['customers']),
            help=_("Customers with at least one purchase of a positive amount, the model's input. The Overview's "
                   "“Customers” counts every customer id in the data, also those with only refunds or cancellations."))
m[1].metric(_("Expected still active (Σ P(alive))"), number(head['expected_active']),
            _("{share} of customers").format(share=percent(head['expected_active_pct'], 1)), delta_color="off",
            delta_arrow="off", help=str(ui_text.P_ALIVE_HELP))
m[2].metric(_("Expected purchases, next {horizon} months").format(horizon=view.horizon),
            number(head['expected_purchases']))
if pd.notna(head["expected_value_total"]):
    m[3].metric(money_label(_("Expected value, next {horizon} months").format(horizon=view.horizon), ds.currency),
                number(head['expected_value_total']), help=ui_text.value_note(view.horizon))
gg = result.fit.gamma_gamma
if gg is not None and gg.flat:
    st.caption(FLAT_SPEND.format(spread=percent(100 * gg.spread, 2), average=money(gg.mean_value, ds.currency)))
if check is not None:
    (st.success if check.verdict.fits else st.warning)(
        ui_text.fit_verdict(check.verdict, check.calibration_end, check.holdout_end))
tab, panel = widgets.tabs(ui_text.texts(TABS), key=K.tab)
with panel:
    if tab == "alive":
        alive_tab(result, view.horizon, report_sections)
    elif tab == "top":
        top_tab(ds, result, int(view.top), view.horizon, report_sections)
    elif tab == "rfm":
        rfm_tab(ds, result, report_sections)
    else:
        check_tab(ds, check, result, report_sections)
downloads.report_button(_("Customers"), report_sections, key="customers_report")
