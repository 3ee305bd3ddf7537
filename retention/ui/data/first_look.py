"""Upload data page, after the validation: a first look at the file before Save, the heatmap the Cohorts page opens
with, drawn from the preview's draft (store.Draft.build: the tables that heatmap reads, which Save then does not
build again; Save builds the rest, the RFM groups among them). The rest is left to Save so that the page's run, and
its hold on the server's load slot (config.parallel_loads: one on two cores), ends with the heatmap: another
session's upload waits for that slot, and a file never saved costs no more."""

from __future__ import annotations

import streamlit as st

from retention import store
from retention.ingest.errors import IngestError
from retention.ui import cohorts_views, widgets
from retention.ui.data.save import DRAFT, FIRST_LOOK
from retention.ui_text.data import FIRST_LOOK_BUILDING, FIRST_LOOK_CAPTION, FIRST_LOOK_HEADING, QUEUED


def first_look(slot) -> None:
    """Into `slot` (a container above the Save form, filled after it is drawn): the Cohorts page's first heatmap
    of the files previewed, with a spinner while its tables build."""
    draft = st.session_state.get(DRAFT)
    if draft is None or not draft.usable:
        return
    with slot:
        waiting = st.empty()  # "queued" while other uploads hold every load slot, as for the preview
        try:
            _build_and_draw(draft, lambda step: waiting.caption(str(QUEUED)) if step == "queued" else None)
        except IngestError:  # over the load's limits: the draft is dropped, Save parses again and says so
            pass
        waiting.empty()


def _build_and_draw(draft: store.Draft, say) -> None:
    held = st.session_state.get(FIRST_LOOK)
    if held is None or held[0] != draft.path:
        with st.spinner(str(FIRST_LOOK_BUILDING)):
            draft.build(store.FIRST_LOOK, say, store.FIRST_LOOK_GRAINS)
            with draft.read() as con:
                held = st.session_state[FIRST_LOOK] = (draft.path, cohorts_views.first_heatmap(con))
    if held[1] is not None:
        st.subheader(str(FIRST_LOOK_HEADING))
        st.caption(str(FIRST_LOOK_CAPTION))
        figure, width = held[1]
        widgets.plotly_chart(figure, "data_first_look", min_width=width)
