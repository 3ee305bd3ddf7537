"""Retention dashboard: the frame shared by every page (navigation, dataset picker, sidebar)."""

import streamlit as st

from retention import ui

st.set_page_config(page_title="Retention dashboard", page_icon=":material/monitoring:", layout="wide")

PAGES = {
    "": [
        st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
        st.Page("pages/cohorts.py", title="Cohorts", icon=":material/grid_on:", url_path="cohorts"),
        st.Page("pages/churn.py", title="Churn", icon=":material/trending_down:", url_path="churn"),
    ],
    "Your data": [
        st.Page("pages/data.py", title="Upload data", icon=":material/upload_file:", url_path="data"),
    ],
}

page = st.navigation(PAGES)

with st.sidebar:
    current = ui.current_id()
    if st.session_state.pop("dataset_missing", False):
        st.warning("The dataset in that link does not exist (it may have been deleted). Showing the demo instead.")
    choices = ui.session_datasets()
    ids = [d["id"] for d in choices]
    names = {d["id"]: d["name"] for d in choices}
    if current not in ids:
        ids.insert(0, current)
        names[current] = ui.dataset().name
    picked = st.selectbox("Dataset", ids, index=ids.index(current), format_func=lambda i: names[i],
                          key="sidebar_dataset", help="The demo, or the files you uploaded in this session.")
    if picked != current:
        ui.select_dataset(picked)
        st.rerun()
    ui.sidebar_summary(ui.dataset())

page.run()
