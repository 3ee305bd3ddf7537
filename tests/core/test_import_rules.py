"""The layout rules of docs/architecture.md ("What lives where"), read with ast from every file (imports inside
functions included): Streamlit only in app.py, pages/ and retention/ui/; retention.ui only from app.py, pages/
and the performance scripts; nothing in the package imports the CLI; each module group imports only the groups
the table lists; queries/ is read only by retention/sql.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

# group -> the groups of retention it may import (docs/architecture.md, "may import"); a group is a subpackage
# (retention.metrics) or a top-level module (retention.store). Its own modules are always allowed.
BASE = {"retention.config", "retention.paths", "retention.scratch", "retention.i18n", "retention.fmt",
        "retention.ui_text", "retention.lazy"}
ALLOWED = {
    "retention.ingest": BASE | {"retention.sql"},
    "retention.sql": BASE,
    "retention.metrics": BASE | {"retention.sql", "retention.store", "retention.ingest", "retention.benchmarks"},
    "retention.benchmarks": BASE | {"retention.sql", "retention.metrics"},
    "retention.scenarios": BASE | {"retention.sql", "retention.metrics"},
    "retention.charts": BASE,
    "retention.engines": BASE | {"retention.sql", "retention.store"},
    "retention.store": BASE | {"retention.sql", "retention.ingest", "retention.metrics", "retention.access",
                               "retention.demo"},
    "retention.demo": BASE | {"retention.ingest"},
    "retention.access": BASE,
    "retention.report": BASE,
    "retention.state": BASE,
    "retention.cli": BASE | {"retention.sql", "retention.ingest", "retention.store", "retention.metrics",
                             "retention.scenarios", "retention.benchmarks", "retention.engines", "retention.demo"},
    "retention.ui": BASE | {"retention.sql", "retention.ingest", "retention.store", "retention.metrics",
                            "retention.scenarios", "retention.benchmarks", "retention.engines", "retention.demo",
                            "retention.charts", "retention.access", "retention.report", "retention.state"},
    "retention.__main__": {"retention.cli"},
}
SMALL = BASE  # the base modules import only each other
# The words, the Benchmarks and What-if pages' included, live in the UI-text package (retention/ui_text/: shared
# words in __init__, one module per page); it is in BASE, so any module may use them.
WORDS = ("retention.ui_text",)


def python_files(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    """Every module name `path` imports, anywhere in the file (`from a import b` gives a and a.b)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def group(module: str) -> str | None:
    """retention.metrics.churn -> retention.metrics; retention.store -> retention.store; others None."""
    parts = module.split(".")
    if parts[0] != "retention" or len(parts) < 2:
        return None
    name = ".".join(parts[:2])
    return name if (ROOT / "retention" / parts[1]).is_dir() or (ROOT / "retention" / f"{parts[1]}.py").exists() \
        else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_streamlit_only_in_app_pages_and_ui():
    allowed = {ROOT / "app.py", *python_files("pages", "retention/ui")}
    offenders = [str(p.relative_to(ROOT)) for p in python_files("retention") + [ROOT / "app.py"]
                 if p not in allowed and any(n == "streamlit" or n.startswith("streamlit.") for n in imported(p))]
    assert not offenders, f"import Streamlit outside app.py, pages/, retention/ui/: {offenders}"


def test_ui_only_from_app_and_pages():
    offenders = [str(p.relative_to(ROOT)) for p in python_files("retention")
                 if not p.is_relative_to(ROOT / "retention" / "ui")
                 and any(n == "retention.ui" or n.startswith("retention.ui.") for n in imported(p))]
    assert not offenders, f"the package imports retention.ui (only app.py and pages/ may): {offenders}"


def test_cli_only_from_main():
    offenders = [str(p.relative_to(ROOT)) for p in python_files("retention", "pages") + [ROOT / "app.py"]
                 if not p.is_relative_to(ROOT / "retention" / "cli") and p.name != "__main__.py"
                 and any(n == "retention.cli" or n.startswith("retention.cli.") for n in imported(p))]
    assert not offenders, f"imports the command line: {offenders}"


def test_groups_import_only_what_the_architecture_lists():
    wrong = []
    for path in python_files("retention"):
        own = group(module_name(path)) or module_name(path)
        rules = ALLOWED.get(own, SMALL)
        for name in imported(path):
            if name in WORDS or name.startswith(tuple(w + "." for w in WORDS)):
                continue
            target = group(name)
            if target and target != own and target not in rules:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "imports docs/architecture.md does not allow (change the code, or the table and ALLOWED):\n" \
        + "\n".join(sorted(wrong))


def test_words_import_only_the_base():
    """The UI-text package (every page's words) imports only i18n, fmt and itself, so any module may use it."""
    wrong = [f"{p.relative_to(ROOT)} imports {n}" for p in python_files("retention/ui_text") for n in imported(p)
             if group(n) and group(n) not in {"retention.ui_text", "retention.i18n", "retention.fmt"}]
    assert not wrong, "\n".join(wrong)


def test_every_group_has_a_rule():
    groups = {group(module_name(p)) for p in python_files("retention")} - {None}
    assert groups <= set(ALLOWED) | SMALL


def test_queries_are_read_only_through_sql_py():
    """QUERIES_DIR is used only by retention/sql.py (config defines it), and no code names a .sql file as a
    path to open (docstrings and comments may name them)."""
    offenders = []
    for path in python_files("retention", "pages") + [ROOT / "app.py"]:
        if path in (ROOT / "retention" / "sql.py", ROOT / "retention" / "config.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Name, ast.Attribute)) and getattr(node, "id", getattr(node, "attr", "")) \
                    == "QUERIES_DIR":
                offenders.append(f"{path.relative_to(ROOT)}: QUERIES_DIR")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and node.value.strip().endswith(".sql") and " " not in node.value.strip():
                offenders.append(f"{path.relative_to(ROOT)}: {node.value!r}")
    assert not offenders, f"read queries/ without retention/sql.py: {offenders}"


@pytest.mark.parametrize("rule", ["streamlit", "ui", "groups"])
def test_the_rules_catch_a_breach(tmp_path, rule):
    """The checks see a breach: a file importing what it must not."""
    source = {"streamlit": "import streamlit as st\n", "ui": "from retention.ui import cache\n",
              "groups": "from retention.charts import theme\n"}[rule]
    path = tmp_path / "bad.py"
    path.write_text("def f():\n    " + source, encoding="utf-8")
    names = imported(path)
    if rule == "streamlit":
        assert "streamlit" in names
    elif rule == "ui":
        assert "retention.ui.cache" in names and group("retention.ui.cache") == "retention.ui"
    else:
        assert group("retention.charts.theme") == "retention.charts" \
            and "retention.charts" not in ALLOWED["retention.metrics"]
