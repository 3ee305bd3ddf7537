"""`python -m retention inspect` prints how a file was read: encoding, delimiter, header row, sheet, column
roles, date order and the validation summary (rejected, skipped and flagged rows with row numbers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def inspect(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "retention", "inspect", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "RETENTION_DATA_DIR": str(tmp_path)}, timeout=120)


def test_inspect_text_describes_every_detected_convention(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes("Raport sprzedaży\n\nKlient;Data;Kwota\nala;05/01/2024;1 234,50 zł\nola;07/02/2024;abc\n"
                     "ala;08/03/2024;-12,00 zł\nRazem;;1 222,50 zł\n".encode("cp1250"))
    done = inspect(str(path), "--customers", str(FIXTURES / "exports" / "stripe_subscriptions.csv"), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "read as: format='text', encoding='Windows-1250', delimiter=';', header row=3" in out
    assert "skipped above the header: 2 title/blank row(s)" in out
    assert "roles: customer='Klient', date='Data', amount='Kwota'" in out
    assert "date format: %d/%m/%Y, date order day first (dd/mm) — ambiguous" in out
    assert "numbers: decimal comma" in out
    assert "rows: rows read 4, rows used 2, rows rejected 1, rows skipped 1" in out
    assert "rejected 1 × bad amount in column 'Kwota'; e.g. rows 5" in out
    assert "skipped 1 × totals rows under the table; e.g. rows 7" in out
    assert "flagged 1 × refunds, negative amounts (kept); e.g. rows 6" in out
    assert "recognised as: Stripe subscriptions export" in out
    assert "skipped 1 × further rows of a customer (merged); e.g. rows 3" in out


def test_inspect_json_has_the_report_and_the_sheet(tmp_path):
    # in this process (the test above runs the command as a user does)
    done = run_cli("inspect", str(FIXTURES / "conventions" / "workbook_title_rows.xlsx"), "--sheet", "Orders 2024",
                   "--format", "json", env={"RETENTION_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["purchases"]
    assert report["read"]["sheet"] == "Orders 2024" and report["read"]["header_row"] == 4
    assert report["read"]["total_rows"] == [13]
    assert {"skipped", "flags", "problems", "dates", "summary"} <= set(report)
