"""Benchmark (issue 20): the one-shot CLI of two checkouts, before and after, run alternately.

Run: .venv/bin/python performance/load_ab.py --code OTHER_CHECKOUT [--rows 1000000] [--repeat 3]
     [--commands matrix,curve,churn,save]

On a shared machine even CPU seconds grow with the load, so two load_floor.py runs minutes apart do not compare
well. Here each command of `--commands` runs on load_floor.py's file, `--code` (before) then this checkout (after),
`--repeat` times over, in fresh child processes; printed: each run's CPU seconds (user + sys of the child) and the
minimum of each side with the difference, and the child's peak resident memory. `save` among the commands runs
load_floor.py's save child (a dataset saved from the file, as the app's Save without a preview).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import textwrap  # noqa: E402

from performance.load_floor import CHILDREN, PYTHON, csv_file, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, required=True, help="the other checkout (before)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--commands", default="matrix,curve,churn")
    args = parser.parse_args()
    sides = {"before": args.code.resolve(), "after": ROOT}
    commands = args.commands.split(",")
    path = csv_file(args.rows)
    cpu: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="load-ab-") as data_dir:
        for _ in range(args.repeat):
            for command in commands:
                for side, code in sides.items():
                    env = {**os.environ, "RETENTION_DATA_DIR": data_dir, "PYTHONPATH": str(code),
                           "RETENTION_LOAD_SECONDS": "0"}
                    env.pop("PYTHONDONTWRITEBYTECODE", None)
                    args_ = ([PYTHON, "-c", textwrap.dedent(CHILDREN["save"]), str(path)] if command == "save" else
                             [PYTHON, "-m", "retention", command, str(path), "--format", "csv"])
                    seconds, wall, _out, peak = run(args_, env, code)
                    cpu.setdefault((command, side), []).append(seconds)
                    print(f"{command} {side}: {seconds:.2f} CPU s ({wall:.2f} wall, peak {peak:,.0f} MB)", flush=True)
    print(f"\n{args.rows:,} rows, load average {os.getloadavg()[0]:.1f}; minimum CPU s of {args.repeat} runs each")
    print("| command | before | after | change |\n|---|---|---|---|")
    for command in commands:
        before, after = min(cpu[(command, "before")]), min(cpu[(command, "after")])
        print(f"| {'save' if command == 'save' else 'cli ' + command} | {before:.2f} | {after:.2f} | {after - before:+.2f} ({(after - before) / before:+.0%}) |")


if __name__ == "__main__":
    main()
