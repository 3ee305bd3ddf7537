"""Overview: what is in the dataset, at a glance."""

import plotly.graph_objects as go
import streamlit as st

from retention import ui
from retention.charts.theme import PRIMARY, style
from retention.metrics import overview

ds = ui.dataset()
st.title(ds.name)
st.caption("Customers, purchases and revenue in this dataset. Use the pages on the left to see how many customers "
           "come back (Cohorts) and how many leave and why (Churn).")

t = ui.cached(overview.totals, ds).iloc[0]
cols = st.columns(4)
cols[0].metric("Customers", f"{int(t.customers):,}", help="Distinct customer ids in the purchases and customers files.")
cols[1].metric("Buyers", f"{int(t.buyers):,}", help="Customers with at least one purchase of a positive amount.")
cols[2].metric("Purchases", f"{int(t.purchases):,}", help="Purchases with a positive amount (refunds not counted).")
cols[3].metric("Revenue", f"{t.revenue:,.0f}" if t.revenue == t.revenue and t.revenue is not None else "—",
               help="Sum of all amounts, net of refunds, in the file's currency.")
if t.first_date == t.first_date:
    st.caption(f"Data from {t.first_date:%d %B %Y} to {t.last_date:%d %B %Y}.")

monthly = ui.cached(overview.monthly, ds)
if len(monthly):
    last = monthly.iloc[-1]
    fig = go.Figure()
    fig.add_bar(x=monthly["month"], y=monthly["buyers"] - monthly["new_buyers"], name="Returning buyers",
                marker_color=PRIMARY)
    fig.add_bar(x=monthly["month"], y=monthly["new_buyers"], name="New buyers", marker_color="#E69F00")
    fig.update_layout(barmode="stack")
    share = (last.buyers - last.new_buyers) / last.buyers if last.buyers else 0
    title = f"In {last.month:%B %Y}, {share:.0%} of buyers were returning customers"
    fig = style(fig, title, "Month", "Customers who bought (count)")
    st.plotly_chart(fig, width="stretch", key="overview_monthly")
else:
    st.info("This dataset has no purchases file, so there is no monthly activity to show. "
            "The Churn page works from the customers file alone.")

c1, c2 = st.columns(2)
c1.page_link("pages/cohorts.py", label="Do customers come back? → Cohorts", icon=":material/grid_on:")
c2.page_link("pages/churn.py", label="How many leave, and why? → Churn", icon=":material/trending_down:")

ui.report_button("Overview", [("Headline numbers", t.to_frame().T), ("Buyers per month", fig if len(monthly) else None),
                              ("Monthly figures", monthly)], key="overview_report")
