"""Datasets on disk: one DuckDB file each, written once under a temporary name, then renamed into place.

A dataset is addressed by an unguessable id (192 random bits, URL-safe). A crash while a dataset is
being written leaves only a file in tmp/ (cleaned up later), never a half dataset under datasets/.
Once in place a dataset file is only ever opened read-only, so readers never wait for writers.

Layout under config.data_dir():
    datasets/<id>.duckdb   complete datasets
    datasets/<id>.json     mutable access settings (expiry, password, owner): see access.py
    tmp/                   datasets being written
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import os
import secrets
import shutil
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import pandas as pd

from retention import access, config, scratch, sql
from retention.paths import DatasetNotFound, dataset_path, is_valid_id, new_id  # noqa: F401 (store's API)
from retention.paths import dirs as _dirs
from retention.ingest.budget import Deadline
from retention.ingest.canonical import Prepared, load_into, stored_name
from retention.ingest.errors import IngestError
from retention.ingest.usable import nothing_usable
from retention.ui_text import NOTHING_USABLE_CLI_HINT

DEMO_ID = "demo"
FORMAT_VERSION = 3  # bump when the tables a dataset holds change; the demo is rebuilt then
STALE_TMP_SECONDS = 3600
# Rows of the rejected and possible-duplicate lists a preview returns (for download): every row of them is
# one Python dict, so 9 million possible duplicates (200 MB of a repeated purchase log) took 8 GB and minutes.
PREVIEW_ROWS = 100_000
WRITER = scratch.WRITER  # this process's mark on the temporary files it writes (see scratch.py)
# Loads running at once in this process ($RETENTION_PARALLEL_LOADS). A load is seconds of all-core DuckDB
# work and up to the ingest memory limit: twenty people uploading together would otherwise share the cores
# with everyone else's page views (and could ask for 20 × that memory). The rest wait their turn, told so.
_LOAD_SLOTS = threading.BoundedSemaphore(config.parallel_loads())


@contextmanager
def _load_slot(say: Callable[[str], None]):
    """Hold one of the load slots for the block; says "queued" first when every slot is taken."""
    if not _LOAD_SLOTS.acquire(blocking=False):
        say("queued")
        _LOAD_SLOTS.acquire()
    try:
        yield
    finally:
        _LOAD_SLOTS.release()


def exists(dataset_id: str) -> bool:
    """A complete dataset that has not expired (an expired one is removed on the way)."""
    if not (is_valid_id(dataset_id) and dataset_path(dataset_id).is_file()):
        return False
    if access.is_expired(dataset_id):
        delete_dataset(dataset_id)
        return False
    return True


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=read_only, config=config.duckdb_settings(ingest=not read_only))


def open_dataset(dataset_id: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a complete dataset. Give each user session its own .cursor()."""
    if not exists(dataset_id):
        raise DatasetNotFound(dataset_id)
    version = _format_version(dataset_id) if dataset_id != DEMO_ID else FORMAT_VERSION
    if isinstance(version, int) and version < FORMAT_VERSION:
        _upgrade(dataset_id)
    return _connect(dataset_path(dataset_id), read_only=True)


# Derived tables whose columns changed in each format version: rebuilt when an older dataset is opened.
REBUILT_IN = {3: ("derive_cohort_days",)}  # 3: cohort_days gained active_purchases and the activity gaps


