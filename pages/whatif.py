"""What-if: "+X retention → how much more profit?", from the dataset's own retention, revenue and costs."""

import math

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.ui import cache, datasets, downloads, links, widgets
from retention.fmt import money, money_label, number
from retention.i18n import _, ngettext
from retention.charts import whatif as charts
from retention.metrics import churn, reasons
from retention.scenarios import analysis, clv, inputs, tenure
from retention.ui_text import whatif as wording
from retention.scenarios.scenario import KINDS, R_CAP, Scenario, apply, equivalents
from retention.ui_text.whatif import ASSUMPTIONS, BASES, TABLE_COLUMNS, UNITS_TITLE, input_fields
from retention.ui.whatif_views import model_tab, sbg_tab

K = state.keys(state.WhatIf)

ds = datasets.dataset()
st.title(_("What if customers stayed longer?"))
st.caption(_("Turns your measured retention, revenue and costs into the profit effect of keeping customers longer. "
             "Every input can be edited; values measured from the data are marked *measured*. "
             "The scenario and the inputs are saved in the page's link."))

def measure(ds, period: str) -> dict:
    """The measured inputs; from tenure when the data has no dates (a customers file with tenure and a churned
    flag); {} when neither gives retention."""
    try:
        return cache.cached(inputs.measure, ds, period=period).iloc[0].to_dict()
    except churn.NoChurnData:
        pass
    try:
        return cache.cached(tenure.measure, ds, period=period).iloc[0].to_dict()
    except churn.NoChurnData:
        return {}


def reason_shares(ds) -> pd.DataFrame:
    return cache.cached(reasons.reason_counts, ds) if ds.has_customers else pd.DataFrame({"reason": []})


links.page_state(state.WhatIf, state.whatif_limits(lambda p: measure(ds, p), lambda: reason_shares(ds)["reason"].tolist()))
period = st.segmented_control(_("Period of the model"), list(clv.PERIODS_PER_YEAR), required=True, key=K.period,
                              format_func=lambda p: str(wording.PERIOD_NAMES.get(p, p)))
measured = measure(ds, period)
per = wording.PER[period]
if measured.get("basis") == tenure.BASIS:
    st.info(ui_text.whatif_from_tenure(measured, period), icon=":material/hourglass_bottom:")
elif measured:
    st.caption(_("Measured over {n} complete periods ({unit}) up to {day} ({basis} basis, as on the Churn "
                 "page).").format(n=number(measured["periods_used"]), unit=wording.UNITS[period],
                                  day=fmt.date(measured["as_of"]), basis=BASES.get(measured["basis"], measured["basis"])))
    if not measured["has_amounts"]:
        st.info(_("The purchases have no amounts, so revenue per customer is not measured: type your own."))
else:
    try:
        cache.cached(inputs.measure, ds, period=period)
    except churn.NoChurnData as exc:
        st.warning(_("Retention cannot be measured from this dataset ({problem}); type your own numbers below.").format(
            problem=exc))


def tagged(label: str, name: str, found: dict) -> str:
    """An input's label tagged as measured (or from tenure) while it holds the measured value, else as the viewer's."""
    tag = ui_text.WHATIF_TENURE_TAG if found.get("basis") == tenure.BASIS else _("measured")
    yours = _("your value")
    mine = st.session_state[state.widget_key(state.WhatIf, name)] != state.measured_input(found, name)
    return f"{label} ({yours if mine else tag})"


def assumed(name: str) -> bool:
    """An input the data cannot give (margin, acquisition cost) still at the page's assumed default."""
    return name in wording.ASSUMED and st.session_state[state.widget_key(state.WhatIf, name)] == \
        state.WhatIf.__dataclass_fields__[name].default


v = {}
with st.expander(_("Inputs"), expanded=True, icon=":material/tune:"):
    cols = st.columns(4)
    for i, (name, label, top, step, form, tip) in enumerate(input_fields(per, ds.currency, R_CAP)):
        shown = tagged(label, name, measured) if name in state.MEASURED else \
            f"{label} ({wording.ASSUMED_TAG})" if assumed(name) else label
        v[name] = cols[i % 4].number_input(shown, 0.0, top, step=step, format=form,
                                           key=state.widget_key(state.WhatIf, name), help=tip)
years = v["years"]
horizon = round(years * clv.PERIODS_PER_YEAR[period]) if years > 0 else math.inf
model = clv.Inputs(v["active"], v["retention"] / 100, v["arpu"], v["margin"], v["cac"], v["new"], v["discount"], period,
                   horizon, v["growth"], v["programme"])

kind = st.segmented_control(_("Scenario"), KINDS, required=True, key=K.kind,
                            format_func=lambda k: str(wording.KIND_LABELS[k]))
c = st.columns([1, 2, 2])
x = c[0].number_input("X", -100.0, 100.0, step=0.5, key=K.x)
scenario = Scenario(kind, x, periods_per_year=model.periods_per_year)
if kind == "reason":
    shares = reason_shares(ds)
    if shares.empty:
        st.info(_("This dataset has no churn reasons; pick another scenario type."))
        st.stop()
    reason = c[1].selectbox(_("Churn reason"), shares["reason"].tolist(), key=K.reason)
    scenario = Scenario(kind, x, reason, float(shares.set_index("reason").loc[reason, "share_pct"]) / 100)
