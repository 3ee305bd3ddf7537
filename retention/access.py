"""Who may see a dataset, and for how long: expiry, optional password, and the uploader's token.

These mutable settings live beside the immutable dataset file, in `datasets/<id>.json`, replaced
atomically. A missing file means defaults (no password, no owner, no expiry), so a crash between
writing a dataset and its settings can never lock anyone out or expose anything.

Passwords and owner tokens are never stored in clear: passwords with scrypt (a slow, memory-hard KDF
from the standard library) and a random salt; owner tokens (192 random bits) with SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from retention import config, paths

SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass
class Settings:
    expires_at: str | None = None        # ISO timestamp (UTC); None = kept until deleted
    password: dict | None = None         # {"salt", "hash", "n", "r", "p"} (hex), None = no password
    owner: str | None = None             # sha256 hex of the uploader's token


def _path(dataset_id: str) -> Path:
    return paths.dataset_path(dataset_id).with_suffix(".json")


def read(dataset_id: str) -> Settings:
    try:
        return Settings(**json.loads(_path(dataset_id).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Settings()


def write(dataset_id: str, settings: Settings) -> None:
    """Replace the settings atomically (write a temporary file, fsync, rename)."""
    from retention import scratch

    path = _path(dataset_id)
    scratch.claim()
    tmp = path.with_suffix(f".json.{scratch.WRITER}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(asdict(settings), handle)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def initial(owner_token: str | None, now: dt.datetime | None = None) -> Settings:
    """Settings of a new upload: owned by the token's holder, expiring after the default period."""
    now = now or dt.datetime.now(dt.timezone.utc)
    days = config.default_expiry_days()
    expires = (now + dt.timedelta(days=days)).isoformat(timespec="seconds") if days else None
    return Settings(expires_at=expires, owner=_digest(owner_token) if owner_token else None)


def is_owner(dataset_id: str, token: str | None) -> bool:
    owner = read(dataset_id).owner
    return bool(token and owner and hmac.compare_digest(owner, _digest(token)))


def hash_password(password: str, salt: bytes | None = None, **params: int) -> dict:
    salt = salt or secrets.token_bytes(16)
    p = {**SCRYPT, **params}
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=p["n"], r=p["r"], p=p["p"], dklen=32)
    return {"salt": salt.hex(), "hash": digest.hex(), **p}


def set_password(dataset_id: str, password: str | None) -> None:
    settings = read(dataset_id)
    settings.password = hash_password(password) if password else None
    write(dataset_id, settings)


def needs_password(dataset_id: str) -> bool:
    return read(dataset_id).password is not None


def check_password(dataset_id: str, password: str) -> bool:
    stored = read(dataset_id).password
    if stored is None:
        return True
    trial = hash_password(password, bytes.fromhex(stored["salt"]), n=stored["n"], r=stored["r"], p=stored["p"])
    return hmac.compare_digest(trial["hash"], stored["hash"])


def set_expiry(dataset_id: str, days: int | None, now: dt.datetime | None = None) -> None:
    """Expire `days` from now (None or 0: keep until deleted)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    settings = read(dataset_id)
    settings.expires_at = (now + dt.timedelta(days=days)).isoformat(timespec="seconds") if days else None
    write(dataset_id, settings)


def expires_at(dataset_id: str) -> dt.datetime | None:
    value = read(dataset_id).expires_at
    return dt.datetime.fromisoformat(value) if value else None


def is_expired(dataset_id: str, now: dt.datetime | None = None) -> bool:
    when = expires_at(dataset_id)
    return when is not None and when <= (now or dt.datetime.now(dt.timezone.utc))


def forget(dataset_id: str) -> None:
    _path(dataset_id).unlink(missing_ok=True)
