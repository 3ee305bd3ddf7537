"""The time one load may take, from reading the file to the saved dataset (config.load_seconds()).

`Deadline(seconds, filename)` starts the clock (0: no limit). `with deadline.watch(con): …` runs DuckDB
work on `con` until the deadline and then interrupts it; either way past the deadline it raises
IngestError naming the file (ui_text.INGEST_PROBLEMS["load_too_long"]). `deadline.spent` is the seconds since the start:
a RawTable and a Prepared carry what reading and detection spent, and store.build gives the load only
what is left of the limit, so the whole path (read, detect, check and save) stays within it.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import duckdb

from retention.ingest.errors import IngestError


def too_long(filename: str, limit: float) -> IngestError:
    """The refusal of a file whose load went past `limit` seconds."""
    return IngestError(filename, "load_too_long", seconds=limit)


class Deadline:
    """`limit` seconds from now for the file `filename` (0 or None: no limit)."""

    def __init__(self, limit: float | None, filename: str, spent: float = 0.0):
        self.limit, self.filename = float(limit or 0), filename
        self.start = time.monotonic() - spent

    @property
    def spent(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float | None:
        """Seconds left (never below 0); None without a limit."""
        return max(0.0, self.limit - self.spent) if self.limit else None

    def check(self) -> None:
        """IngestError when the deadline has passed."""
        if self.limit and self.left() <= 0:
            raise too_long(self.filename, self.limit)

    @contextmanager
    def watch(self, con: duckdb.DuckDBPyConnection):
        """Interrupt `con`'s work at the deadline; an interrupt it caused becomes the IngestError."""
        if not self.limit:
            yield
            return
        self.check()
        timer = threading.Timer(self.left(), con.interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        except duckdb.InterruptException as exc:
            if timer.is_alive():
                raise
            raise too_long(self.filename, self.limit) from exc
        finally:
            timer.cancel()