applied = apply(model.retention, scenario)
same = equivalents(model.retention, applied.retention, model.periods_per_year)
per_year = tuple(clv.annual_retention(r, model.periods_per_year) for r in (model.retention, applied.retention))
st.markdown(wording.scenario_summary(kind, x, period, scenario.reason and widgets.md(scenario.reason), model.retention,
                                     applied.retention, same,
                                     per_year))
note = wording.assumed_note({k: v[k] for k in wording.ASSUMED if assumed(k)})
if note:
    st.markdown(note)
if applied.capped:
    st.warning(_("That scenario reaches {pct} retention {per}; nobody keeps every customer, so it is capped at "
                 "{cap}.").format(pct=fmt.percent(100 * applied.uncapped), per=per, cap=fmt.percent(100 * R_CAP)))

table = clv.compare(model, applied.retention).set_index("output")
head = clv.headline(model, applied.retention)
facts = clv.published_comparison(model, applied.retention)
span = ngettext("{n} year", "{n} years", int(years) if float(years).is_integer() else 2).format(n=f"{years:g}") \
    if years > 0 else _("customers' whole lives")
c = st.columns(4)
c[0].metric(_("More profit over {span}").format(span=span), money(head['profit_change'], ds.currency, decimals=0),
            fmt.number(head["profit_change_pct"], 1, sign=True) + " %", delta_arrow=widgets.arrow(head["profit_change_pct"], 1),
            help=_("Present value, {assumption}.").format(assumption=ASSUMPTIONS.get(head["assumption"],
                                                                                      head["assumption"]))
            + " " + str(wording.PROFIT_CHANGE_FORMULA))
row = table.loc["value_of_base"]
c[1].metric(_("Value of today's customers"), money(row.scenario, ds.currency, decimals=0),
            money(row.change, ds.currency, decimals=0, sign=True), delta_arrow=widgets.arrow(row.change, 0),
            help=str(wording.FORMULAS["value_of_base"]))
row = table.loc["new_customer_value"]
c[2].metric(_("New customer's value"), money(row.scenario, ds.currency), fmt.number(row.change_pct, 1, sign=True) + " %",
            delta_arrow=widgets.arrow(row.change_pct, 1), help=_("Net of acquisition cost:") + " " + str(wording.FORMULAS["new_customer_value"]))
c[3].metric(_("Break-even programme cost per customer {per}").format(per=per),
            money(clv.break_even(model, applied.retention), ds.currency),
            help=str(wording.BREAK_EVEN_FORMULA))
st.info(_("**Published: “+5 % retention → +25–95 % profit”.**") + " " + wording.published_explanation(facts),
        icon=":material/menu_book:")

shown, report_sections = wording.output_table(table.reset_index(), period, ds.currency), downloads.ReportSections()
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "measure": st.column_config.TextColumn(_("measure")), "formula": st.column_config.TextColumn(_("formula")),
    **{col: st.column_config.NumberColumn(str(name), format="%,.2f") for col, name in TABLE_COLUMNS.items()},
    "change_pct": st.column_config.NumberColumn(_("change %"), format="%+.1f")})
downloads.download_buttons(shown, _("whatif"), key="whatif_table")
with st.expander(_("How every number is computed"), icon=":material/function:"):
    st.markdown(wording.formulas_markdown(period))

tab, panel = widgets.tabs({"profit": _("Profit over time"), "sensitivity": _("Sensitivity"), "tornado": _("What matters most"),
                      "sbg": _("Young cohorts (sBG)"),
                      **({"bgnbd": _("From the purchase model")} if ds.has_purchases else {})}, key=K.tab)
with panel:
    if tab == "profit":
        report_sections.chart(cache.reuse(charts.profit,
            analysis.profit_paths(model, applied.retention, head["assumption"]),
            _("The scenario adds {amount} of profit in present value over {span}").format(
                amount=number(head["profit_change"]), span=span),
            _("{unit} from now").format(unit=UNITS_TITLE[period]),
            money_label(_("Profit {per}").format(per=per), ds.currency), (_("Today's retention"), _("Scenario"))),
            key="whatif_profit_chart")
        st.caption(_("Constant inflow: the same number of new customers every period, so better retention grows the "
                     "base. Constant base: every leaver is replaced, so better retention saves acquisition costs."))
    elif tab == "sensitivity":
        report_sections.chart(cache.reuse(charts.sensitivity,
            analysis.sensitivity(model), same["pp"], head["profit_change_pct"],
            _("Each extra point of retention {per} adds profit").format(per=per),
            _("Retention uplift, percentage points {per}").format(per=per), _("Profit change, %"), _("Your scenario")),
            key="whatif_sensitivity_chart")
    elif tab == "tornado":
        spread = analysis.tornado(model, scenario)
        report_sections.chart(cache.reuse(charts.tornado,
            spread, {k: str(v) for k, v in wording.INPUT_LABELS.items()},
            _("{input} moves the profit gain most").format(input=wording.INPUT_LABELS[spread["input"].iloc[0]]),
            _("Profit gain (present value)"), (_("Input −20 %"), _("Input +20 %"))), key="whatif_tornado_chart")
        st.caption(_("Each input moved 20 % down and up with the others fixed (retention: its churn ±20 %)."))
    elif tab == "bgnbd":
        model_tab(ds, v["margin"], v["discount"], years, per_year, [f for f in ("margin", "discount") if assumed(f)])
    else:
        sbg_tab(ds, model, table, period, report_sections)
downloads.report_button(_("What if"), [(_("Base and scenario"), shown), *report_sections], key="whatif_report")
