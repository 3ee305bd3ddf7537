"""Upload data: read a purchases file and/or a customers file, check the column roles, validate, save."""

import streamlit as st

from retention import config
from retention.i18n import _
from retention.ui import links, session_uploads
from retention.ui.data import files as file_views
from retention.ui.data import first_look, save, validation
from retention.ui_text import DATA_MODEL_HELP, DATE_ORDER_WAITING, DUPLICATES_RULE

links.route_through_app()  # a deep link to this page on a fresh server must still run through app.py
session_uploads.release_uploads_when_session_ends()
st.title(_("Upload your data"))
st.caption(_("Drop an export from your shop, billing or CRM tool. Nothing is saved until you press **Save dataset**; "
             "saved datasets are private to whoever has their link."))
with st.expander(_("What files can I upload?")):
    st.markdown(str(DATA_MODEL_HELP))
    st.markdown(str(DUPLICATES_RULE))

uploads = dict(zip(("purchases", "customers"), st.columns(2)))
# A new round after each save empties the uploaders, so the server lets go of the files' bytes.
round_ = st.session_state.setdefault(save.ROUND, 0)
suffix = f"_{round_}" if round_ else ""
files = {
    "purchases": uploads["purchases"].file_uploader(_("Purchases file"), type=file_views.FILE_TYPES,
                                                    key=f"data_purchases_file{suffix}",
                                                    max_upload_size=config.max_upload_mb()),
    "customers": uploads["customers"].file_uploader(_("Customers file (optional)"), type=file_views.FILE_TYPES,
                                                    key=f"data_customers_file{suffix}",
                                                    max_upload_size=config.max_upload_mb()),
}

opened, hints = file_views.open_files(files)
prepared = {}
for kind, uploaded in files.items():
    if uploaded is not None:
        with uploads[kind]:
            prepared[kind] = file_views.configure(kind, uploaded, uploads[kind].container(border=True), opened[kind],
                                                  hints.get(kind))

save.saved_message()
if not any(files.values()):
    st.info(_("Upload a purchases file, a customers file, or both. The demo dataset stays available in the sidebar."))
    st.stop()
if file_views.waiting_for_dates(opened, prepared):  # no validation (nor save) until the dates can be read
    st.info(str(DATE_ORDER_WAITING))
    st.stop()
if not any(prepared.values()):
    st.stop()

reports, rejected, duplicates = save.preview(prepared)
st.subheader(_("Validation"))
for kind, report in reports.items():
    validation.file_report(kind, report, opened[kind].key)
validation.row_downloads(reports, rejected, duplicates)
look = st.container()  # filled after the Save form is drawn: Save can be pressed while the first look builds
save.save_form(prepared, files, round_, unusable=any(report.get("unusable") for report in reports.values()))
first_look.first_look(look)
