"""The staged reader (retention/ingest/stage.py: a large text file goes from disk into a DuckDB staging
file, never into pandas) gives exactly what read_table gives on the file's bytes: the same cells, row
numbers and read info, and after loading the same purchases, rejected rows and validation report.
The reference is the in-memory path (itself tested against Python's csv module in test_ingest_corpus).
The tests that take `staging` run both ways a file is staged: into a staging file (the app) and into an
in-memory database of the connection that loads it (the one-shot CLI, read_path's `into`)."""

from __future__ import annotations

import datetime as dt
import gc
import json
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings

from retention import sql
from retention.ingest import stage
from retention.ingest.budget import Deadline
from retention.ingest.canonical import load_into, prepare
from retention.ingest.errors import IngestError
from retention.ingest.read import ROW, read_table
from retention.ingest.stage import read_path
from tests.ingest.test_ingest_properties import messy_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
TODAY = dt.date(2025, 6, 1)
TEXT = sorted(p for folder in ("conventions", "exports") for p in (FIXTURES / folder).iterdir()
              if p.suffix in (".csv", ".tsv", ".txt"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(params=["file", "memory"])
def staging(request):
    """read_path(path, stage_min_bytes=0 unless given) staging into a file, or into a connection's memory."""
    if request.param == "file":
        yield lambda path, **options: read_path(path, **{"stage_min_bytes": 0, **options})
        return
    owner = duckdb.connect()
    yield lambda path, **options: read_path(path, **{"stage_min_bytes": 0, **options}, into=lambda: owner)
    owner.close()


def connection_for(raw):
    """A connection that can read the RawTable's staged rows: a cursor of their owner when staged in memory."""
    owner = raw.staged.owner if raw.staged is not None else None
    return owner.cursor() if owner is not None else duckdb.connect()


def whole(raw):
    """Every row of a RawTable as text lists (a staged one read back from its staging file)."""
    if raw.staged is None:
        return raw.frame.astype(str).values.tolist()
    with connection_for(raw) as con:
        raw.staged.attach(con, "everything")
        frame = con.execute(f"select * from everything order by {sql.quote_ident(ROW)}").df()
    return frame.astype(str).values.tolist()


def loaded(raw, name, kind="purchases", mapping=None):
    prepared = prepare(b"", name, kind, mapping, raw=raw)
    with connection_for(raw) as con:
        sql.execute(con, "create_rejected")
        report = load_into(con, prepared, TODAY)
        table = con.execute(f"select * from {kind} order by row_no").fetchall()
        rejected = con.execute("select * from rejected order by row_no").fetchall()
    return table, rejected, report


def test_some_fixtures_are_staged():
    staged = [p.name for p in TEXT if read_path(p, stage_min_bytes=0).staged is not None]
    assert {"utf8_comma.csv", "crlf_quoted_all.csv", "tab_separated.tsv"} <= set(staged)


@pytest.mark.parametrize("path", TEXT, ids=lambda p: p.name)
def test_staged_file_reads_and_loads_like_its_bytes(path, staging):
    staged, memory = staging(path), read_table(path.read_bytes(), path.name)
    assert staged.columns == memory.columns
    assert whole(staged) == whole(memory)
    assert staged.row_count == len(memory.frame)
    assert {k: v for k, v in staged.info.items() if k != "reader"} == {k: v for k, v in memory.info.items() if k != "reader"}
    kind = "customers" if "customer" in path.name or "subscriptions" in path.name or "hubspot" in path.name else "purchases"
    try:
        expected = loaded(memory, path.name, kind)
    except Exception as exc:  # noqa: BLE001 - a file of the other kind: both paths must fail alike
        with pytest.raises(type(exc)):
            loaded(staged, path.name, kind)
        return
    assert loaded(staged, path.name, kind) == expected


def test_rejected_rows_totals_and_blank_cells_survive_staging(tmp_path, staging):
    text = ("title line\n\norder_id,customer,order date,amount,channel,amount (x)\n"
            "1,c1,2024-01-05,10.00,Email,a\n"
            "2,,2024-01-06,11.00,Email,b\n"        # missing customer → rejected
            ",,,,,\n"                               # every cell empty → a blank row
            "3,c2,not a date,12.00,Paid,c\n"        # bad date → rejected
            "1,c1,2024-01-05,10.00,Email,a\n"       # exact copy of a line of order 1 → merged (duplicate_line)
            "4,c3,2024-02-01,-5.00,Paid,d\n"        # refund, kept and flagged
            "Total,,,28.00,,\n")                    # totals row set aside
    path = tmp_path / "shop.csv"
    path.write_text(text, encoding="utf-8")
    staged, memory = staging(path), read_table(path.read_bytes(), path.name)
    assert staged.staged is not None and staged.info["total_rows"] == memory.info["total_rows"] == [10]
    assert whole(staged) == whole(memory)
    table, rejected, report = loaded(staged, path.name)
    assert (table, rejected, report) == loaded(memory, path.name)
    assert [r[1] for r in rejected] == [5, 7]
    assert {k["reason"]: k["examples"] for k in report["skipped"]} == {"duplicate_line": [8], "total_row": [10]}
    assert json.loads(rejected[0][4])["customer"] == ""


@pytest.mark.parametrize("blank_after", [0, stage.TAIL_ROWS + 10], ids=["totals_last", "blank_rows_after_totals"])
def test_totals_found_at_the_end_of_a_long_staged_file(tmp_path, blank_after, staging):
    """The totals check reads the staging file's end first; when blank rows fill that end it reads every row,
    so the totals row and the notes are found either way, as in memory."""
    rows = "".join(f"c{i % 97},2024-01-{1 + i % 28:02d},{i % 50}.00\n" for i in range(5000))
    text = "customer,date,amount\n" + rows + "Total,,12345.00\nexported by shop,,\n" + ",,\n" * blank_after
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    staged, memory = staging(path), read_table(path.read_bytes(), path.name)
    assert staged.staged is not None
    assert staged.info["total_rows"] == memory.info["total_rows"] == [5002, 5003]
    assert staged.info["blank_rows"] == memory.info["blank_rows"] == blank_after
    assert staged.row_count == len(memory.frame) == 5000


def test_blank_lines_between_rows_fall_back_to_the_exact_reader(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("customer,date,amount\nc1,2024-01-05,1\n\nc2,2024-01-06,2\n", encoding="utf-8")
    raw = read_path(path, stage_min_bytes=0)
    assert raw.staged is None and raw.frame[ROW].tolist() == [2, 4]


@pytest.mark.parametrize("body", ["c1,2024-01-05,1\n\nc2,2024-01-06,2\n", "c1,2024-01-05,1\rc2,2024-01-06,2\n"])
def test_a_file_with_blank_lines_leaves_nothing_staged(tmp_path, data_dir, body):
    """The blank-line scan runs beside the staging (stage._try_stage): a file it finds a blank line or a bare CR in
    is read by the exact reader, and what the staging wrote meanwhile is gone, on disk or in the connection."""
    path = tmp_path / "gaps.csv"
    path.write_text("customer,date,amount\n" + body * 200, encoding="utf-8")
    databases = "select database_name from duckdb_databases() where database_name like 'stage_%'"
    with duckdb.connect() as owner:
        for into in (None, lambda: owner):
            raw = read_path(path, stage_min_bytes=0, into=into)
            assert raw.staged is None and raw.info["reader"] == "python"
            assert whole(raw) == whole(read_table(path.read_bytes(), path.name))
            assert not list((data_dir / "tmp").glob("stage.*")) and owner.execute(databases).fetchall() == []


def test_small_files_are_read_in_memory():
    assert read_path(FIXTURES / "conventions" / "utf8_comma.csv").staged is None  # below the size threshold


POLISH_HEAD = "raport sprzedaży\nklient;data;kwota;uwagi\n"
POLISH_ROWS = ("Łukasz Żółć;2024-01-05;1,50;zażółć\n"
               ";2024-01-06;2,00;brak klienta\n"            # missing customer → rejected (row 4, 10, …)
               "Józef Gęśla;nie data;3,25;zła data\n"       # bad date → rejected (row 5, 11, …)
               '"Agnieszka; Ślęzak";2024-02-01;-4,00;"zwrot\nw dwóch liniach"\n'  # a line break in a quoted cell
               ";;;\n"                                       # a blank row
               "Łukasz Żółć;2024-03-01;5,75;\n")
POLISH = POLISH_HEAD + POLISH_ROWS * 40 + "Razem;;8,50;\n"


@pytest.mark.parametrize("codec, name", [("cp1250", "Windows-1250"), ("utf-16", "UTF-16"),
                                         ("utf-8-sig", "UTF-8 with BOM")])
def test_other_encodings_are_staged_from_a_utf8_copy_with_the_same_rows(tmp_path, data_dir, codec, name, staging):
    """A large file in another encoding is transcoded to a UTF-8 scratch copy (chunk by chunk) and staged: the same
    cells, row numbers, rejected rows and report as the whole-file read, its encoding still named, no copy left."""
    path = tmp_path / "polska.csv"
    path.write_bytes(POLISH.encode(codec))
    staged, memory = staging(path, stage_min_bytes=1), read_table(path.read_bytes(), path.name)
    assert staged.staged is not None and staged.info["reader"] == "duckdb" and memory.info["reader"] == "duckdb"
    assert staged.info["encoding"] == memory.info["encoding"] == name
    assert whole(staged) == whole(memory)
    assert staged.row_count == len(memory.frame) and staged.frame["klient"].iloc[2] == "Józef Gęśla"
    assert {k: v for k, v in staged.info.items() if k != "reader"} == {k: v for k, v in memory.info.items() if k != "reader"}
    table, rejected, report = loaded(staged, path.name)
    assert (table, rejected, report) == loaded(memory, path.name)
    assert [r[1] for r in rejected][:4] == [4, 5, 10, 11]
    assert [p.name for p in (data_dir / "tmp").glob("utf8.*")] == []


def test_a_small_chunk_transcodes_multibyte_text_exactly(tmp_path, monkeypatch):
    """Characters cut between chunks (Shift-JIS, UTF-16) come out whole: the copy is the file's text in UTF-8."""
    monkeypatch.setattr(stage, "CHUNK_BYTES", 7)
    text = "顧客,日付,金額\r\n山田太郎,2024-01-05,１２００\r\nｶﾀｶﾅ,2024-01-06,5\r\n" * 3
    for codec in ("cp932", "utf-16", "gb18030"):
        source, copy = tmp_path / f"{codec}.csv", tmp_path / f"{codec}.utf8"
        source.write_bytes(text.encode(codec))
        assert stage.transcode(source, codec, copy, Deadline(0, source.name))
        assert copy.read_bytes() == text.encode("utf-8")


def test_a_file_that_is_not_all_in_its_encoding_falls_back_to_the_whole_file_reader(tmp_path, monkeypatch):
    """The head says Windows-1250 but a later byte is none of its characters: read_table decides, as before
    (and from PYTHON_READER_MAX_BYTES the file is refused, the reason named)."""
    monkeypatch.setattr(stage, "HEAD_BYTES", 300)
    path = tmp_path / "mixed.csv"
    path.write_bytes(POLISH.encode("cp1250") + b"\x81;2024-04-01;1,00;\n")
    memory = read_table(path.read_bytes(), path.name)
    raw = read_path(path, stage_min_bytes=1)
    assert raw.staged is None and whole(raw) == whole(memory)
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", 1)
    with pytest.raises(IngestError, match="'mixed.csv': .* text in more than one encoding"):
        read_path(path, stage_min_bytes=1)


def test_transcoding_stops_at_the_time_limit(tmp_path):
    path = tmp_path / "polska.csv"
    path.write_bytes(POLISH.encode("cp1250"))
    with pytest.raises(IngestError, match="'polska.csv': checking and loading it took longer than the limit"):
        stage.transcode(path, "cp1250", tmp_path / "copy.csv", Deadline(1, "polska.csv", spent=2))


@pytest.mark.parametrize("body", [b"c1,2024-01-05,1\n\nc2,2024-01-06,2\n",          # a blank line between rows
                                  b"c1,2024-01-05,1\rc2,2024-01-06,2\n",             # a bare CR
                                  "Łukasz,2024-01-05,1\n\nc2,2024-01-06,2\n".encode("cp1250")])
def test_a_large_file_only_the_whole_file_reader_takes_is_refused_naming_it(tmp_path, monkeypatch, body):
    """From PYTHON_READER_MAX_BYTES a text file that cannot be staged is refused at once, saying why and what to
    do; below it, it is read whole as before (the row numbers counting the blank line)."""
    path = tmp_path / "gaps.csv"
    path.write_bytes(b"customer,date,amount\n" + body * 20)
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", path.stat().st_size)
    with pytest.raises(IngestError) as err:
        read_path(path, stage_min_bytes=1)
    assert err.value.code == "slow_reader_blank_lines"
    message = str(err.value)
    assert message.startswith("file 'gaps.csv': the file is ") and "blank lines between its rows" in message
    assert "save it again from the spreadsheet as CSV UTF-8, or remove the blank lines" in message
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", path.stat().st_size + 1)
    raw = read_path(path, stage_min_bytes=1)
    memory = read_table(path.read_bytes(), path.name)
    assert raw.staged is None and raw.info["reader"] == "python" and whole(raw) == whole(memory)


@pytest.mark.parametrize("above", [b"", b"Orders export 2024\n\n"], ids=["first line", "under a title"])
def test_a_large_file_without_a_header_row_is_staged_as_read_table_reads_it(tmp_path, monkeypatch, above, staging):
    """A purchase log with no header row (a database dump): staged with the columns named 'column 1' … and the
    file's row numbers, as read_table gives them; it was refused from 32 MB. Short rows are padded."""
    path = tmp_path / "dump.csv"
    rows = b"".join(b"C%d,2024-01-%02d,%d.50\n" % (i, i % 28 + 1, i) for i in range(200)) + b"C7,2024-02-01\n"
    path.write_bytes(above + rows)
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", 1)
    raw, memory = staging(path, stage_min_bytes=1), read_table(path.read_bytes(), path.name)
    assert raw.staged is not None and memory.info["headerless"] is True
    assert raw.columns == memory.columns == ["column 1", "column 2", "column 3"]
    assert whole(raw) == whole(memory) and whole(raw)[0][0] == str(above.count(b"\n") + 1)
    assert raw.info == memory.info
    mapping = {"customer": "column 1", "date": "column 2", "amount": "column 3"}
    assert loaded(raw, path.name, mapping=mapping) == loaded(memory, path.name, mapping=mapping)


def test_a_large_file_refused_at_once_by_the_reader_keeps_its_own_reason(tmp_path, monkeypatch):
    """No table, or binary bytes: the reader's own sentence, not the slow reader's."""
    monkeypatch.setattr(stage, "PYTHON_READER_MAX_BYTES", 1)
    path = tmp_path / "notes.txt"
    path.write_bytes(b"one\ntwo\nthree\n" * 50)
    with pytest.raises(IngestError) as err:
        read_path(path, stage_min_bytes=1)
    assert err.value.code == "no_table_separator"


def test_the_staging_file_is_removed_with_the_table(data_dir):
    raw = read_path(FIXTURES / "conventions" / "utf8_comma.csv", stage_min_bytes=0)
    staging = raw.staged.path
    wal = staging.with_name(staging.name + ".wal")  # left beside it: the file is detached without a checkpoint
    assert staging.exists() and staging.parent == data_dir / "tmp"
    del raw
    gc.collect()
    assert not staging.exists() and not wal.exists()


def test_rows_staged_in_memory_stay_in_their_connection_and_go_with_the_table(data_dir):
    """read_path(into=): the rows are in an in-memory database of that connection, no file is written, only its
    cursors read them, and the database is detached when the RawTable is collected."""
    databases = "select database_name from duckdb_databases() where database_name like 'stage_%'"
    with duckdb.connect() as owner:
        raw = read_path(FIXTURES / "conventions" / "utf8_comma.csv", stage_min_bytes=0, into=lambda: owner)
        assert raw.staged.path is None and not list((data_dir / "tmp").glob("stage.*"))
        assert owner.execute(databases).fetchall() == [(raw.staged.database,)]
        with duckdb.connect() as other, pytest.raises(ValueError, match="cursor of the connection"):
            raw.staged.attach(other, "rows")
        assert whole(raw) == whole(read_table((FIXTURES / "conventions" / "utf8_comma.csv").read_bytes(), "x.csv"))
        del raw
        gc.collect()
        assert owner.execute(databases).fetchall() == []


def _stages_like_it_reads(path: Path, data: bytes, into=None) -> None:
    path.write_bytes(data)
    try:
        memory = read_table(data, path.name)
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        with pytest.raises(type(exc)) as info:
            read_path(path, stage_min_bytes=0, into=into)
        assert str(info.value) == str(exc)
        return
    staged = read_path(path, stage_min_bytes=0, into=into)
    assert staged.columns == memory.columns
    assert whole(staged) == whole(memory)
    assert staged.info.get("encoding") == memory.info.get("encoding")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messy_text())
def test_messy_text_stages_like_it_reads(tmp_path, data):
    _stages_like_it_reads(tmp_path / "messy.csv", data)
    with duckdb.connect() as owner:
        _stages_like_it_reads(tmp_path / "messy.csv", data, into=lambda: owner)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messy_text())
def test_messy_text_in_utf16_stages_like_it_reads(tmp_path, data):
    """The transcoded path (a UTF-8 copy staged) on the same messy text written as UTF-16."""
    _stages_like_it_reads(tmp_path / "messy.csv", data.decode("utf-8").encode("utf-16"))


def test_a_file_read_in_memory_is_read_in_pieces_with_the_same_rows_and_long_records_still_read(tmp_path):
    """delimited.read_pieces: a file under 32 MB is read by DuckDB in pieces of 2 MB and more, so more than one thread
    reads it; the rows are those of one piece, and a record longer than half a piece (here a 1.5 MB note in a 5 MB
    file) is still read, by the Python reader, cell for cell."""
    from retention.ingest.delimited import read_pieces

    rows = [f"c{n % 997},2024-{n % 12 + 1:02d}-{n % 28 + 1:02d},{n % 500}.{n % 100:02d},n{n}" for n in range(150_000)]
    data = ("customer,date,amount,note\n" + "\n".join(rows) + "\n").encode()
    assert read_pieces(len(data))["buffer_size"] < len(data) < 32 * 1024 * 1024
    raw = read_table(data, "many.csv")
    assert raw.info["reader"] == "duckdb" and len(raw.frame) == 150_000
    assert raw.frame.drop(columns=[ROW]).apply(",".join, axis=1).tolist() == rows
    assert raw.frame[ROW].tolist() == list(range(2, 150_002))

    long = "x" * 1_500_000
    data = ("customer,date,amount,note\n" + "\n".join(rows[:1000] + [f"c1,2024-01-01,5,{long}"] + rows[:1000])
            + "\n").encode()
    raw = read_table(data, "long.csv")
    assert raw.info["reader"] == "python" and len(raw.frame) == 2001
    assert raw.frame["note"].tolist()[999:1002] == ["n999", long, "n0"]
    assert {p["max_line_size"] for p in (read_pieces(s) for s in (1, 10**6, 10**7, 10**8))} <= {2**20, 2**21, 2**22,
                                                                                              2**23}
    assert read_pieces() == {"buffer_size": 32 * 1024 * 1024, "max_line_size": 16_000_000}  # staged: unchanged
