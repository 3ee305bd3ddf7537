"""Size limits and compression: what arrives is checked before anything reads it.

`check_size(nbytes, filename)`: a file beyond the configured limit (RETENTION_MAX_UPLOAD_MB) is
refused. Call it with the size on disk before reading a file, and again on the bytes.
`unwrap(data, filename) -> (inner name, bytes)`: undoes .gz and a .zip holding one data file,
never inflating more than `max_unpacked_bytes()` (zip bombs), and recognises files that are not
data at all (images, PDFs, archives of other kinds) by their first bytes.
`check_workbook_archive(data, filename)`: the same inflation limit for .xlsx/.ods (zip inside).
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

from retention import config
from retention.ingest.errors import IngestError

WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
UNPACK_FACTOR = 4  # a compressed upload may inflate to this many times the upload limit
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"  # an archive with no member is its end-of-directory record alone
GZIP_MAGIC = b"\x1f\x8b"

# First bytes of files people upload by mistake → what to call them.
NOT_DATA = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"BM", None),  # BMP, checked with its header size below
    (b"RIFF", "a media file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", None),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", None),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"{\\rtf", "an RTF document"),
]


def max_upload_bytes() -> int:
    return config.max_upload_mb() * 1024 * 1024


def max_unpacked_bytes() -> int:
    return UNPACK_FACTOR * max_upload_bytes()


def _mb(nbytes: int) -> str:
    return f"{nbytes / 1024 / 1024:,.0f} MB"


def check_size(nbytes: int, filename: str) -> None:
    """Refuse a file larger than the configured upload limit (before reading it)."""
    if nbytes > max_upload_bytes():
        raise IngestError(filename, "too_big", size=_mb(nbytes), limit=config.max_upload_mb())


def sniff_not_data(data: bytes) -> str | None:
    """What the file is when its first bytes say it is not a spreadsheet (an image, a PDF, …)."""
    for magic, what in NOT_DATA:
        if data.startswith(magic):
            if what is None:
                if magic == b"MZ" and len(data) > 64:
                    offset = int.from_bytes(data[0x3C:0x40], "little")
                    if data[offset:offset + 4] == b"PE\x00\x00":
                        return "a program"
                if magic == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
                    return "a BMP image"
                if magic == b"BZh" and data[3:4].isdigit():
                    return "a bzip2 archive"
                continue
            if magic == b"RIFF" and data[8:12] == b"WEBP":
                return "a WebP image"
            return what
    if data[4:12] in (b"ftypheic", b"ftypmif1", b"ftypavif"):
        return "an image (HEIC/AVIF)"
    if data[4:8] == b"ftyp":
        return "a video file"
    return None


CHUNK_BYTES = 16 * 1024 * 1024


def _gunzip_chunks(read: Callable[[int], bytes], filename: str, limit: int) -> Iterator[bytes]:
    """The unpacked bytes of the gzip stream that `read(n)` gives, CHUNK_BYTES at a time (concatenated members
    too; anything after the last member that is not one is ignored). IngestError beyond `limit` bytes, or when
    the stream is damaged or cut short."""
    inflater = zlib.decompressobj(wbits=31)
    pending, size, ended = b"", 0, False
    try:
        while True:
            if not pending and not ended:
                pending = read(CHUNK_BYTES)
                ended = not pending
            if pending:
                chunk = inflater.decompress(pending, CHUNK_BYTES)
                pending = inflater.unconsumed_tail
            else:
                chunk = inflater.flush()
            size += len(chunk)
            if size > limit:
                raise IngestError(filename, "gz_too_big", size=_mb(limit))
            if chunk:
                yield chunk
            if inflater.eof:
                rest = inflater.unused_data + pending
                if len(rest) < 2 and not ended:
                    rest += read(2)
                if rest[:2] != GZIP_MAGIC:  # the end, or trailing bytes that are not a member
                    return
                pending, inflater = rest, zlib.decompressobj(wbits=31)
            elif ended and not chunk:
                raise IngestError(filename, "gz_incomplete")
    except zlib.error as exc:
        raise IngestError(filename, "gz_damaged") from exc


def _member_chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, filename: str, limit: int) -> Iterator[bytes]:
    """The unpacked bytes of one archive member, CHUNK_BYTES at a time; IngestError beyond `limit` bytes (the
    directory's size is checked first, and the bytes as they come: sizes in the directory can lie)."""
    if member.file_size > limit:
        raise IngestError(filename, "zip_member_too_big", size=_mb(member.file_size), limit=_mb(limit))
    size = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(min(CHUNK_BYTES, limit + 1 - size)):
                size += len(chunk)
                if size > limit:
                    raise IngestError(filename, "zip_member_beyond", limit=_mb(limit))
                yield chunk
    except RuntimeError as exc:
        raise IngestError(filename, "zip_password") from exc
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:
        raise IngestError(filename, "zip_unreadable") from exc


def _only_member(archive: zipfile.ZipFile, filename: str) -> zipfile.ZipInfo:
    """The one data file in a .zip (folders, __MACOSX/ and hidden files left out); IngestError for none or many."""
    members = [m for m in archive.infolist()
               if not m.is_dir() and not m.filename.startswith("__MACOSX/") and not Path(m.filename).name.startswith(".")]
    if not members:
        raise IngestError(filename, "zip_empty")
    if len(members) != 1:
        shown = ", ".join(Path(m.filename).name for m in members[:5])
        raise IngestError(filename, "zip_many_more" if len(members) > 5 else "zip_many", n=len(members),
                          shown=shown, more=len(members) - 5)
    return members[0]


def _open_zip(source: bytes | IO[bytes], filename: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(filename, "zip_damaged") from exc


def _is_workbook_archive(names: list[str]) -> bool:
    return "[Content_Types].xml" in names or "mimetype" in names and any(n == "content.xml" for n in names)


# A workbook part that unpacks more than BOMB_RATIO times its compressed size (and to more than BOMB_MIN_BYTES) is
# refused unread: real sheet XML compresses 10-30 times (measured: 12x for rows of styled empty cells, 10x for
# data rows); deflate's ceiling is about 1,000x, which only repeated filler reaches.
BOMB_RATIO = 200
BOMB_MIN_BYTES = 10 * 1024 * 1024


def check_workbook_archive(data: bytes, filename: str) -> None:
    """Refuse an .xlsx/.ods whose parts would inflate beyond the limit (a zip bomb)."""
    if not data.startswith(ZIP_MAGIC):
        return
    with _open_zip(data, filename) as archive:
        total = sum(m.file_size for m in archive.infolist())
        if total > max_unpacked_bytes():
            raise IngestError(filename, "workbook_too_big", size=_mb(total), limit=_mb(max_unpacked_bytes()))
        if any(m.file_size > BOMB_MIN_BYTES and m.file_size > BOMB_RATIO * max(m.compress_size, 1)
               for m in archive.infolist()):
            raise IngestError(filename, "zip_bomb")


def _gunzipped_name(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name[:-4] if name.lower().endswith(".tgz") else name


def _is_workbook_zip(archive: zipfile.ZipFile, name: str) -> bool:
    """The .zip is itself a workbook (an .xlsx, .ods, ...), not an archive holding a data file."""
    return _is_workbook_archive(archive.namelist()) or Path(name).suffix.lower() in WORKBOOK_EXTENSIONS


def unwrap(data: bytes, filename: str) -> tuple[str, bytes, str | None]:
    """(inner file name, inner bytes, 'gzip' | 'zip' | None). Raises IngestError for files that are not data."""
    check_size(len(data), filename)
    name, data, wrapper = _peel(data, filename)
    if not data:
        raise IngestError(filename, "empty" if wrapper is None else "archive_member_empty")
    what = sniff_not_data(data)
    if what:
        raise IngestError(filename, "not_data", what=what)
    return name, data, wrapper


def _peel(source: bytes | Path, filename: str, spill_bytes: float = math.inf,
          target: Callable[[], Path] | None = None, check: Callable[[], None] = lambda: None,
          made: list[Path] | None = None) -> tuple[str, bytes | Path, str | None]:
    """Undo a .gz, a .zip holding one data file, and a .gz inside a .zip at most: (the inner file's name, its
    content, the outermost wrapper 'gzip' | 'zip' | None). The content stays bytes while under `spill_bytes`, else
    it is written to a new file `target()` chunk by chunk (_spill; every file made is added to `made`, and a
    layer's file is deleted once the next layer is unpacked from it). The unpack limit is applied as it grows, and
    `check()` after every chunk. A .zip that is itself a workbook is left as it is."""
    name, wrapper = filename, None
    made = [] if made is None else made
    limit = max_unpacked_bytes()
    for _ in range(2):
        start = source[:4] if isinstance(source, bytes) else _first_bytes(source, 4)
        if start.startswith(GZIP_MAGIC):
            with _open(source) as stream:
                out = _spill(_gunzip_chunks(stream.read, filename, limit), spill_bytes, target, check, made)
            name, kind = _gunzipped_name(name), "gzip"
        elif start.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
            with _open(source) as stream, _open_zip(stream, filename) as archive:
                if _is_workbook_zip(archive, name):
                    break
                member = _only_member(archive, filename)
                out = _spill(_member_chunks(archive, member, filename, limit), spill_bytes, target, check, made)
            name, kind = Path(member.filename).name, "zip"
        else:
            break
        wrapper = wrapper or kind
        if isinstance(source, Path) and source in made:
            source.unlink(missing_ok=True)
        source = out
    return name, source, wrapper


@dataclass
class Unpacked:
    """A compressed file's content written to disk by unpack_path: the inner file's `name`, where its bytes are
    (`path`, the caller deletes it) and what held them (`wrapper`: 'gzip' | 'zip', the outermost)."""

    name: str
    path: Path
    wrapper: str


def unpack_path(path: Path, filename: str, spill_bytes: int, target: Callable[[], Path],
                check: Callable[[], None] = lambda: None) -> Unpacked | None:
    """The content of the file at `path` written to a new file `target()` when it is a .gz, or a .zip holding one
    data file (a .gz inside a .zip too, as unwrap takes them), and that content is `spill_bytes` or more: unpacked
    chunk by chunk, so memory stays about `spill_bytes` whatever the file inflates to, with unwrap's limits and
    messages and `check()` (the load's deadline) after every chunk. None when the file is not compressed or
    holds less: read_table unwraps it in memory, as before. Files that are not data are refused as unwrap does."""
    made: list[Path] = []
    try:
        name, source, wrapper = _peel(path, filename, spill_bytes, target, check, made)
        if wrapper is None or isinstance(source, bytes):
            _unlink(made)
            return None
        head = _first_bytes(source, 64)
        if not head:
            raise IngestError(filename, "archive_member_empty")
        what = sniff_not_data(head)
        if what:
            raise IngestError(filename, "not_data", what=what)
        return Unpacked(name, source, wrapper)
    except BaseException:
        _unlink(made)
        raise


def _first_bytes(path: Path, n: int) -> bytes:
    with path.open("rb") as stream:
        return stream.read(n)


def _open(source: Path | bytes) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def _unlink(paths: list[Path]) -> None:
    for made in paths:
        made.unlink(missing_ok=True)


def _spill(chunks: Iterator[bytes], spill_bytes: float, target: Callable[[], Path] | None, check: Callable[[], None],
           made: list[Path]) -> Path | bytes:
    """The bytes of `chunks`, kept in memory while they stay under `spill_bytes`, else written to `target()`
    (added to `made`) and that path returned."""
    parts: list[bytes] = []
    size, out, sink = 0, None, None
    try:
        for chunk in chunks:
            size += len(chunk)
            if sink is None and size >= spill_bytes:
                out = target()
                made.append(out)
                sink = out.open("wb")
                sink.writelines(parts)
                parts = []
            if sink is None:
                parts.append(chunk)
            else:
                sink.write(chunk)
            check()
    finally:
        if sink is not None:
            sink.close()
    return out if out is not None else b"".join(parts)
