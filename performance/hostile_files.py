"""Measurement: how long, and how much memory, each hostile file shape costs before it is loaded or refused.

Run: .venv/bin/python performance/hostile_files.py [--mb 200] [--shapes wide,tiny_rows,…] [--path upload|disk|both]

Each shape is generated (seeded, streamed to disk) under performance/out/hostile/ at about --mb megabytes
(the upload limit, config.max_upload_mb(), by default), then read in a fresh child process through the
app's own path: `upload` = upload.read_upload on the bytes + prepare + store.preview (what the Data page does
with an upload: read, detect, parse and validate, nothing saved); `bytes` = read_table on the bytes + the same
(what the Data page did before uploads were staged); `disk` = stage.read_path on the file + the same
(a file on disk staged in a staging file; the CLI stages a large text file in its own memory instead). The parent prints, per shape, the outcome (the
message when refused), the wall time, and the child's peak resident memory from the kernel (ru_maxrss of
the child, os.wait4). A child still running after --timeout seconds is killed and reported as such.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "performance" / "out" / "hostile"
MB = 1024 * 1024


def _fill(path: Path, head: bytes, line: bytes, size: int, tail: bytes = b"") -> None:
    """head, then `line` repeated to about `size` bytes, then tail (written in blocks)."""
    with path.open("wb") as out:
        out.write(head)
        block = line * max(1, (4 * MB) // len(line))
        written = len(head)
        while written + len(block) <= size:
            out.write(block)
            written += len(block)
        out.write(line * max(0, (size - written) // len(line)))
        out.write(tail)


def _purchase_rows(n: int) -> bytes:
    return b"".join(b"C%d,2024-%02d-%02d,%d.%02d\n" % (i % 997, i % 12 + 1, i % 28 + 1, i % 500, i % 100)
                    for i in range(n))


def shape_wide_header(path: Path, size: int) -> None:
    """A header of 150,000 named columns (1 MB), then rows as wide, to the size."""
    header = ",".join(f"c{i}" for i in range(150_000)).encode() + b"\n"
    _fill(path, header, b"1," * 149_999 + b"1\n", size)


def shape_separators(path: Path, size: int) -> None:
    """Lines of 150,000 separators and nothing else (the 1 MB line of the report), to the size."""
    _fill(path, b"", b"," * 150_000 + b"x\n", size)


def shape_wide_rows(path: Path, size: int) -> None:
    """A normal three-column header, then rows of 150,000 fields each (the rows are cut to the header)."""
    _fill(path, b"customer,date,amount\n", b"C1,2024-01-01,5" + b",x" * 150_000 + b"\n", size)


def shape_one_line(path: Path, size: int) -> None:
    """No line break at all: one line the size of the file."""
    _fill(path, b"", b"abcdefghij" * 100, size)


def shape_long_cell(path: Path, size: int) -> None:
    """A normal header and a few rows, then one row whose last cell is the rest of the file."""
    _fill(path, b"customer,date,amount,note\n" + _purchase_rows(10).replace(b"\n", b",ok\n") + b"C1,2024-01-01,5,",
          b"abcdefghij" * 100, size, b"\n")


def shape_long_lines(path: Path, size: int) -> None:
    """Rows whose note cell is 1 MB each."""
    _fill(path, b"customer,date,amount,note\n", b"C1,2024-01-01,5," + b"n" * MB + b"\n", size)


def shape_tiny_rows(path: Path, size: int) -> None:
    """Millions of the smallest valid purchase rows ('1,1,1'), to the size."""
    _fill(path, b"customer,date,amount\n", b"1,1,1\n", size)


def shape_tiny_purchases(path: Path, size: int) -> None:
    """Millions of short real purchase rows (customer, date, amount), to the size."""
    _fill(path, b"customer,date,amount\n", _purchase_rows(10_000), size)


def shape_quotes(path: Path, size: int) -> None:
    """Fields made of doubled quote marks ("" … "") only, rows of them to the size."""
    _fill(path, b"customer,date,amount\n", b'"' + b'""' * 5_000 + b'","2024-01-01","1"\n', size)


def shape_open_quote(path: Path, size: int) -> None:
    """A quote opened in the second row and never closed: the rest of the file is one cell."""
    _fill(path, b"customer,date,amount\n" + _purchase_rows(5) + b'"C1,2024-01-01,5\n', _purchase_rows(1000), size)


def shape_crlf_mix(path: Path, size: int) -> None:
    """Blank lines and bare CRs between rows (the Python reader's path), to the size."""
    _fill(path, b"customer,date,amount\n", _purchase_rows(1000).replace(b"\n", b"\r\n\n\r"), size)


def shape_cp1250_purchases(path: Path, size: int) -> None:
    """Short purchase rows with Polish names in Windows-1250 (semicolons, decimal commas), to the size: a legacy
    code page, transcoded to UTF-8 in chunks and staged."""
    names = ["Łukasz Żółć", "Józef Gęśla", "Agnieszka Ślęzak", "Paweł Kuźma", "Zofia Wąsik"]
    rows = "".join(f"{names[i % 5]} {i % 997};2024-{i % 12 + 1:02d}-{i % 28 + 1:02d};{i % 500},{i % 100:02d}\n"
                   for i in range(10_000))
    _fill(path, "klient;data;kwota\n".encode("cp1250"), rows.encode("cp1250"), size)


def _xlsx(sheet_xml_parts, path: Path, dimension: str | None = None) -> None:
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
             'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    book = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
    book_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main">')
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for part in sheet_xml_parts:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def shape_xlsx_dimension(path: Path, size: int) -> None:
    """An .xlsx whose <dimension> claims the whole sheet (A1:XFD1048576), with a small table."""
    rows = [b'<row r="1">' + _cell("A1", "customer") + _cell("B1", "date") + _cell("C1", "amount") + b"</row>"]
    rows += [f'<row r="{r}">'.encode() + _cell(f"A{r}", f"C{r}") + _cell(f"B{r}", "2024-01-01") + _cell(f"C{r}", "5")
             + b"</row>" for r in range(2, 100)]
    _xlsx(rows, path, "A1:XFD1048576")


def shape_xlsx_far_cell(path: Path, size: int) -> None:
    """An .xlsx without <dimension> whose last cell is XFD1048576 (calamine would allocate 17 billion cells)."""
    _xlsx([b'<row r="1">' + _cell("A1", "customer") + _cell("B1", "amount") + b"</row>",
           b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'], path)


def shape_xlsx_million_columns(path: Path, size: int) -> None:
    """An .xlsx whose one row holds a million cells without references (placed by counting); their values differ,
    so that it compresses like real data (a million identical cells is refused sooner, as a zip bomb)."""
    _xlsx([b"<row>" + b"".join(b"<c><v>%d</v></c>" % i for i in range(1_000_000)) + b"</row>"], path)


def shape_xlsx_many_cells(path: Path, size: int) -> None:
    """An .xlsx of real rows (customer, date, amount) whose compressed size is about the size (capped by the
    unpack limit, so usually refused as too large unpacked)."""
    def rows():
        r = 1
        while True:
            yield b"".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>C{i % 9973}</t></is></c><c r="B{i}">'
                           f'<v>{45000 + i % 700}</v></c><c r="C{i}"><v>{i % 500}.5</v></c></row>'.encode()
                           for i in range(r, r + 10_000))
            r += 10_000
            if path.exists() and path.stat().st_size >= size:
                return
    _xlsx(rows(), path)


def write_ods(path: Path, rows_xml: str) -> None:
    """An .ods whose one sheet ('Data') holds `rows_xml` (table:table-row elements)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                         '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                         'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                         '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                         '</manifest:manifest>')
        archive.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
                         '"urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
                         'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
                         '<office:spreadsheet><table:table table:name="Data">' + rows_xml + '</table:table>'
                         '</office:spreadsheet></office:body></office:document-content>')


def shape_ods_repeats(path: Path, size: int) -> None:
    """An .ods whose one filled row is repeated a million times, 1,999 cells wide (2 billion cells)."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    write_ods(path, '<table:table-row>' + cell.format("customer") + cell.format("amount") + '</table:table-row>'
              '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
              'table:number-columns-repeated="1999" office:value-type="float" office:value="1"><text:p>1</text:p>'
              '</table:table-cell></table:table-row>')


def _gzip_stream(path: Path, head: bytes, line: bytes, unpacked: int) -> None:
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(head)
        block = line * ((4 * MB) // len(line))
        for _ in range(unpacked // len(block)):
            out.write(block)


def shape_gzip_bomb(path: Path, size: int) -> None:
    """A .csv.gz that unpacks a thousandfold (1 MB per GB): tiny rows up to 1,000 × the size... capped at 5 GB."""
    _gzip_stream(path, b"customer,date,amount\n", b"1,1,1\n", min(1000 * size, 5 * 1024 * MB))


def shape_gzip_under_cap(path: Path, size: int) -> None:
    """A .csv.gz that unpacks to just under the unpack limit (4 × the upload limit) of short purchase rows (a block
    of 1,000 rows repeated: it fits deflate's window, so the file is small)."""
    from retention.ingest.unwrap import max_unpacked_bytes

    _gzip_stream(path, b"customer,date,amount\n", _purchase_rows(1_000), max_unpacked_bytes() - 8 * MB)


def shape_zip_bomb(path: Path, size: int) -> None:
    """A .zip holding one CSV that unpacks a thousandfold, its directory telling the truth."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("data.csv", "w", force_zip64=True) as member:
            member.write(b"customer,date,amount\n")
            block = b"1,1,1\n" * (4 * MB // 6)
            for _ in range(min(1000 * size, 5 * 1024 * MB) // len(block)):
                member.write(block)


def shape_parquet_wide(path: Path, size: int) -> None:
    """A Parquet file of 100,000 columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({f"c{i}": pa.array([1], pa.int8()) for i in range(100_000)}), path)


def shape_parquet_rows(path: Path, size: int) -> None:
    """A Parquet file of short purchase rows (customer, date, amount as text), row groups of a million, to about the
    size: Parquet stores them in a few bytes a row, so it holds far more rows than a CSV of the same size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import numpy as np

    rng = np.random.default_rng(7)
    schema = pa.schema([("customer", pa.string()), ("date", pa.string()), ("amount", pa.string())])
    written, grew = 0, 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while written + 2 * grew < size - 1024 * 1024:  # room for one more row group and the footer
            n = 1_000_000
            ids = rng.integers(0, 5_000_000, n)
            days = np.datetime64("2022-01-01") + rng.integers(0, 1000, n).astype("timedelta64[D]")
            cents = rng.integers(100, 50_000, n)
            writer.write_table(pa.table({"customer": pa.array([f"C{i}" for i in ids]),
                                         "date": pa.array(days.astype(str)),
                                         "amount": pa.array([f"{c / 100:.2f}" for c in cents])}, schema=schema))
            grew, written = path.stat().st_size - written, path.stat().st_size


SHAPES = {
    "wide_header.csv": shape_wide_header,
    "separators.csv": shape_separators,
    "wide_rows.csv": shape_wide_rows,
    "one_line.csv": shape_one_line,
    "long_cell.csv": shape_long_cell,
    "long_lines.csv": shape_long_lines,
    "tiny_rows.csv": shape_tiny_rows,
    "tiny_purchases.csv": shape_tiny_purchases,
    "quotes.csv": shape_quotes,
    "open_quote.csv": shape_open_quote,
    "crlf_mix.csv": shape_crlf_mix,
    "cp1250_purchases.csv": shape_cp1250_purchases,
    "xlsx_dimension.xlsx": shape_xlsx_dimension,
    "xlsx_far_cell.xlsx": shape_xlsx_far_cell,
    "xlsx_million_columns.xlsx": shape_xlsx_million_columns,
    "xlsx_many_cells.xlsx": shape_xlsx_many_cells,
    "ods_repeats.ods": shape_ods_repeats,
    "gzip_bomb.csv.gz": shape_gzip_bomb,
    "gzip_under_cap.csv.gz": shape_gzip_under_cap,
    "zip_bomb.zip": shape_zip_bomb,
    "parquet_wide.parquet": shape_parquet_wide,
    "parquet_rows.parquet": shape_parquet_rows,
}


def child(path: Path, how: str) -> dict:
    """In the child process: load `path` the app's way (`upload`) or the CLI's way (`disk`), nothing saved."""
    from retention import store
    from retention.ingest.canonical import prepare
    from retention.ingest.errors import IngestError
    from retention.ingest.read import read_table
    from retention.ingest.stage import read_path
    from retention.ingest.upload import read_upload

    start = time.perf_counter()
    try:
        if how == "upload":
            data = path.read_bytes()
            raw = read_upload(data, path.name)
        elif how == "bytes":
            data = path.read_bytes()
            raw = read_table(data, path.name)
        else:
            data = b""
            raw = read_path(path)
        prepared = prepare(data, path.name, "purchases", raw=raw)
        reports, _, _ = store.preview(prepared, None)
        summary = reports["purchases"]["summary"]
        outcome = "accepted: " + ", ".join(f"{k} {v:,}" for k, v in summary.items() if isinstance(v, int))
    except IngestError as err:
        outcome = f"refused: {err}"
    return {"outcome": outcome, "seconds": round(time.perf_counter() - start, 2)}


def measure(path: Path, how: str, timeout: float) -> dict:
    """Run child() in a fresh process; its wall time and peak RSS (kernel ru_maxrss, MB)."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as data_dir:
        env = {**os.environ, "RETENTION_DATA_DIR": data_dir}
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(path), "--path", how],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    result = {"wall": round(wall, 1), "peak_mb": round(usage.ru_maxrss / 1024)}
    if killed:
        result["outcome"] = f"KILLED after {timeout:.0f} s"
    elif proc.returncode != 0:
        result["outcome"] = f"CRASHED (exit {proc.returncode}): {err.strip().splitlines()[-1] if err.strip() else ''}"
    else:
        result.update(json.loads(out.strip().splitlines()[-1]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=None, help="size of each text shape (default: the upload limit)")
    parser.add_argument("--shapes", default="", help="comma-separated file names of SHAPES (default: all)")
    parser.add_argument("--path", choices=["upload", "bytes", "disk", "both"], help="both: all three", default="upload")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.path)))
        return
    from retention import config

    size = (args.mb or config.max_upload_mb()) * MB
    OUT.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.shapes.split(",") if n] or list(SHAPES)
    paths = ["bytes", "upload", "disk"] if args.path == "both" else [args.path]
    print(f"size {size // MB} MB, upload limit {config.max_upload_mb()} MB, columns limit {config.max_columns():,}, "
          f"ingest memory limit {config.duckdb_ingest_memory_limit()}, load average {os.getloadavg()[0]:.1f}")
    print("| file | bytes | path | outcome | wall s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for name in names:
        path = OUT / name
        path.unlink(missing_ok=True)
        SHAPES[name](path, size)
        for how in paths:
            result = measure(path, how, args.timeout)
            print(f"| {name} | {path.stat().st_size / MB:,.1f} MB | {how} | {result['outcome'][:160]} | "
                  f"{result['wall']} | {result['peak_mb']:,} |", flush=True)
        if not args.keep:
            path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
