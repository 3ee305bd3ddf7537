"""The day/month order of dates like 05/01/2024 across the files of one upload.

A column whose every day/month date fits both orders takes the order another date column of the same
upload proves (the purchases and customers files come from the same system): `hints(prepared)` finds
that proof, `prepare(…, date_hint=…)` applies it. When nothing proves the order of a column that mixes
forms (2024-01-05 next to 05/01/2024), the person is asked; `undecided(prepared)` lists those columns,
`require_decided` turns them into an IngestError (the CLI's exit 2 asking for --date-order).
"""

from __future__ import annotations

from collections.abc import Iterable

from retention.ingest.errors import IngestError
from retention.ui_text import date_forms_text, spelled_date

PROOF = ("column", "dotted")  # decided_by values that are evidence, not a guess or a choice


def proofs(prepared: Iterable) -> list[dict]:
    """[{order, file, column, role}] for every date column whose own cells prove its order (a day or
    month above 12 with no conflict, or dotted dates)."""
    out = []
    for p in prepared:
        if p is None:
            continue
        for role, choice in p.dates.items():
            if choice.order and choice.decided_by in PROOF and not choice.conflict:
                out.append({"order": choice.order, "file": p.filename, "column": p.roles.get(role), "role": role})
    return out


def hints(prepared: dict) -> dict[str, dict]:
    """{kind: {order, file, column}} for each Prepared (by kind) with a date column left to a guess,
    when the other date columns of the upload that prove an order all agree on it."""
    found = proofs(prepared.values())
    out = {}
    for kind, p in prepared.items():
        if p is None:
            continue
        guessed = [p.roles.get(role) for role, c in p.dates.items() if c.order and c.decided_by == "guess"]
        if not guessed:
            continue
        others = [f for f in found if (f["file"], f["column"]) not in {(p.filename, c) for c in guessed}]
        if others and len({f["order"] for f in others}) == 1:
            out[kind] = {"order": others[0]["order"], "file": others[0]["file"], "column": others[0]["column"]}
    return out


def undecided(prepared: Iterable) -> list[tuple]:
    """[(Prepared, role, DateChoice)] for the date columns that must be asked about (DateChoice.needs_order)."""
    return [(p, role, c) for p in prepared if p is not None for role, c in p.dates.items() if c.needs_order]


def require_decided(prepared: Iterable, option: str = "--date-order") -> None:
    """Raise IngestError naming the file and column of the first column that needs an order."""
    for p, role, choice in undecided(prepared):
        examples = ", ".join(choice.examples) or "05/01/2024"
        forms = date_forms_text(choice.forms, choice.forms_sampled)
        first = (choice.examples or ["05/01/2024"])[0]
        raise IngestError(
            p.filename,
            f"the day/month order of the dates is ambiguous: the column mixes date forms ({forms}) and its "
            f"dates like {examples} fit both day-first and month-first, and no date in the upload "
            f"(no day or month above 12) tells which; pass {option} dmy if {first} means {spelled_date(first, 'dmy')}, or {option} mdy "
            f"if it means {spelled_date(first, 'mdy')}",
            column=p.roles.get(role))
