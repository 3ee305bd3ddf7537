"""Churn: how many customers leave per period (CRR), who comes and goes (lifecycle), and why they leave."""

import zlib
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.ui import cache, connections, datasets, downloads, links, widgets
from retention.fmt import money, money_label
from retention.charts import churn as charts
from retention.charts import drivers as driver_charts
from retention.metrics import btyd, churn, cohorts, customers, drivers, headline, lifecycle, reasons

PERIODS = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}
BASES = {"customers": "Customers file", "purchases": "Purchases"}
MEASURES = {"crr": "Retention %", "churn": "Churn %"}
DEFINITION = (
    "**How it is counted.** For each {p}: **CS** = customers active at its start (its first instant), **CN** = "
    "customers who started being customers during it (first time, or back after a lapse), **CE** = customers "
    "active at its end (the end of its last day). **Retention (CRR) = (CE − CN) / CS**, **churn = 100% − CRR**, "
    "**lost = CS + CN − CE**. A signup on the first day counts as new in that {p}; a cancel or lapse on the last "
    "day counts as lost in it. {active} The last {p} ends on the analysis date and is grey when incomplete; hollow "
    "points have fewer than {small} customers at the start. Annualised = {p}ly retention to the power {n:g}.")
ACTIVE = {"customers": "Active = signed up on or before that moment and not yet cancelled (customers marked churned "
                       "without a cancel date, or without a signup date, are left out: {left}; so are customers "
                       "only in the purchases file).",
          "purchases": "Active = from the first purchase until {w} days after the last one (a customer whose last "
                       "purchase + {w} days is after the analysis date is still active). Periods ending in the first "
                       "{w} days of data are grey (warm-up): nobody can have lapsed yet."}
ALT = ("**Alternative convention** (used by several billing tools): customers who joined and left within the same "
       "{p} are left out, and those who left and came back within it count as retained: active at both start and "
       "end / CS. The band is its 95% interval.")
STATUS = {"churned": "Churned recently", "at_risk": "At risk (no recent purchase)"}
RATE_LABELS = {"period_start": "Period (first day)", "complete": "Complete", "warm_up": "Warm-up (too early to lapse)",
               "customers_start": "Customers at start (CS)", "new_customers": "New or back (CN)",
               "lost": "Lost (CS + CN − CE)", "customers_end": "Customers at end (CE)",
               "alt_crr_pct": "Kept, %", "crr_pct": "Standard retention (CE − CN)/CS, %", "churn_pct": "Churn, %",
               "difference_pp": "Kept − standard, points"}
LIFE_LABELS = {"period_start": "Period (first day)", "period_end": "Last day", "complete": "Complete",
               "new": "New customers", "resurrected": "Came back", "retained": "Retained", "churned": "Churned",
               "joined_and_left": "Joined and left in the period", "customers_start": "Customers at start",
               "customers_end": "Customers at end", "warm_up": "Warm-up (too early to lapse)",
               "quick_ratio": "Quick ratio (gained ÷ lost)"}
REVENUE_LABELS = {"period_start": "Period (first day)", "period_end": "Last day", "complete": "Complete",
                  "base_customers": "Customers who bought the period before", "base_revenue": "Their revenue before",
                  "kept_gross": "Kept, capped at before", "kept_net": "Kept, with growth", "grr_pct": "GRR, %",
                  "nrr_pct": "NRR, %"}
SEGMENT_LABELS = {"segment": "Segment value", "reason": "Reason", "churned": "Churned customers",
                  "segment_churned": "Churned in the segment", "share_pct": "Share of the segment's churned, %",
                  "overall_share_pct": "Share of all churned, %", "index": "Index (100 = as overall)",
                  "residual": "Residual (beyond ±2: unlikely chance)", "small": "Few customers"}
TENURE_LABELS = {"band_from": "Tenure from (months)", "band_to": "to (months; — = open)",
                 "reached": "Customers who reached it", "churned": "Churned within it",
                 "churned_pct": "Churned, % of those who reached it"}
WINBACK_LABELS = {"customer_id": "Customer", "status": "Status", "churn_day": "Churned on", "reason": "Reason",
                  "last_purchase": "Last purchase", "days_since_purchase": "Days since purchase",
                  "purchases": "Purchases", "revenue_to_date": "Revenue to date", "p_alive": "P(alive), %",
                  "expected_value": "Expected value, next 12 months", "value_at_risk": "Value at risk",
                  "rfm_group": "RFM group"}
LIST_ORDERS = {"status": "Churned first, then revenue", "value_at_risk": "Value at risk (1 − P(alive)) × revenue"}

SYNONYMS = "churn_synonyms_edited"  # the viewer's reason spellings table, kept while other tabs are open


