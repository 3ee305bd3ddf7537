"""Upload data page, before and after the validation: the preview (every row checked, kept in the session while
the files and choices stay the same), the save, and the message after it."""

from __future__ import annotations

import json

import streamlit as st

from retention import access, i18n, store
from retention.i18n import _
from retention.ingest.errors import IngestError
from retention.ui import datasets, session_uploads, widgets
from retention.ui.data import files as file_views
from retention.ui_text.data import QUEUED, save_steps

ROUND = "data_round"  # session key: a new round after each save gives the page new, empty uploaders
SAVED = "data_saved"  # session key: the name of the dataset just saved, shown once after the rerun
PREVIEW, PREVIEW_KEY, DRAFT = "data_preview", "data_preview_key", "data_draft"
FIRST_LOOK = "data_first_look"  # session key (first_look.py): (a draft's file, (its heatmap, min width) or None)


def preview(prepared: dict) -> tuple:
    """store.preview of the usable files (kind → Prepared or None): (reports by kind, rejected rows, possible
    duplicates). Run again only when a file or a choice changed; stops the page on an IngestError."""
    # the language is in the key: the preview's sentences are written in the language of the run that made it
    fingerprint = json.dumps({k: p.choices_key() for k, p in prepared.items() if p} | {"language": i18n.language()},
                             sort_keys=True)
    if st.session_state.get(PREVIEW_KEY) != fingerprint:
        waiting, prefetch = st.empty(), st.empty()
        widgets.prefetch_chart_code(prefetch)  # the first look's chart comes after this work
        with st.spinner(_("Checking every row…")):
            try:
                st.session_state[DRAFT] = draft = store.Draft()  # the parse kept for Save (store.Draft)
                st.session_state[PREVIEW] = store.preview(
                    prepared.get("purchases"), prepared.get("customers"),
                    progress=lambda step: waiting.caption(str(QUEUED)) if step == "queued" else waiting.empty(),
                    draft=draft)
            except IngestError as err:
                prefetch.empty()
                st.error(str(err))
                st.stop()
        prefetch.empty()
        st.session_state[PREVIEW_KEY] = fingerprint
    return st.session_state[PREVIEW]


def saved_message() -> None:
    """After a save's rerun: what was saved, where its link is, and the way to the overview."""
    if saved := st.session_state.pop(SAVED, None):
        st.success(_("Saved “{name}”. It is now the dataset in view. Its link is in the sidebar: anyone with the "
                     "link can view it; you can set a password, change how long it is kept, or delete it "
                     "there.").format(name=widgets.md(saved)))
        st.page_link("pages/overview.py", label=_("Go to the overview"), icon=":material/home:")


def save_form(prepared: dict, files: dict, round_: int, unusable: bool) -> None:
    """The dataset's name and the Save button (disabled when a file has nothing usable). Saving stores the files
    (taking the preview's draft when it holds them), makes the dataset the one in view, starts a new round of
    empty uploaders and lets go of the uploaded bytes."""
    suffix = f"_{round_}" if round_ else ""
    name = st.text_input(_("Dataset name"), value=next(p.filename for p in prepared.values() if p).rsplit(".", 1)[0],
                         key=f"data_name{suffix}", max_chars=80)  # a new box per round: each file its own name
    if not st.button(_("Save dataset"), type="primary", key="data_save", disabled=unusable,
                     help=_("Nothing in a file above can be counted; see the message above.") if unusable else None):
        return
    name = name or _("Untitled")
    with st.status(_("Saving your dataset…"), expanded=True) as status:
        steps = save_steps()
        token = access.new_token()
        dataset_id, _reports = store.create_dataset(prepared.get("purchases"), prepared.get("customers"), name,
                                                    progress=lambda step: status.write(steps.get(step, step)),
                                                    owner_token=token, draft=st.session_state.get(DRAFT))
        status.update(label=_("Saved"), state="complete")
    datasets.remember_upload(dataset_id, name, token)
    st.session_state[SAVED] = name
    st.session_state[ROUND] = round_ + 1
    for key in (PREVIEW, PREVIEW_KEY, DRAFT, FIRST_LOOK):
        st.session_state.pop(key, None)
    file_views.forget_read_files()
    session_uploads.drop_uploads(list(files.values()))  # the saved dataset is on disk; free the uploaded bytes now
    st.rerun()
