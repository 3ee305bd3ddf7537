"""Upload data page, the validation: per file what would be saved (rows read, used, rejected, customers), its
notes and problems, the statuses and currency the person may overrule; the rejected rows and possible duplicates
to download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from retention import ui_text
from retention.fmt import number
from retention.i18n import _
from retention.ingest.statuses import countable_choices
from retention.ui import downloads, widgets
from retention.ui_text import KIND_LABELS, NOTHING_USABLE_HINT, money_notes, money_warnings, reject_reason
from retention.ui_text.data import currency_option, duplicates_download, rejected_download, report_notes


def file_report(kind: str, report: dict, key: str) -> None:
    """One file's validation (a store.preview report); `key`: the prefix of the file's widget keys."""
    s = report["summary"]
    st.markdown(f"**{KIND_LABELS[kind]}** · {widgets.md(report['file'])}")
    m = st.columns(4)
    m[0].metric(_("Rows read"), number(s["rows_read"]))
    m[1].metric(_("Rows used"), number(s["rows_used"]))
    m[2].metric(_("Rows rejected"), number(s["rows_rejected"]))
    m[3].metric(_("Customers"), number(s["customers"]))
    for note in report_notes(kind, report):
        st.caption(note)
    money = report.get("money")
    for line in money_notes(money) if money else []:
        st.caption(widgets.md(line))
    for line in money_warnings(money) if money else []:
        st.warning(widgets.md(line))
    judgement_choices(kind, report, key)
    if report["problems"]:
        st.dataframe(pd.DataFrame([{
            _("Problem"): reject_reason(p["reason"]), _("Column"): p["column"] or _("(whole row)"),
            _("Rows"): p["rows"], _("Example rows"): ", ".join(map(str, p["examples"]))}
            for p in report["problems"]]), hide_index=True)
    if report.get("unusable"):
        st.error(f"{widgets.md(report['file'])}: {widgets.md(report['unusable'])}. {NOTHING_USABLE_HINT}")


def judgement_choices(kind: str, report: dict, key: str) -> None:
    """The defaults a person may overrule, next to what they left out: statuses set aside (unpaid orders,
    trials) and the currency when the file holds several. files.configure reads them back on the next run."""
    counted = report.get("counted_statuses") or []
    if choices := countable_choices(report, ui_text.COUNTABLE_SKIPS):
        st.multiselect(str(ui_text.COUNT_STATUSES_LABEL[kind]), choices, default=counted, key=f"{key}_count_statuses",
                       placeholder=_("Choose options"), help=str(ui_text.COUNT_STATUSES_HELP[kind]))
    if counted:
        st.caption(ui_text.counted_statuses_note(counted, kind))
    money = report.get("money") or {}
    rows = money.get("rows_by_currency") or {}
    if len(rows) > 1 and money.get("currency") in rows:
        codes = list(rows)
        st.selectbox(str(ui_text.CURRENCY_LABEL), codes, index=codes.index(money["currency"]),
                     key=f"{key}_currency_code", help=str(ui_text.CURRENCY_HELP),
                     format_func=lambda c: currency_option(c, rows[c]))
        if note := ui_text.currency_choice_note(money["currency"], money.get("most_revenue")):
            st.caption(note)


def row_downloads(reports: dict, rejected: pd.DataFrame, duplicates: pd.DataFrame) -> None:
    """The rejected rows and the possible duplicates (the first store.PREVIEW_ROWS of each) to download, each
    heading saying when the reports count more."""
    if len(rejected):
        total = sum(r["summary"]["rows_rejected"] for r in reports.values())
        with st.expander(rejected_download(len(rejected), total)):
            downloads.download_buttons(rejected.assign(reason=rejected["reason"].map(reject_reason)),
                                       _("rejected_rows"), key="data_rejected")
    if len(duplicates):
        total = sum(f["rows"] for r in reports.values() for f in r.get("flags", [])
                    if f["flag"] == "possible_duplicate")
        with st.expander(duplicates_download(len(duplicates), total)):
            downloads.download_buttons(duplicates, _("possible_duplicates"), key="data_duplicates")
