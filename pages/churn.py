"""Churn: how many customers leave per period (CRR), who comes and goes (lifecycle), and why they leave."""

import zlib
from types import SimpleNamespace

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.ui import cache, connections, datasets, downloads, links, widgets
from retention.fmt import money, money_label, number, percent
from retention.charts import churn as charts
from retention.charts import drivers as driver_charts
from retention.i18n import L, _, ngettext
from retention.metrics import btyd, churn, cohorts, customers, drivers, headline, lifecycle, reasons
from retention.ui_text import PER_PERIOD, PERIOD_NAMES, complete_periods, texts

PERIODS = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}
BASES = {"customers": L("Customers file"), "purchases": L("Purchases")}
MEASURES = {"crr": L("Retention %"), "churn": L("Churn %")}
DEFINITION = L(
    "**How it is counted.** For each period: **CS** = customers active at its start (its first instant), **CN** = "
    "customers who started being customers during it (first time, or back after a lapse), **CE** = customers "
    "active at its end (the end of its last day). **Retention (CRR) = (CE − CN) / CS**, **churn = 100% − CRR**, "
    "**lost = CS + CN − CE**. A signup on the first day counts as new in that period; a cancel or lapse on the last "
    "day counts as lost in it. {active} The last period ends on the analysis date and is grey when incomplete; "
    "hollow points have fewer than {small} customers at the start. Annualised = retention per period to the power "
    "{n} (the periods in a year).")
ACTIVE = {"customers": L("Active = signed up on or before that moment and not yet cancelled (customers marked churned "
                         "without a cancel date, or without a signup date, are left out: {left}; so are customers "
                         "only in the purchases file)."),
          "purchases": L("Active = from the first purchase until {w} days after the last one (a customer whose last "
                         "purchase + {w} days is after the analysis date is still active). Periods ending in the first "
                         "{w} days of data are grey (warm-up): nobody can have lapsed yet.")}
ALT = L("**Alternative convention** (used by several billing tools): customers who joined and left within the same "
        "period are left out, and those who left and came back within it count as retained: active at both start and "
        "end / CS. The band is its {level} interval.")
STATUS = {"churned": L("Churned recently"), "at_risk": L("At risk (no recent purchase)")}
RATE_LABELS = {"period_start": L("Period (first day)"), "complete": L("Complete"),
               "warm_up": L("Warm-up (too early to lapse)"), "customers_start": L("Customers at start (CS)"),
               "new_customers": L("New or back (CN)"), "lost": L("Lost (CS + CN − CE)"),
               "customers_end": L("Customers at end (CE)"), "alt_crr_pct": L("Kept, %"),
               "crr_pct": L("Standard retention (CE − CN)/CS, %"), "churn_pct": L("Churn, %"),
               "difference_pp": L("Kept − standard, points")}
LIFE_LABELS = {"period_start": L("Period (first day)"), "period_end": L("Last day"), "complete": L("Complete"),
               "new": L("New customers"), "resurrected": L("Came back"), "retained": L("Retained"),
               "churned": L("Churned"), "joined_and_left": L("Joined and left in the period"),
               "customers_start": L("Customers at start"), "customers_end": L("Customers at end"),
               "warm_up": L("Warm-up (too early to lapse)"), "quick_ratio": L("Quick ratio (gained ÷ lost)")}
REVENUE_LABELS = {"period_start": L("Period (first day)"), "period_end": L("Last day"), "complete": L("Complete"),
                  "base_customers": L("Customers who bought the period before"),
                  "base_revenue": L("Their revenue before"), "kept_gross": L("Kept, capped at before"),
                  "kept_net": L("Kept, with growth"), "grr_pct": L("GRR, %"), "nrr_pct": L("NRR, %")}
SEGMENT_LABELS = {"segment": L("Segment value"), "reason": L("Reason"), "churned": L("Churned customers"),
                  "segment_churned": L("Churned in the segment"),
                  "share_pct": L("Share of the segment's churned, %"), "overall_share_pct": L("Share of all churned, %"),
                  "index": L("Index (100 = as overall)"), "residual": L("Residual (beyond ±2: unlikely chance)"),
                  "small": L("Few customers")}
TENURE_LABELS = {"band_from": L("Tenure from (months)"), "band_to": L("to (months; — = open)"),
                 "reached": L("Customers who reached it"), "churned": L("Churned within it"),
                 "churned_pct": L("Churned of those who reached it (%)")}
WINBACK_LABELS = {"customer_id": L("Customer"), "status": L("Status"), "churn_day": L("Churned on"),
                  "reason": L("Reason"), "last_purchase": L("Last purchase"),
                  "days_since_purchase": L("Days since purchase"), "purchases": L("Purchases"),
                  "revenue_to_date": L("Revenue to date"), "p_alive": L("P(alive), %"),
                  "expected_value": L("Expected value, next 12 months"), "value_at_risk": L("Value at risk"),
                  "rfm_group": L("RFM group")}
LIST_ORDERS = {"status": L("Churned first, then revenue"),
               "value_at_risk": L("Value at risk (1 − P(alive)) × revenue")}
MODEL_LABELS = {"period_start": L("Period (first day)"), "expected_start": L("Expected active at start"),
                "expected_kept": L("Of those, expected active at end"), "model_retention_pct": L("Model retention, %"),
                "model_churn_pct": L("Model churn, %"), "expected_active_end": L("Expected active at end (all)")}
