"""Benchmark: ingest a 1,000,000-row purchases CSV (~60 MB) into a dataset file, next to
`pandas.read_csv` of the same file measured in the same run (the ratio is what matters).

Run: .venv/bin/python performance/bench_ingest.py [--rows 1000000] [--encoding utf-8|cp1250] [--decimal-comma]

The file is generated (seeded) under performance/out/. "Ingest" is everything from the bytes to the
stored canonical purchases table: prepare() (read, detect roles and conventions) and the load into a
dataset file (parse, validate, reject, sort and write). The last line adds the derived tables every
page precomputes (store.DERIVED_TABLES, owned by each area). pandas.read_csv only splits the file into
text columns, so a ratio of 2-4 means the whole ingest costs a few plain CSV reads.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OUT = Path(__file__).resolve().parent / "out"


def generate(rows: int, path: Path, encoding: str, decimal_comma: bool) -> None:
    """A seeded purchases file: order_id, customer_id, order_date, amount, channel, country."""
    rng = np.random.default_rng(7)
    customers = rng.integers(1, rows // 8 + 2, rows)
    days = rng.integers(0, 900, rows)
    dates = (np.datetime64("2023-01-01") + days.astype("timedelta64[D]")).astype(str)
    amounts = np.round(rng.lognormal(3.5, 0.8, rows), 2)
    amounts[rng.random(rows) < 0.03] *= -1
    amount_text = pd.Series(amounts).map("{:.2f}".format)
    if decimal_comma:
        amount_text = amount_text.str.replace(".", ",", regex=False)
    frame = pd.DataFrame({
        "order_id": np.char.add("ORD-", np.arange(1, rows + 1).astype(str)),
        "customer_id": np.char.add("C", customers.astype(str)),
        "order_date": dates,
        "amount": amount_text,
        "channel": rng.choice(["Organic search", "Paid social", "Referral", "Email", "Affiliate"], rows),
        "country": rng.choice(["Polska", "Deutschland", "Österreich", "Česko", "Magyarország"], rows),
    })
    partial = path.with_suffix(".partial")
    frame.to_csv(partial, index=False, sep=";" if decimal_comma else ",", encoding=encoding)
    partial.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--decimal-comma", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    path = OUT / f"purchases_{args.rows}_{args.encoding}{'_comma' if args.decimal_comma else ''}.csv"
    if not path.exists():
        generate(args.rows, path, args.encoding, args.decimal_comma)
    size_mb = path.stat().st_size / 1e6
    os.environ["RETENTION_DATA_DIR"] = tempfile.mkdtemp(prefix="bench_ingest_")
    os.environ.setdefault("RETENTION_MAX_UPLOAD_MB", "1000")

    from retention import store
    from retention.ingest.canonical import prepare

    for _ in range(args.repeat):
        start = time.perf_counter()
        pd.read_csv(path, sep=";" if args.decimal_comma else ",", encoding=args.encoding, dtype=str,
                    keep_default_na=False)
        reference = time.perf_counter() - start

        marks = {}
        start = time.perf_counter()
        data = path.read_bytes()
        prepared = prepare(data, path.name, "purchases")
        marks["prepared"] = time.perf_counter()
        _, reports = store.create_dataset(prepared, None, name="bench",
                                          progress=lambda step: marks.setdefault(step, time.perf_counter()))
        done = time.perf_counter()
        ingest = marks["summaries"] - start  # read + detect + parse + validate + store the canonical table
        summary = reports["purchases"]["summary"]
        print(f"file: {path.name}, {size_mb:.1f} MB, {summary['rows_read']:,} rows read, "
              f"{summary['rows_used']:,} used, cores: {os.cpu_count()}")
        print(f"pandas.read_csv (dtype=str):          {reference:6.2f} s")
        print(f"ours: read + detect (prepare)         {marks['prepared'] - start:6.2f} s")
        print(f"ours: ingest into the dataset         {ingest:6.2f} s   ratio ours / pandas = {ingest / reference:.2f}")
        print(f"ours: + derived tables of all pages   {done - start:6.2f} s   (derive_*.sql of every area)")


if __name__ == "__main__":
    main()
