"""Overview: the dataset at a glance, in plain words first, numbers second; each tile links to its page."""

import math

import pandas as pd
import streamlit as st

from retention import ui
from retention.fmt import money
from retention.benchmarks import compare
from retention.benchmarks import text as bench_text
from retention.charts import overview as charts
from retention.metrics import churn, cohorts, overview, reasons

SMALL = 30  # fewer customers than this behind a percentage: say so
ds = ui.dataset()
link = {"dataset": ds.id}
st.title(ui.md(ds.name))

t = ui.cached(overview.totals, ds).iloc[0]
if t.first_date == t.first_date:
    st.caption(f"Data from {t.first_date:%d %B %Y} to {t.last_date:%d %B %Y}. Hover over a number for what it means.")

try:
    monthly_crr = ui.cached(churn.retention_by_period, ds, period="month")
except churn.NoChurnData:
    monthly_crr = None
done = monthly_crr[monthly_crr["complete"] & ~monthly_crr["warm_up"] & (monthly_crr["customers_start"] > 0)] \
    if monthly_crr is not None else None

cols = st.columns(4)
cols[0].metric("Customers", f"{int(t.customers):,}", help="Distinct customer ids in the purchases and customers files.")
if monthly_crr is not None and len(monthly_crr):
    cols[1].metric("Active customers", f"{int(monthly_crr['customers_end'].iloc[-1]):,}",
                   help="Customers active on the last day of the data: subscribed and not cancelled, or (with "
                        "purchases only) bought within the inactivity window, 90 days by default.")
cols[2].metric("Purchases", f"{int(t.purchases):,}", help="Purchases with a positive amount (refunds not counted).")
if t.revenue == t.revenue and t.revenue is not None:
    cols[3].metric("Revenue", money(t.revenue, ds.currency, decimals=0),
                   help="Sum of all amounts, net of refunds, in the file's currency.")

spark = None
left, right = st.columns(2)
with left.container(border=True):
    st.subheader("Are we keeping customers?")
    if done is not None and len(done):
        last = done.iloc[-1]
        before = done.iloc[-2] if len(done) > 1 else None
        change = last.crr_pct - before.crr_pct if before is not None else None
        delta = f"{change:+.1f} pts vs {before.period_start:%B}" if change is not None else None
        st.metric(f"Kept in {last.period_start:%B %Y}", f"{last.crr_pct:.1f}%", delta,
                  delta_color="normal" if change is not None and abs(change) >= 0.05 else "off",
                  delta_arrow="auto" if change is not None and abs(change) >= 0.05 else "off",
                  help="Customer retention rate (CRR) = (customers at the end − new customers) ÷ customers at the "
                       "start of the month. Churn = 100% − CRR.")
        st.write(f"Of the customers we had on 1 {last.period_start:%B}, **{last.crr_pct:.1f}%** were still customers "
                 f"at the end of the month, so **{last.churn_pct:.1f}%** churned.")
        if last.customers_start < SMALL:
            st.caption(f"Only {int(last.customers_start)} customers at the start of the month: treat this with care.")
        spark = ui.pure(charts.kept_sparkline, done, "Kept (%)")
        st.plotly_chart(spark, width="stretch", key="overview_crr_spark")
    else:
        st.write("This dataset has no dates to measure churn over time.")
    st.page_link("pages/churn.py", label="Churn details", icon=":material/trending_down:", query_params=link)

with right.container(border=True):
    st.subheader("Do new customers come back?")
    cells = ui.cached(cohorts.matrix, ds, period="month") if ds.has_purchases else None
    s = cohorts.summary(cells, k=1, window=6) if cells is not None and len(cells) else {}
    if s:
        change = s["latest_pct"] - s["first_pct"]
        st.metric(f"Came back the month after their first purchase ({s['latest_cohort']:%B %Y})",
                  f"{s['latest_pct']:.1f}%", f"{change:+.1f} pts over {s['cohorts']} months",
                  delta_color="normal" if abs(change) >= 0.05 else "off",
                  delta_arrow="auto" if abs(change) >= 0.05 else "off",
                  help="Month-1 retention: of the customers whose first purchase was in a month, the share who "
                       "bought again in the next calendar month. A group of customers who started in the same "
                       "month is called a cohort.")
        trend = "up" if s["latest_pct"] > s["first_pct"] else "down" if s["latest_pct"] < s["first_pct"] else "flat"
        st.write(f"Of the {s['latest_size']:,} customers who first bought in {s['latest_cohort']:%B %Y}, "
                 f"**{s['latest_pct']:.1f}%** bought again the next month. Since {s['first_cohort']:%B %Y} this "
                 f"has gone **{trend}** (from {s['first_pct']:.1f}%); the average over all months is "
                 f"{s['average_pct']:.1f}%.")
        if s["latest_size"] < SMALL:
            st.caption(f"Only {s['latest_size']} customers in that cohort: treat this with care.")
    else:
        st.write("No cohort has completed its first month yet, or the dataset has no purchases.")
    st.page_link("pages/cohorts.py", label="Cohort details", icon=":material/grid_on:", query_params=link)

left, right = st.columns(2)
with left.container(border=True):
    st.subheader("How do we compare?")
    try:
        ctx = ui.cached(compare.context, ds).iloc[0].to_dict()
    except churn.NoChurnData:
        ctx = None
    sentence = bench_text.context(ctx) if ctx else None
    st.write(sentence or "Not enough complete periods to compare with published figures yet.")
    if ctx and ctx.get("nearest_publisher"):
        st.caption(f"Closest source: {ctx['nearest_publisher']} ({ctx['nearest_year']}), {ctx['nearest_industry']}. "
                   "Benchmarks differ in definition and population; the Benchmarks page shows each one.")
    st.page_link("pages/benchmarks.py", label="Benchmarks", icon=":material/leaderboard:", query_params=link)

with right.container(border=True):
    st.subheader("Why do customers leave?")
    top = ui.cached(reasons.reason_counts, ds)
    if len(top):
        total = int(top["churned"].sum())
        for row in top.head(3).itertuples():
            st.write(f"**{ui.md(row.reason)}** — {row.share_pct:.0f}% of the {total:,} who left")
    else:
        st.write("No churn reasons in this dataset. Upload a customers file with a reason column to see them.")
    st.page_link("pages/churn.py", label="All reasons", icon=":material/help:", query_params=link)

monthly = ui.cached(overview.monthly, ds)
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
    fig = ui.pure(charts.buyers_per_month, monthly, complete, ("Returning buyers", "New buyers"), title, "Month",
                    "Customers who bought (count)")
    st.plotly_chart(fig, width="stretch", key="overview_monthly")

ui.report_button("Overview", [("Headline numbers", t.to_frame().T), ("Buyers per month", fig),
                              ("Customers kept per month", spark), ("Customer retention per month", done),
                              ("Monthly figures", monthly)],
                 key="overview_report")
