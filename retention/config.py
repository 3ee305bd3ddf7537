"""Settings read from the environment, with defaults that work on a laptop."""

from __future__ import annotations

import os
import re
from pathlib import Path

from retention.paths import data_dir  # noqa: F401 (lives below scratch and store; config.data_dir as before)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = PROJECT_ROOT / "queries"


def max_upload_mb() -> int:
    """Largest file we accept, in MB ($RETENTION_MAX_UPLOAD_MB, default 200)."""
    return int(os.environ.get("RETENTION_MAX_UPLOAD_MB", "200"))


def max_columns() -> int:
    """Widest table we read ($RETENTION_MAX_COLUMNS, default 2,000): a wider header row is refused as soon as
    it is read (a file of separators would otherwise cost minutes and gigabytes before failing)."""
    return int(os.environ.get("RETENTION_MAX_COLUMNS", "2000"))


def load_seconds() -> float:
    """Longest a load (parse, validation, summaries) may run before the file is refused
    ($RETENTION_LOAD_SECONDS, default 120; 0 = no limit). Bounds what one hostile file costs a shared server."""
    return float(os.environ.get("RETENTION_LOAD_SECONDS", "120"))


def cli_load_seconds() -> float:
    """The CLI's limit on reading and loading a file: none unless $RETENTION_LOAD_SECONDS is set (a
    command run by hand is not a shared server; a script that wants a bound sets the variable)."""
    return float(os.environ.get("RETENTION_LOAD_SECONDS", "0"))


def duckdb_threads() -> int:
    """Threads of each DuckDB connection ($RETENTION_DUCKDB_THREADS, default: the cores, at most 4)."""
    return int(os.environ.get("RETENTION_DUCKDB_THREADS", str(min(4, os.cpu_count() or 2))))


def parallel_loads() -> int:
    """Files loaded at once by one server process ($RETENTION_PARALLEL_LOADS, default: half the cores, at
    least 1); further uploads wait their turn (see store.build)."""
    return max(1, int(os.environ.get("RETENTION_PARALLEL_LOADS", str(max(1, (os.cpu_count() or 2) // 2)))))


def duckdb_memory_limit() -> str:
    """Memory one open dataset's queries may use ($RETENTION_DUCKDB_MEMORY, default 2GB)."""
    return os.environ.get("RETENTION_DUCKDB_MEMORY", "2GB")


def duckdb_ingest_memory_limit() -> str:
    """Memory the connection loading a file may use ($RETENTION_DUCKDB_INGEST_MEMORY, default 1GB). Kept
    below the dataset limit so that a load (sorts, hash tables of millions of customers) spills to disk
    instead of growing the server: a 10M-row load then stays under 2 GB of process memory."""
    return os.environ.get("RETENTION_DUCKDB_INGEST_MEMORY", "1GB")


_SIZE_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
               "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def size_bytes(text: str) -> int | None:
    """Bytes of a DuckDB size setting as written in the environment ('1GB' = 10^9, '512 MiB' = 512 × 2^20,
    '1.5GB'); None for a form it does not read."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([a-z]*)\s*", text.lower())
    if match is None or match[2] not in _SIZE_UNITS:
        return None
    return int(float(match[1]) * _SIZE_UNITS[match[2]])


def duckdb_temp_dir() -> Path:
    """Where DuckDB spills what does not fit in its memory limit ($RETENTION_DUCKDB_TEMP, default
    <data dir>/tmp/spill.<writer token of this process>). On the data volume, not /tmp (often small or in RAM)."""
    raw = os.environ.get("RETENTION_DUCKDB_TEMP")
    if raw:
        return Path(raw)
    from retention import scratch  # one spill directory per process: a killed one's is cleaned up (scratch.py)

    return scratch.claim() / f"spill.{scratch.WRITER}"


def duckdb_settings(ingest: bool = False) -> dict:
    """The settings every DuckDB connection of the app opens with (see README, Configuration)."""
    return {
        "threads": duckdb_threads(),
        "memory_limit": duckdb_ingest_memory_limit() if ingest else duckdb_memory_limit(),
        "temp_directory": str(duckdb_temp_dir()),
    }


def default_expiry_days() -> int:
    """Days an upload is kept unless its owner changes it ($RETENTION_EXPIRY_DAYS, default 30; 0 = forever)."""
    return int(os.environ.get("RETENTION_EXPIRY_DAYS", "30"))


def require_login() -> bool:
    """Team deployments: everyone signs in with the OIDC provider in .streamlit/secrets.toml first
    ($RETENTION_REQUIRE_LOGIN=1; off by default)."""
    return os.environ.get("RETENTION_REQUIRE_LOGIN", "0").lower() in ("1", "true", "yes")
