"""The dataset store: atomic creation, read-only reopening, ids, deletion, derived tables."""

from __future__ import annotations

import datetime as dt
import os
import threading

import numpy as np
import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError

PURCHASES = b"""customer,date,amount,channel
a,2024-01-05,10,web
a,2024-02-10,-10,web
a,2024-03-01,25.5,app
b,2024-01-31,7,app
c,2024-02-01,0,web
c,2024-02-02,-3,web
"""
CUSTOMERS = b"""customer,signup,cancel date,reason,plan
a,2024-01-01,,,Pro
b,2024-01-30,2024-03-01,Too expensive,Free
d,2024-02-15,2024-02-20,,Free
"""


def _dataset(name="t", purchases=PURCHASES, customers=CUSTOMERS):
    p = prepare(purchases, "p.csv", "purchases") if purchases else None
    c = prepare(customers, "c.csv", "customers") if customers else None
    return store.create_dataset(p, c, name)


def test_ids_are_unguessable_and_validated(data_dir):
    ids = {store.new_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and store.is_valid_id(i) for i in ids)  # 24 random bytes = 192 bits
    for bad in ["../../etc/passwd", "", "short", "a" * 31 + "/", "x" * 33]:
        assert not store.is_valid_id(bad)
        with pytest.raises(store.DatasetNotFound):
            store.open_dataset(bad)


def test_dataset_survives_reopen_and_is_read_only(data_dir):
    dataset_id, reports = _dataset()
    assert reports["purchases"]["summary"]["rows_used"] == 6
    con = store.open_dataset(dataset_id)
    assert con.execute("select count(*) from purchases").fetchone()[0] == 6
    assert store.read_meta(con)["name"] == "t"
    with pytest.raises(Exception):
        con.execute("delete from purchases")
    con.close()
    assert sorted(p.name for p in (data_dir / "datasets").glob("*.duckdb")) == [f"{dataset_id}.duckdb"]


def test_failed_write_leaves_no_dataset_and_no_temp_file(data_dir):
    kept_id, _ = _dataset("kept")
    before = (data_dir / "datasets" / f"{kept_id}.duckdb").read_bytes()

    def crash(step):
        if step == "summaries":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        store.create_dataset(prepare(PURCHASES, "p.csv", "purchases"), None, "doomed", progress=crash)
    assert sorted(p.name for p in (data_dir / "datasets").iterdir()) == [f"{kept_id}.duckdb", f"{kept_id}.json"]
    assert list((data_dir / "tmp").iterdir()) == []
    assert (data_dir / "datasets" / f"{kept_id}.duckdb").read_bytes() == before


def test_stale_temp_files_are_cleaned(data_dir):
    tmp = data_dir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    old, fresh = tmp / "old.duckdb.tmp", tmp / "fresh.duckdb.tmp"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(old, (0, 0))
    assert store.clean_tmp() == 1
    assert not old.exists() and fresh.exists()


def test_delete_removes_the_file(data_dir):
    dataset_id, _ = _dataset()
    store.delete_dataset(dataset_id)
    assert not store.exists(dataset_id)
    with pytest.raises(store.DatasetNotFound):
        store.open_dataset(dataset_id)


