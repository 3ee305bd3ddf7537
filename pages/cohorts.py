"""Cohorts: of the customers who started in a period, how many came back in each later period."""

import numpy as np
import pandas as pd
import streamlit as st

from retention import state
from retention.ui import cache, datasets, downloads, links, widgets
from retention.charts import cohorts as charts
from retention.metrics import cohorts

GRAINS = {"week": "Week", "month": "Month", "quarter": "Quarter"}
MODES = {"classic": "Classic", "rolling": "Rolling (then or later)", "revenue": "Revenue", "survival": "Survival"}
BASES = {"first_purchase": "First purchase", "signup": "Signup date"}
SHOW = {"pct": "%", "count": "Customers", "revenue": "Revenue"}
AVERAGES = {"weighted": "Weighted (all customers pooled)", "simple": "Simple mean of cohorts (unweighted)"}
LEAD = {"classic": "Of customers who {started} in **{cohort}** ({size:,}), **{pct:.0f}%** bought again the next {p}",
        "rolling": "Of customers who {started} in **{cohort}** ({size:,}), **{pct:.0f}%** bought again in the next {p} "
                   "or later",
        "survival": "Of customers who {started} in **{cohort}** ({size:,}), **{pct:.0f}%** were still customers at the "
                    "end of the next {p}",
        "revenue": "Customers who {started} in **{cohort}** ({size:,}) spent **{pct:.0f}%** as much in the next {p} as "
                   "in their first"}
STARTED = {"first_purchase": "first bought", "signup": "signed up"}
KEPT = {"classic": "bought again", "rolling": "bought then or later", "survival": "were still customers",
        "revenue": "of first-period revenue came back"}
DEFINITIONS = """
- A customer's **cohort** is the calendar period (week, month or quarter) of their first purchase with a positive amount, or of their signup date when you pick "cohort by signup". Weeks run Monday to Sunday (so the days of ISO week 53 and the January days after it are one week).
- **Period k** of a cohort is the k-th calendar period after the cohort period (k = 0 is the cohort period itself).
- **Classic retention** (c, k): customers of cohort c with at least one positive purchase in period c+k, divided by the cohort size. Refunds (negative or zero amounts) are not activity; customers who only ever refunded are in no cohort.
- **Rolling retention** ("on or after") (c, k): customers of c with a positive purchase in period c+k or any later period up to the analysis date.
- **Survival** (customers files with cancel dates): customers of c not yet cancelled at the end of period c+k. Customers marked churned without a cancel date are left out. For files with a tenure and an active/churned status but no dates: the Kaplan–Meier curve by tenure, customers still active counted as censored.
- **Revenue retention** (c, k): net revenue (refunds subtracted) of cohort c in period c+k divided by its revenue in period 0; and cumulative revenue per customer (LTV to date).
- **Incomplete periods**: a cell whose period had not ended at the analysis date is faded and hatched, and left out of averages. Nothing after the analysis date is counted. Cells not reached yet are blank.
- **Average curve**: over the cohorts that completed period k, sum of retained over sum of cohort sizes, with the number of cohorts and customers behind each point and a 95% Wilson interval (survival: Kaplan–Meier over cohorts with Greenwood's interval). The simple mean gives each cohort the same weight and has no band.
- **Minimum sample**: cells and points resting on fewer customers than the threshold have a dotted outline (heatmap) or are hollow (lines).
"""

ds = datasets.dataset()
st.title("Cohorts")
info = cache.cached(cohorts.availability, ds).iloc[0]
modes = [m for m, ok in (("classic", info.customers_first_purchase), ("rolling", info.customers_first_purchase),
                         ("revenue", info.customers_first_purchase and info.has_amounts),
                         ("survival", info.customers_survival)) if ok]
bases = ["first_purchase"] * bool(info.customers_first_purchase) + ["signup"] * bool(info.customers_signup)
days = [pd.Timestamp(d).date() for d in (info.first_date, info.last_date)] if modes else [None, None]
values, segments = cache.cached(cohorts.attribute_values, ds), datasets.segment_attributes(ds)
links.page_state(state.Cohorts, state.cohorts_limits(modes, bases, *days, values, segments))
if not modes:
    if info.customers_tenure:
        st.caption("This customers file gives a tenure and a status but no dates, so there are no calendar cohorts: "
                   "the chance of still being a customer after each tenure (Kaplan–Meier; active customers censored).")
        points = cohorts.survival_at(cache.cached(cohorts.tenure_survival, ds))
        m = st.columns(max(1, len(points)))
        for col, (n, pct) in zip(m, points.items()):  # the same figures as the Overview's
            col.metric(f"Still customers after {n} months of tenure", f"{pct:.1f}%",
                       help="Kaplan–Meier by tenure: churned customers end at their tenure, active customers "
                            "are counted up to theirs.")
        seg = st.selectbox("Compare by", [None, *segments], key="cohorts_tenure_segment",
                           format_func=lambda s: "Everyone together" if s is None else s)
        km = cache.cached(cohorts.tenure_survival, ds, segment=seg)
        title = (f"{points[12]:.0f}% of customers are still with you after 12 months of tenure" if 12 in points
                 else "Share of customers still with you after each tenure")
        fig = charts.segment_curves(km, {"x": "Tenure (as in the file, usually months)", "y": "Still a customer (%)",
                                         "none": "All" if seg is None else "(no value)"}, title, steps=True)
        st.plotly_chart(fig, width="stretch", key="cohorts_km")
        downloads.download_buttons(km, "survival_by_tenure", key="cohorts_km_download")
        downloads.report_button("Cohorts", [("Still a customer by tenure", fig), ("Survival by tenure", km)], "cohorts_report")
    else:
        st.info("Cohorts need purchases with dates, or a customers file with signup and cancel dates.")
    st.stop()

