"""Overview: the dataset at a glance, in plain words first, numbers second; each tile links to its page."""

import math

import pandas as pd
import streamlit as st

from retention import fmt, ui_text
from retention.ui import cache, datasets, downloads, widgets
from retention.fmt import money, number
from retention.i18n import _, ngettext
from retention.benchmarks import compare
from retention.benchmarks import wording as bench_text
from retention.charts import overview as charts
from retention.metrics import churn, cohorts, drivers, headline, overview, reasons

SMALL = 30  # fewer customers than this behind a percentage: say so
ds = datasets.dataset()
link = {"dataset": ds.id}
st.title(widgets.md(ds.name))

t = cache.cached(overview.totals, ds).iloc[0]
if t.first_date == t.first_date:
    st.caption(_("Data from {first} to {last}. Hover over a number for what it means.").format(
        first=fmt.date(t.first_date), last=fmt.date(t.last_date)))

head = headline.as_dict(cache.cached(headline.summary, ds))
try:
    monthly_crr = cache.cached(churn.retention_by_period, ds, period="month")
except churn.NoChurnData:
    monthly_crr = None
done = monthly_crr[monthly_crr["complete"] & ~monthly_crr["warm_up"] & (monthly_crr["customers_start"] > 0)] \
    if monthly_crr is not None else None


def card(column, figure: str, label: str | None = None) -> None:
    """A headline figure as a metric: the shared label, its window, and the definition on hover."""
    widgets.headline_metric(column, head[figure], label)


