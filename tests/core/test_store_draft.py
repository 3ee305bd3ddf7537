"""Issue 20: Save takes the tables the upload's preview parsed (store.Draft) instead of parsing the files again,
and the dataset it writes is the one a save from the files writes."""

from __future__ import annotations

import datetime as dt
import gc

import duckdb
import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare

# refunds, a rejected row (no customer), a possible duplicate, a future date, a segment column
PURCHASES = ("customer,date,amount,channel\na,2024-01-05,10,web\na,2024-02-10,-10,web\na,2024-03-01,25.5,app\n"
             "b,2024-01-31,7,app\nb,2024-01-31,7,app\n,2024-02-01,4,web\nc,2024-02-01,4,web\nc,2099-04-02,3,web\n"
             ).encode()
CUSTOMERS = ("customer,signup,cancel date,reason,plan\na,2024-01-01,,,Pro\nb,2024-01-30,2024-03-01,Too expensive,Free\n"
             "d,2024-02-15,2024-02-20,,Free\n").encode()


def _files():
    return prepare(PURCHASES, "p.csv", "purchases", segments=["channel"]), prepare(CUSTOMERS, "c.csv", "customers")


def _contents(dataset_id: str) -> dict:
    """Every table of a dataset, rows sorted (meta without its creation time), read independently of store."""
    con = duckdb.connect(str(store.dataset_path(dataset_id)), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        tables = {}
        for name in names:
            frame = con.execute(f'select * from "{name}"').df()
            if name == "meta":
                frame = frame[~frame["key"].isin(["created_at"])]
            tables[name] = (list(frame.columns), sorted(map(repr, frame.itertuples(index=False))))
        return tables
    finally:
        con.close()


def _parses(monkeypatch) -> list[str]:
    """The files store parses from here on (store.load_into's calls), by kind."""
    calls: list[str] = []
    load_into = store.load_into
    monkeypatch.setattr(store, "load_into", lambda con, prepared, *a, **k: calls.append(prepared.kind)
                        or load_into(con, prepared, *a, **k))
    return calls


def test_a_save_from_the_preview_draft_writes_the_same_dataset_without_parsing_again(data_dir, monkeypatch):
    purchases, customers = _files()
    plain = store.preview(purchases, customers)
    draft = store.Draft()
    kept = store.preview(purchases, customers, draft=draft)
    assert kept[0] == plain[0]
    pd.testing.assert_frame_equal(kept[1], plain[1])
    pd.testing.assert_frame_equal(kept[2], plain[2])
    assert len(kept[1]) == 1 and len(kept[2]) == 1  # the row without a customer; b's repeated row

    parses = _parses(monkeypatch)
    from_draft, reports = store.create_dataset(purchases, customers, "t", draft=draft)
    assert parses == []
    assert not draft.path.exists()
    from_files, reports_files = store.create_dataset(purchases, customers, "t")
    assert parses == ["purchases", "customers"]
    assert reports == reports_files
    assert _contents(from_draft) == _contents(from_files)
    assert sorted(p.name for p in (data_dir / "tmp").glob("*.tmp*")) == []


def test_the_draft_is_not_used_for_other_files_another_day_or_twice(data_dir, monkeypatch):
    purchases, customers = _files()
    parses = _parses(monkeypatch)
    draft = store.Draft()
    store.preview(purchases, None, draft=draft)
    other = prepare(PURCHASES, "p.csv", "purchases")  # another read of the same bytes, no segment
    store.create_dataset(other, None, "t", draft=draft)
    assert parses == ["purchases", "purchases"] and not draft.path.exists()
    store.create_dataset(purchases, None, "t", draft=draft)  # taken (and dropped) already: parsed again
    assert parses == ["purchases"] * 3

    store.preview(purchases, None, draft=draft)
    store.create_dataset(purchases, None, "t", today=dt.date.today() + dt.timedelta(days=1), draft=draft)
    assert parses == ["purchases"] * 5  # the future flags depend on the day


def test_an_unused_draft_leaves_no_file(data_dir):
    purchases, customers = _files()
    draft = store.Draft()
    store.preview(purchases, customers, draft=draft)
    path = draft.path
    assert path.is_file()
    del draft
    gc.collect()
    assert not path.exists()


def test_an_unusable_file_in_the_draft_is_refused_at_save(data_dir):
    purchases = prepare(b"customer,date,amount\na,2099-01-05,10\n", "p.csv", "purchases")
    draft = store.Draft()
    reports, _rejected, _copies = store.preview(purchases, None, draft=draft)
    assert reports["purchases"].get("unusable")
    with pytest.raises(Exception):
        store.create_dataset(purchases, None, "t", draft=draft)
    assert list((data_dir / "datasets").glob("*.duckdb")) == []


def _shop() -> bytes:
    """A year of purchases by 200 customers (seeded), with a segment column: cohorts of 30 and more, RFM groups."""
    import random

    rng = random.Random(20)
    rows = ["customer,date,amount,channel"]
    for n in range(200):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(90))
        while day < dt.date(2024, 12, 31):
            rows.append(f"c{n},{day.isoformat()},{rng.randrange(-5, 80)},{rng.choice(['web', 'app'])}")
            day += dt.timedelta(days=rng.randrange(5, 120))
    return ("\n".join(rows) + "\n").encode()


