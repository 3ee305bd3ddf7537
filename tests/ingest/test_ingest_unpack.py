"""Compressed files read from disk (issue 16.6, bounded work): a .gz or a .zip whose content is large is unpacked
to a scratch file chunk by chunk (unwrap.unpack_path) and staged like a plain file (stage.read_path), instead of
being inflated in memory and read whole. The same cells, row numbers and info as read_table on the bytes; the same
refusals with the same sentences; nothing left in tmp/; memory of a few chunks, not of the content."""

from __future__ import annotations

import gc
import gzip
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from retention.ingest import stage, unwrap
from retention.ingest.errors import IngestError
from retention.ingest.read import read_table
from retention.ingest.stage import read_path
from tests.ingest.test_ingest_stage import loaded, whole

ROWS = b"customer,date,amount\n" + b"".join(b"C%d,2024-%02d-%02d,%d.25\n" % (i % 97, i % 12 + 1, i % 28 + 1, i % 50)
                                            for i in range(3_000))


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def leftovers(data_dir: Path) -> list[str]:
    gc.collect()
    return sorted(p.name for p in (data_dir / "tmp").glob("*")) if (data_dir / "tmp").exists() else []


def zipped(name: str, data: bytes, *more: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
        for other, content in more:
            archive.writestr(other, content)
    return buffer.getvalue()


def on_disk(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


CASES = {
    "orders.csv.gz": gzip.compress(ROWS),
    "orders.zip": zipped("export/orders.csv", ROWS),
    "orders.csv.gz.zip": zipped("orders.csv.gz", gzip.compress(ROWS)),
    # two gzip members one after the other (what `cat a.gz b.gz` makes), then trailing zeros
    "joined.csv.gz": gzip.compress(ROWS[:40_000]) + gzip.compress(ROWS[40_000:]) + b"\0" * 16,
    "orders.dat.gz": gzip.compress(ROWS),  # no text extension inside: read as text, as read_table does
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_large_compressed_file_is_staged_as_read_table_reads_it(tmp_path, data_dir, name):
    path = on_disk(tmp_path, name, CASES[name])
    staged, memory = read_path(path, stage_min_bytes=0), read_table(CASES[name], name)
    assert staged.staged is not None and memory.staged is None
    assert staged.columns == ["customer", "date", "amount"] and staged.row_count == 3_000
    assert whole(staged) == whole(memory)
    assert staged.info == memory.info and staged.info["compression"] == ("zip" if name.endswith(".zip") else "gzip")
    assert loaded(staged, name) == loaded(memory, name)
    del staged
    assert leftovers(data_dir) == []


def test_a_small_compressed_file_is_still_read_in_memory(tmp_path, data_dir):
    path = on_disk(tmp_path, "orders.csv.gz", CASES["orders.csv.gz"])
    raw = read_path(path)  # 90 KB inside: under every staging threshold
    assert raw.staged is None and raw.info["compression"] == "gzip" and raw.row_count == 3_000
    assert leftovers(data_dir) == []  # nothing was written to disk


def test_unpacking_holds_a_chunk_not_the_content(tmp_path, data_dir, monkeypatch):
    """9 MB of content unpacked 64 KB at a time: Python's peak stays under 1 MB (a few chunks: the compressed one
    read, the unpacked one, the decoder's unconsumed input); unwrap, in memory, holds all 9 MB."""
    monkeypatch.setattr(unwrap, "CHUNK_BYTES", 64 * 1024)
    content = ROWS * 100
    path = on_disk(tmp_path, "big.csv.gz", gzip.compress(content, compresslevel=1))
    tracemalloc.start()
    try:
        unpacked = unwrap.unpack_path(path, "big.csv.gz", 1024, lambda: tmp_path / "copy.tmp")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert unpacked.path.read_bytes() == content and unpacked.name == "big.csv" and unpacked.wrapper == "gzip"
    assert peak < 1024 * 1024, peak


def _refusals(tmp_path: Path, name: str, data: bytes) -> tuple[str, str]:
    with pytest.raises(IngestError) as on_disk_error:
        read_path(on_disk(tmp_path, name, data), stage_min_bytes=0)
    with pytest.raises(IngestError) as in_memory_error:
        read_table(data, name)
    return str(on_disk_error.value), str(in_memory_error.value)


@pytest.mark.parametrize("name, data, words", [
    ("cut.csv.gz", gzip.compress(ROWS)[:-300], "cut short"),
    ("damaged.csv.gz", gzip.compress(ROWS)[:200] + b"\xff" * 64 + gzip.compress(ROWS)[264:], "damaged"),
    ("two.zip", zipped("a.csv", ROWS, ("b.csv", ROWS)), "a.csv, b.csv"),
    ("empty.zip", zipped("__MACOSX/._a.csv", b"x"), "archive is empty"),
    ("empty_member.zip", zipped("a.csv", b""), "inside the archive is empty"),
    ("picture.csv.gz", gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100), "PNG image"),
])
def test_a_bad_archive_is_refused_from_disk_with_read_tables_sentence(tmp_path, data_dir, name, data, words):
    disk, memory = _refusals(tmp_path, name, data)
    assert disk == memory and disk.startswith(f"file {name!r}: ") and words in disk
    assert leftovers(data_dir) == []


def test_an_archive_inflating_beyond_the_limit_is_refused_while_unpacking(tmp_path, data_dir, monkeypatch):
    """The unpack limit (4 × the upload limit: 4 MB here) is applied chunk by chunk on disk as in memory."""
    monkeypatch.setenv("RETENTION_MAX_UPLOAD_MB", "1")
    bomb = b"1,2,3\n" * (1_000_000)  # 6 MB of content, 20 KB compressed
    for name, data in (("bomb.csv.gz", gzip.compress(bomb)), ("bomb.zip", zipped("bomb.csv", bomb))):
        disk, memory = _refusals(tmp_path, name, data)
        assert disk == memory and "beyond the limit" in disk
    assert leftovers(data_dir) == []


def test_unpacking_stops_at_the_load_time_limit(tmp_path, data_dir):
    path = on_disk(tmp_path, "orders.csv.gz", CASES["orders.csv.gz"])
    with pytest.raises(IngestError, match="'orders.csv.gz': .*longer than the limit"):
        read_path(path, stage_min_bytes=0, limit_seconds=0.000001)
    assert leftovers(data_dir) == []


def test_a_large_unstageable_text_file_in_an_archive_is_refused(tmp_path, data_dir, monkeypatch):
    """Blank lines between rows need the whole-file reader; inside a .gz that is just as true, and from
    PYTHON_READER_MAX_BYTES of content it is refused, naming the upload."""
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", 1024)
    data = gzip.compress(ROWS.replace(b"\nC5,", b"\n\nC5,"))
    with pytest.raises(IngestError, match="'orders.csv.gz': .*blank lines"):
        read_path(on_disk(tmp_path, "orders.csv.gz", data), stage_min_bytes=0)
    assert leftovers(data_dir) == []


@pytest.mark.parametrize("name", ["orders.dat", "orders", "orders.xls"])
def test_a_large_text_file_with_another_name_is_staged(tmp_path, data_dir, name):
    """read_table reads any file that is not a workbook, Parquet or an archive as text, whatever it is called (a
    text .xls too, as some exporters write); staging does the same, so such a file is bounded like a .csv."""
    path = on_disk(tmp_path, name, ROWS)
    staged, memory = read_path(path, stage_min_bytes=0), read_table(ROWS, name)
    assert staged.staged is not None and whole(staged) == whole(memory)
    assert staged.info == memory.info


def test_a_large_unstageable_file_with_another_name_is_refused(tmp_path, data_dir, monkeypatch):
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", 1024)
    with pytest.raises(IngestError, match="'orders.dat': .*blank lines"):
        read_path(on_disk(tmp_path, "orders.dat", ROWS.replace(b"\nC5,", b"\n\nC5,")), stage_min_bytes=0)


def test_a_large_parquet_file_is_staged_as_read_table_reads_it(tmp_path, data_dir):
    """Copied by DuckDB into the staging file as text (stage.stage_parquet), not into pandas: the same names,
    cells and row numbers; a row of nothing but nulls is left out and counted as a blank row by both readers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "orders.parquet"
    pq.write_table(pa.table({"customer": ["C1", None, "C2", "C1"], "date": ["2024-01-05", None, "2024-02-01", None],
                             "amount": pa.array([10.5, None, 3.0, 7.25])}), path)
    staged, memory = read_path(path, stage_min_bytes=0), read_table(path.read_bytes(), "orders.parquet")
    assert staged.staged is not None and memory.staged is None
    assert whole(staged) == whole(memory) == [["2", "C1", "2024-01-05", "10.5"], ["4", "C2", "2024-02-01", "3.0"],
                                               ["5", "C1", "", "7.25"]]
    assert staged.info == memory.info and memory.info["blank_rows"] == 1


def test_the_upload_page_says_which_file_in_the_archive_was_read(tmp_path, data_dir):
    from retention import ui_text

    raw = read_path(on_disk(tmp_path, "orders.zip", CASES["orders.zip"]), stage_min_bytes=0)
    assert ui_text.read_as(raw.info, None) == ("Read as text, UTF-8, delimiter ',', header on row 1, from orders.csv in "
                                               "the archive")