cols = st.columns(4)
cols[0].metric(_("Customers"), number(int(t.customers)), help=_("Distinct customer ids in the purchases and customers files."))
if monthly_crr is not None and len(monthly_crr):
    cols[1].metric(_("Active customers"), number(int(monthly_crr['customers_end'].iloc[-1])),
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

spark = None
left, right = st.columns(2)
with left.container(border=True):
    st.subheader(_("Are we keeping customers?"))
    if "customer_retention_month" in head:
        year, month = head["customer_retention_year"], head["customer_retention_month"]
        m = st.columns(2)
        if year["method"] == "measured":
            card(m[0], "customer_retention_year")
            kept = year
        else:  # no whole year: the months the data has, measured directly, rather than monthly^12
            card(m[0], "customer_retention_span")
            kept = head["customer_retention_span"]
        card(m[1], "customer_retention_month")
        st.write(f"Of the customers we had at the start of {ui_text.headline_window(kept)}, **{kept['value']:.1f}%** "
                 f"were still customers at its end; month by month, **{month['value']:.1f}%** stayed and "
                 f"**{100 - month['value']:.1f}%** left.")
        if year["method"] != "measured":
            st.caption(f"No 12 complete months yet, so a year cannot be measured. Compounding the monthly figure "
                       f"would give {year['value']:.1f}% a year, but customers who lapse and come back make that far "
                       f"too low: the {kept['period']} measured directly say more.")
        if month["basis"] == "purchases":
            st.caption("Purchases only: a customer counts as lost 90 days after their last purchase (the inactivity "
                       "window, set on the Churn page). A longer window keeps more customers. "
                       + ui_text.OVERVIEW_METHOD_NOTE)
        if kept["customers"] < SMALL:
            st.caption(ngettext("Only {n} customer at the start: treat this with care.",
                                "Only {n} customers at the start: treat this with care.",
                                kept["customers"]).format(n=number(kept["customers"])))
        spark = cache.reuse(charts.kept_sparkline, done.assign(crr_pct=done["alt_crr_pct"]), "Kept (%)")
        st.plotly_chart(spark, width="stretch", key="overview_crr_spark")
    elif "share_churned" in head:
        m = st.columns(2)
        card(m[0], "share_churned")
        row = head["share_churned"]
        if "tenure_churn_month" in head:
            tenure = head["tenure_churn_month"]
            card(m[1], "tenure_churn_month")
            st.write(f"**{row['successes']:,}** of the {row['customers']:,} customers in the file have churned. "
                     f"Counting the months each customer stayed, about **{tenure['value']:.2f}%** of customers "
                     f"leave per month (95% interval {tenure['ci_low']:.2f}–{tenure['ci_high']:.2f}%).")
            st.caption("The file has no dates, so churn per month is churned customers ÷ total months of tenure.")
        else:
            st.write(f"**{row['successes']:,}** of the {row['customers']:,} customers in the file have churned. "
                     "The file has no dates, so churn per month cannot be measured.")
        if "revenue_at_risk_month" in head:
            lost = head["revenue_at_risk_month"]
            st.metric(ui_text.HEADLINE["revenue_at_risk_month"][0], money(lost["amount"], ds.currency, decimals=0) + " per month",
                      f"{lost['value']:.1f}% of all monthly charges", delta_color="off", delta_arrow="off",
                      help=ui_text.headline_definition("revenue_at_risk_month") + f" Column: {lost['column']}.")
    else:
        st.write("This dataset has no dates or churn status to measure churn with.")
    st.page_link("pages/churn.py", label=_("Churn details"), icon=":material/trending_down:", query_params=link)

with right.container(border=True):
    cells = cache.cached(cohorts.matrix, ds, period="month") if ds.has_purchases else None
    s = cohorts.summary(cells, k=1, window=6) if cells is not None and len(cells) else {}
    if "month1_cohort_retention" in head:
        st.subheader(_("Do new customers come back?"))
        m = st.columns(2)
        card(m[0], "month1_cohort_retention", _("Came back the next month"))
        if "repeat_purchase_rate" in head:
            card(m[1], "repeat_purchase_rate")
        row = head["month1_cohort_retention"]
        text = (f"Of the {row['customers']:,} customers who first bought in {ui_text.headline_window(row)}, "
                f"**{row['value']:.1f}%** bought again in the next calendar month.")
        if s:
            text += (f" The latest cohort ({s['latest_cohort']:%B %Y}, {s['latest_size']:,} customers): "
                     f"{s['latest_pct']:.1f}%.")
        st.write(text)
        if row["customers"] < SMALL:
            st.caption(ngettext("Only {n} customer in those cohorts: treat this with care.",
                                "Only {n} customers in those cohorts: treat this with care.",
                                row["customers"]).format(n=number(row["customers"])))
        st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:", query_params=link)
    elif ds.has_customers and not ds.has_purchases:
        st.subheader(_("How long do customers stay?"))
        km = cache.cached(cohorts.tenure_survival, ds)
        points = cohorts.survival_at(km)
        if points:
            m = st.columns(2)
            for col, (n, pct) in zip(m, points.items()):
                col.metric(f"Still customers after {n} months of tenure", f"{pct:.1f}%",
                           help="Kaplan–Meier by tenure: churned customers end at their tenure, active customers "
                                "are counted up to theirs.")
            st.write("Survival by tenure from the file's tenure and churn status (Kaplan–Meier); the Cohorts page "
                     "shows the whole curve.")
        else:
            st.write("The customers file has no tenure, so how long customers stay cannot be measured.")
        st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:", query_params=link)
    else:
        st.subheader(_("Do new customers come back?"))
        st.write("No cohort has completed its first month yet, or the dataset has no purchases.")
        st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:", query_params=link)

left, right = st.columns(2)
with left.container(border=True):
    st.subheader(_("How do we compare?"))
    try:
        ctx = cache.cached(compare.context, ds).iloc[0].to_dict()
    except churn.NoChurnData:
        ctx = None
    sentence = bench_text.context(ctx) if ctx else None
    if sentence:
        st.write(sentence)
    elif "customer_retention_month" not in head and "share_churned" in head:
        st.write("The file has no dates, and published retention figures are measured per month or year over "
                 "calendar time, so there is no like-for-like comparison; the Benchmarks page shows this file's "
                 "figures next to the published ones for reference.")
    else:
        st.write("Not enough complete periods to compare with published figures yet.")
    if ctx and ctx.get("nearest_publisher"):
        st.caption(f"Closest source: {ctx['nearest_publisher']} ({ctx['nearest_year']}), {ctx['nearest_industry']}. "
                   "Benchmarks differ in definition and population; the Benchmarks page shows each one.")
    st.page_link("pages/benchmarks.py", label=_("Benchmarks"), icon=":material/leaderboard:", query_params=link)

with right.container(border=True):
    st.subheader(_("Why do customers leave?"))
    top = cache.cached(reasons.reason_counts, ds)
    given = top[top["reason"] != reasons.NO_REASON] if len(top) else top
    if len(given):
        total = int(top["churned"].sum())
        for row in top.head(3).itertuples():
            st.write(f"**{widgets.md(row.reason)}** — {row.share_pct:.0f}% of the {total:,} who left")
        st.page_link("pages/churn.py", label=_("All reasons"), icon=":material/help:", query_params=link)
    else:  # nobody said why: what the customers' own attributes say (churn drivers)
        try:
            found = cache.cached(drivers.drivers, ds)
        except drivers.NoDrivers:
            found = None
        beyond = found["ranking"][found["ranking"]["significant"]] if found else None
        if beyond is not None and len(beyond):
            st.caption("No churn reasons in this dataset; the attributes that go with churning:")
            for row in beyond.head(3).to_dict("records"):
                st.write(ui_text.driver_sentence(row, found["customers"], found["churned"], widgets.md))
        else:
            st.write("No churn reasons in this dataset, and no attribute whose churn differs beyond chance. Upload a "
                     "customers file with a reason column or with attributes such as plan or contract.")
        st.page_link("pages/churn.py", label="Churn drivers", icon=":material/help:",
                     query_params=link | {"tab": "drivers"})

monthly = cache.cached(overview.monthly, ds)
fig = None
if len(monthly):
    # The last month is incomplete unless the data runs to its last day: drawn faded, not used in the title.
    complete = monthly["month"] + pd.offsets.MonthEnd(0) <= pd.Timestamp(t.last_date)
    done_months = monthly[complete]
    if len(done_months):
        last = done_months.iloc[-1]
        share = (last.buyers - last.new_buyers) / last.buyers if last.buyers else math.nan
        title = f"In {last.month:%B %Y}, {share:.0%} of buyers were returning customers"
    else:
        title = "Buyers per month (no complete month yet)"
    if not complete.all():
        title += " (faded: month not over)"
    fig = cache.reuse(charts.buyers_per_month, monthly, complete, ("Returning buyers", "New buyers"), title, "Month",
                    "Customers who bought (count)")
    st.plotly_chart(fig, width="stretch", key="overview_monthly")

downloads.report_button("Overview", [("Headline numbers", t.to_frame().T),
                              ("Headline figures", cache.cached(headline.summary, ds)), ("Buyers per month", fig),
                              ("Customers kept per month", spark), ("Customer retention per month", done),
                              ("Monthly figures", monthly)],
                 key="overview_report")
