"""Measurement: detection's time does not grow with the file (issue 16.6).

Run: .venv/bin/python performance/detect_scaling.py [--small 5] [--large 50] [--shape tiny_purchases.csv] [--unbounded]

Generates the shape (performance/hostile_files.py) at --small and --large megabytes under performance/out/,
stages each in DuckDB as the CLI and the upload page do (stage.read_path), then times prepare() on the
staged table (roles, number and date formats, currency: everything detection does) and prints the rows,
the read and detection seconds and the large/small ratios. Detection reads at most values.DETECT_ROWS rows,
so its ratio stays near 1 while the read's follows the size. One run on a shared machine: look at the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024


def measure(path: Path) -> tuple[int, float, float]:
    """(rows, read seconds, detection seconds) of one file."""
    from retention.ingest.canonical import prepare
    from retention.ingest.stage import read_path

    start = time.perf_counter()
    raw = read_path(path, stage_min_bytes=0, limit_seconds=0)
    read = time.perf_counter() - start
    start = time.perf_counter()
    prepare(b"", path.name, "purchases", raw=raw)
    return raw.row_count, read, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=5)
    parser.add_argument("--large", type=int, default=50)
    parser.add_argument("--shape", default="tiny_purchases.csv")
    parser.add_argument("--unbounded", action="store_true", help="detection reads every row (as before the bound)")
    args = parser.parse_args()
    os.environ.setdefault("RETENTION_DATA_DIR", tempfile.mkdtemp(prefix="detect-scaling-"))
    from performance.hostile_files import SHAPES
    from retention.ingest import values

    if args.unbounded:
        values.DETECT_ROWS = 10**12
    out = ROOT / "performance" / "out"
    out.mkdir(parents=True, exist_ok=True)
    print(f"detection reads at most {values.DETECT_ROWS:,} rows; load average {os.getloadavg()[0]:.1f}")
    print("| file | MB | rows | read s | detection s |")
    print("|---|---|---|---|---|")
    results = {}
    for mb in (args.small, args.large):
        path = out / f"detect_{mb}mb_{args.shape}"
        SHAPES[args.shape](path, mb * MB)
        try:
            results[mb] = measure(path)
        finally:
            path.unlink(missing_ok=True)
        rows, read, detect = results[mb]
        print(f"| {args.shape} | {mb} | {rows:,} | {read:.2f} | {detect:.2f} |", flush=True)
    (_, read_s, det_s), (_, read_l, det_l) = results[args.small], results[args.large]
    print(f"large/small: size {args.large / args.small:.1f}×, read {read_l / read_s:.1f}×, "
          f"detection {det_l / det_s:.1f}×")


if __name__ == "__main__":
    main()