TABS = {"rate": L("Retention rate"), "lifecycle": L("Lifecycle"), "revenue": L("Revenue retention"),
        "reasons": L("Why they leave"), "drivers": L("Drivers"), "winback": L("Win-back list")}
# Download file names (the view's words, in the reader's language; no spaces).
DOWNLOADS = {"week": L("churn_by_week"), "month": L("churn_by_month"), "quarter": L("churn_by_quarter"),
             "year": L("churn_by_year"), "reasons": L("churn_reasons"), "drivers": L("churn_drivers"),
             "winback": L("win_back_list")}
# The last complete period, as the lifecycle chart's title says it.
LAST_COMPLETE = {"week": L("in the last complete week"), "month": L("in the last complete month"),
                 "quarter": L("in the last complete quarter"), "year": L("in the last complete year")}

SYNONYMS = "churn_synonyms_edited"  # the viewer's reason spellings table, kept while other tabs are open


def pts(value: float, decimals: int = 2) -> str:
    """A signed difference in percentage points: '+0.12 pts'."""
    return _("{value} pts").format(value=number(value, decimals, sign=True))


def rate_tab(v) -> None:
    """Retention rate: the pooled figures, the kept-share line and its table; the definitions in an expander."""
    info, period, basis, days, frame, s = v.info, v.period, v.basis, v.days, v.frame, v.summary
    per = PER_PERIOD[period]
    if s["periods"]:
        m = st.columns(3)
        m[0].metric(_("Kept {per} (active at start and end)").format(per=per), percent(s["alt_crr_pct"]),
                    help=_("Of the customers at the start of each period, the share still customers at its end; "
                           "pooled over the last {periods}. The headline's definition.").format(
                        periods=complete_periods(s["periods"], period)))
        m[1].metric(_("Standard formula (CE − CN) ÷ CS {per}").format(per=per), percent(s["crr_pct"]),
                    pts(-s["difference_pp"]), delta_color="off",
                    help=_("Also subtracts customers who joined and left within a period. Difference from the "
                           "kept share, in percentage points."))
        m[2].metric(_("Churn {per} (standard formula)").format(per=per), percent(s["churn_pct"]))
    measure = st.radio(_("Show"), list(MEASURES), format_func=lambda m: str(MEASURES[m]), horizontal=True,
                       key="churn_measure")
    title = (_("Over the last {periods}, {pct} of customers were kept {per}").format(
        periods=complete_periods(s["periods"], period), pct=percent(s["alt_crr_pct"]), per=per)
        if s["periods"] else _("Retention {per}").format(per=per))
    y = _("Retention {per} (%)") if measure == "crr" else _("Churn {per} (%)")
    report_sections.chart(cache.reuse(charts.rate_lines, frame, measure, {"standard": _("Standard (CE − CN)/CS"), "alternative":
                 _("Kept (active at start and end)"), "band": _("{level} interval (kept)").format(level=percent(95, 0)), "x": str(PERIOD_NAMES[period]),
                 "y": y.format(per=per)}, title), "churn_rate_chart")
    if basis == "purchases":
        model_figures(period, v.as_of, s)
    with st.expander(_("How it is counted")):
        left = _("{no_signup} without a signup date, {no_date} churned without a date").format(
            no_signup=number(info.without_signup), no_date=number(info.churned_without_date))
        st.markdown(DEFINITION.format(small=churn.SMALL_SAMPLE, n=f"{churn.PERIODS_PER_YEAR[period]:g}",
                                      active=ACTIVE[basis].format(w=days, left=left)))
        st.markdown(ALT.format(level=percent(95, 0)))
    table = frame[["period_start", "complete", "warm_up", "customers_start", "new_customers", "lost",
                   "customers_end", "alt_crr_pct", "crr_pct", "churn_pct", "difference_pp"]]
    labels = texts(RATE_LABELS)
    readable_table, config = widgets.readable(table, labels, {c: "{:.1f}" for c in ("alt_crr_pct", "crr_pct", "churn_pct")}
                                         | {"difference_pp": "{:+.2f}"}, date_columns=("period_start",))
    st.dataframe(readable_table, hide_index=True, key="churn_table", column_config=config)
    report_sections.table(table.rename(columns=labels), _("Retention {per}").format(per=per))
    downloads.download_buttons(table.rename(columns=labels), str(DOWNLOADS[period]), key="churn_table_download")


def model_figures(period: str, as_of: str, s: dict) -> None:
    """The BG/NBD model's expected active customers and churn per period, next to the inactivity window's."""
    try:
        frame = cache.cached(customers.model_churn, ds, period=period, as_of=as_of)
    except btyd.NoModelData:
        return
    m = customers.model_churn_summary(frame)
    if not m["periods"]:
        return
    per = PER_PERIOD[period]
    c = st.columns(3)
    c[0].metric(_("Expected active customers (Σ P(alive))"), number(m["expected_active"]),
                help=str(ui_text.P_ALIVE_HELP))
    c[1].metric(_("Model churn {per}").format(per=per), percent(m["churn_pct"]),
                _("{difference} vs the window").format(difference=pts(m["churn_pct"] - s["churn_pct"], 1))
                if s["periods"] else None,
                delta_color="off", help=str(ui_text.MODEL_CHURN_HELP))
    c[2].metric(_("Model retention {per}").format(per=per), percent(m["retention_pct"]))
    st.caption(ui_text.model_churn_difference(period, m["periods"]))
    table = frame
    labels = texts(MODEL_LABELS)
    with st.expander(_("Model churn {per}").format(per=per)):
        readable_table, config = widgets.readable(table, labels, {k: "{:,.0f}" for k in ("expected_start", "expected_kept",
                                             "expected_active_end")} | {"model_retention_pct": "{:.1f}",
                                                                        "model_churn_pct": "{:.1f}"},
                                             date_columns=("period_start",))
        st.dataframe(readable_table, hide_index=True, key="churn_model_table", column_config=config)
    report_sections.table(table.rename(columns=labels), _("Model churn {per}").format(per=per))