def rate_tab(v) -> None:
    """Retention rate: the pooled figures, the kept-share line and its table; the definitions in an expander."""
    info, period, basis, days, frame, s = v.info, v.period, v.basis, v.days, v.frame, v.summary
    if s["periods"]:
        m = st.columns(3)
        m[0].metric(f"Kept per {period} (active at start and end)", f"{s['alt_crr_pct']:.1f}%",
                    help=f"Of the customers at the start of a {period}, the share still customers at its end; pooled "
                         f"over the last {s['periods']} complete {period}s. The headline's definition.")
        m[1].metric(f"Standard formula (CE − CN) ÷ CS per {period}", f"{s['crr_pct']:.1f}%",
                    f"{-s['difference_pp']:+.2f} pts", delta_color="off",
                    help="Also subtracts customers who joined and left within a period. Difference from the "
                         "kept share, in percentage points.")
        m[2].metric(f"Churn per {period} (standard formula)", f"{s['churn_pct']:.1f}%")
    measure = st.radio("Show", list(MEASURES), format_func=MEASURES.get, horizontal=True, key="churn_measure")
    title = (f"Over the last {s['periods']} complete {period}s, {s['alt_crr_pct']:.1f}% of customers stayed each "
             f"{period}") if s["periods"] else f"Retention per {period}"
    report_sections.chart(cache.reuse(charts.rate_lines, frame, measure, {"standard": "Standard (CE − CN)/CS", "alternative":
                 "Kept (active at start and end)", "band": "95% interval (kept)", "x": PERIODS[period].title(),
                 "y": f"{'Retention' if measure == 'crr' else 'Churn'} per {period} (%)"}, title), "churn_rate_chart")
    if basis == "purchases":
        model_figures(period, v.as_of, s)
    with st.expander("How it is counted"):
        left = f"{info.without_signup} without a signup date, {info.churned_without_date} churned without a date"
        st.markdown(DEFINITION.format(p=period, small=churn.SMALL_SAMPLE, n=churn.PERIODS_PER_YEAR[period],
                                      active=ACTIVE[basis].format(w=days, left=left)))
        st.markdown(ALT.format(p=period))
    table = frame[["period_start", "complete", "warm_up", "customers_start", "new_customers", "lost",
                   "customers_end", "alt_crr_pct", "crr_pct", "churn_pct", "difference_pp"]]
    readable_table, config = widgets.readable(table, RATE_LABELS, {c: "{:.1f}" for c in ("alt_crr_pct", "crr_pct", "churn_pct")}
                                 | {"difference_pp": "{:+.2f}"}, date_columns=("period_start",))
    st.dataframe(readable_table, hide_index=True, key="churn_table", column_config=config)
    report_sections.table(table.rename(columns=RATE_LABELS), f"Retention per {period}")
    downloads.download_buttons(table.rename(columns=RATE_LABELS), f"churn_by_{period}", key="churn_table_download")


def model_figures(period: str, as_of: str, s: dict) -> None:
    """The BG/NBD model's expected active customers and churn per period, next to the inactivity window's."""
    try:
        frame = cache.cached(customers.model_churn, ds, period=period, as_of=as_of)
    except btyd.NoModelData:
        return
    m = customers.model_churn_summary(frame)
    if not m["periods"]:
        return
    c = st.columns(3)
    c[0].metric("Expected active customers (Σ P(alive))", f"{m['expected_active']:,.0f}",
                help=ui_text.P_ALIVE_HELP)
    c[1].metric(f"Model churn per {period}", f"{m['churn_pct']:.1f}%",
                f"{m['churn_pct'] - s['churn_pct']:+.1f} pts vs the window" if s["periods"] else None,
                delta_color="off", help=ui_text.MODEL_CHURN_HELP)
    c[2].metric(f"Model retention per {period}", f"{m['retention_pct']:.1f}%")
    st.caption(ui_text.model_churn_difference(period, m["periods"]))
    table = frame
    labels = {"period_start": "Period (first day)", "expected_start": "Expected active at start",
              "expected_kept": "Of those, expected active at end", "model_retention_pct": "Model retention, %",
              "model_churn_pct": "Model churn, %", "expected_active_end": "Expected active at end (all)"}
    with st.expander(f"Model churn per {period}"):
        readable_table, config = widgets.readable(table, labels, {k: "{:,.0f}" for k in ("expected_start", "expected_kept",
                                             "expected_active_end")} | {"model_retention_pct": "{:.1f}",
                                                                        "model_churn_pct": "{:.1f}"},
                                             date_columns=("period_start",))
        st.dataframe(readable_table, hide_index=True, key="churn_model_table", column_config=config)
    report_sections.table(table.rename(columns=labels), f"Model churn per {period}")


