"""The cohort heatmap shows each cell in exactly one layer (complete, small sample, incomplete), at its
cohort and period, with its text and hover; checked against a plain pandas pivot of the same cells."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import plotly.io as pio

from retention.charts import cohorts as charts

LABELS = {"x": "Months after (k)", "y": "Cohort", "sizes": "Cohort size", "colorbar": "%",
          "hover": "{cohort}, {k}: {active} of {size} = {value}{note}", "incomplete": " · open",
          "small": " · few"}


def cells(seed: int = 7) -> pd.DataFrame:
    """A ragged triangle: 6 cohorts, the later ones reaching fewer periods; random activity; the last period
    of each cohort incomplete; cohorts smaller than 40 customers flagged small; one hostile label."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(6):
        size = int(rng.integers(10, 120))
        label = f"<b>C{c}</b>" if c == 2 else f"C{c}"
        for k in range(6 - c):
            active = size if k == 0 else int(rng.integers(0, size + 1))
            rows.append({"cohort_label": label, "period": k, "cohort_size": size, "active": active,
                         "revenue": float(active * 10), "retention_pct": 100 * active / size,
                         "ci_low_pct": 1.0, "ci_high_pct": 99.0, "complete": k < 5 - c, "small": size < 40})
    return pd.DataFrame(rows)


def _array(value) -> np.ndarray:
    """A plotly figure-JSON array: a list, or (plotly ≥ 6) {'dtype', 'bdata': base64, 'shape'}."""
    if isinstance(value, dict):
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return flat.reshape([int(n) for n in value["shape"].split(",")]) if "shape" in value else flat
    return np.array([[np.nan if v is None else v for v in row] for row in value] if value and isinstance(
        value[0], list) else value, dtype=object)


def _grid(frame: pd.DataFrame, column: str, order: list[str], periods: int) -> np.ndarray:
    return frame.pivot(index="cohort_label", columns="period", values=column).reindex(
        index=order, columns=range(periods)).to_numpy(dtype=object)


def test_each_cell_is_in_one_layer_at_its_place():
    frame = cells()
    spec = json.loads(pio.to_json(charts.heatmap(frame, "pct", LABELS, "Title"), validate=False))
    layers = [t for t in spec["data"] if t["type"] == "heatmap"]
    order = list(dict.fromkeys(frame["cohort_label"]))
    assert [html for html in layers[0]["y"]] == [o.replace("<", "&lt;").replace(">", "&gt;") for o in order]
    masks = [frame["complete"], ~frame["complete"]]  # small cells are in their layer too, outlined (below)
    for layer, mask in zip(layers, masks):
        z = _array(layer["z"]).astype(float)
        want = _grid(frame[mask], "retention_pct", order, 6).astype(float)
        np.testing.assert_allclose(z, want)  # NaN where the cell is in another layer or not reached
        text = np.array(layer["text"], dtype=object)
        assert (text[~np.isnan(want)] == [f"{v:.0f}%" for v in want[~np.isnan(want)]]).all()
        assert (text[np.isnan(want)] == "").all()
    hover = np.array(layers[1]["customdata"], dtype=object)
    row = frame[masks[1]].iloc[0]
    i, k = order.index(row.cohort_label), int(row.period)
    assert hover[i, k] == f"{row.cohort_label}, {k}: {row.active:,} of {row.cohort_size:,} = " \
                          f"{row.retention_pct:.0f}% · open".replace("<", "&lt;").replace(">", "&gt;")
    # the colour scale leaves out period 0 (100% by definition); the side column has each cohort's size once
    later = frame.loc[frame["period"] > 0, "retention_pct"]
    assert (layers[0]["zmin"], layers[0]["zmax"]) == (later.min(), later.max())
    bar = next(t for t in spec["data"] if t["type"] == "bar")
    sizes = frame.drop_duplicates("cohort_label")["cohort_size"].tolist()
    assert list(_array(bar["x"])) == sizes
    assert spec["layout"]["yaxis"]["autorange"] == "reversed" and spec["layout"]["yaxis2"]["matches"] == "y"


def test_counts_and_an_empty_frame():
    frame = cells(3)
    spec = json.loads(pio.to_json(charts.heatmap(frame, "count", LABELS, "T"), validate=False))
    shown = [v for t in spec["data"] if t["type"] == "heatmap" for row in t["text"] for v in row if v]
    assert sorted(shown) == sorted(f"{a:,}" for a in frame["active"])
    empty = charts.heatmap(frame.iloc[0:0], "pct", LABELS, "Nothing")
    assert all(len(t.z) == 0 for t in empty.data if t.type == "heatmap")


