"""The What-if page's inputs (pages/whatif.py calls them): the values measured from the dataset and what they are
measured over, the input boxes tagged measured / assumed / yours, and the churn reason of a reason scenario."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import fmt, state, ui_text
from retention.fmt import number
from retention.i18n import _
from retention.metrics import churn, reasons
from retention.scenarios import clv, inputs, tenure
from retention.scenarios.scenario import R_CAP, Scenario
from retention.ui import cache
from retention.ui_text import whatif as wording
from retention.ui_text.whatif import BASES, input_fields

K = state.keys(state.WhatIf)


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
    """reasons.reason_counts (reason, share_pct, …); no rows without a customers file."""
    return cache.cached(reasons.reason_counts, ds) if ds.has_customers else pd.DataFrame({"reason": []})


def measured_note(ds, period: str, measured: dict) -> None:
    """What the measured inputs rest on (the periods, or tenure), or why retention cannot be measured."""
    if measured.get("basis") == tenure.BASIS:
        st.info(ui_text.whatif_from_tenure(measured, period), icon=":material/hourglass_bottom:")
    elif measured:
        st.caption(_("Measured over {n} complete periods ({unit}) up to {day} ({basis} basis, as on the Churn "
                     "page).").format(n=number(measured["periods_used"]), unit=wording.UNITS[period],
                                      day=fmt.date(measured["as_of"]),
                                      basis=BASES.get(measured["basis"], measured["basis"])))
        if not measured["has_amounts"]:
            st.info(_("The purchases have no amounts, so revenue per customer is not measured: type your own."))
    else:
        try:
            cache.cached(inputs.measure, ds, period=period)
        except churn.NoChurnData as exc:
            st.warning(_("Retention cannot be measured from this dataset ({problem}); type your own numbers "
                         "below.").format(problem=exc))


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


def input_boxes(currency: str | None, per: str, measured: dict) -> dict[str, float]:
    """The input boxes in an expander; returns their values by field of state.WhatIf."""
    values = {}
    with st.expander(_("Inputs"), expanded=True, icon=":material/tune:"):
        cols = st.columns(4)
        for i, (name, label, top, step, form, tip) in enumerate(input_fields(per, currency, R_CAP)):
            shown = tagged(label, name, measured) if name in state.MEASURED else \
                f"{label} ({wording.ASSUMED_TAG})" if assumed(name) else label
            values[name] = cols[i % 4].number_input(shown, 0.0, top, step=step, format=form,
                                                    key=state.widget_key(state.WhatIf, name), help=tip)
    return values


def model_inputs(values: dict[str, float], period: str) -> clv.Inputs:
    """The model's inputs from the boxes' values (input_boxes), per period of the model."""
    return clv.Inputs(values["active"], values["retention"] / 100, values["arpu"], values["margin"], values["cac"],
                      values["new"], values["discount"], period, clv.horizon_periods(values["years"], period),
                      values["growth"], values["programme"])


def reason_scenario(ds, x: float, where) -> Scenario | None:
    """The reason scenario: the churn reason picked in `where` (a column) with its share of churn; None (and a
    note) when the dataset has no churn reasons."""
    shares = reason_shares(ds)
    if shares.empty:
        st.info(_("This dataset has no churn reasons; pick another scenario type."))
        return None
    reason = where.selectbox(_("Churn reason"), shares["reason"].tolist(), key=K.reason)
    return Scenario("reason", x, reason, float(shares.set_index("reason").loc[reason, "share_pct"]) / 100)