def lifecycle_tab(v) -> None:
    """New, came back, retained and churned customers per period, and the quick ratio."""
    period, params = v.period, v.params
    life = cache.cached(lifecycle.lifecycle, ds, **params)
    done = life[life["complete"] & ~life["warm_up"]]
    ratio = done["quick_ratio"].tail(1).iloc[0] if len(done) else float("nan")
    report_sections.chart(cache.reuse(charts.lifecycle_bars, life, {"new": "New", "resurrected": "Came back", "retained": "Retained",
                 "churned": "Churned", "quick_ratio": "Quick ratio", "x": PERIODS[period].title(),
                 "y": "Customers (churned below 0)", "y2": "Quick ratio"},
                 f"Quick ratio {ratio:.2f} in the last complete {period}: "
                 f"{'the base grows' if ratio > 1 else 'the base shrinks'}" if ratio == ratio else
                 f"Customers gained and lost per {period}"), "churn_life")
    st.caption("Retained = active at start and end; new = first time a customer; came back = active again after "
               "a lapse; churned = active at the start, not at the end. Quick ratio = (new + came back) / churned. "
               "Customers who joined and left within the same period are in no bar (column “Joined and left in "
               "the period”).")
    readable_table, config = widgets.readable(life, LIFE_LABELS, {"quick_ratio": "{:.2f}"},
                                 date_columns=("period_start", "period_end"))
    st.dataframe(readable_table, hide_index=True, key="churn_life_table", column_config=config)
    report_sections.table(life.rename(columns=LIFE_LABELS), "Lifecycle")


def revenue_tab(v) -> None:
    """Gross and net revenue retention from one period to the next."""
    info, period, as_of = v.info, v.period, v.as_of
    revenue = cache.cached(churn.revenue_retention, ds, period=period, as_of=as_of)
    if info.has_amounts and len(revenue):
        report_sections.chart(cache.reuse(charts.revenue_lines, revenue, {"grr": "Gross (GRR)", "nrr": "Net (NRR)", "x":
                     PERIODS[period].title(), "y": f"Revenue kept from the previous {period} (%)"},
                     f"Revenue kept from one {period} to the next"), "churn_revenue")
        st.caption(f"Base: customers who bought in the previous {period}. GRR = their revenue now, each capped at "
                   f"what they spent before, / their revenue before; NRR = their revenue now / before (growth "
                   f"counts). Refunds subtract. New customers are not in the base.")
        labels = REVENUE_LABELS | {k: money_label(REVENUE_LABELS[k], ds.currency)
                                   for k in ("base_revenue", "kept_gross", "kept_net")}
        readable_table, config = widgets.readable(revenue, labels, {"base_revenue": "{:,.2f}", "kept_gross": "{:,.2f}",
                                             "kept_net": "{:,.2f}", "grr_pct": "{:.1f}", "nrr_pct": "{:.1f}"},
                                             date_columns=("period_start", "period_end"))
        st.dataframe(readable_table, hide_index=True, key="churn_revenue_table", column_config=config)
        report_sections.table(revenue.rename(columns=labels), "Revenue retention")
    else:
        st.info("Revenue retention needs purchases with amounts.")


def reason_params() -> dict:
    """The reason mapping every reason query takes: the viewer's spellings table (if edited) and the fold share."""
    return dict(synonyms=st.session_state.get(SYNONYMS), min_share_pct=st.session_state.get("churn_fold", 0.0))


