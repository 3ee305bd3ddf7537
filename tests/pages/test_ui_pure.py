"""cache.reuse: a pure function's result kept per process, keyed by the dataset id and the inputs' values."""

from __future__ import annotations

import pandas as pd

from retention.ui import cache

CALLS: list[int] = []


def total(frame: pd.DataFrame, column: str) -> float:
    CALLS.append(1)
    return float(frame[column].sum())


REF = f"{__name__}:total"


def test_same_inputs_same_object_other_inputs_recomputed(demo_env):
    CALLS.clear()
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]})
    first = cache._reuse("d1", REF, (frame,), {"column": "a"})
    assert first == 6 and len(CALLS) == 1
    again = cache._reuse("d1", REF, (frame.copy(),), {"column": "a"})  # an equal frame, another object
    assert again == 6 and len(CALLS) == 1
    changed = frame.assign(a=[1, 2, 4])  # one value differs: never the old result
    assert cache._reuse("d1", REF, (changed,), {"column": "a"}) == 7 and len(CALLS) == 2
    assert cache._reuse("d1", REF, (frame,), {"column": "b"}) == 15 and len(CALLS) == 3
    assert cache._reuse("d2", REF, (frame,), {"column": "a"}) == 6 and len(CALLS) == 4  # another dataset: its own


def test_figures_come_back_as_the_same_object(demo_env):
    import plotly.graph_objects as go

    from retention.charts import overview

    done = pd.DataFrame({"period_start": pd.date_range("2024-01-01", periods=3, freq="MS"), "crr_pct": [90.0, 91, 92]})
    ref = "retention.charts.overview:kept_sparkline"
    fig = cache._reuse("d1", ref, (done, "Kept (%)"), {})
    assert isinstance(fig, go.Figure) and cache._reuse("d1", ref, (done.copy(), "Kept (%)"), {}) is fig
    assert list(fig.data[0].y) == [90.0, 91, 92] and fig.layout.yaxis.title.text == "Kept (%)"
    assert overview.kept_sparkline(done, "Kept (%)").to_json() == fig.to_json()
