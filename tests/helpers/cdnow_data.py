"""The CDNOW 1/10 sample (tests/fixtures/cdnow_sample, provenance in its README) as a purchases file, for the
Customers page, model-churn and what-if tests: real purchases on which the BG/NBD fit is well determined."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FIXTURE = Path(__file__).parents[1] / "fixtures" / "cdnow_sample" / "CDNOW_sample.txt"


def purchases() -> pd.DataFrame:
    """customer_id, order_date (ISO), amount: one row per purchase line."""
    raw = pd.read_csv(FIXTURE, sep=r"\s+", header=None, dtype=str,
                      names=["master_id", "customer_id", "date", "cds", "amount"])
    day = pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    return pd.DataFrame({"customer_id": raw["customer_id"], "order_date": day, "amount": raw["amount"].astype(float)})


def csv() -> bytes:
    return purchases().to_csv(index=False).encode()


def create(name: str = "cdnow_sample") -> str:
    """Save it in the current RETENTION_DATA_DIR; its id."""
    from retention import store
    from retention.ingest.canonical import prepare

    dataset_id, _ = store.create_dataset(prepare(csv(), f"{name}.csv", "purchases"), None, name=name)
    return dataset_id