def lifecycle_tab(v) -> None:
    """New, came back, retained and churned customers per period, and the quick ratio."""
    period, params = v.period, v.params
    life = cache.cached(lifecycle.lifecycle, ds, **params)
    done = life[life["complete"] & ~life["warm_up"]]
    ratio = done["quick_ratio"].tail(1).iloc[0] if len(done) else float("nan")
    if ratio == ratio:
        title = (_("Quick ratio {ratio} {when}: the base grows") if ratio > 1 else
                 _("Quick ratio {ratio} {when}: the base shrinks")).format(ratio=number(ratio, 2),
                                                                         when=LAST_COMPLETE[period])
    else:
        title = _("Customers gained and lost {per}").format(per=PER_PERIOD[period])
    report_sections.chart(cache.reuse(charts.lifecycle_bars, life, {"new": _("New"), "resurrected": _("Came back"),
                 "retained": _("Retained"), "churned": _("Churned"), "quick_ratio": _("Quick ratio"),
                 "x": str(PERIOD_NAMES[period]), "y": _("Customers (churned below 0)"), "y2": _("Quick ratio")},
                 title), "churn_life")
    st.caption(_("Retained = active at start and end; new = first time a customer; came back = active again after "
                 "a lapse; churned = active at the start, not at the end. Quick ratio = (new + came back) / churned. "
                 "Customers who joined and left within the same period are in no bar (column “Joined and left in "
                 "the period”)."))
    labels = texts(LIFE_LABELS)
    readable_table, config = widgets.readable(life, labels, {"quick_ratio": "{:.2f}"},
                                         date_columns=("period_start", "period_end"))
    st.dataframe(readable_table, hide_index=True, key="churn_life_table", column_config=config)
    report_sections.table(life.rename(columns=labels), _("Lifecycle"))


def revenue_tab(v) -> None:
    """Gross and net revenue retention from one period to the next."""
    info, period, as_of = v.info, v.period, v.as_of
    revenue = cache.cached(churn.revenue_retention, ds, period=period, as_of=as_of)
    if info.has_amounts and len(revenue):
        report_sections.chart(cache.reuse(charts.revenue_lines, revenue, {"grr": _("Gross (GRR)"), "nrr": _("Net (NRR)"), "x":
                     str(PERIOD_NAMES[period]), "y": _("Revenue kept from the previous period (%)")},
                     _("Revenue kept from one period to the next ({per})").format(per=PER_PERIOD[period])),
                     "churn_revenue")
        st.caption(_("Base: customers who bought in the previous period. GRR = their revenue now, each capped at "
                     "what they spent before, / their revenue before; NRR = their revenue now / before (growth "
                     "counts). Refunds subtract. New customers are not in the base."))
        labels = texts(REVENUE_LABELS)
        labels |= {k: money_label(labels[k], ds.currency) for k in ("base_revenue", "kept_gross", "kept_net")}
        readable_table, config = widgets.readable(revenue, labels, {"base_revenue": "{:,.2f}", "kept_gross": "{:,.2f}",
                                             "kept_net": "{:,.2f}", "grr_pct": "{:.1f}", "nrr_pct": "{:.1f}"},
                                             date_columns=("period_start", "period_end"))
        st.dataframe(readable_table, hide_index=True, key="churn_revenue_table", column_config=config)
        report_sections.table(revenue.rename(columns=labels), _("Revenue retention"))
    else:
        st.info(_("Revenue retention needs purchases with amounts."))


def reason_params() -> dict:
    """The reason mapping every reason query takes: the viewer's spellings table (if edited) and the fold share."""
    return dict(synonyms=st.session_state.get(SYNONYMS), min_share_pct=st.session_state.get("churn_fold", 0.0))


