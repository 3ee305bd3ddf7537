"""Where things live on disk, below every module that reads or writes there (config, scratch, store,
access): the data directory and the path of a dataset by its id."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_ID = re.compile(r"[A-Za-z0-9_-]{32}|demo")


def data_dir() -> Path:
    """Where datasets live: $RETENTION_DATA_DIR, else ~/.local/share/retention-dashboard."""
    raw = os.environ.get("RETENTION_DATA_DIR")
    base = Path(raw) if raw else Path.home() / ".local" / "share" / "retention-dashboard"
    base.mkdir(parents=True, exist_ok=True)
    return base


class DatasetNotFound(Exception):
    """No dataset with that id (never existed, deleted, or a mistyped link)."""


def new_id() -> str:
    return secrets.token_urlsafe(24)


def is_valid_id(dataset_id: str) -> bool:
    return bool(_ID.fullmatch(dataset_id or ""))


def dirs() -> tuple[Path, Path]:
    base = data_dir()
    datasets, tmp = base / "datasets", base / "tmp"
    datasets.mkdir(parents=True, exist_ok=True)
    tmp.mkdir(parents=True, exist_ok=True)
    return datasets, tmp


def dataset_path(dataset_id: str) -> Path:
    if not is_valid_id(dataset_id):
        raise DatasetNotFound(dataset_id)
    return dirs()[0] / f"{dataset_id}.duckdb"
