"""The Churn page's views that are more than a few widgets (pages/churn.py calls them): the lead, the reasons,
the drivers and the win-back list. Each takes the page's `View`: the dataset, the chosen controls, the measured
frame and the report the page collects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class View:
    """What the Churn page chose and measured. `info`: the one-row churn.basis_info (None for files without
    dates, then the controls keep their defaults and frame/summary/params are None); `frame`: churn.retention_by_period
    (one row per period); `summary`: churn.crr_summary of it; `params`: the period/basis/inactive_days/as_of the
    queries take; `segments`: the dataset's segment attributes; `report`: downloads.ReportSections."""

    ds: Any
    report: Any
    segments: list
    info: Any = None
    period: str = "month"
    basis: str = "customers"
    days: int = 0
    as_of: str | None = None
    frame: pd.DataFrame | None = None
    summary: dict | None = None
    params: dict | None = None
