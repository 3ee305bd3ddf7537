"""`python -m retention ARGS` run inside the test process: the same CompletedProcess, without a new interpreter.

A subprocess costs ~1.5-3.5 s of CPU (Python, pandas, DuckDB imported again) per call; the suite made
dozens. Each command file keeps at least one real subprocess test (the command as a user runs it); the
other cases go through cli.main here. Like the interpreter: an uncaught exception is exit code 1 with its
traceback on stderr, argparse's SystemExit is its exit code, stdout/stderr are what the command wrote.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import traceback


@contextlib.contextmanager
def environment(env: dict[str, str] | None):
    """os.environ updated with `env` for the block, then restored exactly."""
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """cli.main(args) in this process, with `env` added to the environment; returncode, stdout, stderr as text."""
    from retention import cli

    out, err = io.StringIO(), io.StringIO()
    with environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse: --help (0) or rejected options (2)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # noqa: BLE001 - as the interpreter would: a traceback and exit code 1
            traceback.print_exc(file=err)
            code = 1
    return subprocess.CompletedProcess(["python", "-m", "retention", *args], code, out.getvalue(), err.getvalue())