def reasons_tab(v) -> None:
    """Why customers leave: Pareto, over time, by segment, lost revenue and tenure at churn."""
    info, period, as_of = v.info, v.period, v.as_of
    per = PER_PERIOD[period]
    st.slider(_("Fold reasons given by fewer than this share of churned customers into “{other}” (%)").format(
        other=ui_text.reason_label(reasons.OTHER)), 0.0, 10.0, step=0.5, key="churn_fold")
    with st.expander(_("Reason spellings → reason (edit to merge reasons)")):
        saved = st.session_state.get(SYNONYMS)
        shown = pd.DataFrame(reasons.read_synonyms() if saved is None else saved, columns=["variant", "reason"])
        # keyed by the table it starts from: after an edit is kept, the editor starts afresh from the kept table
        edited = st.data_editor(shown, num_rows="dynamic", hide_index=True,
                                column_config={"variant": _("Spelling in the file"), "reason": _("Reason")},
                                key=f"churn_synonyms_{zlib.crc32(repr(saved).encode())}")
        if not edited.equals(shown):
            st.session_state[SYNONYMS] = edited.dropna().astype(str).values.tolist()
    rp = reason_params()
    counts = cache.cached(reasons.reason_counts, ds, **rp)
    if counts.empty:
        st.info(_("No churned customers with a known churn in this data (a customers file with a cancel date, a "
                  "churn status or a churn reason is needed)."))
    else:
        top = counts.iloc[0]
        shown_counts = counts.assign(reason=counts["reason"].map(ui_text.reason_label))
        report_sections.chart(cache.reuse(charts.pareto, shown_counts, {"churned": _("Churned customers"),
                     "cumulative": _("Cumulative share"), "x": _("Reason"), "y": _("Churned customers"),
                     "y2": _("Cumulative share (%)")},
                     _("“{reason}” is the most common reason: {pct} of {n} churned customers").format(
                         reason=ui_text.reason_label(top.reason), pct=percent(top.share_pct, 0),
                         n=number(counts.churned.sum()))), "churn_pareto")
        downloads.download_buttons(report_sections.table(shown_counts, _("Churn reasons")), str(DOWNLOADS["reasons"]),
                            key="churn_reasons_download")
        over = cache.cached(reasons.reasons_over_time, ds, period=period, as_of=as_of, **rp) if info is not None else None
        if over is not None and len(over):
            share = st.toggle(_("Show shares instead of counts"), key="churn_reason_share")
            over = over.assign(reason=over["reason"].map(ui_text.reason_label)) if "reason" in over else over
            report_sections.chart(cache.reuse(charts.reasons_area, over, "share_pct" if share else "churned",
                         {"x": _("Period of churn"), "y": _("Share of churned (%)") if share else _("Churned customers")},
                         _("Churn reasons {per}").format(per=per)), "churn_reason_time")
        if segments:
            seg = st.selectbox(_("Reasons by segment"), segments, key="churn_segment", format_func=ui_text.segment_name)
            by = cache.cached(reasons.reasons_by_segment, ds, segment=seg, **rp)
            by = by.assign(reason=by["reason"].map(ui_text.reason_label)) if "reason" in by else by
            by = by.assign(segment=by["segment"].map(lambda v: ui_text.segment_value(seg, v))) if "segment" in by else by
            report_sections.chart(cache.reuse(charts.segment_heatmap, by, {
                         "x": _("Reason"), "y": ui_text.segment_name(seg), "colorbar": _("vs overall"), "share": _("of the segment's churned"), "index": _("index"),
                         "none": _("(no value)"), "small": _(" (few)")},
                         _("Which {segment} leaves for which reason").format(segment=ui_text.segment_name(seg))), "churn_segment_map")
            st.caption(_("Blue: the reason is more common in this segment than overall; orange: less. Cells show the "
                         "share of the segment's churned customers. “(few)”: fewer than {n} churned customers, read "
                         "with care. Residual beyond ±2 in the table: unlikely to be chance.").format(
                n=reasons.SMALL_SEGMENT))
            labels = texts(SEGMENT_LABELS) | {"segment": ui_text.segment_name(seg)}
            readable_table, config = widgets.readable(by, labels, {
                "share_pct": "{:.1f}", "overall_share_pct": "{:.1f}", "index": "{:.0f}", "residual": "{:+.1f}"})
            st.dataframe(readable_table, hide_index=True, key="churn_segment_table", column_config=config)
            report_sections.table(by.rename(columns=labels), _("Reasons by {segment}").format(segment=ui_text.segment_name(seg)))
        if ds.has_purchases:
            lost = cache.cached(reasons.lost_revenue_by_reason, ds, period=period, **rp)
            lost = lost.assign(reason=lost["reason"].map(ui_text.reason_label)) if "reason" in lost else lost
            report_sections.chart(cache.reuse(charts.lost_revenue_bars, lost, {"x": money_label(
                         _("Revenue {per} that left").format(per=per), ds.currency), "y": _("Reason"),
                         "customers": _("customers"), "each": _("each")},
                         _("Revenue {per} lost, by reason").format(per=per)), "churn_lost")
            st.caption(_("Each churned customer's revenue to date / the number of periods from their first purchase "
                         "to their churn (both included), summed per reason."))
        tenure = cache.cached(reasons.reasons_by_tenure, ds, **rp)
        if tenure["band_no"].notna().any():
            tenure = tenure.assign(reason=tenure["reason"].map(ui_text.reason_label))
            report_sections.chart(cache.reuse(charts.tenure_heatmap, tenure, {"x": _("Tenure at churn"), "y": _("Reason"),
                         "colorbar": _("Share of the reason (%)"), "unit": _(" mo"), "open": "+"},
                         _("When customers leave, per reason")), "churn_tenure")
            st.caption(_("Tenure from signup (else first purchase) to churn, else the file's tenure column, in months."))


