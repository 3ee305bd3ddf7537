"""Upload data page, one file at a time: reading it (kept per session), the roles, segments and day/month order
the person checks, and the ingest.canonical.Prepared that comes of them."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

import streamlit as st

from retention import ui_text
from retention.i18n import _
from retention.ingest import date_order, headers
from retention.ingest.canonical import Prepared, prepare
from retention.ingest.errors import IngestError, MissingRoles
from retention.ingest.read import ROW
from retention.ingest.roles import detect_roles, roles_for
from retention.ingest.segments import choose_segments
from retention.ingest.upload import read_upload
from retention.ui import widgets
from retention.ui_text import (DATE_ORDER_ASK, DATE_ORDER_HELP, DATE_ORDER_QUESTION, ORDER_WORDS, date_forms_text,
                               missing_roles, repeated_header_option, repeated_header_warning, role_label,
                               segments_left_out_note, spelled_date)

FILE_TYPES = ["csv", "tsv", "txt", "xlsx", "xls", "ods", "parquet", "gz", "zip"]
NONE = "— none —"  # the choice "no column" (a code: the dropdowns show it in words)


class Opened(NamedTuple):
    """One uploaded file, read: its bytes, the prefix of its widgets' keys, the RawTable (or the IngestError
    reading it raised), the Prepared as detected (None when a role could not be found) and the bytes' digest."""

    data: bytes
    key: str
    raw: Any
    detected: Prepared | None
    digest: str


class Found(NamedTuple):
    """What detection proposes for a file, before the person's choices: roles, segments, date choices by role,
    the export layout, the columns offered as segments and those left out (column → why)."""

    roles: dict
    segments: list
    dates: dict
    export: str | None
    offered: list
    left_out: dict


# The read file, per session (so a control change does not read it again), dropped when the session
# disconnects and after a save: a session holds at most these few read files, never one it has saved.
# A resource, not data: a large text file's rows stay in its DuckDB staging file (ingest/upload.py), which
# lives as long as this very RawTable object (a pickled copy would lose it). Keyed by the bytes' digest.
@st.cache_resource(max_entries=4, show_spinner=False, scope="session")
def _read(digest: str, name: str, sheet: str | None, _data: bytes):
    return read_upload(_data, name, sheet)


# Session key: prepare()'s answers for the files in the uploaders now, {digest: (the RawTable, {choices: Prepared})}.
# Every rerun of the page (a widget touched, the Save button's two) asks again with the same choices, and detection
# costs ~0.15 s a file at 1M rows. Only the files still uploaded and their current RawTable are kept (open_files), so
# it holds no read file the session has let go of.
PREPARED = "data_prepared"


def _prepare(data: bytes, digest: str, name: str, kind: str, raw, **args) -> Prepared:
    """prepare(data, name, kind, raw=raw, **args), answered from this session's earlier calls when it can be."""
    memo = st.session_state.setdefault(PREPARED, {})
    if digest not in memo or memo[digest][0] is not raw:
        memo[digest] = (raw, {})
    answers = memo[digest][1]
    key = json.dumps([kind, name, args], sort_keys=True, default=str)
    if key not in answers:
        answers[key] = prepare(data, name, kind, raw=raw, **args)
    return answers[key]


def _as_detected(detected: Prepared, mapping: dict, segments=None, date_order=None, count_statuses=None,
                 currency=None) -> bool:
    """Whether prepare() with these choices gives `detected` again: every role chosen as detected, the segments
    detected, nothing else asked (the first run of the page, before the person touched a widget)."""
    return (all(detected.roles.get(role) == column for role, column in mapping.items())
            and (segments is None or list(segments) == detected.segments)
            and date_order is None and not count_statuses and currency is None)


def forget_read_files() -> None:
    """Drop the read files kept for this session (after a save: the dataset is on disk)."""
    _read.clear()
    st.session_state.pop(PREPARED, None)


def open_file(kind: str, uploaded) -> Opened:
    """Read one uploaded file and detect its layout. The roles the person already set in the dropdowns are
    applied, so that what one file proves about its dates (date_order.hints) comes from the columns in use."""
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    key = f"data_{kind}_{digest[:12]}"
    sheet = st.session_state.get(f"{key}_sheet")
    try:
        with st.spinner(_("Reading the file…")):
            raw = _read(digest, uploaded.name, sheet, data)
    except IngestError as err:
        return Opened(data, key, err, None, digest)
    chosen = {role: st.session_state.get(f"{key}_{role}") for role in roles_for(kind)}
    mapping = {role: None if c == NONE else c for role, c in chosen.items()
               if c is not None and (c == NONE or c in raw.columns)}
    try:
        detected = _prepare(data, digest, uploaded.name, kind, raw)
        if not _as_detected(detected, mapping):
            detected = _prepare(data, digest, uploaded.name, kind, raw, mapping=mapping)
    except IngestError:
        detected = None
    return Opened(data, key, raw, detected, digest)


def open_files(files: dict) -> tuple[dict[str, Opened], dict]:
    """Every uploaded file (kind → uploaded file or None) opened; a file whose day/month order another file of
    the upload proves is prepared again with that hint. Returns (Opened by kind, the hints by kind)."""
    opened = {kind: open_file(kind, uploaded) for kind, uploaded in files.items() if uploaded is not None}
    memo = st.session_state.get(PREPARED, {})
    for digest in set(memo) - {o.digest for o in opened.values()}:
        del memo[digest]
    hints = date_order.hints({kind: o.detected for kind, o in opened.items()})
    for kind, hint in hints.items():
        o = opened[kind]
        opened[kind] = o._replace(detected=_prepare(o.data, o.digest, files[kind].name, kind, o.raw,
                                                    mapping=o.detected.roles, date_hint=hint))
    return opened, hints