def test_concurrent_creations_do_not_interfere(data_dir):
    results = {}

    def make(i):
        rows = "".join(f"c{i}_{k},2024-01-{k % 28 + 1:02d},{k + 1}\n" for k in range(200 + i))
        results[i] = _dataset(f"d{i}", ("customer,date,amount\n" + rows).encode(), None)[0]

    threads = [threading.Thread(target=make, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, dataset_id in results.items():
        con = store.open_dataset(dataset_id)
        assert con.execute("select count(*) from purchases").fetchone()[0] == 200 + i
        assert store.read_meta(con)["name"] == f"d{i}"


def test_customer_summary_hand_computed(data_dir):
    dataset_id, _ = _dataset()
    s = store.open_dataset(dataset_id).execute("select * from customer_summary order by customer_id").df()
    s = s.set_index("customer_id")
    assert list(s.index) == ["a", "b", "c", "d"]
    # a: two positive purchases (the refund is not activity), net revenue 25.5
    assert s.loc["a", "purchases"] == 2 and s.loc["a", "refunds"] == 1 and s.loc["a", "revenue"] == 25.5
    assert str(s.loc["a", "last_purchase_at"].date()) == "2024-03-01"
    # c: a zero amount and a refund only: a buyer with no activity
    assert s.loc["c", "purchases"] == 0 and pd.isna(s.loc["c", "first_purchase_at"])
    # d: only in the customers file, churned by its cancel date; a: blank cancel date = not churned
    assert bool(s.loc["d", "churned"]) and not s.loc["d", "in_purchases"]
    assert s.loc["a", "churned"] == False  # noqa: E712 (numpy bool)
    assert s.loc["b", "churn_reason"] == "Too expensive"


def test_attributes_prefer_customers_file_and_first_purchase(data_dir):
    dataset_id, _ = _dataset()
    attrs = store.open_dataset(dataset_id).execute(
        "select customer_id, attribute, value from customer_attributes order by all").fetchall()
    assert ("a", "plan", "Pro") in attrs
    assert ("a", "channel", "web") in attrs      # first purchase was on the web, later one in the app
    assert ("b", "channel", "app") in attrs


def test_customer_summary_matches_pandas_reference(data_dir):
    rng = np.random.default_rng(7)
    n = 3000
    frame = pd.DataFrame({
        "customer": rng.integers(0, 400, n).astype(str),
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "amount": np.round(rng.normal(20, 30, n), 2),
    })
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    dataset_id, _ = _dataset("r", frame.to_csv(index=False).encode(), None)
    got = store.open_dataset(dataset_id).execute("select * from customer_summary").df().set_index("customer_id")

    # Reference: plain Python over the rows (exact duplicates dropped, as the ingest rejects them).
    rows = frame.drop_duplicates().itertuples(index=False)
    expected: dict[str, dict] = {}
    for customer, date, amount in rows:
        e = expected.setdefault(customer, {"purchases": 0, "refunds": 0, "revenue": 0.0, "first": None, "last": None})
        e["revenue"] += amount
        e["refunds"] += amount < 0
        if amount > 0:
            e["purchases"] += 1
            e["first"] = min(e["first"] or date, date)
            e["last"] = max(e["last"] or date, date)
    assert set(got.index) == set(expected)
    for customer, e in expected.items():
        row = got.loc[customer]
        assert row["purchases"] == e["purchases"] and row["refunds"] == e["refunds"]
        assert row["revenue"] == pytest.approx(e["revenue"])
        first = None if pd.isna(row["first_purchase_at"]) else row["first_purchase_at"].strftime("%Y-%m-%d")
        assert first == e["first"]


def test_a_dataset_saved_before_format_3_is_upgraded_when_opened(data_dir):
    """Format 2 had cohort_days without the activity gaps the churn queries read; opening rebuilds it."""
    import duckdb

    from retention.metrics import churn

    dataset_id, _ = _dataset()
    con = store.open_dataset(dataset_id)
    expected = churn.retention_by_period(con.cursor(), basis="purchases", inactive_days=30)
    con.close()
    path = store.dataset_path(dataset_id)
    with duckdb.connect(str(path)) as old:  # what a format-2 file holds
        old.execute("create or replace table cohort_days as select day, customer_no, active, revenue from cohort_days")
        old.execute("insert or replace into meta values ('format_version', '2')")
    con = store.open_dataset(dataset_id)
    assert store.read_meta(con)["format_version"] == store.FORMAT_VERSION
    pd.testing.assert_frame_equal(churn.retention_by_period(con.cursor(), basis="purchases", inactive_days=30), expected)
    con.close()
    assert not list((data_dir / "tmp").glob(f"{dataset_id}*"))


def test_abandoned_temp_files_are_cleaned_and_live_writes_kept(data_dir):
    """A killed server's half-written dataset goes at the next start; another process's write in progress
    (DuckDB holds a lock on it) and this process's own stay."""
    import subprocess
    import sys

    tmp = data_dir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    abandoned, wal = tmp / "a.dead1234.x.duckdb.tmp", tmp / "a.dead1234.x.duckdb.tmp.wal"
    orphan_wal = tmp / "b.dead1234.y.duckdb.tmp.wal"
    mine = tmp / f"c.{store.WRITER}.z.duckdb.tmp"
    live = tmp / "d.live5678.w.duckdb.tmp"
    for path in (abandoned, wal, orphan_wal, mine):
        path.write_bytes(b"x")
    writer = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(live)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        assert store.clean_abandoned_tmp() == 3
        assert sorted(p.name for p in tmp.iterdir() if not p.name.endswith(".wal")) == sorted([mine.name, live.name])
    finally:
        writer.communicate("", timeout=30)


def test_loads_wait_for_a_free_slot_and_say_so(data_dir, monkeypatch):
    """With every load slot taken, a new load tells its progress "queued", writes nothing until a slot frees,
    then completes; the preview (validation) waits the same way."""
    monkeypatch.setattr(store, "_LOAD_SLOTS", threading.BoundedSemaphore(1))
    store._LOAD_SLOTS.acquire()  # another upload is being loaded
    steps, done = [], {}
    queued = threading.Event()

    def say(step):
        steps.append(step)
        if step == "queued":
            queued.set()

    def save():
        done["id"] = store.create_dataset(prepare(PURCHASES, "p.csv", "purchases"), None, "waiting", progress=say)[0]

    worker = threading.Thread(target=save)
    worker.start()
    assert queued.wait(30)
    worker.join(0.5)
    assert worker.is_alive() and steps == ["queued"] and not list((data_dir / "datasets").glob("*.duckdb"))
    store._LOAD_SLOTS.release()
    worker.join(60)
    assert steps == ["queued", "purchases", "summaries"]
    assert store.read_meta(store.open_dataset(done["id"]))["name"] == "waiting"
    seen = []
    reports, *_ = store.preview(prepare(PURCHASES, "p.csv", "purchases"), None, progress=seen.append)
    assert seen == ["purchases", "summaries"] and reports["purchases"]["summary"]["rows_read"] == 6


def test_parallel_loads_setting(monkeypatch):
    from retention import config

    monkeypatch.setenv("RETENTION_PARALLEL_LOADS", "3")
    assert config.parallel_loads() == 3
    monkeypatch.setenv("RETENTION_PARALLEL_LOADS", "0")
    assert config.parallel_loads() == 1
    monkeypatch.delenv("RETENTION_PARALLEL_LOADS")
    assert config.parallel_loads() == max(1, (os.cpu_count() or 2) // 2)


@pytest.mark.parametrize("text, expected", [
    (b"customer,date,Total\na,2024-01-05,abc\nb,2024-01-06,n/a\nc,2024-01-07,\n",
     "file 'p.csv': every amount in column 'Total' was rejected (amount is not a number or no amount, 3 in all, "
     "e.g. 'abc', 'n/a', ''), so no customer can be counted; nothing was saved"),
    (b"customer,date,amount\n,2024-01-05,3\n ,2024-01-06,4\n",
     "file 'p.csv': the customer column 'customer' is empty: none of the 2 rows has a customer id"),
    (b"customer,date,amount\na,2025-07-01,3\nb,2026-02-03,4\n",
     "file 'p.csv': every date in column 'date' is after today (2025-06-01): the 2 purchases run from 2025-07-01 "
     "to 2026-02-03"),
    (b"customer,date,amount\na,2024-01-05,-3\nb,2024-01-06,0\nc,2025-07-01,5\n",
     "file 'p.csv': no purchase has a positive amount in column 'amount' on or before today (2025-06-01), so no "
     "customer can be counted (of 3 rows: below 0 (refunds) 1, equal to 0 1, dated after today 1)"),
])
def test_a_file_that_counts_no_customer_is_refused_and_nothing_is_stored(data_dir, text, expected):
    with pytest.raises(IngestError) as err:
        store.create_dataset(prepare(text, "p.csv", "purchases"), None, "empty", today=dt.date(2025, 6, 1))
    assert str(err.value).startswith(expected), str(err.value)
    assert not list((data_dir / "datasets").iterdir()) and not list((data_dir / "tmp").iterdir())


def test_an_empty_customers_file_is_refused_with_a_valid_purchases_file(data_dir):
    customers = prepare(b"customer,plan\n,gold\n,silver\n", "c.csv", "customers")
    with pytest.raises(IngestError, match=r"^file 'c.csv': the customer column 'customer' is empty"):
        store.create_dataset(prepare(PURCHASES, "p.csv", "purchases"), customers, "x")
    assert not list((data_dir / "datasets").iterdir())


def test_a_preview_reports_the_unusable_file_instead_of_refusing(data_dir):
    reports, rejected, _ = store.preview(prepare(b"customer,date,amount\na,2024-01-05,x\n", "p.csv", "purchases"), None)
    assert reports["purchases"]["unusable"].startswith("every amount in column 'amount' was rejected")
    assert len(rejected) == 1


def test_demo_is_rebuilt_when_its_generator_changes(demo_data_dir, tmp_path, monkeypatch):
    # A data directory holding a demo built by an older generator (e.g. before #15.13) must not keep it.
    import shutil

    from retention import demo

    (tmp_path / "datasets").mkdir()
    shutil.copy2(demo_data_dir / "datasets" / "demo.duckdb", tmp_path / "datasets" / "demo.duckdb")
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    built = []
    monkeypatch.setattr(store, "create_dataset", lambda *args, **kwargs: built.append(kwargs))
    assert store.ensure_demo() == store.DEMO_ID and built == []  # same generator: kept
    monkeypatch.setattr(demo, "fingerprint", lambda: "another-version")
    store.ensure_demo()
    assert len(built) == 1 and built[0]["meta"] == {"demo_generator": "another-version"}
