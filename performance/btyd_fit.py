"""Benchmark: fitting BG/NBD (retention/metrics/btyd.py) on 1,000,000 customers' summaries, next to the `lifetimes`
library (BetaGeoFitter) on the same summaries when a Python with lifetimes installed is given.

Run: .venv/bin/python performance/btyd_fit.py [--customers 1000000] [--reference-python /tmp/lt/bin/python]
(the reference's Python may also come from $BTYD_REFERENCE_PYTHON; without one the reference is skipped).
lifetimes pins old numpy/pandas, so it lives in a throwaway venv, never in the project's:
    python3 -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes

Data: seeded BG/NBD draws (btyd.simulate, r 0.243, α 4.414 weeks, a 0.793, b 2.426 as on CDNOW) with first
purchases spread over two years before the calibration end; t_x and T in whole days (as the SQL summary gives them),
fitted in weeks. Our time includes the standard errors (numerical Hessian); the reference's does not.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retention.metrics import btyd  # noqa: E402

TRUTH = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
REFERENCE = """
import json, sys, time
import pandas as pd
from lifetimes import BetaGeoFitter
data = pd.read_csv(sys.argv[1])
start = time.perf_counter()
fitter = BetaGeoFitter(penalizer_coef=0.0).fit(data["x"], data["t_x"], data["T"])
seconds = time.perf_counter() - start
params = {k: float(v) for k, v in fitter.params_.items()}
print(json.dumps({"seconds": seconds, "params": params}))
"""


def summaries(customers: int, seed: int = 5) -> pd.DataFrame:
    """DataFrame[x, t_x, T] in weeks, t_x and T whole days / 7."""
    rng = np.random.default_rng(seed)
    T_days = rng.integers(1, 730, customers).astype(float)
    drawn = btyd.simulate(TRUTH, T_days / 7, seed=seed)
    t_days = np.minimum(np.floor(drawn["t_x"].to_numpy() * 7), T_days)
    return pd.DataFrame({"x": drawn["x"], "t_x": t_days / 7, "T": T_days / 7})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--reference-python", default=os.environ.get("BTYD_REFERENCE_PYTHON"))
    args = parser.parse_args(argv)

    data = summaries(args.customers)
    print(f"{args.customers:,} customers, {int(data['x'].sum()):,} repeat purchase days, "
          f"{len(data.drop_duplicates()):,} distinct (x, t_x, T)")
    start = time.perf_counter()
    fit = btyd.fit_bgnbd(data["x"], data["t_x"], data["T"])
    ours = time.perf_counter() - start
    shown = ", ".join(f"{k} {v:.4f}" for k, v in fit.params.items())
    print(f"ours (scipy, with standard errors): {ours:.2f} s; {shown}; LL {fit.log_likelihood:.1f}")

    if not args.reference_python:
        print("lifetimes: skipped (give --reference-python or $BTYD_REFERENCE_PYTHON)")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "summaries.csv"
        data.to_csv(path, index=False)
        done = subprocess.run([args.reference_python, "-c", REFERENCE, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"lifetimes: failed ({done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode})")
        return 1
    ref = json.loads(done.stdout.strip().splitlines()[-1])
    shown = ", ".join(f"{k} {v:.4f}" for k, v in ref["params"].items())
    print(f"lifetimes: {ref['seconds']:.2f} s; {shown}")
    print(f"ratio lifetimes / ours: {ref['seconds'] / ours:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
