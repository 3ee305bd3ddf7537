"""Generate the scale benchmark's purchases CSV: by default 10,000,000 purchases by 1,000,000 customers
over five years (2021-01-01 … 2025-12-31), with four segment columns (≈ 610 MB).

Run: .venv/bin/python performance/generate_purchases.py [--rows 10000000] [--customers N] [--seed 1] [--out PATH]

Written by one DuckDB `COPY (SELECT … FROM range(n)) TO …` statement, so it takes seconds and never holds
the rows in Python. Every value is a deterministic function of (row number, seed) through DuckDB's hash(),
so the same arguments give the same file on the same DuckDB version.

Shape (so that cohorts and churn have something to show):
  - customer c (0 … customers-1) makes its first purchase on row c, on its start day: start days grow
    towards the end of the five years (more customers join later);
  - each customer stays for an exponential lifetime (mean 420 days, cut at the end of the data); its repeat
    purchases (the other rows) fall uniformly in that lifetime, so customers lapse and cohorts decay;
  - repeat purchases go to low-numbered customers more often (a few customers buy a lot);
  - amounts are log-normal (median ≈ 33), 3% are refunds (negative amounts);
  - 0.02% of the rows have no customer id (the ingest rejects them, so the rejected-rows path runs);
  - segments: channel and country are fixed per customer, plan mostly, device varies per purchase.
Columns: order_id, customer_id, order_date ('YYYY-MM-DD HH:MM'), amount, channel, country, plan, device.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

OUT = Path(__file__).resolve().parent / "out"
DAYS = 1826  # 2021-01-01 … 2025-12-31

# u(x, k): a uniform number in [0, 1) from the hash of (x, seed, k).
STATEMENT = """
copy (
    with rows as (
        select i, case when i < $customers then i
                       else cast(floor($customers * pow(hash(i, $seed, 1) / 18446744073709551616.0, 1.6)) as bigint)
                  end as c
        from range($rows) as t(i)
    ),

    drawn as (
        select
            i,
            c,
            cast(floor({days} * pow(hash(c, $seed, 2) / 18446744073709551616.0, 0.7)) as integer) as start_day,
            -ln(1 - hash(c, $seed, 3) / 18446744073709551616.0) * 420 as life,
            hash(i, $seed, 4) / 18446744073709551616.0 as u_when,
            hash(i, $seed, 5) / 18446744073709551616.0 as u_amount_a,
            hash(i, $seed, 6) / 18446744073709551616.0 as u_amount_b,
            hash(i, $seed, 7) / 18446744073709551616.0 as u_refund,
            cast(hash(i, $seed, 8) % 1440 as integer) as minute,
            cast(hash(c, $seed, 9) % 100 as integer) as channel_pick,
            cast(hash(c, $seed, 10) % 100 as integer) as country_pick,
            cast(hash(i, $seed, 11) % 100 as integer) as plan_switch,
            cast(hash(c, $seed, 12) % 3 as integer) as plan_pick,
            cast(hash(i, $seed, 13) % 3 as integer) as device_pick
        from rows
    ),

    dated as (
        select
            *,
            start_day + case when i < $customers then 0
                             else cast(floor(u_when * least(life, {days} - 1 - start_day)) as integer) end as day,
            exp(3.5 + 0.8 * sqrt(-2 * ln(1 - u_amount_a)) * cos(2 * pi() * u_amount_b)) as gross
        from drawn
    )

    select
        i + 1 as order_id,
        case when hash(i, $seed, 14) % 5000 = 0 then '' else 'C' || lpad(cast(c as varchar), 7, '0') end as customer_id,
        strftime(timestamp '2021-01-01' + to_days(day) + to_minutes(minute), '%Y-%m-%d %H:%M') as order_date,
        round(case when u_refund < 0.03 then -gross else gross end, 2) as amount,
        case when channel_pick < 35 then 'Organic' when channel_pick < 60 then 'Paid'
             when channel_pick < 78 then 'Email' when channel_pick < 90 then 'Referral' else 'Affiliate' end as channel,
        ['PL', 'DE', 'FR', 'ES', 'IT', 'CZ', 'NL', 'SE'][1 + least(country_pick // 13, 7)] as country,
        ['basic', 'pro', 'team'][1 + case when plan_switch < 90 then plan_pick else (plan_pick + 1) % 3 end] as plan,
        ['web', 'ios', 'android'][1 + device_pick] as device
    from dated
) to '{path}' (format csv, header true)
"""


def generate(rows: int, path: Path, customers: int | None = None, seed: int = 1, threads: int | None = None) -> float:
    """Write the CSV to `path` (via a .partial file renamed into place); return the seconds it took."""
    customers = customers or max(rows // 10, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        con.execute("set enable_progress_bar = false")
        # the path is ours (never user input): a COPY target cannot be a bound parameter
        con.execute(STATEMENT.format(days=DAYS, path=str(partial).replace("'", "''")),
                    {"rows": rows, "customers": customers, "seed": seed})
    finally:
        con.close()
    partial.replace(path)
    return time.perf_counter() - started


def default_path(rows: int, seed: int = 1) -> Path:
    return OUT / f"scale_{rows}_s{seed}.csv"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, help="default: rows / 10")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="default: performance/out/scale_<rows>_s<seed>.csv")
    args = parser.parse_args(argv)
    path = args.out or default_path(args.rows, args.seed)
    seconds = generate(args.rows, path, args.customers, args.seed)
    print(f"{path}: {args.rows:,} purchases, {path.stat().st_size / 1e6:,.0f} MB in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