def waiting_for_dates(opened: dict[str, Opened], prepared: dict) -> list[str]:
    """The kinds whose file cannot be used until the person says how to read its dates."""
    return [kind for kind, o in opened.items()
            if prepared.get(kind) is None and o.detected is not None and date_order.undecided([o.detected])]


def _found(kind: str, raw, detected: Prepared | None) -> Found:
    if detected is not None:
        return Found(detected.roles, detected.segments, detected.dates, detected.export, detected.segment_options,
                     detected.segments_left_out)
    # a role we could not find: the dropdowns let the person choose it
    roles = detect_roles(raw.frame, kind)
    choice = choose_segments(raw.frame, [c for c in raw.columns if c not in roles.values()])
    return Found(roles, [], {}, None, choice.options, choice.left_out)


def configure(kind: str, uploaded, box, opened: Opened, hint) -> Prepared | None:
    """Widgets for one file in `box`; returns its Prepared, or None when it cannot be used (or waits for an
    answer about its dates)."""
    raw, key = opened.raw, opened.key
    if isinstance(raw, IngestError):
        box.error(str(raw))
        return None
    found = _found(kind, raw, opened.detected)
    _table(box, raw, found.export, key)
    mapping = _role_boxes(kind, box, raw, found.roles, key)
    segments = _segment_box(box, found, mapping, key)
    answered, order = _date_order(kind, box, found, key)
    if not answered:
        return None
    asked = {"mapping": mapping, "segments": segments, "date_order": order,
             "count_statuses": st.session_state.get(f"{key}_count_statuses"),
             "currency": st.session_state.get(f"{key}_currency_code")}
    try:
        if opened.detected is not None and _as_detected(opened.detected, **asked):
            return opened.detected  # prepared with the same hint by open_files
        return _prepare(opened.data, opened.digest, uploaded.name, kind, raw, **asked, date_hint=hint)
    except MissingRoles as err:
        box.error(missing_roles(err.filename, kind, err.missing, "page"))
    except IngestError as err:
        box.error(str(err))
    return None


def _table(box, raw, export: str | None, key: str) -> None:
    """How the file was read, its sheet (when it has several) and its first rows."""
    info = raw.info
    box.caption(ui_text.read_as(info, export, widgets.md))
    if info.get("headerless"):
        box.info(ui_text.headerless_note(info["columns_named"]), icon=":material/table_rows:")
    if len(info.get("sheets", [])) > 1:
        box.selectbox(_("Sheet"), info["sheets"], index=info["sheets"].index(info["sheet"]), key=f"{key}_sheet")
    box.dataframe(raw.frame.drop(columns=[ROW]).head(8), hide_index=True, height=240)


def _role_boxes(kind: str, box, raw, roles: dict, key: str) -> dict[str, str | None]:
    """One dropdown per role, two a row (wide enough for column names such as "Financial Status"); warnings for
    a chosen column whose header repeats. Returns role → column (None: no column)."""
    columns = [NONE] + raw.columns
    repeats = headers.repeated(raw.info, roles)
    mapping = {}
    grid = box.columns(2)
    for i, role in enumerate(roles_for(kind)):
        current = roles.get(role, NONE)
        picked = grid[i % 2].selectbox(role_label(kind, role), columns, index=columns.index(current),
                                       key=f"{key}_{role}",
                                       format_func=lambda c: _("— none —") if c == NONE else
                                       repeated_header_option(c, repeats))
        mapping[role] = None if picked == NONE else picked
    for entry in headers.repeated(raw.info, {r: c for r, c in mapping.items() if c}):
        box.warning(repeated_header_warning(entry, kind))
    return mapping


def _segment_box(box, found: Found, mapping: dict, key: str) -> list[str]:
    """The segment columns to keep (those offered and not used by a role), and why some columns are not offered."""
    used = {c for c in mapping.values() if c}
    segments = box.multiselect(_("Segment columns"), [c for c in found.offered if c not in used],
                               default=[c for c in found.segments if c not in used and c in found.offered],
                               key=f"{key}_segments", placeholder=_("Choose options"),
                               help=_("Attributes to compare customers by (channel, plan, country …)."))
    if found.left_out:
        box.caption(segments_left_out_note(found.left_out))
    return segments


def _date_order(kind: str, box, found: Found, key: str) -> tuple[bool, str | None]:
    """The question whether dates like 03/04/2024 are day or month first, when the file leaves it open or it was
    decided for the person. Returns (answered, the order to pass to prepare: None keeps the detected one)."""
    dates = found.dates
    asked = sorted((r for r, d in dates.items() if d.order), key=lambda r: not dates[r].needs_order)
    if not asked:
        return True, None
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
        box.warning(DATE_ORDER_ASK.format(role=role_label(kind, asked[0]).lower(), column=found.roles.get(asked[0]),
                                          forms=date_forms_text(choice.forms, choice.forms_sampled),
                                          example=example))
        return False, None
    # the detected order is passed on as detected, so the report keeps why it was chosen
    return True, picked if picked != choice.order or choice.needs_order else None
