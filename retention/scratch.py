"""Temporary files of loads in progress, and what processes that died left behind.

Every process that writes under <data dir>/tmp/ (a dataset being saved, a staged upload, DuckDB's spill
files) marks what it writes with its WRITER token (`<id>.<WRITER>.<hex>.duckdb.tmp`,
`stage.<WRITER>.<hex>.duckdb.tmp`, `spill.<WRITER>/`) and holds an exclusive flock on
`locks/writer.<WRITER>.lock` (beside tmp/) for as long as it lives (`claim()`). The kernel drops that lock when the process
dies, however it dies (SIGKILL included), so `clean()` can tell a dead process's leftovers from a live
process's load in progress without timers: a file is abandoned when its writer's lock can be taken.
A dataset's access record (datasets/<id>.json) written just before its file was renamed into place is an
orphan when neither the dataset nor a live writer's temporary file for that id exists.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import threading
from pathlib import Path

from retention import paths

WRITER = secrets.token_hex(4)
_HELD: dict[str, tuple[int, int]] = {}  # lock dir → (descriptor holding this process's lock there, pid)
_MUTEX = threading.Lock()
_ACCESS_TMP = re.compile(r"(?P<id>[^.]+)\.json\.(?P<writer>[0-9a-f]{8})\.[0-9a-f]+\.tmp")


def tmp_dir() -> Path:
    path = paths.data_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def lock_dir() -> Path:
    path = paths.data_dir() / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def claim() -> Path:
    """Hold this process's writer lock in the current data directory (idempotent); return tmp/.
    Call before writing a temporary file there."""
    folder = lock_dir()
    with _MUTEX:
        held = _HELD.get(str(folder))
        if held is None or held[1] != os.getpid():
            lock = folder / f"writer.{WRITER}.lock"
            while True:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:  # another process's clean may have removed the file between our open and flock
                    if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                        break
                except FileNotFoundError:
                    pass
                os.close(fd)
            _HELD[str(folder)] = (fd, os.getpid())
    return tmp_dir()


def writer_of(name: str) -> str | None:
    """The WRITER token in a temporary file's name (the second dot-separated part), if any."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or name.startswith("spill.") else None


def is_live(writer: str | None, folder: Path | None = None) -> bool:
    """A process holding `writer`'s lock (in lock_dir()) is alive (this process always is)."""
    if writer is None:
        return False
    if writer == WRITER:
        return True
    return _held(fcntl.flock, (folder or lock_dir()) / f"writer.{writer}.lock")


def _duckdb_holds(path: Path) -> bool:
    """A live DuckDB connection holds its (POSIX) lock on the database file."""
    return _held(fcntl.lockf, path)


def _held(lock, path: Path) -> bool:
    """Someone holds `lock` (fcntl.flock or fcntl.lockf) on the file; False when it does not exist."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        lock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        return False
    finally:
        os.close(fd)  # closing the descriptor releases a lock we took


def _remove(path: Path) -> int:
    try:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
        return 1
    except FileNotFoundError:
        return 0


def clean_abandoned() -> int:
    """Remove what dead processes left in tmp/ (their staging files, half-written datasets, WAL files and
    spill directories), their lock files, and the orphan access records in datasets/; return how many
    files and directories were removed. Another live process's files, and this process's, are left alone."""
    folder, locks = tmp_dir(), lock_dir()
    removed = 0
    for path in sorted(folder.iterdir()):
        name = path.name
        if not (name.endswith(".tmp") or name.endswith(".tmp.wal") or name.startswith("spill.")):
            continue
        if is_live(writer_of(name), locks):
            continue
        if name.endswith(".tmp") and _duckdb_holds(path):
            continue  # written by a process without a writer lock (an older version)
        if name.endswith(".wal") and _duckdb_holds(folder / name[:-4]):
            continue
        removed += _remove(path)
    removed += clean_orphan_records()
    for lock in locks.glob("writer.*.lock"):
        if not is_live(writer_of(lock.name), locks):
            lock.unlink(missing_ok=True)  # not counted: bookkeeping, not a leftover of a load
    return removed


def clean_orphan_records() -> int:
    """Remove access records (datasets/<id>.json) whose dataset does not exist and is not being written by a
    live process, and half-written records (<id>.json.<WRITER>.<hex>.tmp) of dead processes."""
    folder, locks = tmp_dir(), lock_dir()
    datasets = paths.data_dir() / "datasets"
    if not datasets.is_dir():
        return 0
    removed = 0
    for path in datasets.iterdir():
        partial = _ACCESS_TMP.fullmatch(path.name)
        if partial and not is_live(partial.group("writer"), locks):
            removed += _remove(path)
        elif path.suffix == ".json" and not path.with_suffix(".duckdb").exists():
            dataset_id = path.stem
            writing = any(is_live(writer_of(tmp.name), locks) for tmp in folder.glob(f"{dataset_id}.*.duckdb.tmp"))
            if not writing and not path.with_suffix(".duckdb").exists():  # checked again: renamed meanwhile?
                removed += _remove(path)
    return removed