# The finding first, then the view, then its controls; on a phone the controls go after the chart (widgets.PHONE_CSS).
lead, controls = st.container(), st.container(key="cohorts_controls")
c = controls.columns(4)
grain = c[0].selectbox("Period", list(GRAINS), format_func=GRAINS.get, key="cohorts_period")
mode = c[1].selectbox("Retention", modes, format_func=MODES.get, key="cohorts_mode")
basis = c[2].selectbox("Cohort by", bases, format_func=BASES.get, key="cohorts_basis")
as_of = c[3].date_input("Analysis date", min_value=days[0], max_value=days[1], key="cohorts_as_of",
                        help="Nothing after this day is counted; periods not ended by then are incomplete. Default: "
                        "the last date in the data.")
with controls.expander("Filters and sample size"):
    f = st.columns(4)
    span = f[0].date_input("Cohorts starting between", value=(), min_value=days[0], max_value=days[1],
                           key="cohorts_span")
    attribute = f[1].selectbox("Only customers with", [None, *values["attribute"].unique()], key="cohorts_filter_by",
                               format_func=lambda a: "(anyone)" if a is None else a)
    kept = f[2].multiselect("Values", values.loc[values["attribute"] == attribute, "value"], key="cohorts_filter_values")
    minimum = f[3].number_input("Minimum sample (customers)", 1, 10_000, key="cohorts_min")
params = dict(period=grain, mode=mode, cohort_by=basis, as_of=as_of.isoformat(), min_customers=int(minimum),
              filters={attribute: kept} if attribute and kept else None,
              cohort_from=span[0].isoformat() if len(span) > 0 else None,
              cohort_to=span[1].isoformat() if len(span) > 1 else None)
cells = cache.cached(cohorts.matrix, ds, **params)
if cells.empty:
    st.info("No customer starts a cohort with these settings.")
    st.stop()
label = {"week": lambda d: f"{d:%d %b %Y}", "month": lambda d: f"{d:%b %Y}",
         "quarter": lambda d: f"{d.year} Q{d.quarter}"}[grain]
cells = cache.reuse(cohorts.with_intervals, cells, mode=mode)
starts, names = pd.factorize(cells["cohort"])  # label each cohort once, not each cell
cells = cells.assign(cohort_label=np.array([label(d) for d in names], dtype=object)[starts])

s = cache.reuse(cohorts.summary, cells, k=1, mode=mode)
lead_text = ""
if s:
    trend = "risen" if s["latest_pct"] > s["first_pct"] + 0.5 else "fallen" if s["latest_pct"] < s["first_pct"] - 0.5 \
        else "stayed about level"
    lead_text = (LEAD[mode].format(started=STARTED[basis], cohort=label(s["latest_cohort"]), size=s["latest_size"],
                                  pct=s["latest_pct"], p=grain)
                + f"; {grain}-1 retention has {trend} from {s['first_pct']:.0f}% to {s['latest_pct']:.0f}% over the "
                f"last {s['cohorts']} cohorts (weighted average of all {s['average_cohorts']} complete cohorts: "
                f"{s['average_pct']:.0f}%).")
lead.markdown(lead_text or f"No cohort has completed its first {grain} after the start yet.")
with controls.expander("How these numbers are defined"):
    st.markdown(DEFINITIONS)

most = int(cells["period"].max())
g = controls.columns([2, 3, 3])
links.keep_within("cohorts_shown", 1, max(most, 1))
shown = g[0].slider(f"{GRAINS[grain]}s shown", 1, max(most, 1), key="cohorts_shown") if most > 1 else most
measures = ["pct", "count"] + ["revenue"] * (mode == "revenue")
show = g[1].radio("Cells show", measures, format_func=SHOW.get, horizontal=True, key="cohorts_show")
average = g[2].radio("Average", list(AVERAGES), format_func=AVERAGES.get, horizontal=True, key="cohorts_average")
cells = cells[cells["period"] <= shown]
unit = "Revenue kept (% of period 0)" if mode == "revenue" else "Retained (%)"
tab, panel = widgets.tabs({"heatmap": "Heatmap", "curve": "Average curve", "over_time": f"{GRAINS[grain]} k over time",
                      "segments": "Segments"}, key="cohorts_tab")
