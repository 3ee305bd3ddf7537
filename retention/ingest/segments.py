"""Which kept columns to offer as segments, and which few to preselect.

Never offered: outcome columns (roles.is_outcome_column: churn label, score, reason, status, cancel dates…),
money columns (a plan price or monthly charge is revenue per period, not a group), identifiers and
near-unique columns, and columns with one value or more than MAX_VALUES. Preselected: at most MAX_DEFAULTS
of the offered columns with 2–MAX_DEFAULT_VALUES values and at least MIN_COVERAGE non-blank cells, the
most useful first (a header naming a usual segment such as plan or channel, then the most even spread over
up to six groups), listed in file order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from retention.ingest.roles import is_outcome_column, normalise

MAX_VALUES = 60
MAX_DEFAULTS = 4
MAX_DEFAULT_VALUES = 12
MIN_COVERAGE = 0.8
NEAR_UNIQUE = 0.5  # more than 12 distinct values and more than this share of the filled cells: an identifier
SAMPLE_ROWS = 20_000

MONEY_WORDS = ("amount", "charge", "charges", "price", "revenue", "mrr", "arr", "spent", "spend", "total", "fee",
               "fees", "cost", "balance", "subtotal", "sales")
IDENTIFIER_WORDS = ("id", "email", "e mail", "phone", "zip", "zip code", "postal code", "postcode", "address",
                    "address1", "address2", "latitude", "longitude", "lat long", "name", "first name", "last name",
                    "uuid", "number", "sku")
USEFUL_WORDS = ("plan", "tier", "channel", "source", "contract", "country", "region", "segment", "type", "category",
                "payment method", "acquisition", "campaign", "product", "interval", "market", "industry")


@dataclass
class SegmentChoice:
    options: list[str] = field(default_factory=list)  # offered, in file order
    defaults: list[str] = field(default_factory=list)  # preselected (a subset of options), in file order
    left_out: dict[str, str] = field(default_factory=dict)  # column → 'outcome' | 'money' (said on the upload page)


def _has_word(norm: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"(^| ){re.escape(w)}( |$)", norm) for w in words)


def choose_segments(frame: pd.DataFrame, columns: list[str]) -> SegmentChoice:
    """Offered and preselected segment columns among `columns` of `frame` (text cells, '' = blank)."""
    sample = frame.head(SAMPLE_ROWS)
    choice = SegmentChoice()
    scored = []
    for column in columns:
        cells = sample[column].astype(str).str.strip()
        values = cells[cells != ""]
        norm = normalise(column)
        distinct = values.nunique()
        if is_outcome_column(column, values.unique()[:MAX_VALUES + 1]):
            if distinct:  # a blank column is not worth naming
                choice.left_out[column] = "outcome"
            continue
        identifier = any(re.search(rf"(^| ){re.escape(w)}$", norm) for w in IDENTIFIER_WORDS)  # 'Billing Zip', not 'Phone Service'
        if (identifier and not _has_word(norm, USEFUL_WORDS)) or not 2 <= distinct <= MAX_VALUES \
                or distinct >= len(values) or (distinct > MAX_DEFAULT_VALUES and distinct > NEAR_UNIQUE * len(values)):
            continue
        if _has_word(norm, MONEY_WORDS):  # named only when it would otherwise have been offered
            choice.left_out[column] = "money"
            continue
        choice.options.append(column)
        coverage = len(values) / len(cells) if len(cells) else 0.0
        if distinct <= MAX_DEFAULT_VALUES and coverage >= MIN_COVERAGE:
            shares = values.value_counts(normalize=True)
            spread = min(-sum(p * math.log2(p) for p in shares), math.log2(6))
            scored.append((_has_word(norm, USEFUL_WORDS), spread, -columns.index(column), column))
    best = {c for *_, c in sorted(scored, reverse=True)[:MAX_DEFAULTS]}
    choice.defaults = [c for c in choice.options if c in best]
    return choice
