"""The Upload data page's own words (the ingest's words are shared: ui_text ROLE_LABELS, REJECT_REASONS, …): the
validation's notes under each file, the download labels, the save's steps."""

from __future__ import annotations

from retention.fmt import number
from retention.i18n import L, _, ngettext
from retention.ui_text import date_order_note, flag_note, role_label, skipped_note

QUEUED = L("Other uploads are being loaded; yours starts as soon as one finishes…")


def revenue_note(item: dict) -> str:
    """' (1,250.00 of revenue)' after a flag or a set-aside note (report flags / skipped entry), '' without revenue."""
    if item.get("revenue") is None:
        return ""
    return _(" ({amount} of revenue)").format(amount=number(item["revenue"], 2))


def report_notes(kind: str, report: dict) -> list[str]:
    """The notes under one file's validation figures (a store.preview report): rows flagged and kept, rows set
    aside, date columns that mixed day-first and month-first or whose order was decided, statuses not understood."""
    notes = [flag_note(f, revenue_note(f)) for f in report.get("flags", [])]
    notes += [skipped_note(k, revenue=revenue_note(k)) for k in report.get("skipped", [])]
    dates = report.get("dates", {})
    notes += [_("The {role} column mixes day-first and month-first dates; the minority was rejected. Check the "
                "rejected rows.").format(role=role_label(kind, role).lower())
              for role, d in dates.items() if d.get("conflict")]
    notes += [n for role, d in dates.items() if (n := date_order_note(role_label(kind, role).lower(), d))]
    if unrecognised := report["summary"].get("unrecognised_status"):
        notes.append(ngettext("{n} status value was not understood as active or churned.",
                              "{n} status values were not understood as active or churned.",
                              unrecognised).format(n=number(unrecognised)))
    return notes


def currency_option(code: str, rows: int) -> str:
    """A currency in the currency choice: 'EUR (1,204 rows)'."""
    return ngettext("{code} ({n} row)", "{code} ({n} rows)", rows).format(code=code, n=number(rows))


def rejected_download(shown: int, total: int) -> str:
    """The rejected rows' download heading: all of them, or the first `shown` of `total`."""
    if shown >= total:
        return ngettext("Download the {n} rejected row", "Download the {n} rejected rows", shown).format(
            n=number(shown))
    return ngettext("Download the first {n} of the {total} rejected rows",
                    "Download the first {n} of the {total} rejected rows", total).format(
        n=number(shown), total=number(total))


def duplicates_download(shown: int, total: int) -> str:
    """The possible duplicates' download heading: all of them, or the first `shown` of `total`."""
    if shown >= total:
        return ngettext("Download the {n} possible duplicate (kept)", "Download the {n} possible duplicates (kept)",
                        shown).format(n=number(shown))
    return ngettext("Download the first {n} of the {total} possible duplicates (kept)",
                    "Download the first {n} of the {total} possible duplicates (kept)", total).format(
        n=number(shown), total=number(total))


def save_steps() -> dict[str, str]:
    """What the save's status box says at each step of store.create_dataset's progress."""
    return {"queued": str(QUEUED), "purchases": _("Storing purchases"), "customers": _("Storing customers"),
            "summaries": _("Precomputing summaries")}


FIRST_LOOK_BUILDING = L("Building the cohort heatmap…")
FIRST_LOOK_HEADING = L("First look: retention by monthly cohort")
FIRST_LOOK_CAPTION = L("The heatmap the Cohorts page opens with, from the rows checked above. Save the dataset to "
                       "see every view and change the settings.")