def reasons_tab(v) -> None:
    """Why customers leave: Pareto, over time, by segment, lost revenue and tenure at churn."""
    info, period, as_of = v.info, v.period, v.as_of
    st.slider("Fold reasons given by fewer than this share of churned customers into 'Other' (%)", 0.0, 10.0,
              step=0.5, key="churn_fold")
    with st.expander("Reason spellings → reason (edit to merge reasons)"):
        saved = st.session_state.get(SYNONYMS)
        shown = pd.DataFrame(reasons.read_synonyms() if saved is None else saved, columns=["variant", "reason"])
        # keyed by the table it starts from: after an edit is kept, the editor starts afresh from the kept table
        edited = st.data_editor(shown, num_rows="dynamic", hide_index=True,
                                key=f"churn_synonyms_{zlib.crc32(repr(saved).encode())}")
        if not edited.equals(shown):
            st.session_state[SYNONYMS] = edited.dropna().astype(str).values.tolist()
    rp = reason_params()
    counts = cache.cached(reasons.reason_counts, ds, **rp)
    if counts.empty:
        st.info("No churned customers with a known churn in this data (a customers file with a cancel date, a "
                "churn status or a churn reason is needed).")
    else:
        top = counts.iloc[0]
        report_sections.chart(cache.reuse(charts.pareto, counts, {"churned": "Churned customers", "cumulative": "Cumulative share",
                     "x": "Reason", "y": "Churned customers", "y2": "Cumulative share (%)"},
                     f"“{top.reason}” is the most common reason: {top.share_pct:.0f}% of {counts.churned.sum():,} "
                     f"churned customers"), "churn_pareto")
        downloads.download_buttons(report_sections.table(counts, "Churn reasons"), "churn_reasons", key="churn_reasons_download")
        over = cache.cached(reasons.reasons_over_time, ds, period=period, as_of=as_of, **rp) if info is not None else None
        if over is not None and len(over):
            share = st.toggle("Show shares instead of counts", key="churn_reason_share")
            report_sections.chart(cache.reuse(charts.reasons_area, over, "share_pct" if share else "churned", {"x": "Period of churn",
                         "y": "Share of churned (%)" if share else "Churned customers"},
                         f"Churn reasons per {period}"), "churn_reason_time")
        if segments:
            seg = st.selectbox("Reasons by segment", segments, key="churn_segment")
            by = cache.cached(reasons.reasons_by_segment, ds, segment=seg, **rp)
            report_sections.chart(cache.reuse(charts.segment_heatmap, by, {"x": "Reason", "y": seg, "colorbar": "vs overall",
                         "none": "(no value)", "small": " (few)"}, f"Which {seg} leaves for which reason"), "churn_segment_map")
            st.caption("Blue: the reason is more common in this segment than overall; orange: less. Cells show the "
                       "share of the segment's churned customers. '(few)': fewer than "
                       f"{reasons.SMALL_SEGMENT} churned customers, read with care. Residual beyond ±2 in the table: "
                       "unlikely to be chance.")
            readable_table, config = widgets.readable(by, SEGMENT_LABELS | {"segment": seg}, {
                "share_pct": "{:.1f}", "overall_share_pct": "{:.1f}", "index": "{:.0f}", "residual": "{:+.1f}"})
            st.dataframe(readable_table, hide_index=True, key="churn_segment_table", column_config=config)
            report_sections.table(by.rename(columns=SEGMENT_LABELS | {"segment": seg}), f"Reasons by {seg}")
        if ds.has_purchases:
            lost = cache.cached(reasons.lost_revenue_by_reason, ds, period=period, **rp)
            report_sections.chart(cache.reuse(charts.lost_revenue_bars, lost, {"x": money_label(f"Revenue per {period} that left", ds.currency), "y": "Reason"},
                         f"Revenue per {period} lost, by reason"), "churn_lost")
            st.caption(f"Each churned customer's revenue to date / the number of {period}s from their first purchase "
                       f"to their churn (both included), summed per reason.")
        tenure = cache.cached(reasons.reasons_by_tenure, ds, **rp)
        if tenure["band_no"].notna().any():
            report_sections.chart(cache.reuse(charts.tenure_heatmap, tenure, {"x": "Tenure at churn", "y": "Reason", "colorbar": "% of reason",
                         "unit": " mo", "open": "+"}, "When customers leave, per reason"), "churn_tenure")
            st.caption("Tenure from signup (else first purchase) to churn, else the file's tenure column, in months.")


