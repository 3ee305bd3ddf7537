"""Upload data: read a purchases file and/or a customers file, check the column roles, validate, save."""

import hashlib
import json

import pandas as pd
import streamlit as st

from retention import access, config, i18n, store, ui_text
from retention.ui import datasets, downloads, links, session_uploads, widgets
from retention.fmt import number
from retention.i18n import _, ngettext
from retention.ingest import date_order, headers
from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError, MissingRoles
from retention.ingest.read import ROW
from retention.ingest.roles import detect_roles, roles_for
from retention.ingest.segments import choose_segments
from retention.ingest.upload import read_upload
from retention.ui_text import (DATA_MODEL_HELP, DATE_ORDER_ASK, DATE_ORDER_HELP, DATE_ORDER_QUESTION, DATE_ORDER_WAITING,
                               DUPLICATES_RULE, KIND_LABELS, NOTHING_USABLE_HINT, ORDER_WORDS,
                               date_forms_text, date_order_note, missing_roles, money_notes, money_warnings,
                               reject_reason,
                               repeated_header_option, repeated_header_warning, role_label, segments_left_out_note,
                               skipped_note, spelled_date)
from retention.ui_text.data import QUEUED

FILE_TYPES = ["csv", "tsv", "txt", "xlsx", "xls", "ods", "parquet", "gz", "zip"]
NONE = "— none —"  # the choice "no column" (a code: the dropdowns show it in words)

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
round_ = st.session_state.setdefault("data_round", 0)
suffix = f"_{round_}" if round_ else ""
files = {
    "purchases": uploads["purchases"].file_uploader(_("Purchases file"), type=FILE_TYPES, key=f"data_purchases_file{suffix}",
                                                    max_upload_size=config.max_upload_mb()),
    "customers": uploads["customers"].file_uploader(_("Customers file (optional)"), type=FILE_TYPES,
                                                    key=f"data_customers_file{suffix}",
                                                    max_upload_size=config.max_upload_mb()),
}


# The read file, per session (so a control change does not read it again), dropped when the session
# disconnects and after a save: a session holds at most these few read files, never one it has saved.
# A resource, not data: a large text file's rows stay in its DuckDB staging file (ingest/upload.py), which
# lives as long as this very RawTable object (a pickled copy would lose it). Keyed by the bytes' digest.
@st.cache_resource(max_entries=4, show_spinner=False, scope="session")
def _read(digest: str, name: str, sheet: str | None, _data: bytes):
    return read_upload(_data, name, sheet)


def _open(kind: str, uploaded):
    """(data, widget key prefix, RawTable or the IngestError, Prepared as detected or None). The roles the
    person already set in the dropdowns are applied, so that what one file proves about its dates
    (date_order.hints) comes from the columns in use."""
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    key = f"data_{kind}_{digest[:12]}"
    sheet = st.session_state.get(f"{key}_sheet")
    try:
        with st.spinner(_("Reading the file…")):
            raw = _read(digest, uploaded.name, sheet, data)
    except IngestError as err:
        return data, key, err, None
    chosen = {role: st.session_state.get(f"{key}_{role}") for role in roles_for(kind)}
    mapping = {role: None if c == NONE else c for role, c in chosen.items() if c is not None and (c == NONE or c in raw.columns)}
    try:
        detected = prepare(data, uploaded.name, kind, mapping=mapping or None, raw=raw)
    except IngestError:
        detected = None
    return data, key, raw, detected


