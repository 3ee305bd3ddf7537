"""Small purchases files dated in other decades, and with rows dated in the future, for the page tests.

Deterministic (a seeded generator), written here rather than committed as data: `purchases_csv(start, months)`
gives `customers` customers (fewer than 300: a small dataset) who first buy within the first months and come back
with a falling chance; `future_rows` appends a few purchases dated after today."""

from __future__ import annotations

import datetime as dt
import random

from retention import store
from retention.ingest.canonical import prepare


def purchases_csv(start: dt.date, months: int, customers: int = 180, seed: int = 7,
                  future_rows: int = 0) -> bytes:
    rng = random.Random(seed)
    end = _add_months(start, months)
    span = (end - start).days
    lines = ["customer_id,order_date,amount"]
    for i in range(customers):
        first = start + dt.timedelta(days=rng.randrange(span * 2 // 3))
        day, chance = first, 0.7
        while day < end:
            lines.append(f"C{i:04d},{day.isoformat()},{rng.randint(5, 200)}.{rng.randint(0, 99):02d}")
            if rng.random() > chance:
                break
            day, chance = day + dt.timedelta(days=rng.randint(10, 80)), chance * 0.9
    later = dt.date.today() + dt.timedelta(days=30)
    for i in range(future_rows):
        lines.append(f"C{i:04d},{(later + dt.timedelta(days=i * 40)).isoformat()},50.00")
    return ("\n".join(lines) + "\n").encode()


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, 1)


DATASETS = {  # name → (first day, months, rows dated in the future)
    "cdnow_1997": (dt.date(1997, 1, 1), 18, 0),
    "retail_2010": (dt.date(2010, 12, 1), 13, 0),
    "future_rows": (dt.date(2024, 1, 1), 24, 3),
}


def create(name: str) -> str:
    """Save the named dataset in the current RETENTION_DATA_DIR; its id."""
    start, months, future = DATASETS[name]
    data = purchases_csv(start, months, future_rows=future)
    dataset_id, _ = store.create_dataset(prepare(data, f"{name}.csv", "purchases"), None, name=name)
    return dataset_id