def drivers_tab(v) -> None:
    """Churn drivers: the attributes that go with churning, ranked; a chart per attribute, the model, the rules."""
    days = int(v.days) if v.basis == "purchases" else churn.DEFAULT_INACTIVE_DAYS
    try:
        found = cache.cached(drivers.drivers, ds, inactive_days=days)
    except drivers.NoDrivers:
        st.info("Churn drivers are computed on uploaded datasets, not on a remote engine." if connections.is_engine(ds.id) else
                "Churn drivers need to know who churned: a customers file with a churn status or cancel date, or "
                "dated purchases.")
        return
    ranking, values, t = found["ranking"], found["values"], ui_text
    st.markdown(t.driver_definition(found["definition"]) + f" {found['churned']:,} of {found['customers']:,} "
                f"customers churned ({100 * found['churned'] / max(found['customers'], 1):.1f}%).")
    if ranking.empty:
        st.info("No column of the data can be compared (see the columns left out below).")
    beyond = ranking[ranking["significant"]]
    for row in beyond.head(3).to_dict("records"):
        st.markdown("- " + t.driver_sentence(row, found["customers"], found["churned"], widgets.md))
    if len(ranking) and beyond.empty:
        st.markdown("No attribute's churn differs beyond what chance gives (Holm-corrected p ≥ 0.05).")
    if len(ranking):
        shown = ranking.assign(top_value=ranking["top_value"].map(t.driver_value), kind=ranking["kind"].map(t.DRIVER_KINDS))[
            ["rank", "attribute", "top_value", "top_churn_pct", "top_diff_pp", "top_excess_churned", "cramers_v",
             "p_adjusted", "significant", "kind", "values"]]
        table, config = widgets.readable(shown, t.DRIVER_RANK_LABELS, {"top_churn_pct": "{:.1f}", "top_diff_pp": "{:+.1f}",
                                    "top_excess_churned": "{:,.0f}", "cramers_v": "{:.3f}", "p_adjusted": "{:.2g}"})
        st.dataframe(table, hide_index=True, key="churn_drivers_rank", column_config=config)
        st.caption("Ranked by how much of churn each attribute explains: attributes beyond chance first (chi-square "
                   "test, p-values corrected for the number of attributes tested, Holm), then by Cramér's V corrected "
                   "for the number of values, so a column with many small groups does not win by noise. Numbers are "
                   "cut into bins of about equal size with rounded edges ('6–19': 6 to 19; '39–<63': 39 up to "
                   "under 63). Tenure, orders and revenue to date grow while a customer stays, so churned customers "
                   "have less of them partly because they left: they are ranked, but kept out of the model below.")
        attribute = st.selectbox("Attribute", ranking["attribute"].tolist(), key="churn_driver_attribute")
        rows = values[values["attribute"] == attribute]
        overall = 100 * found["churned"] / max(found["customers"], 1)
        top = ranking[ranking["attribute"] == attribute].iloc[0]
        report_sections.chart(cache.reuse(driver_charts.value_bars, rows, overall, {"x": "Churned (%), with 95% interval",
                     "overall": f"everyone {overall:.1f}%", "blank": t.DRIVER_BLANK},
                     f"{attribute}: “{t.driver_value(top['top_value'])}” churns at {top['top_churn_pct']:.1f}%"),
                     "churn_driver_chart")
        labels = t.DRIVER_VALUE_LABELS | {"excess_revenue": money_label(t.DRIVER_VALUE_LABELS["excess_revenue"],
                                                                        ds.currency)}
        shown_rows = rows.assign(value=rows["value"].map(t.driver_value))
        table, config = widgets.readable(shown_rows, labels, {c: "{:.1f}" for c in ("churn_pct", "ci_low_pct", "ci_high_pct",
                                    "rest_pct")} | {"diff_pp": "{:+.1f}", "excess_churned": "{:+,.0f}",
                                    "excess_revenue": "{:+,.0f}"})
        st.dataframe(table, hide_index=True, key="churn_driver_values", column_config=config)
        st.caption(f"Grey bars: fewer than {drivers.SMALL} customers, read with care. Churned customers the "
                   "difference accounts for = churned − customers × everyone else's churn rate.")
        driver_links(attribute, rows)
        downloads.download_buttons(values.assign(value=values["value"].map(t.driver_value)), "churn_drivers",
                            key="churn_drivers_download")
        report_sections.table(values, "Churn drivers")
        multivariable_view(days)
    left_out = found["excluded"]
    if len(left_out):
        with st.expander(f"Columns never used as drivers ({len(left_out)})"):
            for r in left_out.itertuples():
                st.markdown(f"- **{widgets.md(r.column)}**: {t.DRIVER_EXCLUDED.get(r.reason, r.reason)}")


def driver_links(attribute: str, rows: pd.DataFrame) -> None:
    """Links that open Cohorts and the win-back list filtered to one value of a segment attribute."""
    known = cache.cached(cohorts.attribute_values, ds)
    if attribute not in set(known["attribute"]) and attribute not in segments:
        return
    choices = [v for v in rows.sort_values("order")["value"] if v is not None and v == v]
    value = st.selectbox(f"Look at the customers with this {widgets.md(attribute)}", choices, key="churn_driver_value")
    if value is None:
        return
    c = st.columns(2)
    if attribute in set(known["attribute"]):
        c[0].page_link("pages/cohorts.py", label=f"Cohorts of {widgets.md(attribute)} “{widgets.md(value)}”", icon=":material/grid_on:",
                       query_params={"dataset": ds.id, "filter": attribute, "value": value})
    if attribute in segments:
        c[1].page_link("pages/churn.py", label=f"Win-back list of {widgets.md(attribute)} “{widgets.md(value)}”", icon=":material/group:",
                       query_params={"dataset": ds.id, "tab": "winback", "list_segment": attribute,
                                     "list_value": value})


