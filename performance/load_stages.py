"""Where a one-shot CLI command's (or a save's) CPU seconds go, query file by query file (issue 20).

Run: .venv/bin/python performance/load_stages.py FILE [--command matrix|curve|churn|summary|save] [--top 25]

Runs the command in this process with retention.sql's execute/frame/relation wrapped so that each
queries/NAME.sql run is charged the process's CPU seconds (user + sys of every thread, getrusage) and wall
seconds it took; whatever happens between query runs (Python: reading the head, detection, pandas) is
charged to "python". Import time is counted apart. Figures are of one run on a shared machine: look at
the shares, not at the hundredths.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """CPU and wall seconds charged per name; time outside charged() goes to 'python'."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.runs: dict[str, int] = defaultdict(int)
        self.mark = (cpu(), time.perf_counter())

    def _charge(self, name: str) -> None:
        now = (cpu(), time.perf_counter())
        self.cpu[name] += now[0] - self.mark[0]
        self.wall[name] += now[1] - self.mark[1]
        self.mark = now

    def charged(self, name: str, func, *args, **kwargs):
        self._charge("python")
        try:
            return func(*args, **kwargs)
        finally:
            self._charge(name)
            self.runs[name] += 1


class TimedRelation:
    """A DuckDB relation whose rows are produced (create, create_view's later reads excepted, fetches)
    on the clock of the query file it came from."""

    def __init__(self, clock: Clock, name: str, relation) -> None:
        self._clock, self._name, self._relation = clock, name, relation

    def __getattr__(self, attr):
        value = getattr(self._relation, attr)
        if callable(value):
            return lambda *a, **k: self._clock.charged(self._name, value, *a, **k)
        return value


def install(clock: Clock) -> None:
    from retention import sql

    execute, frame, relation = sql.execute, sql.frame, sql.relation
    sql.execute = lambda con, name, **p: clock.charged(name, execute, con, name, **p)
    sql.frame = lambda con, name, **p: clock.charged(name, frame, con, name, **p)
    sql.relation = lambda con, name, **p: TimedRelation(clock, name, relation(con, name, **p))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--command", default="matrix", choices=["matrix", "curve", "churn", "summary", "save"])
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    started = (cpu(), time.perf_counter())
    from retention import cli, store  # noqa: F401 - the imports the command needs, counted apart
    from retention.ingest.canonical import prepare
    from retention.ingest.stage import read_path

    imported = (cpu() - started[0], time.perf_counter() - started[1])
    clock = Clock()
    install(clock)
    out = open("/dev/null", "w")
    if args.command == "save":
        store.create_dataset(prepare(b"", args.file.name, "purchases", raw=read_path(args.file)), None, name="stages")
    else:
        real, sys.stdout = sys.stdout, out
        try:
            cli.main([args.command, str(args.file), "--format", "csv"])
        except SystemExit:
            pass
        finally:
            sys.stdout = real
    clock._charge("python")
    total_cpu, total_wall = sum(clock.cpu.values()), sum(clock.wall.values())
    print(f"{args.command} {args.file.name}: imports {imported[0]:.2f} CPU s ({imported[1]:.2f} wall), "
          f"then {total_cpu:.2f} CPU s ({total_wall:.2f} wall)")
    print("| step | runs | CPU s | share | wall s |\n|---|---|---|---|---|")
    for name in sorted(clock.cpu, key=clock.cpu.get, reverse=True)[:args.top]:
        print(f"| {name} | {clock.runs.get(name, '')} | {clock.cpu[name]:.2f} | {clock.cpu[name] / total_cpu:.0%} | "
              f"{clock.wall[name]:.2f} |")


if __name__ == "__main__":
    main()