def _upgrade(dataset_id: str) -> None:
    """Bring a dataset saved by an older version up to FORMAT_VERSION: rebuild the derived tables that
    changed since, in a copy under tmp/ that then replaces the file (readers never see a half upgrade;
    a reader holding the old file keeps reading it)."""
    final = dataset_path(dataset_id)
    tmp = scratch.claim() / f"{dataset_id}.{WRITER}.{secrets.token_hex(4)}.duckdb.tmp"
    try:
        shutil.copy2(final, tmp)
        con = _connect(tmp, read_only=False)
        try:
            version = read_meta(con).get("format_version") or 0
            for step in sorted(v for v in REBUILT_IN if v > version):
                for name in REBUILT_IN[step]:
                    table = name.removeprefix("derive_")
                    con.execute("drop table if exists " + sql.quote_ident(table))
                    sql.execute(con, name)
            sql.execute(con, "put_meta", key="format_version", value=json.dumps(FORMAT_VERSION))
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(final.parent)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def create_dataset(
    purchases: Prepared | None,
    customers: Prepared | None,
    name: str,
    today: dt.date | None = None,
    dataset_id: str | None = None,
    progress: Callable[[str], None] | None = None,
    owner_token: str | None = None,
    meta: dict | None = None,
    draft: "Draft | None" = None,
) -> tuple[str, dict]:
    """Write a new dataset from prepared files; return (id, {kind: validation report}).
    meta: extra metadata keys to store with it (JSON values). draft: the Draft a preview of the same files
    filled (preview(..., draft=)): its parsed tables are taken instead of parsing the files again, when they
    are what a parse today would give (same prepared files, same day); otherwise the files are parsed.

    Atomic: the file appears under datasets/ only when complete (write to tmp/, fsync, rename).
    Its access settings (owner = holder of `owner_token`, default expiry) are written just before.
    """
    if purchases is None and customers is None:
        raise ValueError("a dataset needs a purchases file, a customers file, or both")
    say = progress or (lambda _msg: None)
    dataset_id = dataset_id or new_id()
    final = dataset_path(dataset_id)
    _dirs()
    tmp = scratch.claim() / f"{dataset_id}.{WRITER}.{secrets.token_hex(4)}.duckdb.tmp"
    taken = draft.take(purchases, customers, today or dt.date.today()) if draft is not None else None
    try:
        if taken is not None:
            os.replace(taken[0], tmp)
        con = _connect(tmp, read_only=False)
        try:
            if taken is None:
                reports = build(con, purchases, customers, name, today, say, meta=meta)
            else:  # parsed and validated by the preview: the derived tables it did not build and the metadata
                reports = taken[1]
                with _load_slot(say), _bounded(con, purchases, customers, config.load_seconds()):
                    _finish(con, purchases, customers, reports, name, say, meta, None, None, built=taken[2],
                            built_grains=taken[3])
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        if dataset_id != DEMO_ID:
            access.write(dataset_id, access.initial(owner_token))
        os.replace(tmp, final)
        _fsync(final.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        if dataset_id != DEMO_ID and not final.exists():
            access.forget(dataset_id)  # the record written just before a rename that did not happen
        raise
    return dataset_id, reports


def build(
    con: duckdb.DuckDBPyConnection,
    purchases: Prepared | None,
    customers: Prepared | None,
    name: str,
    today: dt.date | None = None,
    say: Callable[[str], None] = lambda _msg: None,
    *,
    refuse_unusable: bool = True,
    meta: dict | None = None,
    limit_seconds: float | None = None,
    flag_copies: bool = True,
    derived: Iterable[str] | None = None,
    grains: Iterable[str] | None = None,
) -> dict[str, dict]:
    """Fill an empty connection (a dataset file, or in-memory for the CLI) with a dataset's tables.
    Progress steps told to `say`: queued (waiting for a load slot), purchases, customers, summaries.
    A file that counts no customer (ingest/usable.py) raises IngestError naming the file and why; with
    refuse_unusable=False (a preview) its report gets the reason under "unusable" instead.
    Work beyond `limit_seconds` (default config.load_seconds(); 0 = none) is stopped: IngestError.
    flag_copies=False: see canonical.load_into (for one-shot CLI commands only; a dataset keeps its flags).
    derived: the derived tables to compute (names as in DERIVED_NEEDS; what they read comes along); None = all
    of them (a dataset), () = none (a preview, a CLI command reading only purchases/customers). grains: the
    period grains the per-grain cohort tables are built for (None = all; 'month' is always kept)."""
    with _load_slot(say):
        with _bounded(con, purchases, customers, config.load_seconds() if limit_seconds is None else limit_seconds):
            return _build(con, purchases, customers, name, today, say, refuse_unusable, meta or {}, flag_copies,
                          derived, grains)


@contextmanager
def _bounded(con: duckdb.DuckDBPyConnection, purchases: Prepared | None, customers: Prepared | None,
             seconds: float):
    """Refuse the file(s) with IngestError when the load needs more than the ingest memory limit, or when
    reading, detecting and loading them together run longer than `seconds` (0: no limit; the connection's
    work is interrupted then; what reading and detection spent is each Prepared's spent_seconds)."""
    files = [p for p in (purchases, customers) if p is not None]
    names = " and ".join(p.filename for p in files)
    deadline = Deadline(seconds, names, spent=sum(p.spent_seconds for p in files))
    try:
        with deadline.watch(con):
            yield
    except duckdb.OutOfMemoryException as exc:
        raise IngestError(names, "out_of_memory", limit=config.duckdb_ingest_memory_limit()) from exc


def _build(con: duckdb.DuckDBPyConnection, purchases: Prepared | None, customers: Prepared | None, name: str,
           today: dt.date | None, say: Callable[[str], None], refuse_unusable: bool = True,
           extra: dict | None = None, flag_copies: bool = True,
           derived: Iterable[str] | None = None, grains: Iterable[str] | None = None) -> dict[str, dict]:
    # a load that builds customer_summary counts the purchases file's customers from it (_finish), not by a
    # distinct count of every purchase's id
    counted_later = "derive_customer_summary" in needed(derived)
    reports = _load(con, purchases, customers, today or dt.date.today(), say, refuse_unusable, flag_copies,
                    count_customers=not counted_later)
    _finish(con, purchases, customers, reports, name, say, extra, derived, grains)
    return reports


def _load(con: duckdb.DuckDBPyConnection, purchases: Prepared | None, customers: Prepared | None, today: dt.date,
          say: Callable[[str], None], refuse_unusable: bool, flag_copies: bool,
          count_customers: bool = True) -> dict[str, dict]:
    """The parse and validation of build: the purchases, customers, rejected and possible_duplicates tables and
    an empty meta table; returns the reports. No derived table. count_customers=False: the purchases report's
    summary["customers"] is left None for _finish to count from customer_summary."""
    reports: dict[str, dict] = {}
    sql.execute(con, "create_meta")
    sql.execute(con, "create_rejected")
    sql.execute(con, "create_possible_duplicates")
    for kind, prepared in (("purchases", purchases), ("customers", customers)):
        if prepared is None:
            sql.execute(con, f"create_empty_{kind}")
        else:
            say(kind)
            reports[kind] = load_into(con, prepared, today, flag_copies, count_customers)
            if problem := nothing_usable(con, reports[kind], today):
                if refuse_unusable:
                    raise IngestError(prepared.filename, f"{problem}; {NOTHING_USABLE_CLI_HINT}")
                reports[kind]["unusable"] = problem
    return reports


def _finish(con: duckdb.DuckDBPyConnection, purchases: Prepared | None, customers: Prepared | None,
            reports: dict[str, dict], name: str, say: Callable[[str], None], extra: dict | None,
            derived: Iterable[str] | None, grains: Iterable[str] | None, built: frozenset[str] = frozenset(),
            built_grains: Iterable[str] | None = None) -> None:
    """The rest of build after _load: the derived tables (but those `built` already: see derive) and the metadata."""
    say("summaries")
    derive(con, *_segments(purchases, customers), derived, grains, built, built_grains)
    summary = reports.get("purchases", {}).get("summary", {})
    if "customers" in summary and summary["customers"] is None:
        summary["customers"] = int(sql.execute(con, "summary_purchase_customers").fetchone()[0])
    meta = {
        "name": name,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "format_version": FORMAT_VERSION,
        "reports": reports,
        "has_purchases": purchases is not None,
        "has_customers": customers is not None,
        "currency": reports.get("purchases", {}).get("money", {}).get("currency"),  # ISO 4217 code or None
        **(extra or {}),
    }
    for key, value in meta.items():
        sql.execute(con, "put_meta", key=key, value=json.dumps(value))


def _segments(purchases: Prepared | None, customers: Prepared | None) -> tuple[list[str], list[str]]:
    """The segment columns of the purchases and the customers file, as stored."""
    return ([stored_name(c) for c in purchases.segments] if purchases else [],
            [stored_name(c) for c in customers.segments] if customers else [])


def derive(con: duckdb.DuckDBPyConnection, purchase_segments: list[str], customer_segments: list[str],
           wanted: Iterable[str] | None = None, grains: Iterable[str] | None = None,
           built: frozenset[str] = frozenset(), built_grains: Iterable[str] | None = None) -> None:
    """Precompute the per-customer tables every page reads (run once, at load time). `wanted`: only these
    (DERIVED_NEEDS names) and what they read; None = all. customer_attributes (the files' segments) is
    always filled: it is small, and the CLI's segment checks read it. `grains`: build the per-grain tables
    for these period grains only (and 'month', which every per-customer join reads); None = all.
    `built`: the steps an earlier call built on this connection (needed() of its `wanted`: the preview's draft,
    Draft.build), skipped now; the same tables result as from one call. cohort_attributes
    built without the RFM attribute is built again after it when RFM is wanted now. `built_grains`: the grains the
    per-grain tables among `built` hold (None: all); the grains wanted now and missing from them are added (the
    same rows, in the same order, as from one call)."""
    chosen = needed(wanted) - built
    if built_grains is not None and "derive_cohort_grains" in built:
        more = sorted(_grain_set(grains) - set(built_grains))
        if more:
            _add_grains(con, more, [t for t in PER_GRAIN if t in built])
    if RFM in chosen and "derive_cohort_attributes" in built:  # it numbers every attribute, RFM groups among them
        con.execute("drop table cohort_attributes")
        chosen.add("derive_cohort_attributes")
    if not built:
        sql.execute(con, "create_customer_attributes")
        if customer_segments:
            sql.execute(con, "derive_attributes_from_customers", segments=customer_segments)
        if purchase_segments:
            sql.execute(con, "derive_attributes_from_purchases", segments=purchase_segments)
    for name in DERIVED_TABLES:
        if name == "derive_cohort_attributes" and RFM in chosen:  # RFM groups are an attribute like the others
            from retention.metrics import rfm

            rfm.save_attribute(con)
        if name in chosen:
            sql.execute(con, name)
        if name == "derive_cohort_grains" and name in chosen and grains is not None:
            sql.execute(con, "derive_keep_grains", grains=sorted(_grain_set(grains)))


def _grain_set(grains: Iterable[str] | None) -> set[str]:
    """The grains the per-grain tables hold when built for `grains`: those and 'month' (None: all of GRAINS)."""
    return set(GRAINS) if grains is None else {"month", *grains}


def _add_grains(con: duckdb.DuckDBPyConnection, more: list[str], steps: list[str]) -> None:
    """Append the rows of the grains `more` to the per-grain tables built by `steps` (PER_GRAIN names) and add
    them to cohort_grains. The tables are ordered by grain and `more` sorts after what they hold
    (FIRST_LOOK_GRAINS), so the rows and their order are those of building every grain at once."""
    have = [r[0] for r in con.execute("select grain from cohort_grains").fetchall()]
    if max(have) > min(more):
        raise ValueError(f"grains {more} would not sort after {have}")
    for grains, run in ((more, steps), (sorted({*have, *more}), [])):
        con.execute("drop table cohort_grains")
        sql.execute(con, "derive_cohort_grains")
        sql.execute(con, "derive_keep_grains", grains=grains)
        for step in run:
            sql.append(con, step)


def needed(wanted: Iterable[str] | None) -> set[str]:
    """The derived steps to run for `wanted` (None: every one): those named and, recursively, what they read.
    A step of DERIVED_TABLES missing from DERIVED_NEEDS is taken to read every step before it."""
    steps = [*DERIVED_TABLES, RFM]
    if wanted is None:
        return set(steps)
    todo, chosen = list(wanted), set()
    while todo:
        name = todo.pop()
        if name not in steps:
            raise ValueError(f"unknown derived table {name!r}")
        if name not in chosen:
            chosen.add(name)
            todo.extend(DERIVED_NEEDS[name] if name in DERIVED_NEEDS else [RFM, *DERIVED_TABLES[:DERIVED_TABLES.index(name)]])
    return chosen


# Queries (queries/NAME.sql, no parameters) that precompute tables at load time, in order.
# Each area (cohorts, churn, …) appends the derive_*.sql files its pages read.
DERIVED_TABLES: tuple[str, ...] = (
    "derive_customer_summary",
    "derive_cohort_grains",
    "derive_cohort_customers",
    "derive_cohort_days",
    "derive_cohort_activity",
    "derive_cohort_attributes",
)
RFM = "rfm_attribute"  # the "RFM group" attribute (metrics/rfm.py save_attribute), saved before cohort_attributes
# What each derived step reads among the others (the derive_*.sql "Reads:" headers; the RFM scores read
# cohort_customers and cohort_days). With RFM left out, cohort_attributes holds the files' segments only.
DERIVED_NEEDS: dict[str, tuple[str, ...]] = {
    "derive_customer_summary": (),
    "derive_cohort_grains": (),
    "derive_cohort_customers": ("derive_customer_summary", "derive_cohort_grains"),
    "derive_cohort_days": ("derive_cohort_customers",),
    "derive_cohort_activity": ("derive_cohort_days", "derive_cohort_grains"),
    RFM: ("derive_cohort_customers", "derive_cohort_days"),
    "derive_cohort_attributes": ("derive_cohort_customers",),
}
# What the Cohorts page's month heatmap reads (queries/cohort_matrix.sql, cohort_availability.sql): every derived
# table but the RFM attribute, which scores every customer; the Data page's first look builds these first, for
# the month grain only (the week and quarter rows are most of the per-grain tables' work; Save appends them).
FIRST_LOOK: tuple[str, ...] = ("derive_cohort_activity", "derive_cohort_attributes")
FIRST_LOOK_GRAINS: tuple[str, ...] = ("month",)
GRAINS: tuple[str, ...] = ("month", "quarter", "week")  # queries/derive_cohort_grains.sql's, in sort order
# The derived steps whose table holds rows per period grain (read from cohort_grains), in build order
PER_GRAIN: tuple[str, ...] = ("derive_cohort_customers", "derive_cohort_activity")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_meta(con: duckdb.DuckDBPyConnection) -> dict:
    """A dataset's metadata (name, created_at, reports, …) from an open connection."""
    return {row.key: json.loads(row.value) for row in sql.frame(con, "get_meta").itertuples()}


def delete_dataset(dataset_id: str) -> None:
    """Remove a dataset from disk (the caller closes any cached connection first)."""
    path = dataset_path(dataset_id)
    if not path.is_file():
        raise DatasetNotFound(dataset_id)
    path.unlink()
    Path(str(path) + ".wal").unlink(missing_ok=True)
    access.forget(dataset_id)


def purge(now: dt.datetime | None = None) -> list[str]:
    """Remove expired datasets and settings files left without a dataset; return the removed ids."""
    removed = []
    datasets = _dirs()[0]
    for path in datasets.glob("*.duckdb"):
        if is_valid_id(path.stem) and access.is_expired(path.stem, now):
            delete_dataset(path.stem)
            removed.append(path.stem)
    for side in datasets.glob("*.json"):
        if not side.with_suffix(".duckdb").exists() and time.time() - side.stat().st_mtime > STALE_TMP_SECONDS:
            side.unlink(missing_ok=True)
    return removed


def clean_tmp(max_age_seconds: int = STALE_TMP_SECONDS) -> int:
    """Delete leftovers of interrupted writes older than max_age; return how many were removed."""
    removed = 0
    for path in _dirs()[1].glob("*.tmp*"):
        if scratch.is_live(scratch.writer_of(path.name)):
            continue  # a live process's load, however long it has been open
        if time.time() - path.stat().st_mtime > max_age_seconds:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def clean_abandoned_tmp() -> int:
    """Delete what processes that are gone (killed, crashed) left behind: their temporary files (staging
    files, half-written datasets, spill directories) and orphan access records; never another live
    process's load in progress (see scratch.py). Returns how many were removed. Run at every start."""
    return scratch.clean_abandoned()


def recover() -> None:
    """At server start: drop what interrupted writes left behind, and datasets past their expiry (the CLI
    runs clean_abandoned_tmp at its start too)."""
    clean_tmp()
    clean_abandoned_tmp()
    purge()


def _format_version(dataset_id: str, key: str = "format_version"):
    """The dataset's metadata value under `key` (default its format version); None when unreadable."""
    con = _connect(dataset_path(dataset_id), read_only=True)
    try:
        return read_meta(con).get(key)
    except duckdb.Error:
        return None
    finally:
        con.close()


def ensure_demo(progress: Callable[[str], None] | None = None) -> str:
    """The demo dataset's id, building it on first use from the seeded generator in data/, and again
    when the format or the generator changed (so a data directory never keeps an outdated demo)."""
    from retention import demo

    if (exists(DEMO_ID) and _format_version(DEMO_ID) == FORMAT_VERSION
            and _format_version(DEMO_ID, "demo_generator") == demo.fingerprint()):
        return DEMO_ID
    purchases, customers = demo.prepared_files()
    create_dataset(purchases, customers, name="Demo shop (generated)", dataset_id=DEMO_ID, progress=progress,
                   meta={"demo_generator": demo.fingerprint()})
    return DEMO_ID


class Draft:
    """What a preview parsed and validated, kept for the Save that usually follows: a DuckDB file under tmp/
    holding the purchases, customers, rejected and possible_duplicates tables and an empty meta table (no derived
    table), so that create_dataset(..., draft=) derives from it instead of parsing the same files again (at 1M
    purchases about 3 CPU s of the upload-to-chart path). build() adds derived tables before the Save (the Data
    page's first look at the cohorts: FIRST_LOOK, then the rest), which the Save then does not build again. The
    file goes when a save takes it, when the Draft is garbage (a new preview replaced it, the session ended) or
    with the process (scratch.py: its WRITER mark)."""

    def __init__(self) -> None:
        _dirs()
        self.path = scratch.claim() / f"draft.{WRITER}.{secrets.token_hex(8)}.duckdb.tmp"
        # (purchases, customers, today, reports) once preview() filled the file
        self._held: tuple[Prepared | None, Prepared | None, dt.date, dict] | None = None
        self.built: frozenset[str] = frozenset()  # the derived steps in the file (needed() names)
        self.grains: tuple[str, ...] | None = None  # the grains the per-grain tables among them hold (None: all)
        weakref.finalize(self, _remove_file, self.path)

    @property
    def usable(self) -> bool:
        """Whether the file holds a preview's parse that a Save can take (every file usable)."""
        return self._held is not None and not any(r.get("unusable") for r in self._held[3].values())

    def build(self, wanted: Iterable[str] | None = None, say: Callable[[str], None] = lambda _step: None,
              grains: Iterable[str] | None = None) -> None:
        """Build the derived tables `wanted` (as derive's; None = all) and what they read into the file, those
        not built yet, the per-grain ones for `grains` (as derive's; None = all), under the load slot and limits
        a Save has (its time limit again: IngestError). The Save taking the draft builds only the rest: its tables
        are the same as from one build. Does nothing on a draft that is not usable; on any failure the draft is
        dropped (the Save then parses the files again)."""
        want = _grain_set(grains)
        per_grain = "derive_cohort_grains" in self.built
        have = _grain_set(self.grains) if per_grain else set()
        if not self.usable or (needed(wanted) <= self.built and (not per_grain or want <= have)):
            return
        purchases, customers = self._held[0], self._held[1]
        try:
            con = _connect(self.path, read_only=False)
            try:
                with _load_slot(say), _bounded(con, purchases, customers, config.load_seconds()):
                    derive(con, *_segments(purchases, customers), wanted, grains, self.built, self.grains)
            finally:
                con.close()
        except BaseException:
            self._held, self.built, self.grains = None, frozenset(), None
            _remove_file(self.path)
            raise
        self.built = self.built | needed(wanted)
        if "derive_cohort_grains" in self.built:
            held = have | want
            self.grains = None if held >= set(GRAINS) else tuple(sorted(held))

    @contextmanager
    def read(self):
        """A read-only connection to the draft's file (for the first look's queries), closed after the block."""
        con = _connect(self.path, read_only=True)
        try:
            yield con
        finally:
            con.close()

    def fill(self, purchases: Prepared | None, customers: Prepared | None,
             say: Callable[[str], None]) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
        """preview()'s work, into the draft's file."""
        from retention.metrics.overview import possible_duplicate_rows, rejected_rows

        self._held, self.built, self.grains, today = None, frozenset(), None, dt.date.today()
        _remove_file(self.path)
        try:
            con = _connect(self.path, read_only=False)
            try:
                with _load_slot(say), _bounded(con, purchases, customers, config.load_seconds()):
                    reports = _load(con, purchases, customers, today, say, refuse_unusable=False, flag_copies=True)
                result = reports, rejected_rows(con, PREVIEW_ROWS), possible_duplicate_rows(con, PREVIEW_ROWS)
            finally:
                con.close()
        except BaseException:
            _remove_file(self.path)
            raise
        self._held = (purchases, customers, today, copy.deepcopy(reports))
        return result

    def take(self, purchases: Prepared | None, customers: Prepared | None,
             today: dt.date) -> tuple[Path, dict, frozenset[str], tuple[str, ...] | None] | None:
        """(the file, the reports, the derived steps built, the grains their per-grain tables hold) when the draft
        holds the parse of exactly these prepared files on `today` and every file is usable; else None (and the file
        is dropped). Taken once: the file is the caller's now."""
        usable, held, self._held = self.usable, self._held, None
        built, self.built = self.built, frozenset()
        grains, self.grains = self.grains, None
        if (not usable or held[2] != today or not _same_load(held[0], purchases)
                or not _same_load(held[1], customers) or not self.path.is_file()):
            _remove_file(self.path)
            return None
        return self.path, held[3], built, grains


def _same_load(held: Prepared | None, given: Prepared | None) -> bool:
    """Whether loading `given` gives the tables loading `held` gave: the same read table (the same object) and
    the same choices (roles, dates, money, statuses …; the seconds spent reading aside)."""
    if held is None or given is None:
        return held is given
    choices = [f.name for f in dataclasses.fields(Prepared) if f.name not in ("raw", "spent_seconds")]
    return held.raw is given.raw and all(getattr(held, n) == getattr(given, n) for n in choices)


def _remove_file(path: Path) -> None:
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)


def preview(purchases: Prepared | None, customers: Prepared | None,
            progress: Callable[[str], None] | None = None,
            draft: Draft | None = None) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Validate files without storing them: (reports by kind, rejected rows with their original cells,
    possible duplicates with their original cells: metrics.overview.possible_duplicate_rows; each list the
    first PREVIEW_ROWS rows, the reports count them all). progress: as build's `say`. draft: keep the parsed
    tables in this Draft for create_dataset(..., draft=) (the same reports and lists)."""
    from retention.metrics.overview import possible_duplicate_rows, rejected_rows

    if draft is not None:
        return draft.fill(purchases, customers, progress or (lambda _step: None))
    con = duckdb.connect(config=config.duckdb_settings(ingest=True))
    try:
        reports = build(con, purchases, customers, name="preview", say=progress or (lambda _step: None),
                        refuse_unusable=False, derived=())  # the reports and lists read no derived table
        return reports, rejected_rows(con, PREVIEW_ROWS), possible_duplicate_rows(con, PREVIEW_ROWS)
    finally:
        con.close()
