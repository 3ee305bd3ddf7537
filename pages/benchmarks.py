"""Benchmarks: the user's figures next to published industry figures of the same metric and period, and
internal benchmarks (segments against the rest, this period against a year earlier)."""

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.i18n import _
from retention.benchmarks import catalog, compare, figures, internal, statistics
from retention.ui_text import benchmarks as wording
from retention.charts import benchmarks as charts
from retention.metrics import churn, headline

K = state.keys(state.Benchmarks)

T = wording.PAGE
SHOWN = ["industry", "publisher", "year", "value", "as_published", "gap_pts", "confidence", "statistic",
         "population", "definition", "source_url", "notes"]

ds = datasets.dataset()
st.title(str(T["title"]))
st.caption(str(T["intro"]))

bench = catalog.shipped()
with st.expander(str(T["upload"])):
    upload = st.file_uploader(str(T["upload"]), type=["csv"], help=str(T["upload_help"]), key="benchmarks_file",
                              label_visibility="collapsed")
    if upload is not None:
        try:
            bench, rejected = catalog.parse(upload.getvalue())
            for row in rejected.itertuples():
                st.warning(T["row_left_out"].format(row=row.row, reason=wording.REJECT_REASONS[row.reason]))
        except catalog.BenchmarkFileError as exc:
            st.error(wording.file_error(str(exc)))

options = catalog.industries(bench)
labels = {industry: f"{wording.industry_name(sector)} · {wording.industry_name(industry)}"
          for sector, industry in zip(options["sector"], options["industry"])}
attributes = datasets.segment_attributes(ds)
first_day, last_day = datasets.data_days(ds)
try:
    default_period, why = cache.cached(compare.default_period, ds)
except churn.NoChurnData:
    default_period, why = "year", None
links.page_state(state.Benchmarks, state.benchmarks_limits(list(labels), compare.DEFAULT_INDUSTRIES, attributes,
                                                        first_day, last_day, default_period))
picked = st.multiselect(str(T["industries"]), list(labels), format_func=labels.get, help=str(T["industries_help"]),
                        key=K.industries)
selected = bench[bench["industry"].isin(picked)]

try:
    as_of = str(cache.cached(churn.basis_info, ds).iloc[0]["as_of"])
except churn.NoChurnData:
    as_of = None
with st.expander(str(T["settings"])):
    c = st.columns([1, 2, 2, 1])
    period = c[0].selectbox(str(T["period"]), list(compare.RATE_PERIODS), help=str(T["period_help"]),
                            format_func=lambda p: str(wording.RATE_PERIOD_WORDS.get(p, p)), key=K.period)
    rng = c[1].date_input(str(T["range"]), value=(), min_value=first_day, max_value=last_day, key=K.range,
                          format=ui_text.date_input_format())
    first = c[2].date_input(str(T["first_range"]), value=(), min_value=first_day, max_value=last_day,
                            key=K.first, format=ui_text.date_input_format())
    days = c[3].number_input(str(T["inactive"]), 1, 3650, help=str(T["inactive_help"]), key=K.days)
    st.markdown("\n".join(f"- **{wording.cap(wording.figure_name(k))}**: {v}" for k, v in wording.FIGURE_HELP.items()))


if why:
    st.caption(T["default_period"][why].format(period=wording.RATE_PERIOD_WORDS[default_period])
               + ("" if period == default_period else " " + T["period_changed"].format(
                   period=wording.RATE_PERIOD_WORDS[period])))


def ends(value) -> tuple:
    return tuple(d.isoformat() for d in value) if len(value) == 2 else (None, None)


can, report_sections = cache.cached(figures.available, ds).iloc[0], downloads.ReportSections()
wanted = compare.comparable(can, selected)
if not picked:
    st.info(str(T["pick_industry"]))
