"""Churn page, "Revenue retention": gross and net revenue retention (GRR, NRR) from one period to the next."""

from __future__ import annotations

import streamlit as st

from retention.charts import churn as charts
from retention.fmt import money_label
from retention.i18n import _
from retention.metrics import churn
from retention.ui import cache, widgets
from retention.ui.churn import View
from retention.ui_text import PER_PERIOD, PERIOD_NAMES, texts
from retention.ui_text.churn import REVENUE_LABELS


def revenue_tab(v: View) -> None:
    """Gross and net revenue retention from one period to the next."""
    info, period, as_of = v.info, v.period, v.as_of
    revenue = cache.cached(churn.revenue_retention, v.ds, period=period, as_of=as_of)
    if info.has_amounts and len(revenue):
        v.report.chart(cache.reuse(charts.revenue_lines, revenue, {"grr": _("Gross (GRR)"), "nrr": _("Net (NRR)"), "x":
                     str(PERIOD_NAMES[period]), "y": _("Revenue kept from the previous period (%)")},
                     _("Revenue kept from one period to the next ({per})").format(per=PER_PERIOD[period])),
                     "churn_revenue")
        st.caption(_("Base: customers who bought in the previous period. GRR = their revenue now, each capped at "
                     "what they spent before, / their revenue before; NRR = their revenue now / before (growth "
                     "counts). Refunds subtract. New customers are not in the base."))
        labels = texts(REVENUE_LABELS)
        labels |= {k: money_label(labels[k], v.ds.currency) for k in ("base_revenue", "kept_gross", "kept_net")}
        readable_table, config = widgets.readable(revenue, labels, {"base_revenue": "{:,.2f}", "kept_gross": "{:,.2f}",
                                             "kept_net": "{:,.2f}", "grr_pct": "{:.1f}", "nrr_pct": "{:.1f}"},
                                             date_columns=("period_start", "period_end"))
        st.dataframe(readable_table, hide_index=True, key="churn_revenue_table", column_config=config)
        v.report.table(revenue.rename(columns=labels), _("Revenue retention"))
    else:
        st.info(_("Revenue retention needs purchases with amounts."))
