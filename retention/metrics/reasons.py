"""Why customers leave: churn reasons normalised into labels, counted overall, over time, by segment,
by tenure, and weighed by the revenue that left with them.

Churned customers are those the customers file marks as churned (a cancel date, or a status value
meaning churned), plus those whose churn is unknown (no status, no cancel date) but who gave a reason.

A reason as written becomes a label in three steps (see `reason_map`):
1. `normalise`: Unicode NFKC, lower case (casefold), underscores as spaces, runs of white space as one
   space, surrounding spaces, quotes and punctuation removed;
2. the editable synonym mapping (`data/reason_synonyms.csv`, or pairs given by the caller), looked up by
   the normalised form; reasons it does not know are labelled with their most frequent spelling;
3. blanks (and placeholders the mapping sends there) → NO_REASON, an explicit bucket that is never
   dropped; with `min_share_pct` > 0, labels given by fewer than that share of churned customers fold
   into OTHER (NO_REASON never folds).

Every function takes `synonyms` (a list of [variant, label] pairs; None = the file) and `min_share_pct`,
so all views of one page use the same labels.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from retention import sql
from retention.config import PROJECT_ROOT
from retention.metrics import periods

NO_REASON = "(no reason given)"
OTHER = "Other"
SYNONYMS_FILE = PROJECT_ROOT / "data" / "reason_synonyms.csv"
TENURE_BANDS_MONTHS = (0.0, 1.0, 3.0, 6.0, 12.0, 24.0)
SMALL_SEGMENT = 30  # churned customers in a segment value below which its shares are flagged as unreliable

_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = "\"'`´‘’“”«»„.,;:!?¡¿()[]{}*。、！？：；（）「」"
_CODE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")


def normalise(text: str | None) -> str:
    """A reason as written → its comparable form ('' for blank). '  Too_EXPENSIVE! ' → 'too expensive'."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold().replace("_", " ")
    return _SPACES.sub(" ", folded).strip().strip(_EDGE_PUNCTUATION).strip()


def _tidy(text: str) -> str:
    """A spelling fit to show: NFKC, single spaces, no surrounding punctuation; 'payment_failed' →
    'Payment failed'."""
    shown = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().strip(_EDGE_PUNCTUATION).strip()
    if _CODE.fullmatch(shown):
        shown = shown.replace("_", " ").capitalize()
    return shown


def _niceness(shown: str) -> tuple[bool, bool, int, str]:
    """Sort key among equally frequent spellings: not ALL CAPS, starting with a capital, fewest capitals
    (sentence case), then A–Z."""
    return shown.isupper(), not shown[:1].isupper(), sum(ch.isupper() for ch in shown), shown