report_sections = downloads.ReportSections()
with panel:
    if tab == "heatmap":
        ones = cells.loc[(cells["period"] == 1) & cells["complete"], "retention_pct"].dropna()
        hover = ("{cohort}, {k}: {value} ({active:,} buyers of {size:,}){note}" if mode == "revenue" else
                 "{cohort}, {k}: {active:,} of {size:,} = {value} (95% interval {low:.0f}–{high:.0f}%){note}")
        report_sections.chart(cache.reuse(charts.heatmap, cells, show, {
            "x": f"{GRAINS[grain]}s after the cohort's {GRAINS[grain].lower()} (k)", "y": "Cohort", "sizes": "Cohort size",
            "colorbar": SHOW[show], "hover": hover, "incomplete": " · incomplete period",
            "small": f" · fewer than {minimum} customers"},
            f"{GRAINS[grain]} 1: from {ones.min():.0f}% to {ones.max():.0f}% across complete cohorts" if len(ones)
            else f"{MODES[mode]} retention by cohort"), "cohorts_heatmap", "Retention by cohort",
            min_width=charts.heatmap_min_width(int(cells["period"].max())))
        st.caption(f"Faded, hatched cells: the {grain} had not ended on {as_of:%d %b %Y}. Dotted outline: fewer "
                   f"than {minimum} customers in the cohort (read with care). Blank: not reached yet.")
        matrix = report_sections.table(cells.drop(columns=["cohort_label"]), "Cohort matrix")
        downloads.download_buttons(matrix, f"cohort_matrix_{mode}_{grain}", key="cohorts_matrix_dl")
    elif tab == "curve":
        curve = cache.reuse(cohorts.average_curve, cells, mode=mode, average=average, min_customers=int(minimum))
        picked = st.multiselect("Show cohorts", list(dict.fromkeys(cells["cohort"].dt.date)), key="cohorts_picked",
                                format_func=lambda d: label(pd.Timestamp(d)))
        point = curve[curve["period"] == 1]
        report_sections.chart(cache.reuse(charts.average_curve, curve, cells[cells["cohort"].dt.date.isin(picked)], {
            "average": AVERAGES[average].split(" (")[0] + " average", "band": "95% interval",
            "x": f"{GRAINS[grain]} (k)", "y": unit, "hover": "k = {k}: {value:.1f}% ({cohorts} cohorts, {customers:,} "
            "customers)"}, f"On average {point['retention_pct'].iloc[0]:.0f}% {KEPT[mode]} in {grain} 1" if len(point)
            else "Average curve"), "cohorts_curve", "Average curve")
        downloads.download_buttons(report_sections.table(curve, "Average curve (table)"), f"cohort_average_{mode}_{grain}",
                            key="cohorts_curve_dl")
    elif tab == "over_time":
        links.keep_within("cohorts_k", 1, max(most, 1))
        k = st.number_input("Period k", 1, max(most, 1), key="cohorts_k")
        series = cohorts.period_over_time(cells, k=int(k), mode=mode)
        report_sections.chart(cache.reuse(charts.over_time, series, {"name": f"{GRAINS[grain]} {k}", "incomplete": "Not ended yet",
                                               "x": "Cohort", "y": unit},
                                      f"Is {grain}-{k} retention improving? Each cohort with its 95% interval"),
                     "cohorts_over_time", f"{GRAINS[grain]} {k} over time")
    else:
        seg = st.selectbox("Compare by", segments, key="cohorts_segment")
        if seg:
            split = cache.cached(cohorts.matrix, ds, **params, segment=seg)
            by = cohorts.average_curve(split[split["period"] <= shown], mode=mode, average=average,
                                       min_customers=int(minimum))
            top = by[by["period"] == 0].nlargest(6, "customers")["segment"]
            drawn = by[by["segment"].isin(top) | (by["segment"].isna() & top.isna().any())]
            one = drawn[drawn["period"] == 1].sort_values("retention_pct").fillna({"segment": "(no value)"})
            report_sections.chart(cache.reuse(charts.segment_curves, drawn, {"x": f"{GRAINS[grain]} (k)", "y": unit, "none": "(no value)"},
                                               f"In {grain} 1, {one['segment'].iloc[-1]} keeps the most "
                                               f"({one['retention_pct'].iloc[-1]:.0f}%), {one['segment'].iloc[0]} the "
                                               f"fewest ({one['retention_pct'].iloc[0]:.0f}%)" if len(one) > 1
                                               else f"{MODES[mode]} retention by {seg}"), "cohorts_segments", f"By {seg}")
            st.caption("The six largest groups; each with its 95% band. All groups are in the download.")
            downloads.download_buttons(report_sections.table(by, f"Average curve by {seg}"), f"cohort_average_by_{seg}",
                                key="cohorts_segments_dl")
        else:
            st.info("This data has no segment columns (such as channel, plan or country) to compare by.")
downloads.report_button("Cohorts", report_sections, key="cohorts_report")