def drivers_tab(v) -> None:
    """Churn drivers: the attributes that go with churning, ranked; a chart per attribute, the model, the rules."""
    days = int(v.days) if v.basis == "purchases" else churn.DEFAULT_INACTIVE_DAYS
    try:
        found = cache.cached(drivers.drivers, ds, inactive_days=days)
    except drivers.NoDrivers:
        st.info(_("Churn drivers are computed on uploaded datasets, not on a remote engine.") if connections.is_engine(ds.id) else
                _("Churn drivers need to know who churned: a customers file with a churn status or cancel date, or "
                  "dated purchases."))
        return
    ranking, values, t = found["ranking"], found["values"], ui_text
    st.markdown(t.driver_definition(found["definition"]) + " " + t.driver_churned_share(found["churned"],
                                                                                     found["customers"]))
    if ranking.empty:
        st.info(_("No column of the data can be compared (see the columns left out below)."))
    beyond = ranking[ranking["significant"]]
    for row in beyond.head(3).to_dict("records"):
        st.markdown("- " + t.driver_sentence(row | {"attribute": t.driver_attribute(row["attribute"])},
                                             found["customers"], found["churned"], widgets.md))
    if len(ranking) and beyond.empty:
        st.markdown(_("No attribute's churn differs beyond what chance gives (Holm-corrected p ≥ 0.05)."))
    if len(ranking):
        shown = ranking.assign(top_value=ranking["top_value"].map(t.driver_value),
                               attribute=ranking["attribute"].map(t.driver_attribute),
                               kind=ranking["kind"].map(lambda k: str(t.DRIVER_KINDS.get(k, k))))[
            ["rank", "attribute", "top_value", "top_churn_pct", "top_diff_pp", "top_excess_churned", "cramers_v",
             "p_adjusted", "significant", "kind", "values"]]
        table, config = widgets.readable(shown, texts(t.DRIVER_RANK_LABELS), {"top_churn_pct": "{:.1f}",
                                    "top_diff_pp": "{:+.1f}", "top_excess_churned": "{:,.0f}", "cramers_v": "{:.3f}",
                                    "p_adjusted": "{:.2g}"})
        st.dataframe(table, hide_index=True, key="churn_drivers_rank", column_config=config)
        st.caption(_("Ranked by how much of churn each attribute explains: attributes beyond chance first (chi-square "
                     "test, p-values corrected for the number of attributes tested, Holm), then by Cramér's V "
                     "corrected for the number of values, so a column with many small groups does not win by noise. "
                     "Numbers are cut into bins of about equal size with rounded edges ('6–19': 6 to 19; '39–<63': "
                     "39 up to under 63). Tenure, orders and revenue to date grow while a customer stays, so churned "
                     "customers have less of them partly because they left: they are ranked, but kept out of the "
                     "model below."))
        attribute = st.selectbox(_("Attribute"), ranking["attribute"].tolist(), key="churn_driver_attribute",
                                 format_func=t.driver_attribute)
        rows = values[values["attribute"] == attribute]
        overall = 100 * found["churned"] / max(found["customers"], 1)
        top = ranking[ranking["attribute"] == attribute].iloc[0]
        report_sections.chart(cache.reuse(driver_charts.value_bars, rows, overall, {"x": _("Churned (%), with the {level} interval").format(level=percent(95, 0)), "of": _("of"),
                     "overall": _("everyone {pct}").format(pct=percent(overall)), "blank": str(t.DRIVER_BLANK)},
                     _("{attribute}: “{value}” churns at {pct}").format(
                         attribute=t.driver_attribute(attribute), value=t.driver_value(top["top_value"]),
                         pct=percent(top["top_churn_pct"]))), "churn_driver_chart")
        labels = texts(t.DRIVER_VALUE_LABELS)
        labels |= {"excess_revenue": money_label(labels["excess_revenue"], ds.currency)}
        shown_rows = rows.assign(value=rows["value"].map(t.driver_value))
        table, config = widgets.readable(shown_rows, labels, {c: "{:.1f}" for c in ("churn_pct", "ci_low_pct", "ci_high_pct",
                                    "rest_pct")} | {"diff_pp": "{:+.1f}", "excess_churned": "{:+,.0f}",
                                    "excess_revenue": "{:+,.0f}"})
        st.dataframe(table, hide_index=True, key="churn_driver_values", column_config=config)
        st.caption(_("Grey bars: fewer than {n} customers, read with care. Churned customers the difference accounts "
                     "for = churned − customers × everyone else's churn rate.").format(n=drivers.SMALL))
        driver_links(attribute, rows)
        downloads.download_buttons(values.assign(value=values["value"].map(t.driver_value)), str(DOWNLOADS["drivers"]),
                            key="churn_drivers_download")
        report_sections.table(values, _("Churn drivers"))
        multivariable_view(days)
    left_out = found["excluded"]
    if len(left_out):
        with st.expander(_("Columns never used as drivers ({n})").format(n=number(len(left_out)))):
            for r in left_out.itertuples():
                st.markdown(f"- **{widgets.md(r.column)}**: {t.DRIVER_EXCLUDED.get(r.reason, r.reason)}")


def driver_links(attribute: str, rows: pd.DataFrame) -> None:
    """Links that open Cohorts and the win-back list filtered to one value of a segment attribute."""
    known = cache.cached(cohorts.attribute_values, ds)
    if attribute not in set(known["attribute"]) and attribute not in segments:
        return
    choices = [v for v in rows.sort_values("order")["value"] if v is not None and v == v]
    value = st.selectbox(_("Look at the customers with this {attribute}").format(attribute=widgets.md(attribute)), choices,
                         key="churn_driver_value")
    if value is None:
        return
    c = st.columns(2)
    if attribute in set(known["attribute"]):
        c[0].page_link("pages/cohorts.py", label=_("Cohorts of {attribute} “{value}”").format(
                       attribute=widgets.md(attribute), value=widgets.md(value)), icon=":material/grid_on:",
                       query_params={"dataset": ds.id, "filter": attribute, "value": value})
    if attribute in segments:
        c[1].page_link("pages/churn.py", label=_("Win-back list of {attribute} “{value}”").format(
                       attribute=widgets.md(attribute), value=widgets.md(value)), icon=":material/group:",
                       query_params={"dataset": ds.id, "tab": "winback", "list_segment": attribute,
                                     "list_value": value})