def multivariable_view(days: int) -> None:
    """Logistic regression on the top attributes (odds ratios, holdout AUC), the top combinations, the gap over time."""
    multi = cache.cached(drivers.multivariable, ds, inactive_days=days)
    fit, t = multi["model"], ui_text
    st.subheader("The top attributes together")
    rules = multi["rules"]
    if len(rules):
        st.markdown("Churn by combination of the two top attributes (highest and lowest):")
        for row in rules.to_dict("records"):
            st.markdown("- " + t.driver_rule(row, widgets.md))
    if len(fit["odds"]):
        fitted = fit["odds"][fit["odds"]["status"] == "ok"]  # the values without an odds ratio are named below
        report_sections.chart(cache.reuse(driver_charts.odds_forest, fitted, {"x": "Odds ratio (log scale; 1 = as the "
                     "most common value)", "blank": t.DRIVER_BLANK}, "Each attribute with the others held equal"),
                     "churn_driver_odds")
        st.caption(t.driver_model_note(fit["auc"], fit["train"], fit["test"])
                   + (f" Fitted on a sample of {multi['rows']:,} customers." if multi["sampled"] else ""))
        flags = t.driver_model_flags(fit["odds"], fit.get("fallback"), t.driver_value)
        if flags:
            st.caption(flags)
        odds = fit["odds"].assign(value=fit["odds"]["value"].map(t.driver_value),
                                  reference=fit["odds"]["reference"].map(t.driver_value))
        table, config = widgets.readable(odds, t.DRIVER_ODDS_LABELS, {"odds_ratio": "{:.2f}", "or_low": "{:.2f}",
                                    "or_high": "{:.2f}", "p_value": "{:.2g}"})
        st.dataframe(table, hide_index=True, key="churn_driver_odds_table", column_config=config)
    gaps = multi["over_time"]
    if len(gaps):
        report_sections.chart(cache.reuse(driver_charts.gap_lines, gaps, {"x": "Cohort (year customers started)",
                     "y": "Churn vs everyone else (points)", "blank": t.DRIVER_BLANK},
                     f"{multi['top']}: churn gap by cohort"), "churn_driver_time")
        st.caption("Each value's churn minus that of everyone else who started the same year; hollow points: fewer "
                   f"than {drivers.SMALL} customers. Older cohorts have had longer to churn, so compare the gaps, not "
                   "the levels.")


def winback_tab(v) -> None:
    """The customers to win back: churned recently or at risk, filtered; the first rows shown, all downloadable."""
    info, basis, days, as_of, rp = v.info, v.basis, v.days, v.as_of, reason_params()
    c = st.columns(3)
    recent = c[0].number_input("Churned within (days)", 1, 3650, key="churn_recent")
    risk = c[1].number_input("At risk: no purchase for (days)", 1, 3650, key="churn_risk")
    status = c[2].multiselect("Show", list(STATUS), format_func=STATUS.get, key="churn_status")
    labels = sorted(cache.cached(reasons.reason_map, ds, **rp)["reason"].unique())
    chosen = st.multiselect("Reasons", labels, key="churn_list_reasons")
    column, values = None, []
    if segments:
        f = st.columns(2)
        column = f[0].selectbox("Segment filter", segments, key="churn_list_segment")
        known = cache.cached(cohorts.attribute_values, ds)
        values = f[1].multiselect("Values", sorted(known.loc[known["attribute"] == column, "value"].dropna()),
                                  key="churn_list_values")
    wp = dict(basis=basis if info is not None else "auto", inactive_days=int(days), as_of=as_of,
              recent_days=int(recent), risk_days=int(risk), statuses=tuple(status), reason_filter=tuple(chosen),
              segment=column if values else None, segment_values=tuple(values), **rp)
    model = customer_model()
    order = "status"
    if model is not None:
        order = st.radio("Sort by", list(LIST_ORDERS), format_func=LIST_ORDERS.get, horizontal=True,
                         key="churn_list_order")
    if order == "value_at_risk":  # the whole list is needed to sort it by a figure the query does not know
        everyone = churn.with_model(cache.cached(churn.at_risk, ds, **wp), model.customers, order)
        picked, total = everyone.head(churn.WIN_BACK_SHOWN), len(everyone)
    else:
        picked, total = cache.cached(churn.win_back, ds, shown=churn.WIN_BACK_SHOWN, **wp)
        picked = churn.with_model(picked, None if model is None else model.customers)
    shown = (f"Showing the first {len(picked):,} of {total:,} customers (the download has them all)"
             if total > len(picked) else f"{total:,} customers")
    st.caption(f"{shown}. Churned: the churn (or lapse) day is within the chosen days before the analysis date. "
               f"At risk: still active, last purchase that many days ago or more."
               + (" " + ui_text.WIN_BACK_MODEL_NOTE if model is not None else ""))
    labels = WINBACK_LABELS | {k: money_label(WINBACK_LABELS[k], ds.currency)
                               for k in ("revenue_to_date", "expected_value", "value_at_risk")}
    picked = picked.assign(rfm_group=picked["rfm_group"].map(ui_text.RFM_GROUPS)) if "rfm_group" in picked else picked
    readable_table, config = widgets.readable(picked.assign(**({"p_alive": 100 * picked["p_alive"]} if "p_alive" in picked
                                                          else {})),
                                         labels | {c: c for c in picked.columns if c not in labels},
                                         {"revenue_to_date": "{:,.2f}", "days_since_purchase": "{:.0f}",
                                          "p_alive": "{:.0f}", "expected_value": "{:,.2f}",
                                          "value_at_risk": "{:,.2f}"},
                                         date_columns=("churn_day", "last_purchase"))
    st.dataframe(readable_table, hide_index=True, key="churn_list", column_config=config)
    report_sections.table(picked.rename(columns=labels), "Win-back list")

    def full_list() -> pd.DataFrame:
        out = churn.with_model(churn.at_risk(ds.cursor, **wp), None if model is None else model.customers, order)
        if "rfm_group" in out:
            out = out.assign(rfm_group=out["rfm_group"].map(ui_text.RFM_GROUPS), p_alive=100 * out["p_alive"])
        return out.rename(columns={k: money_label(k, ds.currency)
                                   for k in ("revenue_to_date", "expected_value", "value_at_risk")})

    downloads.download_buttons(full_list, "win_back_list", key="churn_list_download")


