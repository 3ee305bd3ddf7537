"""Benchmarks page, against published figures: the benchmark file, the settings, each figure against the
published ones with its sources. `report` is the page's downloads.ReportSections."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.benchmarks import catalog, compare, statistics
from retention.charts import benchmarks as charts
from retention.i18n import _
from retention.metrics import headline
from retention.ui import cache, downloads, widgets
from retention.ui_text import benchmarks as wording
from retention.ui_text.benchmarks import PAGE as T

K = state.keys(state.Benchmarks)


def benchmark_file() -> pd.DataFrame:
    """The shipped catalog, or the person's own benchmark file (its rows left out said, a bad file's error)."""
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
    return bench


def settings(first_day, last_day) -> tuple:
    """The periods and definitions: (rate period, pooled range, first-order range, inactivity days)."""
    with st.expander(str(T["settings"])):
        c = st.columns([1, 2, 2, 1])
        period = c[0].selectbox(str(T["period"]), list(compare.RATE_PERIODS), help=str(T["period_help"]),
                                format_func=lambda p: str(wording.RATE_PERIOD_WORDS.get(p, p)), key=K.period)
        pooled = c[1].date_input(str(T["range"]), value=(), min_value=first_day, max_value=last_day, key=K.range,
                                 format=ui_text.date_input_format())
        first = c[2].date_input(str(T["first_range"]), value=(), min_value=first_day, max_value=last_day,
                                key=K.first, format=ui_text.date_input_format())
        days = c[3].number_input(str(T["inactive"]), 1, 3650, help=str(T["inactive_help"]), key=K.days)
        st.markdown(wording.figures_help())
    return period, pooled, first, days


def no_comparison(ds) -> None:
    """None of the chosen industries publishes a figure this data can produce; a file without dates shows its
    own figures without a verdict."""
    head = headline.as_dict(cache.cached(headline.summary, ds))
    tenure = [head[f] for f in ("share_churned", "tenure_churn_month") if f in head]
    if tenure and "customer_retention_month" not in head:  # a customers file with tenure but no dates
        for col, row in zip(st.columns(len(tenure)), tenure):
            widgets.headline_metric(col, row)
        st.info(str(T["no_dates"]))
    else:
        st.info(str(T["nothing"]))


def published_figures(user: pd.DataFrame, paired: pd.DataFrame, wanted: list[str], report) -> None:
    """Each figure against the published ones (paired: compare.table of user: compare.user_figures), then the
    figures without a published pair or without a value."""
    missing, empty = compare.unpaired(user, paired, wanted)
    for figure, rows in paired.groupby("figure", sort=False):
        figure_against(figure, rows, user[user["figure"] == figure], report)
    if missing:
        st.caption(T["no_pair"].format(names=", ".join(wording.figure_name(f) for f in missing)))
    if empty:
        st.caption(wording.not_enough([wording.figure_name(f) for f in empty]))


def figure_against(figure: str, rows: pd.DataFrame, mine: pd.DataFrame, report) -> None:
    """One figure: the headline sentence, the chart against the published figures, warnings, the sources."""
    first_row = mine.iloc[0]
    rate_months = int(first_row["months"]) if first_row["unit"] == "rate" else None
    name = wording.cap(wording.figure_name(figure, rate_months))
    st.subheader(name, help=str(wording.FIGURE_HELP[figure]))
    words = wording.chart_words()
    single = first_row["unit"] in ("rate", "lifetime")
    if single:
        mine_d = first_row.to_dict()
        st.markdown(wording.headline(figure, rate_months, mine_d, rows))
        if first_row["unit"] == "rate":
            st.caption(wording.periods_used(first_row["first_period"], first_row["last_period"],
                                            int(first_row["periods"]), rate_months))
        chart = charts.figure_against(rows, mine_d, words, wording.chart_title(figure, rate_months, mine_d, rows))
    else:
        words["x"] = str(T["months_since"])
        chart = charts.curve_with_points(mine.assign(horizon_months=mine["months"]),
                                         rows.assign(horizon_months=rows["months"]), words,
                                         wording.curve_title(figure, rows))
    if rows["user_small"].any():
        st.warning(wording.small_sample(int(rows["user_trials"].min())))
    for found in statistics.disagreements(rows, None if single else "months"):
        st.info(wording.disagreement(found))
    report.chart(chart, f"benchmarks_chart_{figure}", name)
    sources(figure, rate_months, rows, report)


def sources(figure: str, rate_months: int | None, rows: pd.DataFrame, report) -> None:
    """The verdict against each source and the sources' table, to download."""
    with st.expander(str(T["sources"])):
        for row in rows.to_dict("records"):
            user_point = {"value": row["user_value"], "ci_low": row["user_ci_low"], "ci_high": row["user_ci_high"]}
            st.markdown("- " + wording.verdict(figure, rate_months, user_point, row))
        shown = wording.sources_table(rows)
        labels = wording.COLUMN_LABELS
        st.dataframe(report.table(shown, str(T["sources"])), hide_index=True, key=f"benchmarks_table_{figure}",
                     column_config={k: st.column_config.TextColumn(str(v)) for k, v in labels.items()}
                     | {"source_url": st.column_config.LinkColumn(str(labels["source_url"])),
                        "value": st.column_config.NumberColumn(str(labels["value"]), format="%.2f"),
                        "gap_pts": st.column_config.NumberColumn(str(labels["gap_pts"]), format="%+.1f")})
        downloads.download_buttons(shown, _("benchmarks_{figure}").format(figure=figure), key=f"benchmarks_dl_{figure}")

