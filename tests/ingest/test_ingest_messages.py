"""Issue #16.5: each IngestError the ingest raises names the file and says what is wrong (the paths that
tests/ingest/test_ingest_bad_input.py does not already cover with a fixture file). Inputs are built in memory."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError

OK = b"customer,date,amount\na,2024-01-05,1\n"


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"customer": ["a"], "date": ["2024-01-05"], "amount": [1]}).to_excel(buffer, index=False,
                                                                                     sheet_name="Orders")
    return buffer.getvalue()


CASES = [
    ("x.csv.gz", b"\x1f\x8b\x08\x00" + b"\xff" * 40, {}, "file 'x.csv.gz': the .gz file is damaged and cannot be unpacked."),
    ("x.zip", _zip({}), {}, "file 'x.zip': the zip archive is empty."),
    ("x.zip", b"PK\x03\x04" + b"\x00" * 60, {}, "file 'x.zip': the zip archive is damaged and cannot be opened."),
    ("x.zip", _zip({"a.csv": ""}), {}, "file 'x.zip': the file inside the archive is empty."),
    ("x.xlsx", _xlsx(), {"sheet": "Nope"}, "file 'x.xlsx': there is no sheet named 'Nope'; the sheets are 'Orders'."),
    ("x.csv", OK, {"date_order": "ymd"}, "file 'x.csv': the date order must be 'dmy' or 'mdy', not 'ymd'."),
    ("x.csv", OK, {"mapping": {"colour": "amount"}}, "file 'x.csv': unknown role 'colour'; roles are customer, date, "
                                                      "amount, quantity, unit_price, order, status, currency."),
    ("x.csv", OK, {"mapping": {"amount": "Total"}}, "file 'x.csv': there is no column 'Total' (columns: customer, "
                                                     "date, amount)."),
    ("x.csv", OK, {"segments": ["Nope"]}, "file 'x.csv': there is no column 'Nope' to use as a segment."),
    ("x.csv", b"customer,date\x00\x01\x02\x00\x00,amount\n" * 50, {},
     "file 'x.csv': this is not a text or spreadsheet file (it contains binary data)."),
    ("x.csv", b"\n\n \n", {}, "file 'x.csv': the file is empty (it holds only blank lines)."),
    ("x.parquet", b"PAR1" + b"\x00" * 50 + b"PAR1", {}, "file 'x.parquet': the Parquet file is damaged and cannot be read."),
]


@pytest.mark.parametrize("name, data, options, message", CASES, ids=[c[3].split(": ", 1)[1][:40] for c in CASES])
def test_each_ingest_error_names_the_file(name, data, options, message):
    with pytest.raises(IngestError) as err:
        prepare(data, name, "purchases", **options)
    assert str(err.value) == message
