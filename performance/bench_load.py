"""Benchmark: load the scale purchases CSV (performance/generate_purchases.py; 10M rows ≈ 600 MB by default)
into a dataset through the real ingest path, next to `pandas.read_csv` of the same file in the same run.

Run: .venv/bin/python performance/bench_load.py [--rows 10000000] [--repeat 1] [--json]

"Ours" is what the CLI does with a file on disk and what the app does when it saves a dataset:
stage.read_path (sniff the dialect on the first 512 KB, check for blank lines, stream the file through
DuckDB's parallel CSV reader into a staging file), canonical.prepare (roles, date and number formats),
store.create_dataset (parse and validate in SQL, rejected rows, sort and write the canonical table, every
derived table of store.DERIVED_TABLES, checkpoint, fsync, rename). Each side runs in a fresh child process
so that its peak memory (VmHWM, the kernel's high-water mark of resident memory) is its own. Stage times
are wall and CPU seconds (CPU counts every thread of the process, so CPU/wall ≈ cores busy); they come
from timing each query file the load runs (retention.sql is wrapped in the child process only).
Targets (issue 9): ≤ 15 s, peak < 2 GB, on a 2-core machine.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from performance.generate_purchases import default_path, generate  # noqa: E402

# Query files → the stage of the load they belong to (anything else is "other").
STAGES = {
    "detect": ("sample_",),
    "validate (duplicates, order lines)": ("ingest_duplicate_rows", "ingest_order_continuations"),
    "parse + sort + write purchases": ("store_purchases",),
    "rejected/skipped rows + summaries": ("ingest_unkept_purchases", "ingest_parsed_purchases", "parse_summary_",
                                          "reject_summary", "ingest_skip_summary", "ingest_flag_summary",
                                          "store_rejected"),
}


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stage_of(name: str) -> str:
    if name.startswith("derive_") or name in ("create_customer_attributes",):
        return f"derive {name.removeprefix('derive_')}"
    for stage, prefixes in STAGES.items():
        if name.startswith(prefixes):
            return stage
    return "other"


def child_load(path: Path) -> dict:
    """Load `path` as the app does; return timings (wall, cpu per stage), counts and peak memory."""
    os.environ["RETENTION_DATA_DIR"] = tempfile.mkdtemp(prefix="bench_load_", dir=path.parent)
    os.environ.setdefault("RETENTION_MAX_UPLOAD_MB", "4000")
    from retention import sql, store
    from retention.ingest.canonical import prepare
    from retention.ingest.stage import read_path

    stages: dict[str, list[float]] = {}

    def timed(func):
        def run(con, name, **params):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return func(con, name, **params)
            finally:
                spent = stages.setdefault(_stage_of(name), [0.0, 0.0])
                spent[0] += time.perf_counter() - wall
                spent[1] += time.process_time() - cpu
        return run

    started, cpu0 = time.perf_counter(), time.process_time()
    raw = read_path(path)
    read_wall, read_cpu = time.perf_counter() - started, time.process_time() - cpu0
    for name in ("execute", "frame", "relation"):
        setattr(sql, name, timed(getattr(sql, name)))
    mark, mark_cpu = time.perf_counter(), time.process_time()
    prepared = prepare(b"", path.name, "purchases", raw=raw)
    prepare_wall, prepare_cpu = time.perf_counter() - mark, time.process_time() - mark_cpu
    detect = stages.pop("detect", [0.0, 0.0])
    dataset_id, reports = store.create_dataset(prepared, None, name="bench")
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu0
    timings = {"read: sniff + stage the CSV in DuckDB": [read_wall, read_cpu],
               "detect roles, dates, numbers (prepare)": [prepare_wall, prepare_cpu]}
    timings["  of which date/number queries"] = detect
    timings.update(stages)
    accounted = sum(v[0] for k, v in timings.items() if not k.startswith("  "))
    timings["checkpoint, fsync, rename, metadata"] = [max(total - accounted, 0.0), None]
    summary = reports["purchases"]["summary"]
    file = store.dataset_path(dataset_id)
    return {"total": total, "total_cpu": total_cpu, "peak_mb": peak_rss_mb(), "stages": timings,
            "rows_read": summary["rows_read"], "rows_used": summary["rows_used"],
            "rows_rejected": summary["rows_rejected"], "customers": summary["customers"],
            "dataset_mb": file.stat().st_size / 1e6, "reader": raw.info.get("reader"),
            "staged": raw.staged is not None, "data_dir": os.environ["RETENTION_DATA_DIR"], "dataset_id": dataset_id}


def child_pandas(path: Path) -> dict:
    import pandas as pd

    started, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {"total": time.perf_counter() - started, "total_cpu": time.process_time() - cpu,
            "peak_mb": peak_rss_mb(), "rows": len(frame)}


def run_child(kind: str, path: Path, keep: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)] + (["--keep"] if keep else []),
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_file(rows: int) -> Path:
    path = default_path(rows)
    if not path.exists():
        seconds = generate(rows, path)
        print(f"generated {path.name} ({path.stat().st_size / 1e6:,.0f} MB) in {seconds:.1f} s", file=sys.stderr)
    return path


def measure(rows: int, repeat: int = 1, keep: bool = False) -> dict:
    """Both sides on the same file, `repeat` times each (alternating); the best of each is reported.
    With `keep`, the last run's dataset stays on disk (result["ours"]["data_dir"], ["dataset_id"])."""
    path = ensure_file(rows)
    ours, pandas = [], []
    for i in range(repeat):
        load_avg = os.getloadavg()[0]
        ours.append({**run_child("load", path, keep=keep and i == repeat - 1), "load_avg": load_avg})
        pandas.append({**run_child("pandas", path), "load_avg": os.getloadavg()[0]})
    best = {**min(ours, key=lambda r: r["total"]), "data_dir": ours[-1]["data_dir"], "dataset_id": ours[-1]["dataset_id"]}
    return {"rows": rows, "file_mb": path.stat().st_size / 1e6, "ours": best, "pandas": min(pandas, key=lambda r: r["total"]),
            "ours_all": [r["total"] for r in ours], "pandas_all": [r["total"] for r in pandas]}


