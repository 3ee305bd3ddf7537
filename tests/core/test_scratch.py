"""Leftovers of killed loads (issue 16.7), with real processes: a load killed with SIGKILL leaves its staging
file, its half-written dataset and its access record; the next process to start (a server's recover(), or
any CLI command) removes them, while another live process's load in progress and this process's own
files stay untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from retention import scratch, store
from retention.ingest.canonical import prepare
from retention.ingest.stage import read_path

ROOT = Path(__file__).resolve().parents[2]
ROWS = "customer,date,amount\n" + "".join(f"C{i % 50},2024-01-{i % 28 + 1:02d},{i % 90 + 1}\n" for i in range(400))

# A child that stages a file, then (mode "save") saves a dataset and stops just after its access record is
# written (before the rename), or (mode "stage") just holds its staged upload; it says where it stopped.
CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from retention import store
    from retention.ingest.canonical import prepare
    from retention.ingest.stage import read_path

    mode, source = sys.argv[1], Path(sys.argv[2])
    raw = read_path(source, stage_min_bytes=1)
    print("staged", raw.staged.path, flush=True)
    if mode == "save":
        real_replace = os.replace

        def stop(src, dst):
            if str(dst).endswith(".duckdb"):
                print("renaming", src, flush=True)
                time.sleep(600)
            return real_replace(src, dst)

        os.replace = stop
        store.create_dataset(prepare(b"", source.name, "purchases", raw=raw), None, "killed")
    else:
        print("holding", flush=True)
        time.sleep(600)
""")


def _start(mode: str, source: Path, data_dir: Path) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, mode, str(source)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, env={**os.environ, "RETENTION_DATA_DIR": str(data_dir),
                                                         "PYTHONPATH": str(ROOT)})
    seen = {}
    for line in proc.stdout:
        word, _, rest = line.strip().partition(" ")
        seen[word] = Path(rest) if rest else True
        if word in ("renaming", "holding"):
            return proc, seen
    raise AssertionError(f"the child stopped early (exit {proc.wait()})")


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "purchases.csv"
    path.write_text(ROWS)
    return path


def _leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "tmp").iterdir()) + \
        sorted(p.name for p in (data_dir / "datasets").iterdir() if (data_dir / "datasets").is_dir())


def _wal(staged: Path) -> Path:
    return staged.with_name(staged.name + ".wal")


def _with_wal(*staged: Path) -> list[str]:
    """The names of staging files and of the WAL each is left with (stage._staging detaches it unchecked)."""
    return sorted(name for path in staged for name in (path.name, _wal(path).name))


def test_a_killed_load_is_cleaned_at_the_next_start_and_a_live_one_is_untouched(data_dir, source):
    killed, seen = _start("save", source, data_dir)
    live, held = _start("stage", source, data_dir)
    try:
        dataset_tmp = seen["renaming"]
        record = data_dir / "datasets" / (dataset_tmp.name.split(".")[0] + ".json")
        assert seen["staged"].exists() and dataset_tmp.exists() and record.exists()
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        mine = read_path(source, stage_min_bytes=1)  # this process's own staged upload, still in use
        assert store.clean_abandoned_tmp() >= 4  # staging file and its WAL, half-written dataset, access record
        assert not seen["staged"].exists() and not _wal(seen["staged"]).exists()
        assert not dataset_tmp.exists() and not record.exists()
        assert held["staged"].exists() and mine.staged.path.exists()
        assert _leftovers(data_dir) == _with_wal(held["staged"], mine.staged.path)
        assert store.preview(prepare(b"", source.name, "purchases", raw=mine), None)[0]["purchases"]
    finally:
        live.kill()
        live.wait(timeout=30)
    store.recover()  # the live one has died meanwhile: the server start removes its staging file too
    assert _leftovers(data_dir) == _with_wal(mine.staged.path)


def test_any_cli_command_cleans_up_after_a_killed_load(data_dir, source):
    killed, seen = _start("stage", source, data_dir)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    assert seen["staged"].exists()
    done = subprocess.run([sys.executable, "-m", "retention", "--help"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "RETENTION_DATA_DIR": str(data_dir)}, timeout=120)
    assert done.returncode == 0
    assert not seen["staged"].exists() and not list((data_dir / "tmp").iterdir())


def test_the_hour_old_cleanup_spares_a_live_writer(data_dir):
    """clean_tmp removes old leftovers by age, but never a live process's file, however long it has been open."""
    tmp = scratch.claim()
    mine = tmp / f"stage.{scratch.WRITER}.0.duckdb.tmp"
    dead = tmp / "stage.deadbeef.0.duckdb.tmp"
    for path in (mine, dead):
        path.write_bytes(b"x")
        os.utime(path, (0, 0))
    assert store.clean_tmp() == 1
    assert mine.exists() and not dead.exists()


def test_a_failed_save_leaves_no_access_record(data_dir, source, monkeypatch):
    prepared = prepare(source.read_bytes(), source.name, "purchases")

    real_replace = os.replace

    def fail(src, dst):
        if str(dst).endswith(".duckdb"):  # the dataset's rename, after its access record was written
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", fail)
    with pytest.raises(OSError):
        store.create_dataset(prepared, None, "doomed")
    assert not list((data_dir / "datasets").glob("*.json")) and not list((data_dir / "tmp").glob("*.tmp"))
