"""Churn page, "Lifecycle": new, came back, retained and churned customers per period, and the quick ratio."""

from __future__ import annotations

import streamlit as st

from retention.charts import churn as charts
from retention.fmt import number
from retention.i18n import _
from retention.metrics import lifecycle
from retention.ui import cache, widgets
from retention.ui.churn import View
from retention.ui_text import PER_PERIOD, PERIOD_NAMES, texts
from retention.ui_text.churn import LAST_COMPLETE, LIFE_LABELS


def lifecycle_tab(v: View) -> None:
    """New, came back, retained and churned customers per period, and the quick ratio."""
    period, params = v.period, v.params
    life = cache.cached(lifecycle.lifecycle, v.ds, **params)
    done = life[life["complete"] & ~life["warm_up"]]
    ratio = done["quick_ratio"].tail(1).iloc[0] if len(done) else float("nan")
    if ratio == ratio:
        title = (_("Quick ratio {ratio} {when}: the base grows") if ratio > 1 else
                 _("Quick ratio {ratio} {when}: the base shrinks")).format(ratio=number(ratio, 2),
                                                                         when=LAST_COMPLETE[period])
    else:
        title = _("Customers gained and lost {per}").format(per=PER_PERIOD[period])
    v.report.chart(cache.reuse(charts.lifecycle_bars, life, {"new": _("New"), "resurrected": _("Came back"),
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
    v.report.table(life.rename(columns=labels), _("Lifecycle"))
