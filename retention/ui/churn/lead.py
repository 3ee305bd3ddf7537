"""Churn page, the lead: the finding in plain words, with dates (headline figures for the page's controls) or
without (share churned, churn implied by tenure, survival by tenure)."""

from __future__ import annotations

import streamlit as st

from retention import ui_text
from retention.fmt import money, number, percent
from retention.i18n import _, ngettext
from retention.metrics import cohorts, headline
from retention.ui import cache, widgets
from retention.ui.churn import View
from retention.ui_text import texts
from retention.ui_text.churn import TENURE_LABELS


def lead_with_dates(v: View) -> None:
    """The finding in plain words: the headline figures for the page's basis, window and analysis date."""
    ds = v.ds
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


def lead_without_dates(v: View) -> None:
    """Customers files without dates (tenure and a churned flag): share churned, churn implied by tenure,
    survival by tenure."""
    ds, report = v.ds, v.report
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
        report.table(bands.rename(columns=labels), _("Churn by tenure"))