def customer_model():
    """The BG/NBD fit and scores of this dataset (customers.Scored), or None without purchases or a fit."""
    if not ds.has_purchases:
        return None
    try:
        return cache.cached(customers.scored, ds, horizon_months=customers.DEFAULT_HORIZON_MONTHS)
    except btyd.NoModelData:
        return None


def lead_with_dates(v) -> None:
    """The finding in plain words: the headline figures for the page's basis, window and analysis date."""
    head = headline.as_dict(cache.cached(headline.summary, ds, basis=v.basis, inactive_days=int(v.days), as_of=v.as_of))
    if "customer_retention_month" not in head:
        st.write("No complete month with customers yet: nothing to measure retention over.")
        return
    year, month = head["customer_retention_year"], head["customer_retention_month"]
    estimated = year["method"] == "monthly^12"
    kept = head["customer_retention_span"] if estimated else year
    window = ui_text.headline_window(month)
    m = st.columns(4 if "repeat_purchase_rate" in head and v.basis == "purchases" else 3)
    m[0].metric(f"{ui_text.headline_label(kept)} ({ui_text.headline_window(kept)})", f"{kept['value']:.1f}%",
                help=ui_text.headline_definition(kept["figure"]))
    m[1].metric(ui_text.HEADLINE["customer_retention_month"][0] + f" ({window})", f"{month['value']:.1f}%",
                help=ui_text.headline_definition("customer_retention_month"))
    m[2].metric(ui_text.HEADLINE["customer_churn_month"][0] + f" ({window})", f"{100 - month['value']:.1f}%",
                help=ui_text.headline_definition("customer_churn_month"))
    if len(m) == 4:
        rep = head["repeat_purchase_rate"]
        m[3].metric(ui_text.HEADLINE["repeat_purchase_rate"][0], f"{rep['value']:.1f}%",
                    help=ui_text.headline_definition("repeat_purchase_rate"))
    text = (f"Of the {kept['customers']:,} customers at the start of {window}, **{kept['value']:.1f}%** were still "
            f"customers at its end. Month by month, **{month['value']:.1f}%** stayed and "
            f"**{100 - month['value']:.1f}%** left.")
    if estimated:
        text += (f" The data has no 12 complete months, so a year cannot be measured; compounding the months would "
                 f"give {year['value']:.1f}% a year, an estimate that treats every customer who lapses and comes back "
                 f"as lost for good, so it is far below what the {kept['period']} measured directly show.")
    st.markdown(text)
    if v.basis == "purchases":
        rep = head.get("repeat_purchase_rate")
        st.caption(f"Purchases only: nobody cancels, so a customer counts as lost {int(v.days)} days after their last "
                   f"purchase (the inactivity window W) and as back when they buy again. A customer who buys every "
                   f"few months but sometimes waits longer than W is counted lost and back each time, so a short W "
                   f"lowers these figures; a longer W raises them."
                   + (f" {rep['value']:.0f}% of buyers bought more than once." if rep else ""))


