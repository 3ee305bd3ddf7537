"""An .xlsx/.xlsm sheet's rows, one at a time, without holding the sheet (for stage.read_path's workbook path).

calamine (workbook.py) builds the whole sheet in memory and the reader then turned it into Python lists and a
pandas frame: fine for a few MB, but a 200 MB workbook holds tens of millions of cells. Here the sheet's XML is
parsed as it is unzipped (expat, in STREAM_BYTES pieces) and each row is handed on as soon as it is complete,
its cells as the same text workbook.cell_text gives calamine's values: shared strings looked up, numbers with a
date format as ISO dates (the workbook's 1900 or 1904 calendar), whole numbers without '.0', booleans TRUE/FALSE.
Missing rows (a sheet stores only rows that have cells) are yielded as empty rows, so positions are row numbers.

What stays in memory: the shared-strings table (every distinct text of the workbook; refused beyond
MAX_SHARED_STRINGS_BYTES unpacked) and one piece of XML.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from retention.ingest.errors import IngestError
from retention.ingest.workbook import cell_text

STREAM_BYTES = 1 << 20
MAX_SHARED_STRINGS_BYTES = 400 * 1024 * 1024
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _local(tag: str) -> str:
    """An element's name without its namespace (expat is given ' ' as the namespace separator)."""
    return tag.rsplit(" ", 1)[-1]


def _column(ref: str) -> int | None:
    """'B12' → 1 (0-based column); None without a usable reference."""
    found = _REF.match(ref)
    if not found:
        return None
    number = 0
    for ch in found.group(1):
        number = number * 26 + ord(ch) - 64
    return number - 1


@dataclass
class Book:
    """What the sheets' cells need from the rest of the workbook."""

    sheets: list[tuple[str, str]]  # (sheet name, part path in the archive), worksheets only, in order
    strings: list[str]
    date_styles: set[int]  # indexes of cellXfs whose number format is a date or time
    epoch: dt.datetime


def _read_xml(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    if name not in archive.namelist():
        return None
    with archive.open(name) as stream:
        return ET.parse(stream).getroot()


def open_book(archive: zipfile.ZipFile, filename: str) -> Book:
    """The workbook's sheets, shared strings, date styles and calendar."""
    root = _read_xml(archive, "xl/workbook.xml")
    if root is None:
        raise IngestError(filename, "this is not a readable spreadsheet (the workbook is damaged or in an unknown format)")
    rels = _read_xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in (rels if rels is not None else [])}
    sheets, epoch = [], CALENDAR_WINDOWS_1900
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "workbookPr" and element.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        elif name == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part in archive.namelist() and "worksheets/" in part:
                sheets.append((element.get("name", ""), part))
    return Book(sheets, _shared_strings(archive, filename), _date_styles(archive), epoch)


def _shared_strings(archive: zipfile.ZipFile, filename: str) -> list[str]:
    """Every <si> of xl/sharedStrings.xml as its text (rich-text runs joined, phonetic runs left out)."""
    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return []
    if archive.getinfo(name).file_size > MAX_SHARED_STRINGS_BYTES:
        raise IngestError(filename, f"the workbook's table of texts unpacks to more than "
                                    f"{MAX_SHARED_STRINGS_BYTES // 2**20:,} MB; save the sheet as CSV and upload that")
    out: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "phonetic": 0}

    def start(tag, _attrs):
        tag = _local(tag)
        if tag == "si":
            parts.clear()
        elif tag == "rPh":
            state["phonetic"] += 1
        elif tag == "t" and not state["phonetic"]:
            state["in_t"] = True

    def end(tag):
        tag = _local(tag)
        if tag == "si":
            out.append("".join(parts))
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            parts.append(data)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.buffer_text = True
    with archive.open(name) as stream:
        while chunk := stream.read(STREAM_BYTES):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return out


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (cellXfs) whose number format shows a date or a time."""
    root = _read_xml(archive, "xl/styles.xml")
    if root is None:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "numFmt":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif name == "cellXfs":
            xfs = [int(xf.get("numFmtId", "0")) for xf in element if xf.tag.rsplit("}", 1)[-1] == "xf"]
    dates = set()
    for index, number in enumerate(xfs):
        code = custom.get(number, BUILTIN_FORMATS.get(number, ""))
        if code and is_date_format(code):
            dates.add(index)
    return dates


def _value(book: Book, kind: str, style: int, raw: str) -> str:
    """A cell's text as workbook.cell_text gives calamine's value."""
    if kind == "s":
        try:
            return book.strings[int(raw)].strip()
        except (ValueError, IndexError):
            return ""
    if kind in ("str", "inlineStr", "e"):
        return raw.strip()
    if kind == "b":
        return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
    if kind == "d":
        try:
            return cell_text(dt.datetime.fromisoformat(raw.strip()))
        except ValueError:
            return raw.strip()
    if not raw.strip():
        return ""
    try:
        number = float(raw)
    except ValueError:
        return raw.strip()
    if style in book.date_styles:
        try:
            return cell_text(from_excel(number, book.epoch))
        except (ValueError, OverflowError, TypeError):
            pass
    return cell_text(number)


def sheet_rows(archive: zipfile.ZipFile, part: str, book: Book) -> Iterator[list[str]]:
    """The rows of the sheet stored at `part`, from row 1, each a list of cell texts ('' for an empty cell);
    rows the sheet leaves out are yielded as []."""
    done: list[tuple[int, list[str]]] = []
    state = {"row": 0, "cells": None, "col": 0, "kind": "n", "style": 0, "value": None, "in_v": False,
             "in_is_t": False, "phonetic": 0}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "c":
            column = _column(attrs.get("r", ""))
            state["col"] = column if column is not None else state["col"] + 1
            state["kind"] = attrs.get("t", "n")
            state["style"] = int(attrs.get("s", "0") or 0)
            state["value"] = []
        elif tag == "v":
            state["in_v"] = True
        elif tag == "t" and state["value"] is not None and not state["phonetic"]:
            state["in_is_t"] = True
        elif tag == "rPh":
            state["phonetic"] += 1
        elif tag == "row":
            number = attrs.get("r")
            state["row"] = int(number) if number and number.isdigit() else state["row"] + 1
            state["cells"], state["col"] = [], -1

    def end(tag):
        tag = _local(tag)
        if tag == "c":
            cells = state["cells"]
            if cells is not None and state["value"]:
                text = _value(book, state["kind"], state["style"], "".join(state["value"]))
                if text:
                    column = state["col"]
                    if column >= len(cells):
                        cells.extend([""] * (column + 1 - len(cells)))
                    cells[column] = text
            state["value"] = None
        elif tag == "v":
            state["in_v"] = False
        elif tag == "t":
            state["in_is_t"] = False
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "row":
            done.append((state["row"], state["cells"] or []))
            state["cells"] = None

    def text(data):
        if state["in_v"] or state["in_is_t"]:
            state["value"].append(data)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.buffer_text = True
    emitted = 0
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(STREAM_BYTES)
            parser.Parse(chunk, not chunk)
            for number, cells in done:
                if number <= emitted:  # rows out of order: a damaged or hand-made file; keep the later one's place
                    number = emitted + 1
                while emitted + 1 < number:
                    emitted += 1
                    yield []
                emitted = number
                yield cells
            done.clear()
            if not chunk:
                break
