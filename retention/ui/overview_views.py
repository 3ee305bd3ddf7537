"""The Overview page's cards (pages/overview.py calls them): the tiles, "Are we keeping customers?", "Do new
customers come back?", "How do we compare?", "Why do customers leave?" and the buyers per month. `head` is the
dataset's headline.as_dict(headline.summary(model=True)). Links to other pages are built from their state
(links.to_view), never typed as query parameters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.benchmarks import compare
from retention.charts import overview as charts
from retention.fmt import money, number
from retention.i18n import _
from retention.metrics import churn, cohorts, drivers, overview, reasons
from retention.ui import cache, links, widgets
from retention.ui_text import benchmarks as bench_text
from retention.ui_text import overview as words

SMALL = 30  # fewer customers than this behind a percentage: say so


def tiles(ds, t: pd.Series, monthly: pd.DataFrame | None, head: dict) -> None:
    """Customers, active customers (the last month's CE; customers not churned without dates), purchases and
    revenue. t: the overview.totals row; monthly: churn.retention_by_period per month (None without dates)."""
    cols = st.columns(4)
    cols[0].metric(_("Customers"), number(int(t.customers)),
                   help=_("Distinct customer ids in the purchases and customers files."))
    if monthly is not None and len(monthly):
        cols[1].metric(_("Active customers"), number(int(monthly['customers_end'].iloc[-1])),
                       help=_("Customers active on the last day of the data: subscribed and not cancelled, or (with "
                              "purchases only) bought within the inactivity window, 90 days by default."))
    elif "share_churned" in head:
        row = head["share_churned"]
        cols[1].metric(_("Still customers"), number(row['customers'] - row['successes']),
                       help=_("Customers the customers file does not mark as churned."))
    if t.orders:
        label, help_text = ui_text.purchases_tile(bool(t.with_order_ids))
        cols[2].metric(label, number(int(t.orders)), help=help_text)
    if t.revenue == t.revenue and t.revenue is not None:
        cols[3].metric(_("Revenue"), money(t.revenue, ds.currency, decimals=0),
                       help=_("Sum of all amounts, net of refunds, in the file's currency."))


def card(head: dict, column, figure: str, label: str | None = None) -> None:
    """A headline figure as a metric: the shared label, its window, the definition on hover."""
    widgets.headline_metric(column, head[figure], label)


def model_pending(head: dict) -> bool:
    """Whether the headline figures `head` (of headline.summary without the model) would be joined by the purchase
    model's: a shop with purchases only (no cancel dates), where the model is fitted to choose what leads."""
    return head.get("customer_retention_month", {}).get("basis") == "purchases"


def retention_card(ds, head: dict, done: pd.DataFrame | None, pending: bool = False):
    """"Are we keeping customers?": the purchase model's figures when it passed its check, else the inactivity
    window's, else (no dates) the share churned. done: churn.usable_periods of the monthly figures. pending: `head`
    is without the model, which is being fitted (the card says so). Returns the kept-per-month sparkline (None
    when not drawn)."""
    st.subheader(_("Are we keeping customers?"))
    check = head.get("customer_retention_month", {}).get("check")
    check = check if isinstance(check, dict) else None
    spark = None
    if check and check["used"] and "model_retention_month" in head:
        model_lead(head, check)
        spark = cache.reuse(charts.kept_sparkline, done.assign(crr_pct=done["alt_crr_pct"]), _("Kept (%)"))
        st.plotly_chart(spark, width="stretch", key="overview_crr_spark")
    elif "customer_retention_month" in head:
        window_lead(head, check, pending)
        spark = cache.reuse(charts.kept_sparkline, done.assign(crr_pct=done["alt_crr_pct"]), _("Kept (%)"))
        st.plotly_chart(spark, width="stretch", key="overview_crr_spark")
    elif "share_churned" in head:
        churned_lead(ds, head)
    else:
        st.write(_("This dataset has no dates or churn status to measure churn with."))
    st.page_link("pages/churn.py", label=_("Churn details"), icon=":material/trending_down:",
                 query_params=links.to_view(ds.id, state.Churn))
    return spark


def model_lead(head: dict, check: dict) -> None:
    """A shop whose purchase model passed its check: the model's figures lead, the inactivity window's beside."""
    active = head["expected_active_customers"]
    m = st.columns(3)
    card(head, m[0], "model_retention_month")
    m[1].metric(ui_text.headline_label(active), number(active["expected"]),
                _("{share} of {n} who bought").format(share=fmt.percent(active["value"], 1),
                                                      n=number(active["customers"])),
                delta_color="off", delta_arrow="off", help=ui_text.headline_definition("expected_active_customers"))
    card(head, m[2], "customer_retention_month", _("Customers kept per month (inactivity window)"))
    st.write(words.model_sentence(head["model_retention_month"], active, head["customer_retention_month"]))
    st.caption(ui_text.model_headline_note(check))


def window_lead(head: dict, check: dict | None, pending: bool = False) -> None:
    """The inactivity window's figures: kept over a year (or the months the data has) and per month (pending:
    the purchase model is being fitted, check is None)."""
    year, month = head["customer_retention_year"], head["customer_retention_month"]
    m = st.columns(2)
    measured = year["method"] == "measured"
    # no whole year: the months the data has, measured directly, rather than monthly^12
    kept = year if measured else head["customer_retention_span"]
    card(head, m[0], "customer_retention_year" if measured else "customer_retention_span")
    card(head, m[1], "customer_retention_month")
    st.write(words.kept_sentence(kept, month))
    if not measured:
        st.caption(words.no_year_note(year, kept))
    if month["basis"] == "purchases":
        st.caption(words.purchases_note(check, pending))
    if kept["customers"] < SMALL:
        st.caption(words.few_at_start(kept["customers"]))
    with st.expander(str(ui_text.DEFINITIONS_HEADING)):
        st.markdown(str(ui_text.CRR_DEFINITION))


def churned_lead(ds, head: dict) -> None:
    """A customers file without dates: the share churned, churn per month of tenure, monthly charges lost."""
    m = st.columns(2)
    card(head, m[0], "share_churned")
    row = head["share_churned"]
    if "tenure_churn_month" in head:
        card(head, m[1], "tenure_churn_month")
        st.write(words.tenure_sentence(row, head["tenure_churn_month"]))
        st.caption(_("The file has no dates, so churn per month is churned customers ÷ total months of tenure."))
    else:
        st.write(words.no_dates_sentence(row))
    if "revenue_at_risk_month" in head:
        lost = head["revenue_at_risk_month"]
        st.metric(ui_text.HEADLINE["revenue_at_risk_month"][0],
                  _("{amount} per month").format(amount=money(lost["amount"], ds.currency, decimals=0)),
                  _("{pct} of all monthly charges").format(pct=fmt.percent(lost["value"])), delta_color="off",
                  delta_arrow="off", help=ui_text.headline_definition("revenue_at_risk_month") + " "
                  + _("Column: {column}.").format(column=lost["column"]))


def cohorts_card(ds, head: dict) -> None:
    """"Do new customers come back?" (month-1 cohort retention, repeat purchases, the latest cohort), or for a
    customers file without purchases "How long do customers stay?" (survival by tenure)."""
    if "month1_cohort_retention" in head:
        st.subheader(_("Do new customers come back?"))
        m = st.columns(2)
        card(head, m[0], "month1_cohort_retention", _("Came back the next month"))
        if "repeat_purchase_rate" in head:
            card(head, m[1], "repeat_purchase_rate")
        row = head["month1_cohort_retention"]
        cells = cache.cached(cohorts.matrix, ds, period="month") if ds.has_purchases else None
        latest = cohorts.summary(cells, k=1, window=6) if cells is not None and len(cells) else {}
        st.write(words.came_back_sentence(row, latest))
        if row["customers"] < SMALL:
            st.caption(words.few_in_cohorts(row["customers"]))
    elif ds.has_customers and not ds.has_purchases:
        st.subheader(_("How long do customers stay?"))
        points = cohorts.survival_at(cache.cached(cohorts.tenure_survival, ds))
        if points:
            for col, (n, pct) in zip(st.columns(2), points.items()):
                col.metric(ui_text.still_after(n), fmt.percent(pct), help=str(ui_text.KM_TENURE_HELP))
            st.write(_("Survival by tenure from the file's tenure and churn status (Kaplan–Meier); the Cohorts page "
                       "shows the whole curve."))
        else:
            st.write(_("The customers file has no tenure, so how long customers stay cannot be measured."))
    else:
        st.subheader(_("Do new customers come back?"))
        st.write(_("No cohort has completed its first month yet, or the dataset has no purchases."))
    st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:",
                 query_params=links.to_view(ds.id, state.Cohorts))