def read_synonyms(path: Path | str = SYNONYMS_FILE) -> list[list[str]]:
    """The synonym mapping file → [[variant, label], …] (header and # comment lines skipped)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].lstrip().startswith("#")]
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == ["variant", "reason"]:
        rows = rows[1:]
    return [[row[0], row[1].strip()] for row in rows if len(row) >= 2 and row[1].strip()]


@functools.cache
def _default_synonyms() -> tuple[tuple[str, str], ...]:
    return tuple(tuple(pair) for pair in read_synonyms())


def label_map(raw: pd.DataFrame, synonyms: list[list[str]] | None = None,
              min_share_pct: float = 0.0) -> pd.DataFrame:
    """Pure part of `reason_map`. In: raw (text as written, '' for blank), churned (count).
    Out: raw, reason (label), churned — one row per raw value."""
    pairs = _default_synonyms() if synonyms is None else synonyms
    lookup = {normalise(variant): label.strip() for variant, label in pairs if label and label.strip()}
    for label in set(lookup.values()):
        lookup.setdefault(normalise(label), label)  # a label written another way is that label
    frame = raw[["raw", "churned"]].copy()
    frame["key"] = frame["raw"].map(normalise)
    frame["mapped"] = frame["key"].map(lambda key: NO_REASON if key == "" else lookup.get(key))
    # Unmapped keys: label = the most frequent spelling among the raw values sharing that key.
    spellings = (frame[frame["mapped"].isna()].assign(shown=lambda f: f["raw"].map(_tidy))
                 .groupby(["key", "shown"], as_index=False)["churned"].sum())
    spellings["nice"] = spellings["shown"].map(_niceness)
    spelling = (spellings.sort_values(["key", "churned", "nice"], ascending=[True, False, True])
                .drop_duplicates("key").set_index("key")["shown"])
    frame["reason"] = frame["mapped"].fillna(frame["key"].map(spelling))
    if min_share_pct > 0:
        totals = frame.groupby("reason")["churned"].sum()
        rare = totals[100 * totals / totals.sum() < min_share_pct].index.difference([NO_REASON])
        frame.loc[frame["reason"].isin(rare), "reason"] = OTHER
    return frame[["raw", "reason", "churned"]].reset_index(drop=True)


def reason_map(con, *, synonyms: list[list[str]] | None = None, min_share_pct: float = 0.0) -> pd.DataFrame:
    """raw (reason as written, '' for blank), reason (label), churned (customers) for every distinct raw
    reason among churned customers."""
    return label_map(sql.frame(con, "reasons_raw"), synonyms, min_share_pct)


def _lists(con, synonyms, min_share_pct) -> dict[str, list[str]]:
    mapping = reason_map(con, synonyms=synonyms, min_share_pct=min_share_pct)
    return {"raw_values": mapping["raw"].tolist(), "reasons": mapping["reason"].tolist()}


def _order(reasons: pd.Series, counts: pd.Series) -> list[str]:
    """Labels by count, largest first, with OTHER last (Pareto order)."""
    totals = counts.groupby(reasons).sum().sort_values(ascending=False, kind="stable")
    return [r for r in totals.index if r != OTHER] + ([OTHER] if OTHER in totals.index else [])


def reason_counts(con, *, synonyms: list[list[str]] | None = None, min_share_pct: float = 0.0) -> pd.DataFrame:
    """Pareto table. Out: reason, churned, share_pct (of all churned), cumulative_pct; largest first,
    OTHER last. Empty when no customer churned."""
    counts = sql.frame(con, "reasons_counts", segment=None, **_lists(con, synonyms, min_share_pct))
    counts = counts.groupby("reason", as_index=False)["churned"].sum()
    order = _order(counts["reason"], counts["churned"])
    counts = counts.set_index("reason").loc[order].reset_index()
    total = counts["churned"].sum()
    counts["share_pct"] = 100 * counts["churned"] / total if total else np.nan
    counts["cumulative_pct"] = counts["share_pct"].cumsum()
    return counts[["reason", "churned", "share_pct", "cumulative_pct"]]


def reasons_by_segment(con, *, segment: str, synonyms: list[list[str]] | None = None,
                       min_share_pct: float = 0.0) -> pd.DataFrame:
    """Reasons within each value of one segment attribute, with over/under-representation.

    Out: segment (value; NaN for churned customers without one), reason, churned, segment_churned,
    share_pct (of the segment value's churned), overall_share_pct (of all churned), index (100 ×
    share / overall share: 150 = the reason is 1.5× as common in this segment as overall), residual
    (adjusted standardised residual of the segment × reason table; beyond ±2 is unlikely to be chance),
    small (segment value has fewer than SMALL_SEGMENT churned customers). Every (segment, reason) pair
    appears, with churned 0 where nobody in the segment gave the reason.
    """
    counts = sql.frame(con, "reasons_counts", segment=segment, **_lists(con, synonyms, min_share_pct))
    if counts.empty:
        return pd.DataFrame(columns=["segment", "reason", "churned", "segment_churned", "share_pct",
                                     "overall_share_pct", "index", "residual", "small"])
    table = counts.pivot_table(index="segment", columns="reason", values="churned", aggfunc="sum",
                               fill_value=0, dropna=False)
    table = table[_order(counts["reason"], counts["churned"])]
    total = table.to_numpy().sum()
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    long = table.stack().rename("churned").reset_index()
    long["segment_churned"] = long["segment"].map(rows).astype(int)
    reason_total = long["reason"].map(cols).astype(float)
    long["share_pct"] = 100 * long["churned"] / long["segment_churned"]
    long["overall_share_pct"] = 100 * reason_total / total
    long["index"] = 100 * long["share_pct"] / long["overall_share_pct"]
    expected = long["segment_churned"] * reason_total / total
    spread = np.sqrt(expected * (1 - long["segment_churned"] / total) * (1 - reason_total / total))
    with np.errstate(divide="ignore", invalid="ignore"):
        long["residual"] = np.where(spread > 0, (long["churned"] - expected) / spread, np.nan)
    long["small"] = long["segment_churned"] < SMALL_SEGMENT
    long["segment"] = long["segment"].astype(object).where(long["segment"].notna(), np.nan)
    return long.astype({"churned": int})


def reasons_over_time(con, *, period: str = "month", as_of: str | None = None,
                      synonyms: list[list[str]] | None = None, min_share_pct: float = 0.0) -> pd.DataFrame:
    """Churned customers per reason and calendar period of the churn date (churns known only from a
    status column have no date and are not here). as_of: ISO date; None = the data's last day.
    Out: period_start, complete (the whole period lies on or before as_of), reason, churned, share_pct
    (of that period's dated churns); every reason appears in every period (0 where none)."""
    periods.check_period(period)
    as_of = periods.resolve_as_of(con, as_of)
    frame = sql.frame(con, "reasons_over_time", period=period, step=periods.STEPS[period], as_of=as_of,
                      **_lists(con, synonyms, min_share_pct))
    if frame.empty:
        return frame.assign(share_pct=pd.Series(dtype=float))
    complete = frame.groupby("period_start")["complete"].first()
    wide = frame.pivot_table(index="period_start", columns="reason", values="churned", aggfunc="sum", fill_value=0)
    wide = wide[_order(frame["reason"], frame["churned"])]
    long = wide.stack().rename("churned").reset_index()
    long["complete"] = long["period_start"].map(complete)
    long["share_pct"] = 100 * long["churned"] / long.groupby("period_start")["churned"].transform("sum")
    return long[["period_start", "complete", "reason", "churned", "share_pct"]]


def reasons_by_tenure(con, *, band_edges: list[float] = list(TENURE_BANDS_MONTHS),
                      synonyms: list[list[str]] | None = None, min_share_pct: float = 0.0) -> pd.DataFrame:
    """Reason × tenure. Tenure = months (30.4375 days) from signup (else first purchase) to churn date,
    else the file's tenure column in months. band_edges: ascending lower edges in months, from 0.
    Out: reason, band_no (1-based; NaN = tenure unknown), band_from_months, band_to_months (NaN = open),
    churned, share_pct (of the reason's churned customers), reason_churned, reason_median_months."""
    edges = [float(e) for e in band_edges]
    if not edges or edges[0] != 0 or any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError("band_edges must start at 0 and increase")
    frame = sql.frame(con, "reasons_tenure", band_edges=edges, **_lists(con, synonyms, min_share_pct))
    frame["share_pct"] = 100 * frame["churned"] / frame["reason_churned"]
    order = {r: i for i, r in enumerate(_order(frame["reason"], frame["churned"]))}
    frame = frame.sort_values(["reason", "band_no"], key=lambda s: s.map(order) if s.name == "reason" else s,
                              na_position="last", ignore_index=True)
    return frame[["reason", "band_no", "band_from_months", "band_to_months", "churned", "share_pct",
                  "reason_churned", "reason_median_months"]]


def lost_revenue_by_reason(con, *, period: str = "month", synonyms: list[list[str]] | None = None,
                           min_share_pct: float = 0.0) -> pd.DataFrame:
    """Revenue per period that left, per reason: each churned customer's revenue to date divided by the
    number of calendar periods from their first purchase to their churn date (else last purchase), both
    included, summed per reason. Needs purchases with amounts (all zeros otherwise).
    Out: reason, churned, with_purchases, revenue_to_date, lost_per_period, avg_per_customer,
    share_pct (of all lost_per_period); largest loss first."""
    periods.check_period(period)
    frame = sql.frame(con, "reasons_lost_revenue", period=period, **_lists(con, synonyms, min_share_pct))
    total = frame["lost_per_period"].sum()
    frame["share_pct"] = 100 * frame["lost_per_period"] / total if total else np.nan
    return frame
