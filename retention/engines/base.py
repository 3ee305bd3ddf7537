"""What every engine object shares: the record of its last query (shown in the UI and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """How the last query went: which query, on what, how long (seconds)."""

    query: str
    engine: str
    seconds: float
