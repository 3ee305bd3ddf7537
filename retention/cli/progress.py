"""What a one-shot command is doing while it loads its files, on stderr, for a person at a terminal: one line
rewritten in place (reading the file, checking its rows, building the tables) and cleared when the load ends,
before the command prints anything (its notes on stderr, its output, an error). Nothing is written when stderr is
not a terminal (a pipe, a file, a test's capture), so scripts see there only what they saw before. A 10M-row file
takes about 8 s before the first output line."""

from __future__ import annotations

import sys
from typing import TextIO

CLEAR = "\r\x1b[K"  # to the line's start, then erase it
# store.build's progress steps (see its docstring)
STEPS = {
    "queued": "waiting for another load to finish",
    "purchases": "checking the purchases",
    "customers": "checking the customers",
    "summaries": "building the tables",
}


class Progress:
    """say(text) shows `text…` on the terminal's stderr; step(name) shows a store.build step; done() clears it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.on_terminal = _is_terminal(self.stream)
        self.showing = False

    def say(self, text: str) -> None:
        if self.on_terminal:
            self.stream.write(f"{CLEAR}{text}…")
            self.stream.flush()
            self.showing = True

    def step(self, name: str) -> None:
        self.say(STEPS.get(name, name))

    def done(self) -> None:
        if self.showing:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.showing = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