def multivariable_view(days: int) -> None:
    """Logistic regression on the top attributes (odds ratios, holdout AUC), the top combinations, the gap over time."""
    multi = cache.cached(drivers.multivariable, ds, inactive_days=days)
    fit, t = multi["model"], ui_text
    st.subheader(_("The top attributes together"))
    rules = multi["rules"]
    if len(rules):
        st.markdown(_("Churn by combination of the two top attributes (highest and lowest):"))
        for row in rules.to_dict("records"):
            st.markdown("- " + t.driver_rule(row | {k: t.driver_attribute(row[k]) for k in ("first", "second")}, widgets.md))
    if len(fit["odds"]):
        named = fit["odds"].assign(attribute=fit["odds"]["attribute"].map(t.driver_attribute))
        fitted = named[named["status"] == "ok"]  # the values without an odds ratio are named below
        report_sections.chart(cache.reuse(driver_charts.odds_forest, fitted, {"x": _("Odds ratio (log scale; 1 = as the "
                     "most common value)"), "blank": str(t.DRIVER_BLANK)}, _("Each attribute with the others held equal")),
                     "churn_driver_odds")
        st.caption(t.driver_model_note(fit["auc"], fit["train"], fit["test"])
                   + (" " + _("Fitted on a sample of {n} customers.").format(n=number(multi["rows"]))
                      if multi["sampled"] else ""))
        flags = t.driver_model_flags(named, fit.get("fallback"), t.driver_value)
        if flags:
            st.caption(flags)
        odds = named.assign(value=named["value"].map(t.driver_value), reference=named["reference"].map(t.driver_value))
        table, config = widgets.readable(odds, texts(t.DRIVER_ODDS_LABELS), {"odds_ratio": "{:.2f}", "or_low": "{:.2f}",
                                    "or_high": "{:.2f}", "p_value": "{:.2g}"})
        st.dataframe(table, hide_index=True, key="churn_driver_odds_table", column_config=config)
    gaps = multi["over_time"]
    if len(gaps):
        report_sections.chart(cache.reuse(driver_charts.gap_lines, gaps, {"x": _("Cohort (year customers started)"),
                     "y": _("Churn vs everyone else (points)"), "blank": str(t.DRIVER_BLANK)},
                     _("{attribute}: churn gap by cohort").format(attribute=t.driver_attribute(multi["top"]))),
                     "churn_driver_time")
        st.caption(_("Each value's churn minus that of everyone else who started the same year; hollow points: fewer "
                     "than {n} customers. Older cohorts have had longer to churn, so compare the gaps, not the "
                     "levels.").format(n=drivers.SMALL))


def win_back_words(frame: pd.DataFrame, status: bool = True) -> pd.DataFrame:
    """The win-back list's coded cells in words: RFM group names, the reason labels the app adds (no reason,
    Other) and, on screen, the status (the download keeps its codes)."""
    words = {}
    if "rfm_group" in frame:
        words["rfm_group"] = frame["rfm_group"].map(lambda g: g if g is None or g != g else
                                                    str(ui_text.RFM_GROUP_NAMES.get(g, g)))
    words |= {c: frame[c].map(lambda v, c=c: ui_text.segment_value(c, v)) for c in ui_text.SEGMENT_NAMES if c in frame}
    if "reason" in frame:
        words["reason"] = frame["reason"].map(ui_text.reason_label)
    if status and "status" in frame:
        words["status"] = frame["status"].map(lambda s: str(STATUS[s]) if s in STATUS else s)
    return frame.assign(**words)


