"""#19: the loading spinners speak the reader's language. Streamlit's show_spinner= takes a text fixed when the
module is imported (English); retention/ui/connections.py shows st.spinner with words read at call time instead,
on the first use in the process only (later calls are cache hits and show nothing)."""

from __future__ import annotations

import contextlib

import pytest

from retention import i18n
from retention.ui import connections


@pytest.fixture
def spinners(monkeypatch):
    shown: list[str] = []

    @contextlib.contextmanager
    def spinner(text, *args, **kwargs):
        shown.append(text)
        yield

    monkeypatch.setattr(connections.st, "spinner", spinner)
    monkeypatch.setattr(connections, "_OPENED", set())
    return shown


def test_demo_spinner_in_the_language_of_the_first_reader(spinners, monkeypatch):
    calls = []

    def fake_demo() -> str:  # the name the spinner helper keys on, as the cached function's
        calls.append(1)
        return "demo"

    fake_demo.__name__ = "_demo_id"
    monkeypatch.setattr(connections, "_demo_id", fake_demo)
    with i18n.using("ja"):
        assert connections.demo_id() == "demo"
    assert spinners == ["デモデータセットを準備しています（初回起動時のみ）…"]
    with i18n.using("pl"):
        assert connections.demo_id() == "demo"
    assert len(spinners) == 1 and len(calls) == 2  # built once: no spinner for a cache hit


@pytest.mark.parametrize("lang, words", [("en", "Connecting to the engine (first use only)…"),
                                         ("ru", "Подключение к движку (только при первом использовании)…"),
                                         ("zh", "正在连接引擎（仅首次使用时）…")])
def test_engine_spinner_in_the_language(spinners, monkeypatch, lang, words):
    def fake_engine(source_id: str) -> str:
        return f"engine {source_id}"

    fake_engine.__name__ = "_engine"
    monkeypatch.setattr(connections, "_engine", fake_engine)
    with i18n.using(lang):
        assert connections.engine("engine-1") == "engine engine-1"
        assert connections.engine("engine-1") == "engine engine-1"
    assert spinners == [words]


def test_no_spinner_text_is_fixed_at_import():
    """Every st.cache_data / st.cache_resource of the app turns Streamlit's own spinner off: its text is fixed at
    import (show_spinner="…") or Streamlit's English "Running `f(...)`." (the default)."""
    import ast
    from pathlib import Path

    root = Path(connections.__file__).resolve().parents[2]
    fixed = []
    for path in [*root.joinpath("retention", "ui").glob("*.py"), *root.joinpath("pages").glob("*.py"), root / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("cache_data", "cache_resource"):
                off = [k for k in node.keywords if k.arg == "show_spinner" and isinstance(k.value, ast.Constant)
                       and k.value.value is False]
                if not off:
                    fixed.append(f"{path.name}:{node.lineno}")
    assert not fixed, fixed
