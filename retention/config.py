"""Settings read from the environment, with defaults that work on a laptop."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = PROJECT_ROOT / "queries"


def data_dir() -> Path:
    """Where datasets live: $RETENTION_DATA_DIR, else ~/.local/share/retention-dashboard."""
    raw = os.environ.get("RETENTION_DATA_DIR")
    base = Path(raw) if raw else Path.home() / ".local" / "share" / "retention-dashboard"
    base.mkdir(parents=True, exist_ok=True)
    return base


def max_upload_mb() -> int:
    """Largest file we accept, in MB ($RETENTION_MAX_UPLOAD_MB, default 200)."""
    return int(os.environ.get("RETENTION_MAX_UPLOAD_MB", "200"))


def duckdb_threads() -> int:
    return int(os.environ.get("RETENTION_DUCKDB_THREADS", str(min(4, os.cpu_count() or 2))))


def duckdb_memory_limit() -> str:
    return os.environ.get("RETENTION_DUCKDB_MEMORY", "2GB")


def default_expiry_days() -> int:
    """Days an upload is kept unless its owner changes it ($RETENTION_EXPIRY_DAYS, default 30; 0 = forever)."""
    return int(os.environ.get("RETENTION_EXPIRY_DAYS", "30"))


def require_login() -> bool:
    """Team deployments: everyone signs in with the OIDC provider in .streamlit/secrets.toml first
    ($RETENTION_REQUIRE_LOGIN=1; off by default)."""
    return os.environ.get("RETENTION_REQUIRE_LOGIN", "0").lower() in ("1", "true", "yes")