def _in_stored_order(dataset_id: str) -> dict[str, list[tuple]]:
    """The per-grain tables' rows in the order they are stored (their zone maps prune by grain: order matters)."""
    con = duckdb.connect(str(store.dataset_path(dataset_id)), read_only=True)
    try:
        return {t: con.execute(f"select * from {t} order by rowid").fetchall()
                for t in ("cohort_grains", "cohort_customers", "cohort_activity")}
    finally:
        con.close()


def test_the_first_look_grains_sort_first_and_the_cohorts_page_opens_on_one():
    from retention import state

    assert sorted(store.GRAINS) == list(store.GRAINS)
    assert list(store.FIRST_LOOK_GRAINS) == list(store.GRAINS[:len(store.FIRST_LOOK_GRAINS)])
    assert state.Cohorts().period in store.FIRST_LOOK_GRAINS


def _heatmap_cells(con) -> pd.DataFrame:
    """The Cohorts page's first view: the month matrix with its defaults."""
    from retention.metrics import cohorts

    return cohorts.matrix(con.cursor(), period="month")


@pytest.mark.parametrize("rest", [True, False], ids=["rest built before save", "rest built by save"])
def test_the_first_look_reads_the_saved_heatmap_and_the_save_builds_only_the_rest(data_dir, monkeypatch, rest):
    purchases = prepare(_shop(), "p.csv", "purchases", segments=["channel"])
    draft = store.Draft()
    store.preview(purchases, None, draft=draft)
    draft.build(store.FIRST_LOOK, grains=store.FIRST_LOOK_GRAINS)
    assert store.RFM not in draft.built and "derive_cohort_activity" in draft.built
    assert draft.grains == ("month",)
    with draft.read() as con:
        first_look = _heatmap_cells(con)
        assert con.execute("select count(*) from cohort_attributes where attribute = 'RFM group'").fetchone() == (0,)
        assert con.execute("select distinct grain from cohort_activity").fetchall() == [("month",)]
    if rest:
        draft.build()
        assert store.RFM in draft.built and draft.grains is None

    parses, steps = _parses(monkeypatch), []
    execute = store.sql.execute
    monkeypatch.setattr(store.sql, "execute", lambda con, name, **k: steps.append(name) or execute(con, name, **k))
    append = store.sql.append
    monkeypatch.setattr(store.sql, "append", lambda con, name, **k: steps.append(f"{name} (appended)")
                        or append(con, name, **k))
    from_draft, _reports = store.create_dataset(purchases, None, "t", draft=draft)
    assert parses == []
    # the RFM groups go into cohort_attributes: built again after them when the first look built it without
    # the week and quarter rows appended to the month's (cohort_grains made again around them)
    assert [s for s in steps if s.startswith("derive_")] == ([] if rest else [
        "derive_cohort_grains", "derive_keep_grains", "derive_cohort_customers (appended)",
        "derive_cohort_activity (appended)", "derive_cohort_grains", "derive_keep_grains",
        "derive_attributes_rfm", "derive_cohort_attributes"])
    from_files, _ = store.create_dataset(purchases, None, "t")
    assert _contents(from_draft) == _contents(from_files)
    assert _in_stored_order(from_draft) == _in_stored_order(from_files)
    saved = store.open_dataset(from_files)
    try:
        assert saved.execute("select count(*) > 0 from cohort_attributes where attribute = 'RFM group'").fetchone()[0]
        pd.testing.assert_frame_equal(first_look, _heatmap_cells(saved))
    finally:
        saved.close()
    assert len(first_look) > 10 and first_look["cohort_size"].max() >= 30


def test_a_failed_build_drops_the_draft_and_the_save_parses_again(data_dir, monkeypatch):
    purchases = prepare(_shop(), "p.csv", "purchases")
    draft = store.Draft()
    store.preview(purchases, None, draft=draft)
    monkeypatch.setattr(store, "derive", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("stopped")))
    with pytest.raises(RuntimeError):
        draft.build(store.FIRST_LOOK)
    assert not draft.usable and not draft.path.exists()
    monkeypatch.undo()
    parses = _parses(monkeypatch)
    store.create_dataset(purchases, None, "t", draft=draft)
    assert parses == ["purchases"]
