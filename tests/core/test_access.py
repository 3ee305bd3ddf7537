"""Access settings beside each dataset: owner token, password (scrypt), expiry and purging."""

from __future__ import annotations

import datetime as dt
import hashlib

from retention import access, store
from retention.ingest.canonical import prepare

CSV = b"customer,date,amount\na,2024-01-01,5\nb,2024-01-02,6\n"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _make(owner=None):
    return store.create_dataset(prepare(CSV, "p.csv", "purchases"), None, "x", owner_token=owner)[0]


def test_owner_token_is_stored_hashed(data_dir):
    token = access.new_token()
    dataset_id = _make(token)
    text = (data_dir / "datasets" / f"{dataset_id}.json").read_text()
    assert token not in text and hashlib.sha256(token.encode()).hexdigest() in text
    assert access.is_owner(dataset_id, token)
    assert not access.is_owner(dataset_id, access.new_token())
    assert not access.is_owner(dataset_id, None)


def test_password_is_never_stored_in_clear(data_dir):
    dataset_id = _make()
    assert not access.needs_password(dataset_id) and access.check_password(dataset_id, "anything")
    access.set_password(dataset_id, "hunter2 zażółć")
    text = (data_dir / "datasets" / f"{dataset_id}.json").read_text()
    assert "hunter2" not in text
    assert access.needs_password(dataset_id)
    assert access.check_password(dataset_id, "hunter2 zażółć")
    assert not access.check_password(dataset_id, "hunter2")
    # the stored hash is scrypt with the stored salt and parameters (recomputed independently)
    stored = access.read(dataset_id).password
    expected = hashlib.scrypt("hunter2 zażółć".encode(), salt=bytes.fromhex(stored["salt"]),
                              n=stored["n"], r=stored["r"], p=stored["p"], dklen=32).hex()
    assert stored["hash"] == expected and stored["n"] >= 2**14
    access.set_password(dataset_id, None)
    assert not access.needs_password(dataset_id)


def test_default_expiry_and_purge(data_dir, monkeypatch):
    monkeypatch.setenv("RETENTION_EXPIRY_DAYS", "30")
    dataset_id = _make()
    when = access.expires_at(dataset_id)
    assert dt.timedelta(days=29) < when - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(days=30)
    keep = _make()
    access.set_expiry(keep, None)
    assert store.purge(now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=31)) == [dataset_id]
    assert not (data_dir / "datasets" / f"{dataset_id}.duckdb").exists()
    assert not (data_dir / "datasets" / f"{dataset_id}.json").exists()
    assert store.exists(keep)


def test_expired_dataset_is_gone_on_access(data_dir):
    dataset_id = _make()
    access.set_expiry(dataset_id, 1, now=NOW - dt.timedelta(days=10))
    assert not store.exists(dataset_id)
    assert not (data_dir / "datasets" / f"{dataset_id}.duckdb").exists()


def test_missing_settings_mean_defaults(data_dir):
    dataset_id = _make()
    access.forget(dataset_id)
    assert access.read(dataset_id) == access.Settings()
    assert store.exists(dataset_id)
