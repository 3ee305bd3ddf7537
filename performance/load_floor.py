"""Benchmark (issue 20): what the first answer from a file costs, next to the floor a user could write by hand.

Run: .venv/bin/python performance/load_floor.py [--rows 1000000 2500000] [--10m] [--only cli,save,hand,pandas,polars]
     [--commands matrix,curve,churn,summary]

For each size a seeded three-column purchases CSV (customer_id, order_date 'YYYY-MM-DD HH:MM', amount: the
columns of performance/generate_purchases.py's file, 1 customer in 10, 3% refunds, 0.02% rows without a
customer) is generated under performance/out/, then each of these runs in a fresh child process:

- cli matrix / curve / churn / summary: `python -m retention COMMAND FILE --format csv` (the one-shot path:
  read, detect, parse and validate, compute, print);
- save: what the app does when a dataset is saved from a file on disk (stage.read_path, prepare,
  store.create_dataset: every derived table the pages read, checkpoint, fsync, rename);
- hand: one hand-written DuckDB query over the CSV (read_csv → first paid month per customer → distinct
  customer-months → counts): the floor;
- pandas: read_csv with date parsing, then the same groupby;
- polars: the same with polars (only when it is installed; it is not a dependency of the app: e.g.
  `.venv/bin/pip install --target /tmp/polars polars`, then run this script with PYTHONPATH=/tmp/polars).

Figures: CPU seconds (user + sys of the child, from os.wait4: what the machine's other load does not blur) and
wall seconds, with CPU ratios to `hand`, and each child's peak resident memory. The CLI matrix, pandas and polars cells are
checked equal to the hand-written query's (an assertion: a fast wrong answer is no answer). Interpreter start
and imports count for every child alike (`hand` imports duckdb, `pandas` pandas); the code's package is
byte-compiled first (as an installed app is), whatever $PYTHONDONTWRITEBYTECODE says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from performance.generate_purchases import OUT, generate  # noqa: E402

PYTHON = sys.executable
CLI_COMMANDS = ("matrix", "curve", "churn", "summary")

HAND = """
with paid as (
    select customer_id, date_trunc('month', order_date) as p
    from read_csv($path, header = true, columns = {'customer_id': 'VARCHAR', 'order_date': 'TIMESTAMP',
                                                   'amount': 'DOUBLE'}, timestampformat = '%Y-%m-%d %H:%M')
    where amount > 0 and customer_id is not null
), firsts as (select customer_id, min(p) as c from paid group by customer_id)
select strftime(f.c, '%Y-%m') as cohort, date_diff('month', f.c, a.p) as k, count(*) as active
from (select distinct customer_id, p from paid) as a join firsts as f using (customer_id)
group by all order by all
"""

# Each child prints its matrix cells as JSON lines {cohort: 'YYYY-MM', k, active} (or nothing).
CHILDREN = {
    "hand": f"""
import duckdb, json, sys
con = duckdb.connect()
con.execute("set enable_progress_bar = false")  # its bar would go to stdout
rows = con.execute({HAND!r}, {{"path": sys.argv[1]}}).fetchall()
print(json.dumps([[c, int(k), int(a)] for c, k, a in rows]))
""",
    "pandas": """
import json, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], usecols=["customer_id", "order_date", "amount"], parse_dates=["order_date"],
                    date_format="%Y-%m-%d %H:%M", dtype={"customer_id": "string"})
paid = frame[(frame["amount"] > 0) & frame["customer_id"].notna()]
month = paid["order_date"].dt.year * 12 + paid["order_date"].dt.month - 1
cohort = month.groupby(paid["customer_id"]).transform("min")
cells = paid.assign(cohort=cohort, k=month - cohort).groupby(["cohort", "k"])["customer_id"].nunique()
print(json.dumps([[f"{c // 12}-{c % 12 + 1:02d}", int(k), int(a)] for (c, k), a in cells.items()]))
""",
    "polars": """
import json, sys
import polars as pl
paid = (pl.scan_csv(sys.argv[1], schema_overrides={"customer_id": pl.Utf8})
        .with_columns(pl.col("order_date").str.strptime(pl.Datetime, "%Y-%m-%d %H:%M"))
        .filter((pl.col("amount") > 0) & pl.col("customer_id").is_not_null())
        .select("customer_id", (pl.col("order_date").dt.year() * 12 + pl.col("order_date").dt.month() - 1).alias("m")))
cells = (paid.with_columns(pl.col("m").min().over("customer_id").alias("c")).unique(["customer_id", "m"])
         .group_by("c", "m").agg(pl.len().alias("active")).collect())
print(json.dumps([[f"{c // 12}-{c % 12 + 1:02d}", int(m - c), int(a)] for c, m, a in cells.iter_rows()]))
""",
    "save": """
