"""The one-shot CLI's progress line: shown on a terminal's stderr while the files load (reading, checking,
building), cleared before anything else is written there (a command's note, an error), never written when stderr is
not a terminal; the output is the same either way."""

from __future__ import annotations

import io
import sys

import pytest

from retention import cli
from retention.cli.progress import CLEAR

PURCHASES = ("customer,date,amount\n"
             "a,2024-01-05,10\nb,2024-01-20,20\na,2024-02-03,12.5\nc,2024-02-10,7\nb,2024-03-02,3\n"
             "a,2024-03-15,9\nd,2024-03-20,4\n")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(monkeypatch, stderr: io.StringIO, *argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", stderr)
    code = cli.main(list(argv))
    return code, out.getvalue(), stderr.getvalue()


@pytest.fixture
def purchases(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(PURCHASES, encoding="utf-8")
    return str(path)


def test_a_terminal_sees_each_step_then_a_cleared_line_and_the_same_output(monkeypatch, purchases):
    code, shown, err = run(monkeypatch, Terminal(), "matrix", purchases)
    assert code == 0
    steps = err.split(CLEAR)
    assert steps == ["", "reading orders.csv…", "checking the purchases…", "building the tables…", ""]
    code, piped, err = run(monkeypatch, io.StringIO(), "matrix", purchases)
    assert (code, err) == (0, "")  # not a terminal: nothing on stderr
    assert shown == piped and shown.startswith("cohort,period,cohort_size,active,retention_pct")


def test_a_commands_note_starts_on_a_cleared_line(monkeypatch, purchases):
    code, _, err = run(monkeypatch, Terminal(), "churn", purchases, "--inactive-days", "30")
    assert code == 0
    note = err.split(CLEAR)[-1]
    assert note and "…" not in note and note.endswith("\n")  # churn's one line on its basis, not after the progress


def test_an_error_starts_on_a_cleared_line(monkeypatch, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("customer,date,amount\n,2024-01-05,10\n,2024-02-03,12\n", encoding="utf-8")
    code, out, err = run(monkeypatch, Terminal(), "matrix", str(path))
    assert (code, out) == (cli.EXIT_BAD_INPUT, "")
    assert err.split(CLEAR)[-1].startswith("error: file 'blank.csv': the customer column")
