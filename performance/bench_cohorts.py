"""Benchmark: the cohort retention matrix on 10,000,000 purchases by 1,000,000 customers, next to a
straightforward pandas implementation of the same matrix measured in the same run (the ratio is what matters).

Run: .venv/bin/python performance/bench_cohorts.py [--rows 10000000] [--threads 2]

Data: seeded, generated with numpy straight into the canonical schema (the ingest has its own benchmark),
written to a dataset file under performance/out/ and derived as at load time (store.derive). Then, on a
fresh read-only connection like the app's:
  first   opening the file and the first matrix (default analysis date looked up, classic, monthly)
  change  each control change after that (granularity, mode, cohort basis, analysis date, segment, filter,
          cohort range), each a new query: nothing is cached between them
pandas: the classic monthly (and weekly) matrix from the purchases frame already in memory (reading the
data is not counted for pandas, only the computation). Targets (issue 4): change < 0.5 s, first < 2 s on
a 2-core machine, and at least 10× faster than pandas.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retention import sql, store  # noqa: E402
from retention.metrics import cohorts  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
CHANNELS = np.array(["Organic search", "Paid social", "Referral", "Email", "Affiliate"])


def generate(rows: int, seed: int = 11) -> pd.DataFrame:
    """Purchases in the canonical schema: customers = rows / 10, first purchases spread over three years,
    each customer's purchases spread over an exponential lifetime; 3% refunds; a channel per customer."""
    rng = np.random.default_rng(seed)
    n_customers = max(rows // 10, 1)
    start = rng.integers(0, 3 * 365, n_customers)
    life = np.minimum(rng.exponential(300, n_customers), 3 * 365 + 180 - start)
    who = np.concatenate([np.arange(n_customers), rng.integers(0, n_customers, rows - n_customers)])
    day = start[who] + np.where(np.arange(rows) < n_customers, 0, np.floor(rng.random(rows) * life[who])).astype(int)
    amount = np.round(rng.lognormal(3.5, 0.8, rows), 2)
    refund = rng.random(rows) < 0.03
    amount[refund] *= -1
    ids = np.char.add("C", np.char.zfill(np.arange(n_customers).astype(str), 7))
    return pd.DataFrame({
        "row_no": np.arange(2, rows + 2, dtype="int64"),
        "customer_id": ids[who],
        "purchased_at": (np.datetime64("2022-01-01") + day.astype("timedelta64[D]")).astype("datetime64[us]")
                        + (rng.integers(0, 86400, rows) * 1_000_000).astype("timedelta64[us]"),
        "amount": amount,
        "is_refund": refund,
        "channel": CHANNELS[rng.integers(0, len(CHANNELS), n_customers)][who],
    })


def load(frame: pd.DataFrame, path: Path, threads: int) -> float:
    """Write the dataset file and derive its tables; return the seconds of the derive step."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path), config={"threads": threads, "memory_limit": "8GB"})
    con.register("generated", frame)
    sql.execute(con, "create_meta")
    sql.execute(con, "create_rejected")
    sql.execute(con, "create_empty_customers")
    con.execute("create table purchases as select row_no, customer_id, purchased_at, amount, null::varchar as "
                "order_id, is_refund, false as is_future, channel from generated order by customer_id, purchased_at")
    con.unregister("generated")
    started = time.perf_counter()
    store.derive(con, ["channel"], [])
    seconds = time.perf_counter() - started
    con.execute("checkpoint")
    con.close()
    return seconds


def pandas_matrix(frame: pd.DataFrame, grain: str) -> pd.Series:
    """The classic matrix the plain way: active customers per (cohort period, k), positive purchases only."""
    paid = frame[frame["amount"] > 0]
    when = paid["purchased_at"]
    if grain == "month":
        period = when.dt.year * 12 + when.dt.month - 1
    else:
        period = (when.dt.normalize() - pd.to_timedelta(when.dt.day_of_week, unit="D")).astype("int64") // (7 * 86_400_000_000)
    cohort = period.groupby(paid["customer_id"]).transform("min")
    return paid.groupby([cohort, period - cohort])["customer_id"].nunique()


def timed(func, *args, **kwargs):
    """(wall seconds, CPU seconds of this process over all its threads, result)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return time.perf_counter() - started, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2, the target machine)")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    path = OUT / f"cohorts_{args.rows}.duckdb"
    generated_in, _, frame = timed(generate, args.rows)
    print(f"generated {len(frame):,} purchases by {frame['customer_id'].nunique():,} customers "
          f"in {generated_in:.1f} s")
    derive_seconds = load(frame, path, args.threads)
    print(f"load-time derive (all DERIVED_TABLES): {derive_seconds:.2f} s; file {path.stat().st_size / 1e6:.0f} MB")

    def open_and_compute():
        connection = duckdb.connect(str(path), read_only=True, config={"threads": args.threads, "memory_limit": "2GB"})
        return connection, cohorts.matrix(connection.cursor())

    first, first_cpu, (con, base) = timed(open_and_compute)
    cur = con.cursor()
    as_of = cohorts.default_as_of(cur)
    mid = (pd.Timestamp(as_of) - pd.Timedelta(days=200)).date().isoformat()
    changes = {
        "period=week": dict(period="week"),
        "period=quarter": dict(period="quarter"),
        "period=month (back)": dict(),
        "mode=rolling": dict(mode="rolling"),
        "mode=revenue": dict(mode="revenue"),
        f"as_of={mid}": dict(as_of=mid),
        "segment=channel": dict(segment="channel"),
        "filter channel=Email": dict(filters={"channel": ["Email"]}),
        "cohorts from 2023-01-01": dict(cohort_from="2023-01-01"),
        "week + rolling + segment": dict(period="week", mode="rolling", segment="channel"),
    }
    print(f"\nours, open the file + first matrix (classic, month): {first:.3f} s, cpu {first_cpu:.3f} s ({len(base):,} cells)")
    times, cpus = {}, {}
    for label, params in changes.items():
        times[label], cpus[label], cells = timed(cohorts.matrix, cur, **params)
        print(f"ours, change {label:<28} {times[label]:.3f} s, cpu {cpus[label]:.3f} s ({len(cells):,} cells)")
    typical, worst = statistics.median(times.values()), max(times.values())
    typical_cpu = statistics.median(cpus.values())

    month_pd, month_cpu, expected = timed(pandas_matrix, frame, "month")
    week_pd, week_cpu, _ = timed(pandas_matrix, frame, "week")
    ours_month = base[base["active"] > 0]
    assert ours_month["active"].sum() == expected.sum(), "pandas and SQL disagree"
    print(f"\npandas classic month: {month_pd:.3f} s, cpu {month_cpu:.3f} s; week: {week_pd:.3f} s, cpu {week_cpu:.3f} s")
    print(f"\nsummary ({args.rows:,} rows, {args.threads} DuckDB threads, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; other work on the machine inflates wall times):")
    print(f"  first computation  {first:.3f} s (cpu {first_cpu:.3f} s)   target < 2 s;   "
          f"pandas month / ours: wall {month_pd / first:.1f}x, cpu {month_cpu / first_cpu:.1f}x")
    print(f"  control change     median {typical:.3f} s (cpu {typical_cpu:.3f} s), worst {worst:.3f} s   target < 0.5 s;   "
          f"pandas month / ours median: wall {month_pd / typical:.1f}x, cpu {month_cpu / typical_cpu:.1f}x;   "
          f"pandas week / ours week: wall {week_pd / times['period=week']:.1f}x, "
          f"cpu {week_cpu / cpus['period=week']:.1f}x")
    con.close()


if __name__ == "__main__":
    main()
