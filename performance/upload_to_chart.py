"""Benchmark (issue 20): the server's work between an upload's last byte and the Cohorts heatmap's cells,
stage by stage, without the browser.

Run: .venv/bin/python performance/upload_to_chart.py [--rows 1000000] [--code DIR]

In one child process (run from `--code`, default this checkout: point it at an older checkout for a
before/after), the steps the Data page and then the Cohorts page take for a purchases CSV of `--rows`
rows (load_floor.py's file, generated under performance/out/): read_upload (the uploaded bytes staged),
prepare (roles, dates, money), store.preview (the validation shown before the person presses Save; into a
store.Draft when the code has one, as the Data page does), the Data page's first look when the code has it (the
draft's tables the month heatmap reads, its cells, then the other derived tables), store.create_dataset (Save; from
that draft), and on the saved dataset the month heatmap's cells (cohorts.matrix, what the Cohorts page asks first).
The line "= upload's last byte → first look's cells" spans the steps up to the first look's cells. Prints CPU
seconds (user + sys of the process, every thread) and wall seconds per step; import time is counted apart.
Streamlit's rendering, the browser, and the person's click on Save are not in it: this is the floor under the
time to the first chart, not that time (upload_to_chart_browser.py measures that).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from performance.load_floor import csv_file  # noqa: E402

CHILD = """
import json, resource, sys, time
def clock():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime, time.perf_counter()
start = clock()
from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.upload import read_upload
from retention.metrics import cohorts
steps = [("imports", start, clock())]
data = open(sys.argv[1], "rb").read()
name = "purchases.csv"
def step(label, func):
    before = clock()
    value = func()
    steps.append((label, before, clock()))
    return value
raw = step("read upload", lambda: read_upload(data, name))
prepared = step("prepare", lambda: prepare(data, name, "purchases", raw=raw))
# as the Data page does: the preview's parse kept for Save (store.Draft), when the code has it
draft = store.Draft() if hasattr(store, "Draft") else None
step("preview (validation)", lambda: store.preview(prepared, None, **({"draft": draft} if draft else {})))
if hasattr(draft, "build"):  # the Data page's first look: the heatmap's tables, its cells, then the rest
    grains = {"grains": store.FIRST_LOOK_GRAINS} if hasattr(store, "FIRST_LOOK_GRAINS") else {}  # month alone
    step("first look: heatmap's tables (draft.build FIRST_LOOK)", lambda: draft.build(store.FIRST_LOOK, **grains))
    def first_cells():
        with draft.read() as con:
            return cohorts.matrix(con, period="month")
    step("first look: heatmap cells", first_cells)
    steps.append(("= upload's last byte → first look's cells", steps[1][1], steps[-1][2]))
    step("the other derived tables (draft.build)", lambda: draft.build())
dataset_id, _ = step("save (create_dataset)", lambda: store.create_dataset(
    prepared, None, name="bench", **({"draft": draft} if draft else {})))
cells = step("heatmap cells", lambda: cohorts.matrix(store.open_dataset(dataset_id).cursor(), period="month"))
print()
print(json.dumps([[label, b[0] - a[0], b[1] - a[1]] for label, a, b in steps]))
"""


def server_steps(rows: int, code: Path) -> None:
    """Run the child on `rows` rows with the code of `code`; print its steps as a table."""
    path = csv_file(rows)
    code = code.resolve()
    with tempfile.TemporaryDirectory(prefix="upload-chart-") as data_dir:
        env = {**os.environ, "RETENTION_DATA_DIR": data_dir, "PYTHONPATH": str(code), "RETENTION_LOAD_SECONDS": "0"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "retention")], check=True, env=env,
                       capture_output=True)
        done = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD), str(path)], capture_output=True,
                              text=True, env=env, cwd=code)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    import json

    # DuckDB's progress bar (on by default for long queries in an older checkout) also writes to stdout
    steps = json.loads(next(line for line in done.stdout.splitlines()[::-1] if line.startswith('[["imports"')))
    print(f"{rows:,} rows, code {code}, load average {os.getloadavg()[0]:.1f}")
    print("| step | CPU s | wall s |\n|---|---|---|")
    for label, cpu, wall in steps:
        print(f"| {label} | {cpu:.2f} | {wall:.2f} |")
    after_upload = [s for s in steps[1:] if not s[0].startswith("=")]  # "= …": a sum of the steps before it
    print(f"| upload's last byte → saved dataset's heatmap cells | {sum(s[1] for s in after_upload):.2f} | "
          f"{sum(s[2] for s in after_upload):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args()
    server_steps(args.rows, args.code)


if __name__ == "__main__":
    main()
