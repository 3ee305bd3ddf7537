"""Text files whose columns are lined up with runs of spaces (the CDNOW purchase log as shipped)."""

from pathlib import Path

from retention.ingest.canonical import prepare
from retention.ingest.read import read_table

CDNOW = Path(__file__).resolve().parents[1] / "fixtures" / "cdnow" / "CDNOW_master.txt"


def test_space_aligned_columns_are_read():
    raw = read_table(b"  id  date      amount\n 001 20240105   11.77\n 002 20240112   12.00\n", "log.txt")
    assert raw.info["delimiter"] == "spaces"
    assert list(raw.frame.columns[1:]) == ["id", "date", "amount"]
    assert raw.frame[["id", "amount"]].values.tolist() == [["001", "11.77"], ["002", "12.00"]]
    assert raw.frame["__row"].tolist() == [2, 3]


def test_cdnow_master_as_shipped():
    data = CDNOW.read_bytes()
    prepared = prepare(data, CDNOW.name, "purchases")
    assert prepared.roles == {"customer": "customer_id", "date": "date", "amount": "dollar_value"}
    assert len(prepared.raw.frame) == 69_659                      # every line of the file but the header
    assert prepared.raw.frame["customer_id"].nunique() == 23_570   # the published customer count
