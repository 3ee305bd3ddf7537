"""Overview: the dataset at a glance, in plain words first, numbers second; each tile links to its page."""

import streamlit as st

from retention import fmt, ui_text
from retention.ui import cache, datasets, downloads, widgets
from retention.fmt import money, number
from retention.i18n import _, ngettext
from retention.benchmarks import compare
from retention.ui_text import benchmarks as bench_text
from retention.ui_text import overview as words
from retention.charts import overview as charts
from retention.metrics import churn, cohorts, drivers, headline, overview, reasons

SMALL = 30  # fewer customers than this behind a percentage: say so
ds = datasets.dataset()
link = {"dataset": ds.id}
st.title(widgets.md(ds.name))

t = cache.cached(overview.totals, ds).iloc[0]
if t.first_date == t.first_date:
    st.caption(_("Data from {first} to {last}. Hover over a number for what it means.").format(
        first=fmt.date(t.first_date), last=fmt.date(t.last_date)))

head = headline.as_dict(cache.cached(headline.summary, ds, model=True))
try:
    monthly_crr = cache.cached(churn.retention_by_period, ds, period="month")
except churn.NoChurnData:
    monthly_crr = None
done = monthly_crr[monthly_crr["complete"] & ~monthly_crr["warm_up"] & (monthly_crr["customers_start"] > 0)] \
    if monthly_crr is not None else None


def card(head: dict, column, figure: str, label: str | None = None) -> None:
    """A headline figure (of headline.as_dict) as a metric: the shared label, its window, the definition on hover."""
    widgets.headline_metric(column, head[figure], label)


def model_headline(head: dict, check: dict) -> None:
    """A shop whose purchase model passed its check: the model's figures lead, the inactivity window's beside."""
    active, kept, window = head["expected_active_customers"], head["model_retention_month"], \
        head["customer_retention_month"]
    m = st.columns(3)
    card(head, m[0], "model_retention_month")
    m[1].metric(ui_text.headline_label(active), number(active["expected"]),
                _("{share} of {n} who bought").format(share=fmt.percent(active["value"], 1),
                                                      n=number(active["customers"])),
                delta_color="off", delta_arrow="off", help=ui_text.headline_definition("expected_active_customers"))
    card(head, m[2], "customer_retention_month", _("Customers kept per month (inactivity window)"))
    st.write(words.model_sentence(kept, active, window))
    st.caption(ui_text.model_headline_note(check))


cols = st.columns(4)
cols[0].metric(_("Customers"), number(int(t.customers)), help=_("Distinct customer ids in the purchases and customers files."))
if monthly_crr is not None and len(monthly_crr):
    cols[1].metric(_("Active customers"), number(int(monthly_crr['customers_end'].iloc[-1])),
                   help=_("Customers active on the last day of the data: subscribed and not cancelled, or (with "
                          "purchases only) bought within the inactivity window, 90 days by default."))
elif "share_churned" in head:
    row = head["share_churned"]
    cols[1].metric(_("Still customers"), number(row['customers'] - row['successes']),
                   help=_("Customers the customers file does not mark as churned."))
if t.orders:
    label, help_text = ui_text.purchases_tile(bool(t.with_order_ids))
    cols[2].metric(label, number(int(t.orders)), help=help_text)
if t.revenue == t.revenue and t.revenue is not None:
    cols[3].metric(_("Revenue"), money(t.revenue, ds.currency, decimals=0),
                   help=_("Sum of all amounts, net of refunds, in the file's currency."))