elif not wanted:
    head = headline.as_dict(cache.cached(headline.summary, ds))
    tenure = [head[f] for f in ("share_churned", "tenure_churn_month") if f in head]
    if tenure and "customer_retention_month" not in head:  # a customers file with tenure but no dates
        m = st.columns(len(tenure))
        for col, row in zip(m, tenure):
            widgets.headline_metric(col, row)
        st.info(str(T["no_dates"]))
    else:
        st.info(str(T["nothing"]))
else:
    months, horizon_days = compare.curve_horizons(selected)
    params = dict(wanted=wanted, period=period, date_from=ends(rng)[0], date_to=ends(rng)[1],
                  first_from=ends(first)[0], first_to=ends(first)[1], as_of=as_of, inactive_days=int(days),
                  months=months, days=horizon_days)
    user = cache.cached(compare.user_figures, ds, **params)
    paired = compare.table(user, selected)
    empty = set(user.loc[user["value"].isna(), "figure"]) | (set(wanted) - set(user["figure"]))
    missing = [wording.figure_name(f) for f in wanted if f not in set(paired["figure"]) | empty]
    for figure, rows in paired.groupby("figure", sort=False):
        mine = user[user["figure"] == figure]
        first_row = mine.iloc[0]
        rate_months = int(first_row["months"]) if first_row["unit"] == "rate" else None
        st.subheader(wording.cap(wording.figure_name(figure, rate_months)), help=str(wording.FIGURE_HELP[figure]))
        ax = {k: str(T[v]) for k, v in (("you", "you"), ("band", "band"), ("benchmark", "benchmark"),
                                        ("converted", "converted"), ("low", "low"), ("none", "no_value"),
                                        ("x", "x_pct"), ("y", "x_pct"))}
        ax["periods"] = {k: str(v) for k, v in wording.CATALOG_PERIODS.items()}
        if first_row["unit"] in ("rate", "lifetime"):
            mine_d = first_row.to_dict()
            st.markdown(wording.headline(figure, rate_months, mine_d, rows))
            if first_row["unit"] == "rate":
                st.caption(wording.periods_used(first_row["first_period"], first_row["last_period"],
                                             int(first_row["periods"]), rate_months))
            chart = charts.figure_against(rows, mine_d, ax, wording.chart_title(figure, rate_months, mine_d, rows))
        else:
            ax["x"] = str(T["months_since"])
            points = rows.assign(horizon_months=rows["months"])
            chart = charts.curve_with_points(mine.assign(horizon_months=mine["months"]), points, ax,
                                             wording.curve_title(figure, rows))
        if rows["user_small"].any():
            st.warning(wording.small_sample(int(rows["user_trials"].min())))
        for found in statistics.disagreements(rows, None if first_row["unit"] in ("rate", "lifetime") else "months"):
            st.info(wording.disagreement(found))
        report_sections.chart(chart, f"benchmarks_chart_{figure}", wording.cap(wording.figure_name(figure, rate_months)))
        with st.expander(str(T["sources"])):
            for row in rows.to_dict("records"):
                user_point = {"value": row["user_value"], "ci_low": row["user_ci_low"], "ci_high": row["user_ci_high"]}
                st.markdown("- " + wording.verdict(figure, rate_months, user_point, row))
            shown = rows.assign(
                as_published=[f"{wording.CATALOG_PERIODS.get(r.period, r.period)} {wording.METRIC_WORDS[r.metric]} "
                              f"{wording.published(r.value_pct)}" for r in rows.itertuples()],
                industry=[wording.industry_name(i) for i in rows["industry"]],
                confidence=[str(wording.CONFIDENCE_VALUES.get(c, c)) for c in rows["confidence"]])[SHOWN]
            st.dataframe(report_sections.table(shown, str(T["sources"])), hide_index=True, key=f"benchmarks_table_{figure}",
                         column_config={k: st.column_config.TextColumn(str(v)) for k, v in wording.COLUMN_LABELS.items()}
                         | {"source_url": st.column_config.LinkColumn(str(wording.COLUMN_LABELS["source_url"])),
                            "value": st.column_config.NumberColumn(str(wording.COLUMN_LABELS["value"]), format="%.2f"),
                            "gap_pts": st.column_config.NumberColumn(str(wording.COLUMN_LABELS["gap_pts"]),
                                                                     format="%+.1f")})
            downloads.download_buttons(shown, _("benchmarks_{figure}").format(figure=figure), key=f"benchmarks_dl_{figure}")
    if missing:
        st.caption(T["no_pair"].format(names=", ".join(missing)))
    if empty:
        st.caption(wording.not_enough([wording.figure_name(f) for f in wanted if f in empty]))