def _configure(kind: str, uploaded, box, opened, hint):
    """Widgets for one file; returns its Prepared, or None when it cannot be used (or waits for an answer)."""
    data, key, raw, detected = opened
    if isinstance(raw, IngestError):
        box.error(str(raw))
        return None
    if detected is not None:
        roles, segments, dates, export = detected.roles, detected.segments, detected.dates, detected.export
        offered, left_out = detected.segment_options, detected.segments_left_out
    else:  # a role we could not find: the dropdowns below let the person choose it
        roles, segments, dates, export = detect_roles(raw.frame, kind), [], {}, None
        choice = choose_segments(raw.frame, [c for c in raw.columns if c not in roles.values()])
        offered, left_out = choice.options, choice.left_out
    info = raw.info
    box.caption(ui_text.read_as(info, export, widgets.md))
    if info.get("headerless"):
        box.info(ui_text.headerless_note(info["columns_named"]), icon=":material/table_rows:")
    if len(info.get("sheets", [])) > 1:
        box.selectbox(_("Sheet"), info["sheets"], index=info["sheets"].index(info["sheet"]), key=f"{key}_sheet")
    box.dataframe(raw.frame.drop(columns=[ROW]).head(8), hide_index=True, height=240)
    columns = [NONE] + raw.columns
    repeats = headers.repeated(info, roles)
    mapping = {}
    grid = box.columns(2)  # two a row: wide enough for column names such as "Financial Status"
    for i, role in enumerate(roles_for(kind)):
        current = roles.get(role, NONE)
        picked = grid[i % 2].selectbox(role_label(kind, role), columns, index=columns.index(current), key=f"{key}_{role}",
                                       format_func=lambda c: _("— none —") if c == NONE else
                                       repeated_header_option(c, repeats))
        mapping[role] = None if picked == NONE else picked
    for entry in headers.repeated(info, {r: c for r, c in mapping.items() if c}):
        box.warning(repeated_header_warning(entry, kind))
    used = {c for c in mapping.values() if c}
    segments = box.multiselect(_("Segment columns"), [c for c in offered if c not in used],
                               default=[c for c in segments if c not in used and c in offered], key=f"{key}_segments", placeholder=_("Choose options"),
                               help=_("Attributes to compare customers by (channel, plan, country …)."))
    if left_out:
        box.caption(segments_left_out_note(left_out))
    asked = sorted((r for r, d in dates.items() if d.order), key=lambda r: not dates[r].needs_order)
    order = None
    if asked:
        choice = dates[asked[0]]
        example = (choice.examples or ["03/04/2024"])[0]
        options = {o: f"{spelled_date(example, o)} ({ORDER_WORDS[o]})" for o in ("dmy", "mdy")}
        picked = box.radio(DATE_ORDER_QUESTION.format(example=example), list(options),
                           index=None if choice.needs_order else list(options).index(choice.order),
                           format_func=options.get, horizontal=True,
                           # a question of its own: when the other file settles it later, that answer shows
                           key=f"{key}_date_order" + ("_asked" if choice.needs_order else ""),
                           help=str(DATE_ORDER_HELP.get(choice.decided_by or "", DATE_ORDER_HELP["column"])))
        if picked is None:
            box.warning(DATE_ORDER_ASK.format(role=role_label(kind, asked[0]).lower(), column=roles.get(asked[0]),
                                              forms=date_forms_text(choice.forms, choice.forms_sampled),
                                              example=example))
            return None
        # the detected order is passed on as detected, so the report keeps why it was chosen
        order = picked if picked != choice.order or choice.needs_order else None
    try:
        return prepare(data, uploaded.name, kind, mapping=mapping, segments=segments, date_order=order, raw=raw,
                       date_hint=hint, count_statuses=st.session_state.get(f"{key}_count_statuses"),
                       currency=st.session_state.get(f"{key}_currency_code"))
    except MissingRoles as err:
        box.error(missing_roles(err.filename, kind, err.missing, "page"))
        return None
    except IngestError as err:
        box.error(str(err))
        return None


def _revenue(item: dict) -> str:
    return _(" ({amount} of revenue)").format(amount=number(item["revenue"], 2)) if item.get("revenue") is not None \
        else ""