spark = None
left, right = st.columns(2)
with left.container(border=True):
    st.subheader(_("Are we keeping customers?"))
    check = head.get("customer_retention_month", {}).get("check")
    check = check if isinstance(check, dict) else None
    if check and check["used"] and "model_retention_month" in head:
        model_headline(head, check)
        spark = cache.reuse(charts.kept_sparkline, done.assign(crr_pct=done["alt_crr_pct"]), "Kept (%)")
        st.plotly_chart(spark, width="stretch", key="overview_crr_spark")
    elif "customer_retention_month" in head:
        year, month = head["customer_retention_year"], head["customer_retention_month"]
        m = st.columns(2)
        if year["method"] == "measured":
            card(head, m[0], "customer_retention_year")
            kept = year
        else:  # no whole year: the months the data has, measured directly, rather than monthly^12
            card(head, m[0], "customer_retention_span")
            kept = head["customer_retention_span"]
        card(head, m[1], "customer_retention_month")
        st.write(_("Of the customers we had at the start of {window}, **{kept}** were still customers at its end; "
                   "month by month, **{stayed}** stayed and **{left}** left.").format(
            window=ui_text.headline_window(kept), kept=fmt.percent(kept["value"]), stayed=fmt.percent(month["value"]),
            left=fmt.percent(100 - month["value"])))
        if year["method"] != "measured":
            st.caption(_("No 12 complete months yet, so a year cannot be measured. Compounding the monthly figure "
                         "would give {pct} a year, but customers who lapse and come back make that far too low: "
                         "the {months} measured directly say more.").format(
                pct=fmt.percent(year["value"]), months=ui_text.period_words(kept["period"])))
        if month["basis"] == "purchases":
            st.caption(_("Purchases only: a customer counts as lost 90 days after their last purchase (the inactivity "
                         "window, set on the Churn page). A longer window keeps more customers.") + " "
                       + (ui_text.model_headline_note(check) if check else str(ui_text.OVERVIEW_METHOD_NOTE)))
        if kept["customers"] < SMALL:
            st.caption(ngettext("Only {n} customer at the start: treat this with care.",
                                "Only {n} customers at the start: treat this with care.",
                                kept["customers"]).format(n=number(kept["customers"])))
        with st.expander(str(ui_text.DEFINITIONS_HEADING)):
            st.markdown(str(ui_text.CRR_DEFINITION))
        spark = cache.reuse(charts.kept_sparkline, done.assign(crr_pct=done["alt_crr_pct"]), _("Kept (%)"))
        st.plotly_chart(spark, width="stretch", key="overview_crr_spark")
    elif "share_churned" in head:
        m = st.columns(2)
        card(head, m[0], "share_churned")
        row = head["share_churned"]
        if "tenure_churn_month" in head:
            tenure = head["tenure_churn_month"]
            card(head, m[1], "tenure_churn_month")
            st.write(words.churned_sentence(row) + " " + _("Counting the months each customer stayed, about **{pct}** of customers leave per month (95% CI "
                    "{low}–{high}).").format(pct=fmt.percent(tenure["value"], 2),
                                                      low=fmt.number(tenure["ci_low"], 2),
                                                      high=fmt.percent(tenure["ci_high"], 2)))
            st.caption(_("The file has no dates, so churn per month is churned customers ÷ total months of tenure."))
        else:
            st.write(words.churned_sentence(row) + " " + _("The file has no dates, so churn per month cannot be "
                                                           "measured."))
        if "revenue_at_risk_month" in head:
            lost = head["revenue_at_risk_month"]
            st.metric(ui_text.HEADLINE["revenue_at_risk_month"][0],
                      _("{amount} per month").format(amount=money(lost["amount"], ds.currency, decimals=0)),
                      _("{pct} of all monthly charges").format(pct=fmt.percent(lost["value"])), delta_color="off",
                      delta_arrow="off", help=ui_text.headline_definition("revenue_at_risk_month") + " "
                      + _("Column: {column}.").format(column=lost["column"]))
    else:
        st.write(_("This dataset has no dates or churn status to measure churn with."))
    st.page_link("pages/churn.py", label=_("Churn details"), icon=":material/trending_down:", query_params=link)

with right.container(border=True):
    cells = cache.cached(cohorts.matrix, ds, period="month") if ds.has_purchases else None
    s = cohorts.summary(cells, k=1, window=6) if cells is not None and len(cells) else {}
    if "month1_cohort_retention" in head:
        st.subheader(_("Do new customers come back?"))
        m = st.columns(2)
        card(head, m[0], "month1_cohort_retention", _("Came back the next month"))
        if "repeat_purchase_rate" in head:
            card(head, m[1], "repeat_purchase_rate")
        row = head["month1_cohort_retention"]
        text = ngettext("Of the {n} customer who first bought in {window}, **{pct}** bought again in the next "
                        "calendar month.",
                        "Of the {n} customers who first bought in {window}, **{pct}** bought again in the next "
                        "calendar month.", row["customers"]).format(
            n=number(row["customers"]), window=ui_text.headline_window(row), pct=fmt.percent(row["value"]))
        if s:
            text += " " + ngettext("The latest cohort ({month}, {n} customer): {pct}.",
                                   "The latest cohort ({month}, {n} customers): {pct}.", s["latest_size"]).format(
                month=fmt.month_year(s["latest_cohort"]), n=number(s["latest_size"]), pct=fmt.percent(s["latest_pct"]))
        st.write(text)
        if row["customers"] < SMALL:
            st.caption(ngettext("Only {n} customer in those cohorts: treat this with care.",
                                "Only {n} customers in those cohorts: treat this with care.",
                                row["customers"]).format(n=number(row["customers"])))
        st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:", query_params=link)
    elif ds.has_customers and not ds.has_purchases:
        st.subheader(_("How long do customers stay?"))
        km = cache.cached(cohorts.tenure_survival, ds)
        points = cohorts.survival_at(km)
        if points:
            m = st.columns(2)
            for col, (n, pct) in zip(m, points.items()):
                col.metric(ui_text.still_after(n), fmt.percent(pct), help=str(ui_text.KM_TENURE_HELP))
            st.write(_("Survival by tenure from the file's tenure and churn status (Kaplan–Meier); the Cohorts page "
                       "shows the whole curve."))
        else:
            st.write(_("The customers file has no tenure, so how long customers stay cannot be measured."))
        st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:", query_params=link)
    else:
        st.subheader(_("Do new customers come back?"))
        st.write(_("No cohort has completed its first month yet, or the dataset has no purchases."))
        st.page_link("pages/cohorts.py", label=_("Cohort details"), icon=":material/grid_on:", query_params=link)