st.header(str(T["internal"]))
st.caption(str(T["internal_intro"]))


def year_over_year(label: str, start: str, end: str, compute, first_day) -> None:
    """One year-over-year line, naming only months with data (the window clipped to the data's first day)."""
    clipped = internal.window_with_data(start, end, first_day.isoformat() if first_day else None)
    if clipped is None:
        return
    start, end, earlier = clipped
    label = label.format(span=wording.span(start, end))
    st.markdown(f"**{T['yoy']}.** " + (wording.comparison(label, T["year_before"], compute(start, end)) if earlier
                else T["no_year_before"].format(label=label, first=fmt.month_year(first_day, short=True))))


if can["customer_retention"] and as_of:
    year_over_year(T["yoy_label"].format(figure=wording.cap(wording.figure_name("customer_retention", 1)), span="{span}"),
                   *internal.recent_year(as_of),
                   lambda start, end: cache.cached(internal.retention_year_over_year, ds, period="month",
                                                date_from=start, date_to=end, inactive_days=int(days),
                                                as_of=as_of).iloc[0].to_dict(), first_day)
share = st.selectbox(str(T["segment_metric"]), list(T["segment_metrics"]),
                     format_func=lambda m: str(T["segment_metrics"][m]),
                     key=K.segment_metric) if can["repeat_purchase_rate"] else None
if share in ("repeat_12", "month1") and as_of:
    year_over_year(T["yoy_first_label"].format(figure=T["segment_metrics"][share], span="{span}"), *internal.recent_year(
        (pd.Timestamp(as_of) - pd.DateOffset(months=12 if share == "repeat_12" else 0)).date().isoformat()),
        lambda start, end: (cache.cached(internal.repurchase_year_over_year, ds, months=12, first_from=start,
                                      first_to=end, as_of=as_of) if share == "repeat_12" else
                            cache.cached(internal.cohort_retention_year_over_year, ds, k=1, cohort_from=start,
                                      cohort_to=end, as_of=as_of)).iloc[0].to_dict(), first_day)
if not attributes:
    st.caption(str(T["no_segments"]))
elif share:
    attribute = st.selectbox(str(T["segment"]), attributes, key=K.segment, format_func=ui_text.segment_name)
    if share == "month1":
        groups = cache.cached(internal.cohort_retention_by_segment, ds, segment=attribute, k=1, as_of=as_of)
    else:
        groups = cache.cached(internal.repurchase_by_segment, ds, segment=attribute,
                           months=12 if share == "repeat_12" else None, as_of=as_of)
    if "segment" in groups:  # the RFM groups' names in the reader's language (a file's values as written)
        groups = groups.assign(segment=groups["segment"].map(lambda v: ui_text.segment_value(attribute, v)))
    if len(groups):
        report_sections.chart(cache.reuse(charts.segments_against_rest, groups, {"segment": str(T["segment_metrics"][share]),
                                                           "overall": str(T["overall"]), "none": str(T["no_value"]),
                                                           "x": str(T["x_pct"]), "y": ui_text.segment_name(attribute)},
                                                  wording.segments_title(groups)), "benchmarks_segments_chart",
                     str(T["internal"]))
        st.markdown("\n".join("- " + wording.comparison(widgets.md(wording.segment_name(r["segment"])), str(T["rest"]), r)
                               for r in groups.to_dict("records")))
downloads.report_button(str(T["title"]), report_sections, key="benchmarks_report")
