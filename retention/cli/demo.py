"""`python -m retention demo --out DIR`: the demo shop the app opens on, written as two CSV files.

Prints one row per file written: file, rows. Same seed, same files (data/generate_demo.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from retention import cli, demo


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write purchases.csv and customers.csv "
                                                                    "into (created when missing)")
    parser.add_argument("--customers", type=cli.positive_int, default=None, metavar="N",
                        help="customers to generate (default: the app's demo, 20,000)")


@cli.command("demo", "Write the demo shop (seeded, the app's demo dataset) as DIR/purchases.csv and "
                     "DIR/customers.csv, to try the commands and the upload page on.", _arguments, needs_data=False)
def _demo(args: argparse.Namespace, _con) -> pd.DataFrame:
    generator = demo._generator()
    options = {} if args.customers is None else {"n_customers": args.customers}
    purchases, customers = generator.generate(**options)
    try:
        paths = generator._save(purchases, customers, Path(args.out))
    except OSError as exc:
        raise cli.BadInput(f"folder {args.out!r}: the files could not be written ({exc.strerror})") from None
    return pd.DataFrame({"file": [str(p) for p in paths], "rows": [len(purchases), len(customers)]})
