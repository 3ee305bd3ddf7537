"""Churn page, "Win-back list": customers who churned recently or are at risk, filtered, the first rows shown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import state, ui_text
from retention.fmt import money_label, number
from retention.i18n import _
from retention.metrics import btyd, churn, cohorts, customers, reasons
from retention.ui import cache, downloads, widgets
from retention.ui.churn import View
from retention.ui.churn.reasons import reason_params
from retention.ui_text import texts
from retention.ui_text.churn import DOWNLOADS, LIST_ORDERS, STATUS, WINBACK_LABELS, win_back_words

K = state.keys(state.Churn)


def winback_tab(v: View) -> None:
    """The customers to win back: churned recently or at risk, filtered; the first rows shown, all downloadable."""
    ds, report, segments = v.ds, v.report, v.segments
    info, basis, days, as_of, rp = v.info, v.basis, v.days, v.as_of, reason_params()
    c = st.columns(3)
    recent = c[0].number_input(_("Churned within (days)"), 1, 3650, key=K.recent)
    risk = c[1].number_input(_("At risk: no purchase for (days)"), 1, 3650, key=K.risk)
    status = c[2].multiselect(_("Show"), list(STATUS), format_func=lambda s: str(STATUS[s]), key=K.status,
                              placeholder=_("Choose options"))
    labels = sorted(cache.cached(reasons.reason_map, ds, **rp)["reason"].unique())
    chosen = st.multiselect(_("Reasons"), labels, format_func=ui_text.reason_label, key=K.list_reasons,
                            placeholder=_("Choose options"))
    column, values = None, []
    if segments:
        f = st.columns(2)
        column = f[0].selectbox(_("Segment filter"), segments, key=K.list_segment, format_func=ui_text.segment_name)
        known = cache.cached(cohorts.attribute_values, ds)
        values = f[1].multiselect(_("Values"), sorted(known.loc[known["attribute"] == column, "value"].dropna()),
                                  key=K.list_values, placeholder=_("Choose options"),
                                  format_func=lambda v: ui_text.segment_value(column, v))
    wp = dict(basis=basis if info is not None else "auto", inactive_days=int(days), as_of=as_of,
              recent_days=int(recent), risk_days=int(risk), statuses=tuple(status), reason_filter=tuple(chosen),
              segment=column if values else None, segment_values=tuple(values), **rp)
    model = customer_model(ds)
    order = "status"
    if model is not None:
        order = st.radio(_("Sort by"), list(LIST_ORDERS), format_func=lambda o: str(LIST_ORDERS[o]), horizontal=True,
                         key=K.list_order)
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
    report.table(picked.rename(columns=labels), _("Win-back list"))

    def full_list() -> pd.DataFrame:
        out = churn.with_model(churn.at_risk(ds.cursor, **wp), None if model is None else model.customers, order)
        if "rfm_group" in out:
            out = out.assign(p_alive=100 * out["p_alive"])
        return win_back_words(out, status=False).rename(columns={k: money_label(k, ds.currency)
                                                           for k in ("revenue_to_date", "expected_value",
                                                                     "value_at_risk")})

    downloads.download_buttons(full_list, str(DOWNLOADS["winback"]), key="churn_list_download")


def customer_model(ds):
    """The BG/NBD fit and scores of this dataset (customers.Scored), or None without purchases or a fit."""
    if not ds.has_purchases:
        return None
    try:
        return cache.cached(customers.scored, ds, horizon_months=customers.DEFAULT_HORIZON_MONTHS)
    except btyd.NoModelData:
        return None
