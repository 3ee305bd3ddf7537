"""A module imported on first use: `special = lazy.module("scipy.special")` at the top of a file costs nothing
until `special.gammaln(...)` runs. scipy's import costs a CLI command about a CPU second, and most commands never
need it (tests/ingest/test_load_floor.py checks that the CLI's start imports no scipy)."""

from __future__ import annotations

import importlib
from types import ModuleType


class module:  # noqa: N801 - used like a module
    def __init__(self, name: str) -> None:
        self._name = name

    def _load(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)