def compare_card(ds, head: dict) -> None:
    """"How do we compare?": this dataset's retention against the published figures (compare.context)."""
    st.subheader(_("How do we compare?"))
    try:
        ctx = cache.cached(compare.context, ds).iloc[0].to_dict()
    except churn.NoChurnData:
        ctx = None
    sentence = bench_text.context(ctx) if ctx else None
    if sentence:
        st.write(sentence)
    elif "customer_retention_month" not in head and "share_churned" in head:
        st.write(_("The file has no dates, and published retention figures are measured per month or year over "
                   "calendar time, so there is no like-for-like comparison; the Benchmarks page shows this file's "
                   "figures next to the published ones for reference."))
    else:
        st.write(_("Not enough complete periods to compare with published figures yet."))
    if ctx and ctx.get("nearest_publisher"):
        st.caption(words.closest_source(ctx))
    st.page_link("pages/benchmarks.py", label=_("Benchmarks"), icon=":material/leaderboard:",
                 query_params=links.to_view(ds.id, state.Benchmarks))


def reasons_card(ds) -> None:
    """"Why do customers leave?": the top reasons given, or when nobody said why, the attributes that go with
    churning beyond chance (churn drivers)."""
    st.subheader(_("Why do customers leave?"))
    top = cache.cached(reasons.reason_counts, ds)
    given = top[top["reason"] != reasons.NO_REASON] if len(top) else top
    if len(given):
        total = int(top["churned"].sum())
        for row in top.head(3).itertuples():
            st.write(words.reason_line(widgets.md(row.reason), row.share_pct, total))
        st.page_link("pages/churn.py", label=_("All reasons"), icon=":material/help:",
                     query_params=links.to_view(ds.id, state.Churn, tab="reasons"))
        return
    try:
        found = cache.cached(drivers.drivers, ds)
    except drivers.NoDrivers:
        found = None
    beyond = found["ranking"][found["ranking"]["significant"]] if found else None
    if beyond is not None and len(beyond):
        st.caption(_("No churn reasons in this dataset; the attributes that go with churning:"))
        for row in beyond.head(3).to_dict("records"):
            st.write(ui_text.driver_sentence(row, found["customers"], found["churned"], widgets.md))
    else:
        st.write(_("No churn reasons in this dataset, and no attribute whose churn differs beyond chance. Upload "
                   "a customers file with a reason column or with attributes such as plan or contract."))
    st.page_link("pages/churn.py", label=_("Churn drivers"), icon=":material/help:",
                 query_params=links.to_view(ds.id, state.Churn, tab="drivers"))


def buyers_chart(monthly: pd.DataFrame, last_date):
    """New and returning buyers per month (overview.monthly), titled with the last complete month's share of
    returning buyers; returns the figure (None without months)."""
    if not len(monthly):
        return None
    # The last month is incomplete unless the data runs to its last day: drawn faded, not used in the title.
    complete, last = overview.returning_buyers(monthly, last_date)
    fig = cache.reuse(charts.buyers_per_month, monthly, complete, (_("Returning buyers"), _("New buyers")),
                      words.buyers_title(last, bool(complete.all())), _("Month"), _("Customers who bought (count)"))
    st.plotly_chart(fig, width="stretch", key="overview_monthly")
    return fig