def winback_tab(v) -> None:
    """The customers to win back: churned recently or at risk, filtered; the first rows shown, all downloadable."""
    info, basis, days, as_of, rp = v.info, v.basis, v.days, v.as_of, reason_params()
    c = st.columns(3)
    recent = c[0].number_input(_("Churned within (days)"), 1, 3650, key="churn_recent")
    risk = c[1].number_input(_("At risk: no purchase for (days)"), 1, 3650, key="churn_risk")
    status = c[2].multiselect(_("Show"), list(STATUS), format_func=lambda s: str(STATUS[s]), key="churn_status",
                              placeholder=_("Choose options"))
    labels = sorted(cache.cached(reasons.reason_map, ds, **rp)["reason"].unique())
    chosen = st.multiselect(_("Reasons"), labels, format_func=ui_text.reason_label, key="churn_list_reasons",
                            placeholder=_("Choose options"))
    column, values = None, []
    if segments:
        f = st.columns(2)
        column = f[0].selectbox(_("Segment filter"), segments, key="churn_list_segment", format_func=ui_text.segment_name)
        known = cache.cached(cohorts.attribute_values, ds)
        values = f[1].multiselect(_("Values"), sorted(known.loc[known["attribute"] == column, "value"].dropna()),
                                  key="churn_list_values", placeholder=_("Choose options"), format_func=lambda v: ui_text.segment_value(column, v))
    wp = dict(basis=basis if info is not None else "auto", inactive_days=int(days), as_of=as_of,
              recent_days=int(recent), risk_days=int(risk), statuses=tuple(status), reason_filter=tuple(chosen),
              segment=column if values else None, segment_values=tuple(values), **rp)
    model = customer_model()
    order = "status"
    if model is not None:
        order = st.radio(_("Sort by"), list(LIST_ORDERS), format_func=lambda o: str(LIST_ORDERS[o]), horizontal=True,
                         key="churn_list_order")
    if order == "value_at_risk":  # the whole list is needed to sort it by a figure the query does not know
        everyone = churn.with_model(cache.cached(churn.at_risk, ds, **wp), model.customers, order)
        picked, total = everyone.head(churn.WIN_BACK_SHOWN), len(everyone)
    else:
        picked, total = cache.cached(churn.win_back, ds, shown=churn.WIN_BACK_SHOWN, **wp)
        picked = churn.with_model(picked, None if model is None else model.customers)
    shown = (_("Showing the first {shown} of {total} customers (the download has them all)").format(
        shown=number(len(picked)), total=number(total)) if total > len(picked) else ui_text.count_of("customers", total))
    st.caption(_("{shown}. Churned: the churn (or lapse) day is within the chosen days before the analysis date. "
                 "At risk: still active, last purchase that many days ago or more.").format(shown=shown)
               + (" " + str(ui_text.WIN_BACK_MODEL_NOTE) if model is not None else ""))
    labels = texts(WINBACK_LABELS)
    labels |= {k: money_label(labels[k], ds.currency) for k in ("revenue_to_date", "expected_value", "value_at_risk")}
    picked = win_back_words(picked)
    readable_table, config = widgets.readable(picked.assign(**({"p_alive": 100 * picked["p_alive"]} if "p_alive" in picked
                                                          else {})),
                                         labels | {c: ui_text.segment_name(c) for c in picked.columns if c not in labels},
                                         {"revenue_to_date": "{:,.2f}", "days_since_purchase": "{:.0f}",
                                          "p_alive": "{:.0f}", "expected_value": "{:,.2f}",
                                          "value_at_risk": "{:,.2f}"},
                                         date_columns=("churn_day", "last_purchase"))
    st.dataframe(readable_table, hide_index=True, key="churn_list", column_config=config)
    report_sections.table(picked.rename(columns=labels), _("Win-back list"))

    def full_list() -> pd.DataFrame:
        out = churn.with_model(churn.at_risk(ds.cursor, **wp), None if model is None else model.customers, order)
        if "rfm_group" in out:
            out = out.assign(p_alive=100 * out["p_alive"])
        return win_back_words(out, status=False).rename(columns={k: money_label(k, ds.currency)
                                                           for k in ("revenue_to_date", "expected_value",
                                                                     "value_at_risk")})

    downloads.download_buttons(full_list, str(DOWNLOADS["winback"]), key="churn_list_download")


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
        st.write(_("No complete month with customers yet: nothing to measure retention over."))
        return
    year, month = head["customer_retention_year"], head["customer_retention_month"]
    estimated = year["method"] == "monthly^12"
    kept = head["customer_retention_span"] if estimated else year
    window = ui_text.headline_window(month)
    m = st.columns(4 if "repeat_purchase_rate" in head and v.basis == "purchases" else 3)
    m[0].metric(f"{ui_text.headline_label(kept)} ({ui_text.headline_window(kept)})", percent(kept["value"]),
                help=ui_text.headline_definition(kept["figure"]))
    m[1].metric(f"{ui_text.HEADLINE['customer_retention_month'][0]} ({window})", percent(month["value"]),
                help=ui_text.headline_definition("customer_retention_month"))
    m[2].metric(f"{ui_text.HEADLINE['customer_churn_month'][0]} ({window})", percent(100 - month["value"]),
                help=ui_text.headline_definition("customer_churn_month"))
    if len(m) == 4:
        rep = head["repeat_purchase_rate"]
        m[3].metric(str(ui_text.HEADLINE["repeat_purchase_rate"][0]), percent(rep["value"]),
                    help=ui_text.headline_definition("repeat_purchase_rate"))
    text = ngettext("Of the {n} customer at the start of {window}, **{kept}** were still customers at its end. "
                    "Month by month, **{stayed}** stayed and **{left}** left.",
                    "Of the {n} customers at the start of {window}, **{kept}** were still customers at its end. "
                    "Month by month, **{stayed}** stayed and **{left}** left.", int(kept["customers"])).format(
        n=number(kept["customers"]), window=ui_text.headline_window(kept), kept=percent(kept["value"]),
        stayed=percent(month["value"]), left=percent(100 - month["value"]))
    if estimated:
        text += " " + _("The data has no 12 complete months, so a year cannot be measured; compounding the months "
                        "would give {year} a year, an estimate that treats every customer who lapses and comes back "
                        "as lost for good, so it is far below what the months measured directly show.").format(
            year=percent(year["value"]))
    st.markdown(text)
    if v.basis == "purchases":
        rep = head.get("repeat_purchase_rate")
        st.caption(ngettext("Purchases only: nobody cancels, so a customer counts as lost {n} day after their last "
                            "purchase (the inactivity window W) and as back when they buy again. A customer who buys "
                            "every few months but sometimes waits longer than W is counted lost and back each time, "
                            "so a short W lowers these figures; a longer W raises them.",
                            "Purchases only: nobody cancels, so a customer counts as lost {n} days after their last "
                            "purchase (the inactivity window W) and as back when they buy again. A customer who buys "
                            "every few months but sometimes waits longer than W is counted lost and back each time, "
                            "so a short W lowers these figures; a longer W raises them.", int(v.days)).format(
                       n=number(int(v.days)))
                   + (" " + _("{pct} of buyers bought more than once.").format(pct=percent(rep["value"], 0))
                      if rep else ""))