def _spec(frame: pd.DataFrame, measure: str = "pct") -> dict:
    return json.loads(pio.to_json(charts.heatmap(frame, measure, LABELS, "T"), validate=False))


def _outlined(spec: dict, order: list[str]) -> set[tuple[str, int]]:
    """(cohort, k) of each dotted outline: a rectangle centred on the cell (category index on y)."""
    return {(order[round((r["y0"] + r["y1"]) / 2)], round((r["x0"] + r["x1"]) / 2))
            for r in spec["layout"].get("shapes", []) if r["line"]["dash"] == "dot"}


def test_small_cells_keep_the_colour_scale_and_are_outlined():
    """#15.8: when every cohort is under the minimum sample, the heatmap keeps its colours and colour bar; small
    cells are marked by a dotted outline instead of turning grey."""
    frame = cells().assign(small=True)
    spec = _spec(frame)
    layers = [t for t in spec["data"] if t["type"] == "heatmap"]
    scales = {json.dumps(t["colorscale"]) for t in layers}
    assert len(scales) == 1 and "#9CA3AF" not in scales.pop()  # one colour scale, not the grey one
    assert sum(bool(t.get("showscale")) for t in layers) == 1  # the colour bar is still there
    order = list(dict.fromkeys(frame["cohort_label"]))
    assert _outlined(spec, order) == set(zip(frame["cohort_label"], frame["period"]))
    mixed = cells()  # cohorts under 40 customers are small: only their cells are outlined
    assert _outlined(_spec(mixed), order) == set(zip(mixed.loc[mixed["small"], "cohort_label"],
                                                     mixed.loc[mixed["small"], "period"]))


def test_cohort_sizes_are_whole_labels_beside_the_bars():
    """#15.8/#15.12: the sizes are the side column's tick labels (plotly gives tick labels the room they need),
    not text squeezed into the bars, where it shrank or was cut ('22' for 227)."""
    frame = cells()
    spec = _spec(frame)
    bar = next(t for t in spec["data"] if t["type"] == "bar")
    assert "text" not in bar and "texttemplate" not in bar
    side = spec["layout"]["yaxis2"]
    sizes = frame.drop_duplicates("cohort_label")["cohort_size"]
    assert side["ticktext"] == [f"{n:,}" for n in sizes] and side["automargin"] is True
    assert side["tickvals"] == [o.replace("<", "&lt;").replace(">", "&gt;") for o in dict.fromkeys(frame["cohort_label"])]


def test_minimum_width_gives_each_period_a_readable_cell():
    """#15.12: the width below which the heatmap scrolls instead of shrinking: at least CELL_WIDTH px per column."""
    assert charts.CELL_WIDTH >= 40
    for periods in (1, 5, 17, 25):
        assert charts.heatmap_min_width(periods) >= (periods + 1) * charts.CELL_WIDTH + charts.SIDE_COLUMN


def test_period_axes_have_whole_number_ticks():
    """#15.14: a quarter curve (k = 0…2) had ticks at 0.5 and 1.5; period indices get whole-number ticks."""
    from retention.charts import whatif
    from retention.scenarios import analysis, clv

    curve = pd.DataFrame({"period": [0, 1, 2], "retention_pct": [100.0, 40.0, 30.0], "ci_low_pct": 1.0,
                          "ci_high_pct": 99.0, "cohorts": 3, "customers": 90, "small": False})
    labels = {"average": "a", "band": "b", "x": "x", "y": "y", "hover": "{k}{value}{cohorts}{customers}",
              "none": "-"}
    for fig in (charts.average_curve(curve, curve.iloc[0:0].assign(cohort_label=[]), labels, "T"),
                charts.segment_curves(curve.assign(segment="s"), labels, "T")):
        assert (fig.layout.xaxis.tick0, fig.layout.xaxis.dtick) == (0, 1)
    inputs = clv.Inputs(100, 0.8, 10, 30, period="year", horizon=5)
    fig = whatif.profit(analysis.profit_paths(inputs, 0.85, "constant_base"), "t", "x", "y", ("a", "b"))
    assert fig.layout.xaxis.dtick == 1
    long = curve.assign(period=[0, 10, 30])
    assert charts.average_curve(long, long.iloc[0:0].assign(cohort_label=[]), labels, "T").layout.xaxis.tickformat == "d"
