"""The command line: common options, inspect, and bad input (exit 2, one paragraph, no traceback)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.cli_runner import run_cli
from tests.conftest import ROOT

PURCHASES = "Kunde;Datum;Betrag;Kanal\nK1;05.01.2024;1.234,50 €;Web\nK2;06.01.2024;10,00 €;Laden\nK1;03.02.2024;5,00 €;Web\n"


def run(*args, cwd=ROOT):
    """As a user runs it (a new interpreter); most cases below use run_cli (in this process: seconds less CPU)."""
    return subprocess.run([sys.executable, "-m", "retention", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_help_lists_commands_and_does_not_import_streamlit():
    out = run("--help")
    assert out.returncode == 0 and "inspect" in out.stdout
    probe = subprocess.run([sys.executable, "-c", "import sys, retention.cli as c; c.build_parser(); "
                            "print('streamlit' in sys.modules)"], capture_output=True, text=True, cwd=ROOT)
    assert probe.stdout.strip() == "False"


def test_inspect_reports_roles_and_validation(tmp_path):
    path = tmp_path / "bestellungen.csv"
    path.write_text(PURCHASES, encoding="cp1252")
    out = run("inspect", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)["purchases"]
    assert report["roles"] == {"customer": "Kunde", "date": "Datum", "amount": "Betrag"}
    assert report["read"]["delimiter"] == ";"
    assert report["summary"]["rows_used"] == 3 and report["summary"]["revenue"] == 1249.5
    text = run_cli("inspect", str(path)).stdout
    assert "customer='Kunde'" in text and "rows used 3" in text


def test_map_overrides_detection(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("who,when,paid,other_date\nx,2024-01-01,5,2020-01-01\n", encoding="utf-8")
    out = run_cli("inspect", str(path), "--map", "customer=who", "--map", "date=other_date", "--map", "amount=paid",
              "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["purchases"]["summary"]["first_date"] == "2020-01-01"


def test_customers_only_dataset(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,joined,left,why\n1,2024-01-01,2024-03-01,price\n2,2024-02-01,,\n", encoding="utf-8")
    out = run_cli("inspect", "--customers", str(path), "--customers-map", "customer=id", "--format", "json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)["customers"]
    assert report["roles"]["churn_date"] == "left" and report["summary"]["churned"] == 1


def _assert_bad_input(out, *words):
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("error: ")
    for word in words:
        assert word in out.stderr, out.stderr


def test_bad_inputs_exit_2_with_a_message(tmp_path):
    _assert_bad_input(run("inspect", str(tmp_path / "missing.csv")), "missing.csv", "no such file")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _assert_bad_input(run_cli("inspect", str(empty)), "empty.csv", "empty")
    image = tmp_path / "photo.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    _assert_bad_input(run_cli("inspect", str(image)), "photo.csv", "not a")
    header_only = tmp_path / "header.csv"
    header_only.write_text("customer,date,amount\n")
    _assert_bad_input(run_cli("inspect", str(header_only)), "header.csv", "no data rows")
    no_date = tmp_path / "nodate.csv"
    no_date.write_text("customer,colour\na,red\nb,blue\n")
    _assert_bad_input(run_cli("inspect", str(no_date)), "nodate.csv", "date", "--map")
    _assert_bad_input(run_cli("inspect", str(no_date), "--map", "customer"), "ROLE=COLUMN")
    _assert_bad_input(run_cli("inspect", str(no_date), "--map", "date=nope"), "nope")
    _assert_bad_input(run_cli("inspect"), "purchases file")


def test_loaded_connection_draws_no_progress_bar(tmp_path):
    # A slow query (over 2 s on a busy machine) made DuckDB print its progress bar into the JSON on stdout.
    # In a subprocess: DuckDB's default depends on the process (pytest's capture turns it off).
    import subprocess
    import sys

    path = tmp_path / "p.csv"
    path.write_text("customer_id,order_date,amount\nC1,2024-01-05,10\nC1,2024-02-05,12\nC2,2024-01-09,8\n")
    code = ("import sys; from retention import cli; con, _ = cli.load(cli.build_parser().parse_args(sys.argv[1:])); "
            "print(con.execute(\"select current_setting('enable_progress_bar')\").fetchall()[0][0])")
    done = subprocess.run([sys.executable, "-c", code, "inspect", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
