"""`python -m retention demo --out DIR` writes the demo shop as files: the same bytes as the generator's own
command (data/generate_demo.py --out DIR), and files the other commands read."""

from __future__ import annotations

from retention import demo
from tests.helpers.cli_runner import run_cli


def test_demo_writes_the_generators_files(tmp_path):
    out = run_cli("demo", "--out", str(tmp_path / "shop"), "--customers", "200")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "file,rows" and len(lines) == 3
    expected = demo._generator()._save(*demo._generator().generate(n_customers=200), tmp_path / "reference")
    for path in expected:
        assert (tmp_path / "shop" / path.name).read_bytes() == path.read_bytes()
    purchases_rows = len((tmp_path / "reference" / "purchases.csv").read_text().splitlines()) - 1
    assert lines[1] == f"{tmp_path / 'shop' / 'purchases.csv'},{purchases_rows}"
    matrix = run_cli("matrix", str(tmp_path / "shop" / "purchases.csv"))
    assert matrix.returncode == 0 and matrix.stdout.startswith("cohort,period,cohort_size")


def test_demo_refuses_an_unwritable_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    out = run_cli("demo", "--out", str(tmp_path / "file" / "shop"))
    assert out.returncode == 2 and "could not be written" in out.stderr and "Traceback" not in out.stderr