def _judgement_choices(kind: str, report: dict) -> None:
    """The defaults a person may overrule, next to what they left out: statuses set aside (unpaid orders,
    trials) and the currency when the file holds several. Read back by _configure on the next run."""
    key = opened[kind][1]
    set_aside = [s["status"].strip().lower() for entry in report.get("skipped", [])
                 if entry["reason"] in ui_text.COUNTABLE_SKIPS for s in entry.get("statuses", [])]
    counted = report.get("counted_statuses") or []
    choices = sorted(set(counted + set_aside))  # stable while statuses move between the two lists
    if choices:
        st.multiselect(str(ui_text.COUNT_STATUSES_LABEL[kind]), choices, default=counted, key=f"{key}_count_statuses",
                       placeholder=_("Choose options"),
                       help=str(ui_text.COUNT_STATUSES_HELP[kind]))
    if counted:
        st.caption(ui_text.counted_statuses_note(counted, kind))
    money = report.get("money") or {}
    codes = list(money.get("rows_by_currency") or {})
    if len(codes) > 1 and money.get("currency") in codes:
        st.selectbox(str(ui_text.CURRENCY_LABEL), codes, index=codes.index(money["currency"]),
                     key=f"{key}_currency_code", help=str(ui_text.CURRENCY_HELP),
                     format_func=lambda c: ngettext("{code} ({n} row)", "{code} ({n} rows)",
                                                    money["rows_by_currency"][c]).format(
                         code=c, n=number(money["rows_by_currency"][c])))
        if note := ui_text.currency_choice_note(money["currency"], money.get("most_revenue")):
            st.caption(note)


opened = {kind: _open(kind, uploaded) for kind, uploaded in files.items() if uploaded is not None}
hints = date_order.hints({kind: o[3] for kind, o in opened.items()})
for kind, hint in hints.items():  # another file of this upload proves the day/month order
    data, key, raw, detected = opened[kind]
    opened[kind] = (data, key, raw, prepare(data, files[kind].name, kind, mapping=detected.roles, raw=raw,
                                            date_hint=hint))
prepared = {}
for kind, uploaded in files.items():
    if uploaded is not None:
        with uploads[kind]:
            prepared[kind] = _configure(kind, uploaded, uploads[kind].container(border=True), opened[kind],
                                        hints.get(kind))
waiting_for_dates = [kind for kind in opened if prepared.get(kind) is None
                     and opened[kind][3] is not None and date_order.undecided([opened[kind][3]])]

if saved := st.session_state.pop("data_saved", None):
    st.success(_("Saved “{name}”. It is now the dataset in view. Its link is in the sidebar: anyone with the link "
                 "can view it; you can set a password, change how long it is kept, or delete it there.").format(
        name=widgets.md(saved)))
    st.page_link("pages/overview.py", label=_("Go to the overview"), icon=":material/home:")
if not any(files.values()):
    st.info(_("Upload a purchases file, a customers file, or both. The demo dataset stays available in the sidebar."))
    st.stop()
if waiting_for_dates:  # no validation (nor save) until the person has said how to read the dates
    st.info(str(DATE_ORDER_WAITING))
    st.stop()
if not any(prepared.values()):
    st.stop()

fingerprint = json.dumps({k: [p.filename, p.roles, p.segments, [d.formats[:1] for d in p.dates.values()],
                              p.raw.row_count, p.counted_statuses, p.money.currency]
                          for k, p in prepared.items() if p} | {"language": i18n.language()}, sort_keys=True)
# the language is in the key: the preview's sentences are written in the language of the run that made it
if st.session_state.get("data_preview_key") != fingerprint:
    waiting = st.empty()
    with st.spinner(_("Checking every row…")):
        try:
            st.session_state["data_draft"] = draft = store.Draft()  # the parse kept for Save (store.Draft)
            st.session_state["data_preview"] = store.preview(
                prepared.get("purchases"), prepared.get("customers"),
                progress=lambda step: waiting.caption(str(QUEUED)) if step == "queued" else waiting.empty(), draft=draft)
        except IngestError as err:
            st.error(str(err))
            st.stop()
    st.session_state["data_preview_key"] = fingerprint
reports, rejected, duplicates = st.session_state["data_preview"]

