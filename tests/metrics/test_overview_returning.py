"""metrics.overview.returning_buyers (the Overview's buyers-per-month title) against a plain-Python reference:
a month is over when the data runs to its last day; the last such month's share of returning buyers."""

from __future__ import annotations

import calendar
import datetime as dt
import math

import pandas as pd
import pytest

from retention.metrics import overview


def reference(rows: list[tuple[dt.date, int, int]], last_date: dt.date):
    """rows: (first day of month, buyers, new buyers). Plain Python: month end from the calendar."""
    complete = [dt.date(m.year, m.month, calendar.monthrange(m.year, m.month)[1]) <= last_date for m, _, _ in rows]
    done = [r for r, ok in zip(rows, complete) if ok]
    if not done:
        return complete, None
    month, buyers, new = done[-1]
    return complete, (month, 100 * (buyers - new) / buyers if buyers else math.nan)


CASES = [
    ([(dt.date(2024, 1, 1), 10, 10), (dt.date(2024, 2, 1), 8, 3), (dt.date(2024, 3, 1), 5, 1)], dt.date(2024, 3, 15)),
    ([(dt.date(2024, 1, 1), 10, 10), (dt.date(2024, 2, 1), 8, 3)], dt.date(2024, 2, 29)),  # leap day ends February
    ([(dt.date(2024, 1, 1), 4, 4)], dt.date(2024, 1, 30)),  # no month over yet
    ([(dt.date(2023, 12, 1), 7, 2), (dt.date(2024, 1, 1), 0, 0)], dt.date(2024, 1, 31)),  # a month without buyers
]


@pytest.mark.parametrize("rows,last_date", CASES)
def test_returning_buyers_matches_the_reference(rows, last_date):
    frame = pd.DataFrame({"month": [pd.Timestamp(m) for m, _, _ in rows], "buyers": [b for _, b, _ in rows],
                          "new_buyers": [n for _, _, n in rows]})
    complete, last = overview.returning_buyers(frame, last_date)
    want_complete, want_last = reference(rows, last_date)
    assert complete.tolist() == want_complete
    if want_last is None:
        assert last is None
    else:
        assert pd.Timestamp(last["month"]).date() == want_last[0]
        assert (math.isnan(last["returning_pct"]) and math.isnan(want_last[1])) \
            or last["returning_pct"] == pytest.approx(want_last[1])


def test_a_hand_computed_share():
    """February: 8 buyers, 3 of them new, so 5 of 8 returned: 62.5%."""
    frame = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01"]), "buyers": [10, 8],
                          "new_buyers": [10, 3]})
    assert overview.returning_buyers(frame, "2024-02-29")[1]["returning_pct"] == 62.5