left, right = st.columns(2)
with left.container(border=True):
    st.subheader(_("How do we compare?"))
    try:
        ctx = cache.cached(compare.context, ds).iloc[0].to_dict()
    except churn.NoChurnData:
        ctx = None
    sentence = bench_text.context(ctx) if ctx else None
    if sentence:
        st.write(sentence)
    elif "customer_retention_month" not in head and "share_churned" in head:
        st.write(_("The file has no dates, and published retention figures are measured per month or year over "
                   "calendar time, so there is no like-for-like comparison; the Benchmarks page shows this file's "
                   "figures next to the published ones for reference."))
    else:
        st.write(_("Not enough complete periods to compare with published figures yet."))
    if ctx and ctx.get("nearest_publisher"):
        st.caption(_("Closest source: {publisher} ({year}), {industry}. Benchmarks differ in definition and "
                     "population; the Benchmarks page shows each one.").format(
            publisher=ctx["nearest_publisher"], year=ctx["nearest_year"],
            industry=bench_text.industry_name(ctx["nearest_industry"])))
    st.page_link("pages/benchmarks.py", label=_("Benchmarks"), icon=":material/leaderboard:", query_params=link)

with right.container(border=True):
    st.subheader(_("Why do customers leave?"))
    top = cache.cached(reasons.reason_counts, ds)
    given = top[top["reason"] != reasons.NO_REASON] if len(top) else top
    if len(given):
        total = int(top["churned"].sum())
        for row in top.head(3).itertuples():
            st.write(ngettext("**{reason}** — {pct} of the {n} customer who left",
                              "**{reason}** — {pct} of the {n} customers who left", total).format(
                reason=widgets.md(row.reason), pct=fmt.percent(row.share_pct, 0), n=number(total)))
        st.page_link("pages/churn.py", label=_("All reasons"), icon=":material/help:", query_params=link)
    else:  # nobody said why: what the customers' own attributes say (churn drivers)
        try:
            found = cache.cached(drivers.drivers, ds)
        except drivers.NoDrivers:
            found = None
        beyond = found["ranking"][found["ranking"]["significant"]] if found else None
        if beyond is not None and len(beyond):
            st.caption(_("No churn reasons in this dataset; the attributes that go with churning:"))
            for row in beyond.head(3).to_dict("records"):
                st.write(ui_text.driver_sentence(row, found["customers"], found["churned"], widgets.md))
        else:
            st.write(_("No churn reasons in this dataset, and no attribute whose churn differs beyond chance. Upload "
                       "a customers file with a reason column or with attributes such as plan or contract."))
        st.page_link("pages/churn.py", label=_("Churn drivers"), icon=":material/help:",
                     query_params=link | {"tab": "drivers"})

monthly = cache.cached(overview.monthly, ds)
fig = None
if len(monthly):
    # The last month is incomplete unless the data runs to its last day: drawn faded, not used in the title.
    complete, last = overview.returning_buyers(monthly, t.last_date)
    title = words.buyers_title(last, bool(complete.all()))
    fig = cache.reuse(charts.buyers_per_month, monthly, complete, (_("Returning buyers"), _("New buyers")), title,
                  _("Month"), _("Customers who bought (count)"))
    st.plotly_chart(fig, width="stretch", key="overview_monthly")

downloads.report_button(_("Overview"), [(_("Headline numbers"), t.to_frame().T),
                                 (_("Headline figures"), cache.cached(headline.summary, ds, model=True).drop(
                                      columns=["check"], errors="ignore")),
                                 (_("Buyers per month"), fig), (_("Customers kept per month"), spark),
                                 (_("Customer retention per month"), done), (_("Monthly figures"), monthly)],
                 key="overview_report")