def report(result: dict) -> str:
    ours, pandas = result["ours"], result["pandas"]
    lines = [f"load {result['rows']:,} purchases ({result['file_mb']:,.0f} MB CSV), {os.cpu_count()} CPUs, "
             f"load average {ours['load_avg']:.1f} at start:",
             f"  ours (stage + detect + create_dataset): {ours['total']:6.2f} s (cpu {ours['total_cpu']:.1f} s), "
             f"peak memory {ours['peak_mb']:,.0f} MB   targets ≤ 15 s, < 2,048 MB",
             f"  pandas.read_csv(dtype=str):            {pandas['total']:6.2f} s (cpu {pandas['total_cpu']:.1f} s), "
             f"peak memory {pandas['peak_mb']:,.0f} MB   ratio ours / pandas {ours['total'] / pandas['total']:.2f}",
             f"  {ours['rows_used']:,} rows kept, {ours['rows_rejected']:,} rejected, {ours['customers']:,} customers; "
             f"dataset file {ours['dataset_mb']:,.0f} MB; staged: {ours['staged']}",
             "  stages (wall s, cpu s):"]
    for stage, (wall, cpu) in ours["stages"].items():
        lines.append(f"    {stage:<44} {wall:6.2f}  {'' if cpu is None else f'{cpu:6.2f}'}")
    if len(result["ours_all"]) > 1:
        lines.append(f"  every run: ours {', '.join(f'{t:.1f}' for t in result['ours_all'])} s; "
                     f"pandas {', '.join(f'{t:.1f}' for t in result['pandas_all'])} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as JSON too")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child
        result = child_load(Path(path)) if kind == "load" else child_pandas(Path(path))
        if kind == "load" and not args.keep:
            import shutil

            shutil.rmtree(result["data_dir"], ignore_errors=True)
        print(json.dumps(result))
        return
    result = measure(args.rows, args.repeat)
    print(report(result))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