def lead_without_dates() -> None:
    """Customers files without dates (tenure and a churned flag): share churned, churn implied by tenure,
    survival by tenure."""
    head = headline.as_dict(cache.cached(headline.summary, ds))
    if "share_churned" not in head:
        st.info("Retention over time cannot be measured here: the data has no dates and no churn status. "
                "Churn reasons, if any, are below.")
        return
    row = head["share_churned"]
    m = st.columns(3)
    m[0].metric(ui_text.HEADLINE["share_churned"][0], f"{row['value']:.1f}%",
                help=ui_text.headline_definition("share_churned"))
    text = f"**{row['successes']:,}** of the {row['customers']:,} customers in the file have churned."
    if "tenure_churn_month" in head:
        t = head["tenure_churn_month"]
        m[1].metric(ui_text.HEADLINE["tenure_churn_month"][0], ui_text.headline_value("tenure_churn_month", t["value"]),
                    help=ui_text.headline_definition("tenure_churn_month"))
        km = cache.cached(cohorts.tenure_survival, ds)
        at_12 = km[km["period"] <= 12].tail(1)
        if len(at_12):
            m[2].metric("Still customers after 12 months of tenure", f"{at_12['retention_pct'].iloc[0]:.1f}%",
                        help="Kaplan–Meier by tenure: churned customers end at their tenure, active customers are "
                             "counted up to theirs.")
        text += (f" Counting the months each customer stayed ({t['exposure']:,.0f} customer-months in all), about "
                 f"**{t['value']:.2f}%** of customers leave per month (95% interval {t['ci_low']:.2f}–"
                 f"{t['ci_high']:.2f}%).")
    st.markdown(text)
    if "revenue_at_risk_month" in head:
        lost = head["revenue_at_risk_month"]
        st.metric(ui_text.HEADLINE["revenue_at_risk_month"][0], money(lost["amount"], ds.currency, decimals=0) + " per month",
                  f"{lost['value']:.1f}% of all monthly charges", delta_color="off", delta_arrow="off",
                  help=ui_text.headline_definition("revenue_at_risk_month") + f" Column: {lost['column']}.")
    with st.expander("How it is counted"):
        st.markdown("The file has no dates, so churn cannot be placed in time. **Share churned** = customers marked "
                    "churned ÷ customers with a known status. **Churn per month implied by tenure** = churned "
                    "customers ÷ the sum of all customers' tenure in months (a churned customer stayed their tenure, "
                    "an active one has stayed theirs so far); the interval is the exact Poisson interval. "
                    "**Survival by tenure** is Kaplan–Meier: of the customers who reached a tenure, the share who "
                    "did not churn at it, multiplied over tenures (the Cohorts page shows the curve).")
    if "tenure_churn_month" in head:
        bands = cache.reuse(cohorts.tenure_bands, cache.cached(cohorts.tenure_survival, ds))
        readable_table, config = widgets.readable(bands, TENURE_LABELS, {"band_to": "{:.0f}", "churned_pct": "{:.1f}"})
        st.markdown("**Churn by tenure**")
        st.dataframe(readable_table, hide_index=True, key="churn_tenure_bands", column_config=config)
        report_sections.table(bands.rename(columns=TENURE_LABELS), "Churn by tenure")


ds = datasets.dataset()
st.title("Churn")
st.caption("How many customers leave each period, who comes and goes, and why they leave.")
lead = st.container()
report_sections = downloads.ReportSections()
try:
    info = cache.cached(churn.basis_info, ds).iloc[0]
except churn.NoChurnData:
    info = None

segments = datasets.segment_attributes(ds)
bases, last_day = (churn.available_bases(info), pd.Timestamp(info.as_of).date()) if info is not None else ([], None)
first_day = (datasets.data_days(ds)[0] or last_day) if info is not None else None
links.page_state(state.Churn, state.churn_limits(bases, info.basis if info is not None else None, last_day, segments,
                                              first_day))
period, basis, days, as_of, params, frame, s = "month", "customers", churn.DEFAULT_INACTIVE_DAYS, None, None, None, None
if info is not None:
    c = st.columns(4)
    period = c[0].selectbox("Period", list(PERIODS), format_func=lambda p: PERIODS[p].title(), key="churn_period")
    basis = c[1].selectbox("Who counts as active", bases, format_func=BASES.get, key="churn_basis",
                           help="Customers file: signed up and not yet cancelled. Purchases: from the first purchase "
                                "until W days after the last.")
    if basis == "purchases":
        hint = cache.cached(churn.inactivity_hint, ds).iloc[0]
        days = c[2].number_input("Inactivity window W (days)", 1, 3650, key="churn_days", help=f"Lapsed W days after "
                                 f"the last purchase. In this data, 90% of the gaps between a customer's purchases are "
                                 f"{hint.p90_days:.0f} days or less.")
    as_of = c[3].date_input("Analysis date", min_value=first_day, max_value=last_day, key="churn_as_of").isoformat()
    params = dict(period=period, basis=basis, inactive_days=int(days), as_of=as_of)
    frame = cache.cached(churn.retention_by_period, ds, **params)
    s = churn.crr_summary(frame, period)
view = SimpleNamespace(info=info, period=period, basis=basis, days=days, as_of=as_of, frame=frame, summary=s,
                       params=params)
with lead:
    if info is not None:
        lead_with_dates(view)
    else:
        lead_without_dates()
if info is not None:
    tab, panel = widgets.tabs({"rate": "Retention rate", "lifecycle": "Lifecycle", "revenue": "Revenue retention",
                          "reasons": "Why they leave", "drivers": "Drivers", "winback": "Win-back list"},
                         key="churn_tab")
    with panel:
        {"rate": rate_tab, "lifecycle": lifecycle_tab, "revenue": revenue_tab, "reasons": reasons_tab,
         "drivers": drivers_tab, "winback": winback_tab}[tab](view)
else:  # no dates: no tabs, the reasons, the drivers and the win-back list one under the other
    reasons_tab(view)
    st.header("Drivers")
    drivers_tab(view)
    winback_tab(view)
downloads.report_button("Churn", report_sections, key="churn_report")
