"""What-if: "+X retention → how much more profit?", from the dataset's own retention, revenue and costs."""

import streamlit as st

from retention import fmt, state
from retention.ui import datasets, downloads, links, widgets
from retention.i18n import _
from retention.scenarios import clv
from retention.ui_text import whatif as wording
from retention.scenarios.scenario import KINDS, R_CAP, Scenario, apply, equivalents
from retention.ui_text.whatif import TABLE_COLUMNS
from retention.ui.whatif_inputs import (assumed, input_boxes, measure, measured_note, model_inputs, reason_scenario,
                                        reason_shares)
from retention.ui.whatif_views import (headline_figures, model_tab, profit_tab, sbg_tab, sensitivity_tab,
                                       tornado_tab)

K = state.keys(state.WhatIf)

ds = datasets.dataset()
st.title(_("What if customers stayed longer?"))
st.caption(_("Turns your measured retention, revenue and costs into the profit effect of keeping customers longer. "
             "Every input can be edited; values measured from the data are marked *measured*. "
             "The scenario and the inputs are saved in the page's link."))
links.page_state(state.WhatIf, state.whatif_limits(lambda p: measure(ds, p), lambda: reason_shares(ds)["reason"].tolist()))
period = st.segmented_control(_("Period of the model"), list(clv.PERIODS_PER_YEAR), required=True, key=K.period,
                              format_func=lambda p: str(wording.PERIOD_NAMES.get(p, p)))
measured = measure(ds, period)
per = wording.PER[period]
measured_note(ds, period, measured)
v = input_boxes(ds.currency, per, measured)
years = v["years"]
model = model_inputs(v, period)

kind = st.segmented_control(_("Scenario"), KINDS, required=True, key=K.kind,
                            format_func=lambda k: str(wording.KIND_LABELS[k]))
c = st.columns([1, 2, 2])
x = c[0].number_input("X", -100.0, 100.0, step=0.5, key=K.x)
scenario = Scenario(kind, x, periods_per_year=model.periods_per_year)
if kind == "reason":
    scenario = reason_scenario(ds, x, c[1])
    if scenario is None:
        st.stop()
applied = apply(model.retention, scenario)
same = equivalents(model.retention, applied.retention, model.periods_per_year)
per_year = tuple(clv.annual_retention(r, model.periods_per_year) for r in (model.retention, applied.retention))
st.markdown(wording.scenario_summary(kind, x, period, scenario.reason and widgets.md(scenario.reason), model.retention,
                                     applied.retention, same, per_year))
note = wording.assumed_note({k: v[k] for k in wording.ASSUMED if assumed(k)})
if note:
    st.markdown(note)
if applied.capped:
    st.warning(_("That scenario reaches {pct} retention {per}; nobody keeps every customer, so it is capped at "
                 "{cap}.").format(pct=fmt.percent(100 * applied.uncapped), per=per, cap=fmt.percent(100 * R_CAP)))

table = clv.compare(model, applied.retention).set_index("output")
head = clv.headline(model, applied.retention)
span = wording.span(years)
headline_figures(ds, model, applied.retention, table, head, span)
st.info(_("**Published: “+5 % retention → +25–95 % profit”.**") + " "
        + wording.published_explanation(clv.published_comparison(model, applied.retention)), icon=":material/menu_book:")

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
        profit_tab(ds.currency, model, applied.retention, head, span, report_sections)
    elif tab == "sensitivity":
        sensitivity_tab(model, same["pp"], head["profit_change_pct"], report_sections)
    elif tab == "tornado":
        tornado_tab(model, scenario, report_sections)
    elif tab == "bgnbd":
        model_tab(ds, v["margin"], v["discount"], years, per_year, [f for f in ("margin", "discount") if assumed(f)])
    else:
        sbg_tab(ds, model, table, period, report_sections)
downloads.report_button(_("What if"), [(_("Base and scenario"), shown), *report_sections], key="whatif_report")