def lead_without_dates() -> None:
    """Customers files without dates (tenure and a churned flag): share churned, churn implied by tenure,
    survival by tenure."""
    head = headline.as_dict(cache.cached(headline.summary, ds))
    if "share_churned" not in head:
        st.info(_("Retention over time cannot be measured here: the data has no dates and no churn status. "
                  "Churn reasons, if any, are below."))
        return
    row = head["share_churned"]
    m = st.columns(3)
    m[0].metric(str(ui_text.HEADLINE["share_churned"][0]), percent(row["value"]),
                help=ui_text.headline_definition("share_churned"))
    text = ngettext("**{churned}** of the {n} customer in the file have churned.",
                    "**{churned}** of the {n} customers in the file have churned.", int(row["customers"])).format(
        churned=number(row["successes"]), n=number(row["customers"]))
    if "tenure_churn_month" in head:
        t = head["tenure_churn_month"]
        m[1].metric(str(ui_text.HEADLINE["tenure_churn_month"][0]),
                    ui_text.headline_value("tenure_churn_month", t["value"]),
                    help=ui_text.headline_definition("tenure_churn_month"))
        km = cache.cached(cohorts.tenure_survival, ds)
        at_12 = km[km["period"] <= 12].tail(1)
        if len(at_12):
            m[2].metric(_("Still customers after 12 months of tenure"), percent(at_12["retention_pct"].iloc[0]),
                        help=_("Kaplan–Meier by tenure: churned customers end at their tenure, active customers are "
                               "counted up to theirs."))
        text += " " + _("Counting the months each customer stayed ({months} customer-months in all), about **{pct}** "
                        "of customers leave per month ({level} interval {low}–{high}).").format(level=percent(95, 0),
            months=number(t["exposure"]), pct=percent(t["value"], 2), low=number(t["ci_low"], 2),
            high=percent(t["ci_high"], 2))
    st.markdown(text)
    if "revenue_at_risk_month" in head:
        lost = head["revenue_at_risk_month"]
        st.metric(str(ui_text.HEADLINE["revenue_at_risk_month"][0]),
                  _("{amount} per month").format(amount=money(lost["amount"], ds.currency, decimals=0)),
                  _("{pct} of all monthly charges").format(pct=percent(lost["value"])), delta_color="off",
                  delta_arrow="off", help=ui_text.headline_definition("revenue_at_risk_month") + " "
                  + _("Column: {column}.").format(column=lost["column"]))
    with st.expander(_("How it is counted")):
        st.markdown(_("The file has no dates, so churn cannot be placed in time. **Share churned** = customers marked "
                      "churned ÷ customers with a known status. **Churn per month implied by tenure** = churned "
                      "customers ÷ the sum of all customers' tenure in months (a churned customer stayed their "
                      "tenure, an active one has stayed theirs so far); the interval is the exact Poisson interval. "
                      "**Survival by tenure** is Kaplan–Meier: of the customers who reached a tenure, the share who "
                      "did not churn at it, multiplied over tenures (the Cohorts page shows the curve)."))
    if "tenure_churn_month" in head:
        bands = cache.reuse(cohorts.tenure_bands, cache.cached(cohorts.tenure_survival, ds))
        labels = texts(TENURE_LABELS)
        readable_table, config = widgets.readable(bands, labels, {"band_to": "{:.0f}", "churned_pct": "{:.1f}"})
        st.markdown("**" + _("Churn by tenure") + "**")
        st.dataframe(readable_table, hide_index=True, key="churn_tenure_bands", column_config=config)
        report_sections.table(bands.rename(columns=labels), _("Churn by tenure"))


ds = datasets.dataset()
st.title(_("Churn"))
st.caption(_("How many customers leave each period, who comes and goes, and why they leave."))
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
    period = c[0].selectbox(_("Period"), list(PERIODS), format_func=lambda p: str(PERIOD_NAMES[p]), key="churn_period")
    basis = c[1].selectbox(_("Who counts as active"), bases, format_func=lambda b: str(BASES[b]), key="churn_basis",
                           help=_("Customers file: signed up and not yet cancelled. Purchases: from the first "
                                  "purchase until W days after the last."))
    if basis == "purchases":
        hint = cache.cached(churn.inactivity_hint, ds).iloc[0]
        days = c[2].number_input(_("Inactivity window W (days)"), 1, 3650, key="churn_days",
                                 help=_("Lapsed W days after the last purchase. In this data, {share} of the gaps "
                                        "between a customer's purchases are {days} days or less.").format(share=percent(90, 0),
                                     days=number(hint.p90_days)))
    as_of = c[3].date_input(_("Analysis date"), min_value=first_day, max_value=last_day, key="churn_as_of").isoformat()
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
    tab, panel = widgets.tabs(texts(TABS), key="churn_tab")
    with panel:
        {"rate": rate_tab, "lifecycle": lifecycle_tab, "revenue": revenue_tab, "reasons": reasons_tab,
         "drivers": drivers_tab, "winback": winback_tab}[tab](view)
else:  # no dates: no tabs, the reasons, the drivers and the win-back list one under the other
    reasons_tab(view)
    st.header(_("Drivers"))
    drivers_tab(view)
    winback_tab(view)
downloads.report_button(_("Churn"), report_sections, key="churn_report")