st.subheader(_("Validation"))
for kind, report in reports.items():
    s = report["summary"]
    st.markdown(f"**{KIND_LABELS[kind]}** · {widgets.md(report['file'])}")
    m = st.columns(4)
    m[0].metric(_("Rows read"), number(s["rows_read"]))
    m[1].metric(_("Rows used"), number(s["rows_used"]))
    m[2].metric(_("Rows rejected"), number(s["rows_rejected"]))
    m[3].metric(_("Customers"), number(s["customers"]))
    notes = [ui_text.flag_note(f, _revenue(f)) for f in report.get("flags", [])]
    notes += [skipped_note(k, revenue=_revenue(k)) for k in report.get("skipped", [])]
    notes += [_("The {role} column mixes day-first and month-first dates; the minority was rejected. Check the "
                "rejected rows.").format(role=role_label(kind, role).lower())
              for role, d in report.get("dates", {}).items() if d.get("conflict")]
    notes += [n for role, d in report.get("dates", {}).items()
              if (n := date_order_note(role_label(kind, role).lower(), d))]
    if s.get("unrecognised_status"):
        notes.append(ngettext("{n} status value was not understood as active or churned.",
                              "{n} status values were not understood as active or churned.",
                              s["unrecognised_status"]).format(n=number(s["unrecognised_status"])))
    for note in notes:
        st.caption(note)
    money = report.get("money")
    for line in money_notes(money) if money else []:
        st.caption(widgets.md(line))
    for line in money_warnings(money) if money else []:
        st.warning(widgets.md(line))
    _judgement_choices(kind, report)
    if report["problems"]:
        st.dataframe(pd.DataFrame([{
            _("Problem"): reject_reason(p["reason"]), _("Column"): p["column"] or _("(whole row)"), _("Rows"): p["rows"],
            _("Example rows"): ", ".join(map(str, p["examples"]))} for p in report["problems"]]), hide_index=True)
    if report.get("unusable"):
        st.error(f"{widgets.md(report['file'])}: {widgets.md(report['unusable'])}. {NOTHING_USABLE_HINT}")
rejected_total = sum(r["summary"]["rows_rejected"] for r in reports.values())
duplicates_total = sum(f["rows"] for r in reports.values() for f in r.get("flags", [])
                       if f["flag"] == "possible_duplicate")
if len(rejected):
    with st.expander(ngettext("Download the {n} rejected row", "Download the {n} rejected rows",
                              len(rejected)).format(n=number(len(rejected))) if len(rejected) >= rejected_total else
                     ngettext("Download the first {n} of the {total} rejected rows",
                              "Download the first {n} of the {total} rejected rows", rejected_total).format(
                         n=number(len(rejected)), total=number(rejected_total))):
        downloads.download_buttons(rejected.assign(reason=rejected["reason"].map(reject_reason)), _("rejected_rows"),
                            key="data_rejected")
if len(duplicates):
    with st.expander(ngettext("Download the {n} possible duplicate (kept)", "Download the {n} possible duplicates (kept)",
                              len(duplicates)).format(n=number(len(duplicates)))
                     if len(duplicates) >= duplicates_total else
                     ngettext("Download the first {n} of the {total} possible duplicates (kept)",
                              "Download the first {n} of the {total} possible duplicates (kept)",
                              duplicates_total).format(n=number(len(duplicates)), total=number(duplicates_total))):
        downloads.download_buttons(duplicates, _("possible_duplicates"), key="data_duplicates")
unusable = any(report.get("unusable") for report in reports.values())

name = st.text_input(_("Dataset name"), value=next(p.filename for p in prepared.values() if p).rsplit(".", 1)[0],
                     key=f"data_name{suffix}", max_chars=80)  # a new box per round: each file its own name
if st.button(_("Save dataset"), type="primary", key="data_save", disabled=unusable,
             help=_("Nothing in a file above can be counted; see the message above.") if unusable else None):
    with st.status(_("Saving your dataset…"), expanded=True) as status:
        steps = {"queued": str(QUEUED), "purchases": _("Storing purchases"), "customers": _("Storing customers"),
                 "summaries": _("Precomputing summaries")}
        token = access.new_token()
        dataset_id, _reports = store.create_dataset(prepared.get("purchases"), prepared.get("customers"), name or _("Untitled"),
                                             progress=lambda step: status.write(steps.get(step, step)),
                                             owner_token=token, draft=st.session_state.get("data_draft"))
        status.update(label=_("Saved"), state="complete")
    datasets.remember_upload(dataset_id, name or _("Untitled"), token)
    st.session_state["data_saved"] = name or _("Untitled")
    st.session_state["data_round"] = round_ + 1
    for key in ("data_preview", "data_preview_key", "data_draft"):
        st.session_state.pop(key, None)
    _read.clear()
    session_uploads.drop_uploads(list(files.values()))  # the saved dataset is on disk; free the uploaded bytes now
    st.rerun()
