"""The scale benchmarks at several sizes, as one Markdown table (the README's Performance section).

Run: .venv/bin/python performance/run_scale.py [--rows 1000000 3000000 10000000] [--repeat 1] [--clean]

For each size: the seeded CSV (performance/generate_purchases.py, cached under performance/out/), its load
through the real ingest next to pandas.read_csv (performance/bench_load.py, fresh child processes), then the
Cohorts/Churn views on the loaded dataset next to the pandas and hand-written DuckDB references
(performance/bench_views.py, a child process). Each script's own report is printed as it finishes; the table
comes last, with the machine described (CPUs, memory, load average before and after each size: other work
on the machine inflates wall times, CPU seconds less so). --clean deletes the generated files afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from performance import bench_load  # noqa: E402

HERE = Path(__file__).resolve().parent


def machine() -> str:
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0) / 1024 / 1024
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    import duckdb

    return f"{os.cpu_count()} CPUs ({model}), {memory:.0f} GB RAM, DuckDB {duckdb.__version__}, Python {sys.version.split()[0]}"


def views(data_dir: str, dataset_id: str, rows: int) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "bench_views.py"), "--rows", str(rows), "--data-dir", data_dir,
                          "--dataset", dataset_id, "--json"], check=True, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    print("\n".join(lines[:-1]), flush=True)
    return json.loads(lines[-1])


def one_size(rows: int, repeat: int) -> dict:
    before = os.getloadavg()[0]
    loaded = bench_load.measure(rows, repeat, keep=True)
    print(bench_load.report(loaded), flush=True)
    kept = loaded["ours"]
    try:
        seen = views(kept["data_dir"], kept["dataset_id"], rows)
    finally:
        shutil.rmtree(kept["data_dir"], ignore_errors=True)
    return {"rows": rows, "load": loaded, "views": seen, "load_avg": (before, os.getloadavg()[0])}


def table(results: list[dict]) -> str:
    head = ("| purchases | CSV | load (cpu) | peak memory | pandas.read_csv | first view | control change median / worst "
            "| page switch (cached) | matrix: ours / pandas / hand-written SQL | load average |")
    lines = [head, "|" + "---|" * 10]
    for r in results:
        load, v = r["load"], r["views"]
        ours, pandas = load["ours"], load["pandas"]
        changes = v["changes"]
        refs = v["references"]
        matrix = f"{v['matrix_first']:.2f} / {refs['pandas month']:.1f} / {refs['hand month'][0]:.2f} s" if refs else "—"
        lines.append(
            f"| {r['rows'] / 1e6:g}M | {load['file_mb']:,.0f} MB | {ours['total']:.1f} s ({ours['total_cpu']:.0f} s) "
            f"| {ours['peak_mb']:,.0f} MB | {pandas['total']:.1f} s | {v['first_view']:.2f} s "
            f"| {statistics.median(changes.values()):.2f} / {max(changes.values()):.2f} s | {v['page_switch'] * 1000:.1f} ms "
            f"| {matrix} | {r['load_avg'][0]:.1f} → {r['load_avg'][1]:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="load runs per size (the best is reported)")
    parser.add_argument("--clean", action="store_true", help="delete the generated CSV files at the end")
    args = parser.parse_args()
    results = []
    for rows in args.rows:
        results.append(one_size(rows, args.repeat))
        print(flush=True)
    print(f"Machine: {machine()}.\n")
    print(table(results))
    worst = max(results[-1]["views"]["changes"].items(), key=lambda kv: kv[1])
    print(f"\nSlowest control change at {results[-1]['rows']:,} rows: {worst[0]} ({worst[1]:.2f} s).")
    if args.clean:
        for rows in args.rows:
            bench_load.default_path(rows).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