import sys, time
from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.stage import read_path
from pathlib import Path
path = Path(sys.argv[1])
store.create_dataset(prepare(b"", path.name, "purchases", raw=read_path(path)), None, name="load floor")
print("[]")
""",
}


def csv_file(rows: int) -> Path:
    """The three-column CSV of `rows` purchases (generated once, kept under performance/out/)."""
    path = OUT / f"floor_{rows}.csv"
    if not path.exists():
        wide = OUT / f"floor_{rows}.wide.csv"
        generate(rows, wide)
        import duckdb

        con = duckdb.connect()
        con.execute("set enable_progress_bar = false")
        con.execute(f"copy (select customer_id, order_date, amount from read_csv('{wide}', all_varchar = true)) "
                    f"to '{path}' (format csv, header true)")
        con.close()
        wide.unlink()
    return path


def run(args: list[str], env: dict, code: Path) -> tuple[float, float, str, float]:
    """(CPU seconds user + sys, wall seconds, stdout, peak resident MB) of one child process (run in the code's
    directory); CPU and peak memory are the child's own (os.wait4), whatever else the machine runs."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=code)
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed: {stderr.strip()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall, stdout, usage.ru_maxrss / 1024


def cli_cells(output: str) -> set:
    """The matrix CLI's CSV as {(cohort 'YYYY-MM', k, active)} for the cells with someone active."""
    import pandas as pd

    frame = pd.read_csv(io.StringIO(output))
    frame = frame[frame["active"] > 0]
    return {(str(c)[:7], int(k), int(a)) for c, k, a in zip(frame["cohort"], frame["period"], frame["active"])}


def measure(rows: int, only: set[str], code: Path = ROOT, commands: tuple[str, ...] = CLI_COMMANDS) -> dict:
    path = csv_file(rows)
    results: dict[str, tuple[float, float, float]] = {}
    cells: dict[str, set] = {}
    with tempfile.TemporaryDirectory(prefix="load-floor-") as data_dir:
        # no load time limit: on a busy machine a save could be refused (the CLI runs without one anyway)
        # the code measured first on the path, then the caller's PYTHONPATH (where polars may be installed)
        path_list = [str(code), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "RETENTION_DATA_DIR": data_dir, "PYTHONPATH": os.pathsep.join(path_list),
               "RETENTION_LOAD_SECONDS": "0"}
        # the package compiled beforehand, as an installed app is: no child pays for compiling its source
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(code / "retention")],
                       check=True, env=env, capture_output=True)
        for name in ("hand", "pandas", "polars", "save"):
            if name not in only:
                continue
            if name == "polars":
                try:
                    import polars  # noqa: F401
                except ImportError:
                    continue
            cpu, wall, out, peak = run([PYTHON, "-c", textwrap.dedent(CHILDREN[name]), str(path)], env, code)
            results[name] = (cpu, wall, peak)
            if name != "save":
                cells[name] = {(c, k, a) for c, k, a in json.loads(out.strip().splitlines()[-1])}
        if "cli" in only:
            for command in commands:
                cpu, wall, out, peak = run([PYTHON, "-m", "retention", command, str(path), "--format", "csv"], env,
                                           code)
                results[f"cli {command}"] = (cpu, wall, peak)
                if command == "matrix":
                    cells["cli matrix"] = cli_cells(out)
    if "hand" in cells:
        for name, got in cells.items():
            assert got == cells["hand"], f"{name}'s matrix differs from the hand-written query's"
    return {"rows": rows, "mb": path.stat().st_size / 1e6, "results": results}


def table(measured: list[dict]) -> str:
    """CPU s = × the hand-written query (wall s) per size, then the same children's peak resident memory."""
    names = [n for n in ("hand", "pandas", "polars", *(f"cli {c}" for c in CLI_COMMANDS), "save")
             if any(n in m["results"] for m in measured)]
    head = "| rows | CSV | " + " | ".join(names) + " |\n|---|---|" + "---|" * len(names)
    lines, peaks = [head], ["peak resident memory of each child, MB:", "", head]
    for m in measured:
        floor = m["results"].get("hand", (None,))[0]
        cells, memory = [], []
        for n in names:
            if n not in m["results"]:
                cells.append("–")
                memory.append("–")
                continue
            cpu, wall, peak = m["results"][n]
            ratio = f" = {cpu / floor:.1f}×" if floor and n != "hand" else ""
            cells.append(f"{cpu:.2f}{ratio} ({wall:.2f})")
            memory.append(f"{peak:,.0f}")
        lines.append(f"| {m['rows'] / 1e6:g}M | {m['mb']:.0f} MB | " + " | ".join(cells) + " |")
        peaks.append(f"| {m['rows'] / 1e6:g}M | {m['mb']:.0f} MB | " + " | ".join(memory) + " |")
    return "\n".join(lines + [""] + peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 2_500_000])
    parser.add_argument("--10m", dest="ten", action="store_true", help="also 10M rows (about a minute of CPU each)")
    parser.add_argument("--only", default="cli,save,hand,pandas,polars", help="comma-separated subset")
    parser.add_argument("--commands", default=",".join(CLI_COMMANDS),
                        help="the CLI commands timed (comma-separated; summary fits the BG/NBD model: the slowest)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="run the CLI and the save from this checkout (e.g. an older commit's worktree: before/after)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    sizes = args.rows + ([10_000_000] if args.ten else [])
    print(f"{dt.datetime.now(dt.timezone.utc):%d %b %Y %H:%M} UTC, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; CPU s = user + sys of the child (wall s in brackets), × = CPU / hand-written query",
          flush=True)
    if args.code.resolve() != ROOT:
        print(f"code: {args.code.resolve()}")
    measured = []
    for rows in sizes:
        measured.append(measure(rows, only, args.code.resolve(), tuple(args.commands.split(","))))
        print(table(measured[-1:]), flush=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}\n\n" + table(measured))


if __name__ == "__main__":
    main()
