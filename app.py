"""Retention dashboard: the frame shared by every page (navigation, dataset picker, sharing)."""

import streamlit as st

from retention import access, config, engines, fmt, ui_text
from retention.ui import cache, connections, datasets, language, links, widgets
from retention.i18n import _

language.apply_language()  # ?lang=, this session's choice or the browser's: before any text is written
st.set_page_config(page_title=_("Retention dashboard"), page_icon=":material/monitoring:", layout="wide")

PAGES = {
    "": [
        st.Page("pages/overview.py", title=_("Overview"), icon=":material/home:", default=True),
        st.Page("pages/cohorts.py", title=_("Cohorts"), icon=":material/grid_on:", url_path="cohorts"),
        st.Page("pages/churn.py", title=_("Churn"), icon=":material/trending_down:", url_path="churn"),
        st.Page("pages/customers.py", title=_("Customers"), icon=":material/group:", url_path="customers"),
        st.Page("pages/benchmarks.py", title=_("Benchmarks"), icon=":material/leaderboard:", url_path="benchmarks"),
        st.Page("pages/whatif.py", title=_("What if"), icon=":material/calculate:", url_path="whatif"),
        st.Page("pages/impact.py", title=_("Did it work?"), icon=":material/fact_check:", url_path="impact"),
    ],
    _("Your data"): [
        st.Page("pages/data.py", title=_("Upload data"), icon=":material/upload_file:", url_path="data"),
    ],
}
EXPIRY_CHOICES = {7: ui_text.days(7), 30: ui_text.days(30), 90: ui_text.days(90), 365: _("1 year"),
                  0: _("Never (until deleted)")}

page = st.navigation(PAGES)
widgets.layout_css()
if config.require_login() and not st.user.is_logged_in:
    st.title(_("Sign in"))
    st.write(_("This dashboard is for your team only. Sign in with your organisation's account."))
    language.language_picker()
    st.button(_("Sign in"), type="primary", on_click=st.login, key="login")
    st.stop()
current = datasets.current_id()  # may show the 'gone' or password page instead, and stop
ds = datasets.dataset()

with st.sidebar:
    choices = datasets.session_datasets()
    ids = [d["id"] for d in choices]
    names = {d["id"]: d["name"] for d in choices}
    if current not in ids:
        ids.insert(0, current)
        names[current] = ds.name
    labels = datasets.distinct_labels([(i, names[i]) for i in ids])  # Streamlit maps a label back to its option
    # The picker always shows the dataset in view: a new widget whenever that dataset changes (a save, a link),
    # so a click the browser sends before it has drawn the new choice still carries the old widget's
    # unchanged value, and cannot switch back to the old dataset (tests/e2e/test_sessions.py).
    picker = f"sidebar_dataset_{current}"
    st.selectbox(_("Dataset"), ids, index=ids.index(current), format_func=labels.get, key=picker,
                 on_change=lambda: datasets.select_dataset(st.session_state[picker]),
                 help=_("The demo, the files you uploaded in this session, or a dataset someone shared with you."))
    datasets.sidebar_summary(ds)
    engine_problem = connections.engine_setting()[1]
    if engine_problem:
        st.caption(ui_text.ENGINE_SETTING_PROBLEM.format(problem=widgets.md(engines.redact(engine_problem))))

    st.caption(_("Link to this view (read-only for whoever opens it):"))
    links.share_link_slot(st.empty())  # the page fills in its controls once it has read them

    if datasets.is_owner(current):
        with st.expander(_("Manage this dataset")):
            when = access.expires_at(current)
            st.caption(_("Deleted automatically on {day}.").format(day=fmt.date(when)) if when
                       else _("Kept until you delete it."))
            days = st.selectbox(_("Keep it for"), list(EXPIRY_CHOICES), index=1, format_func=EXPIRY_CHOICES.get,
                                key="manage_expiry")
            if st.button(_("Set expiry"), key="manage_set_expiry"):
                access.set_expiry(current, days or None)
                st.rerun()
            password = st.text_input(_("Password for the link (optional)"), type="password", key="manage_password")
            if st.button(_("Set password") if password else _("Remove password"), key="manage_set_password"):
                access.set_password(current, password or None)
                st.toast(_("Password set.") if password else _("Password removed."))
            sure = st.checkbox(_("Yes, delete this dataset for everyone"), key="manage_confirm_delete")
            if st.button(_("Delete dataset"), type="primary", disabled=not sure, key="manage_delete"):
                datasets.forget_dataset(current)
                st.rerun()

    if config.require_login():
        st.divider()
        st.caption(_("Signed in as {who}").format(who=widgets.md(st.user.get('email') or st.user.get('name') or st.user.get('sub'))))
        st.button(_("Sign out"), on_click=st.logout, key="logout")
    # last in the sidebar: the widgets above keep their places (tests and habits find them by position)
    st.divider()
    language.language_picker()

cache.start_timing()
page.run()
cache.engine_caption(ds)  # which engine computed this page, and how long its queries took
