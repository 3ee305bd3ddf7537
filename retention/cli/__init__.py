"""Command line: `python -m retention COMMAND [common options]`.

Every command reads the same inputs (a purchases file and/or a customers file, with optional role
mappings), loads them into an in-memory DuckDB through the same ingest path as the app, and prints a
table (CSV by default, or JSON) to stdout. With --engine / --engine-config (or $RETENTION_ENGINE and no
file) it runs on a configured engine instead (retention.engines). Bad input: exit code 2 and one
paragraph on stderr.

Commands live in modules listed in COMMAND_MODULES; each calls `command(...)` at import time.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import duckdb
import pandas as pd

from retention import config, ui_text
from retention.cli import formatting
from retention.cli.progress import Progress
from retention.engines.config import ENV_VAR as ENGINE_ENV
from retention.ingest import date_order
from retention.ingest.canonical import prepare
from retention.ingest.errors import IngestError
from retention.ingest.read import RawTable
from retention.ingest.stage import STAGE_MIN_BYTES, read_path
from retention.ingest.unwrap import check_size

COMMAND_MODULES = [
    "retention.cli.summary",
    "retention.cli.cohorts",
    "retention.cli.churn",
    "retention.cli.whatif",
    "retention.cli.benchmark",
    "retention.cli.alive",
    "retention.cli.drivers",
    "retention.cli.impact",
    "retention.cli.demo",
]
# The module registering each command, so that a one-shot run imports only its own command's module (and what
# that imports: `whatif` alone pulls in scipy). A command missing here still works: every module is imported then.
COMMAND_HOMES = {
    "inspect": __name__, "summary": "retention.cli.summary", "matrix": "retention.cli.cohorts",
    "curve": "retention.cli.cohorts", "churn": "retention.cli.churn", "reasons": "retention.cli.churn",
    "whatif": "retention.cli.whatif", "benchmark": "retention.cli.benchmark",
    "check-benchmarks": "retention.cli.benchmark", "alive": "retention.cli.alive",
    "drivers": "retention.cli.drivers", "impact": "retention.cli.impact", "demo": "retention.cli.demo",
}
EXIT_BAD_INPUT = 2


@dataclass
class Command:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, duckdb.DuckDBPyConnection], Any]
    needs_data: bool = True
    # the derived tables (store.DERIVED_NEEDS names) the command reads, given its options; None = all of them
    tables: Callable[[argparse.Namespace], Iterable[str]] | None = None
    # the period grains it reads (store.build's grains); None = all of them
    grains: Callable[[argparse.Namespace], Iterable[str]] | None = None


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda p: None,
            needs_data: bool = True, tables: Callable[[argparse.Namespace], Iterable[str]] | None = None,
            grains: Callable[[argparse.Namespace], Iterable[str]] | None = None):
    """Register `run(args, con) -> DataFrame | dict` as a sub-command. `tables(args)`: the derived tables it
    reads (store.DERIVED_NEEDS names) and `grains(args)` the period grains, so that a one-shot run on files
    computes only those; default all."""
    def register(run):
        COMMANDS[name] = Command(name, help, arguments, run, needs_data, tables, grains)
        return run
    return register


def iso_date(text: str) -> str:
    """argparse type: a date written YYYY-MM-DD, returned in ISO form."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


def positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value}")
    return value


class BadInput(Exception):
    """An input problem found by the CLI itself (a missing file, a malformed option)."""


class DataProblem(BadInput):
    """What the data files hold cannot answer the command (no dates, no such segment …): main puts the
    files' names in front of the message."""


def data_files(args: argparse.Namespace) -> str | None:
    """The data files a command read, as messages name them ("file 'orders.csv'", "files 'a.csv' (purchases)
    and 'b.csv' (customers)"); None when it read none (an engine)."""
    named = [(Path(path).name, kind) for kind, path in (("purchases", getattr(args, "purchases", None)),
                                                         ("customers", getattr(args, "customers", None))) if path]
    if not named:
        return None
    if len(named) == 1:
        return f"file {named[0][0]!r}"
    return "files " + " and ".join(f"{name!r} ({kind})" for name, kind in named)


def no_dates_problem(con: duckdb.DuckDBPyConnection, fallback: str) -> str:
    """Why the data has no date to analyse: every date after today (with their range), else `fallback`."""
    from retention import sql

    if not isinstance(con, duckdb.DuckDBPyConnection):  # an engine: its tables carry no load date
        return fallback
    row = sql.frame(con, "future_dates").iloc[0]
    if not row["future"] or row["future"] < row["dated"]:
        return fallback
    return (f"every date is after today, so there is no analysis date ({row['future']:,} dated rows, from "
            f"{row['first_date']:%Y-%m-%d} to {row['last_date']:%Y-%m-%d}); rows dated in the future are kept but "
            f"left out of every analysis: check the date column and its day/month order (--date-order)")


def _mapping(pairs: list[str], option: str) -> tuple[dict[str, str], list[str]]:
    roles, segments = {}, []
    for pair in pairs or []:
        role, sep, column = pair.partition("=")
        if not sep or not role or not column:
            raise BadInput(f"{option} {pair!r}: expected ROLE=COLUMN, for example {option} customer=\"Customer ID\"")
        if role == "segment":
            segments.append(column)
        else:
            roles[role] = column
    return roles, segments


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("purchases", nargs="?", metavar="PURCHASES",
                        help="purchases file (CSV, TSV, XLSX, …); optional when --customers is given")
    parser.add_argument("--customers", metavar="FILE", help="customers file (signup/cancel dates, churn reasons, attributes)")
    parser.add_argument("--map", action="append", metavar="ROLE=COLUMN", default=[],
                        help="column of the purchases file for a role: customer, date, amount, quantity, unit_price, "
                             "order, status, currency, or segment (repeatable)")
    parser.add_argument("--customers-map", action="append", metavar="ROLE=COLUMN", default=[],
                        help="column of the customers file for a role: customer, signup, churn_date, churn_reason, "
                             "status, tenure, or segment (repeatable)")
    parser.add_argument("--sheet", metavar="NAME", help="sheet to read in workbooks (default: the largest table)")
    parser.add_argument("--date-order", choices=["dmy", "mdy"], help="day/month order for ambiguous dates like 03/04/2024")
    parser.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default csv)")
    parser.add_argument("--engine", metavar="URL",
                        help="run on this engine instead of files: sc://host:port (Spark Connect), spark+local://N, "
                             "or duckdb: over Parquet files; the table map comes from --engine-config or "
                             f"[engine.tables] in .streamlit/secrets.toml (default: ${ENGINE_ENV} when no file is "
                             "given)")
    parser.add_argument("--engine-config", metavar="FILE.toml",
                        help="TOML file with an [engine] section (url, [engine.tables.purchases], …), as in "
                             "secrets.toml")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def _read(path: str | None, sheet: str | None = None,
          into: Callable[[], duckdb.DuckDBPyConnection] | None = None) -> RawTable | None:
    """The file's table; a large text file is staged in DuckDB rather than read into memory (stage.py), in an
    in-memory database of the connection `into()` gives when `into` is given."""
    if path is None:
        return None
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"file {path!r}: no such file")
    try:
        check_size(file.stat().st_size, file.name)  # before reading: a 2 GB file is refused unread
        return read_path(file, sheet=sheet, limit_seconds=config.cli_load_seconds(), into=into)
    except OSError as exc:
        raise BadInput(f"file {path!r}: cannot be read ({exc.strerror})") from exc


def load(args: argparse.Namespace, progress: Progress | None = None) -> tuple[duckdb.DuckDBPyConnection, dict]:
    """Ingest the files named in args into a fresh in-memory DuckDB; return (connection, reports). `progress`
    is told each step (the terminal's progress line; none when not given)."""
    from retention import store

    if args.purchases is None and args.customers is None:
        raise BadInput("give a purchases file, or --customers FILE, or both")
    say, step = (progress.say, progress.step) if progress else (_quiet, _quiet)
    # A text file of 1 MB or more is staged in the memory of the connection that loads it (stage.read_path's
    # `into`). With a file of 32 MB or more (STAGE_MIN_BYTES) the load runs under the app's ingest settings: the
    # memory limit makes DuckDB spill (to the data directory) rather than grow, and drop the blocks of a staging
    # file it has read (a workbook's, a Parquet file's) instead of keeping them (10M rows: peak 1.6 GB → 1.2 GB);
    # the rows staged in memory get room beside it (_room_for_staged_rows). Smaller files need neither (and the
    # data directory may then be read-only).
    limited = any(Path(p).is_file() and Path(p).stat().st_size >= STAGE_MIN_BYTES
                  for p in (args.purchases, args.customers) if p is not None)
    ingest_connection = functools.cache(
        lambda: duckdb.connect(config=config.duckdb_settings(ingest=True)) if limited else duckdb.connect())
    prepared, options = {}, {}
    for kind, path, pairs, option in (("purchases", args.purchases, args.map, "--map"),
                                      ("customers", args.customers, args.customers_map, "--customers-map")):
        if path is not None:
            say(f"reading {Path(path).name}")
        raw = _read(path, args.sheet, ingest_connection)
        if raw is not None:
            roles, segments = _mapping(pairs, option)
            options[kind] = {"data": b"", "filename": Path(path).name, "kind": kind, "raw": raw, "mapping": roles,
                             "segments": segments or None, "sheet": args.sheet, "date_order": args.date_order}
            prepared[kind] = prepare(**options[kind])
    for kind, hint in date_order.hints(prepared).items():  # one file's dates prove the other's order
        prepared[kind] = prepare(**options[kind], date_hint=hint)
    date_order.require_decided(prepared.values())
    staged = any(p.raw.staged is not None for p in prepared.values())
    con = ingest_connection() if staged else duckdb.connect()
    if limited and any(p.raw.staged is not None and p.raw.staged.owner is con for p in prepared.values()):
        _room_for_staged_rows(con)
    con.execute("set enable_progress_bar = false")  # its bar goes to stdout, into the CSV/JSON
    # inspect shows why a file is unusable; every other command refuses it (store.build)
    inspect = getattr(args, "command", None) == "inspect"
    chosen = COMMANDS.get(getattr(args, "command", None))
    reports = store.build(con, prepared.get("purchases"), prepared.get("customers"), name="cli", say=step,
                          refuse_unusable=not inspect, limit_seconds=config.cli_load_seconds(),
                          flag_copies=inspect, derived=chosen.tables(args) if chosen and chosen.tables else None,
                          grains=chosen.grains(args) if chosen and chosen.grains else None)
    return con, reports


def _room_for_staged_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Raise `con`'s memory limit by what the rows staged in its memory take, so that the load keeps the ingest
    limit for its own work. Under the limit alone the parse spilled its output to disk, and the 10M-row `matrix`
    took more CPU than staging in a file (15.7 against 14.5 s). The staged rows are dropped once parsed
    (canonical.load_into); until then they take about 1.5 times the file's size (474 MB for 319 MB of CSV)."""
    base = config.size_bytes(config.duckdb_ingest_memory_limit())
    if base is None:  # a limit written in a form not read here ('80%'): left as it is
        return
    held = int(con.execute("select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory()").fetchone()[0])
    con.execute("set memory_limit = $limit", {"limit": f"{base + held}B"})


def _quiet(_text: str) -> None:
    pass


def _engine_config(args: argparse.Namespace):
    """The engine the options (or $RETENTION_ENGINE, when no data file is given) name; None for files."""
    import os

    from retention.engines import config

    files = getattr(args, "purchases", None) or getattr(args, "customers", None)
    url, path = getattr(args, "engine", None), getattr(args, "engine_config", None)
    if files and (url or path):
        raise BadInput("give data files or --engine / --engine-config, not both")
    if path:
        return config.from_file(Path(path), url)
    if url or (not files and os.environ.get(ENGINE_ENV)):
        chosen = config.from_settings({ENGINE_ENV: url} if url else os.environ)
        if not chosen.is_source:
            raise BadInput(f"--engine {chosen.url}: no table map; give --engine-config FILE.toml with "
                           f"[engine.tables.purchases] and/or [engine.tables.customers]")
        return chosen
    return None


def uses_engine(args: argparse.Namespace) -> bool:
    """True when the command reads a configured engine rather than files."""
    return _engine_config(args) is not None


def source(args: argparse.Namespace, progress: Progress | None = None):
    """What the command reads: the configured engine (opened and bound), else the files loaded in memory."""
    chosen = _engine_config(args)
    if chosen is None:
        return load(args, progress)[0]
    from retention import engines

    return engines.open_engine(chosen)


def emit(result: Any, fmt: str, out=None) -> None:
    """Print a DataFrame (CSV or JSON records) or a dict (JSON) to `out` (default: the current stdout), after
    cli.formatting has rounded its numbers to the precision they have and written its dates in one form."""
    out = out or sys.stdout
    if isinstance(result, pd.DataFrame):
        frame = formatting.tidy_frame(result)
        if fmt == "json":
            out.write(json.dumps(formatting.records(frame), indent=1, ensure_ascii=False) + "\n")
        else:
            formatting.csv_ready(frame).to_csv(out, index=False, lineterminator="\n")
    elif isinstance(result, str):
        out.write(result if result.endswith("\n") else result + "\n")
    else:
        out.write(json.dumps(formatting.tidy_value(result), indent=1, ensure_ascii=False, default=str) + "\n")


def _chosen_command(argv: list[str] | None) -> str | None:
    """The command named by argv (its first word when that is not an option); None for none or `--help`."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; given the argv it will parse, only of the command argv names (when
    COMMAND_HOMES knows it), so that a one-shot run does not import every other command's modules."""
    home = COMMAND_HOMES.get(_chosen_command(argv))
    for module in [home] if home else COMMAND_MODULES:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    parser = argparse.ArgumentParser(
        prog="python -m retention",
        description="Customer-retention analytics from purchase and customer spreadsheets.",
        epilog="Every command takes the common options; see 'python -m retention COMMAND --help'.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        p = sub.add_parser(cmd.name, help=cmd.help.replace("%", "%%"), description=cmd.help)
        if cmd.needs_data:
            add_common_options(p)
        cmd.arguments(p)
        if not any("--format" in a.option_strings for a in p._actions):
            p.add_argument("--format", choices=["csv", "json"], default="csv")
        for action in p._actions:  # the help states the default the command really has (summary, whatif: json)
            if "--format" in action.option_strings:
                action.help = f"output format (default {p.get_default('format')})"
    return parser


def main(argv: list[str] | None = None) -> int:
    from retention import scratch

    try:
        scratch.clean_abandoned()  # what killed loads (server or CLI) left in the data directory's tmp/
    except OSError:
        pass  # a read-only or missing data directory: nothing of ours to clean
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    cmd = COMMANDS[args.command]
    from retention.engines import EngineConfigError, EngineUnavailable

    progress = Progress()
    try:
        try:
            con = source(args, progress) if cmd.needs_data else None
        finally:
            progress.done()  # before anything else is printed: the notes some commands write on stderr, an error
        emit(cmd.run(args, con), args.format)
    except (IngestError, BadInput, EngineConfigError, EngineUnavailable) as exc:
        files = data_files(args) if isinstance(exc, DataProblem) else None
        print(f"error: {files}: {exc}" if files else f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as exc:
        if getattr(args, "debug", False):
            raise
        files = data_files(args)
        print(f"error: {files + ': ' if files else ''}the data could not be processed ({str(exc).splitlines()[0]})",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if not _engine_failure(exc) or getattr(args, "debug", False):
            raise
        print(f"error: the engine could not run the query ({str(exc).strip().splitlines()[0]})", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _engine_failure(exc: Exception) -> bool:
    """An error raised by a remote engine's client (Spark, Spark Connect), reported as bad input, not a traceback."""
    return type(exc).__module__.startswith(("pyspark", "py4j", "grpc"))


@command("inspect", "Show how the files are read: encoding, delimiter, header row, sheet, column roles, "
                    "date order, and the validation summary (rows read, used, rejected by reason).",
         tables=lambda args: ())  # the reports only: no derived table
def _inspect(args: argparse.Namespace, con) -> Any:
    from retention import store

    if not isinstance(con, duckdb.DuckDBPyConnection):
        raise BadInput("inspect shows how data files are read; an engine's tables are not files")
    reports = store.read_meta(con)["reports"]  # written by store.build while loading the files
    if args.format == "json":
        return reports
    return "\n\n".join(describe_report(report) for report in reports.values())


_SKIPPED = {"total_row": "totals rows under the table", "order_continuation": "further line items of an order",
            "not_paid": "not purchases (unpaid, failed, cancelled, awaiting payment, deals not won)",
            "refunded": "refunded in full", "merged_customer": "further rows of a customer (merged)",
            "not_customer": "not customers yet (trials, leads, first payment never made)",
            "duplicate_line": "lines identical to an earlier line of the same order (merged)"}
_FLAGS = {"future_date": "dated after today (kept)", "refund": "refunds, negative amounts (kept)",
          "possible_duplicate": "possible duplicates, identical to an earlier row (kept: no order id)"}


def _revenue(item: dict) -> str:
    return f", revenue {item['revenue']:,.2f}" if item.get("revenue") is not None else ""


def describe_report(report: dict) -> str:
    """A validation report as plain text for the terminal."""
    read, summary = report["read"], report["summary"]
    lines = [f"{report['kind']}: {report['file']}"]
    if report.get("export"):
        lines.append(f"  recognised as: {report['export']}")
    how = {k: read[k] for k in ("format", "workbook", "compression", "inner_file", "encoding", "delimiter", "sheet",
                                "header_row") if read.get(k) is not None}
    if "delimiter" in how:
        how["delimiter"] = {"\t": "tab", " ": "space"}.get(how["delimiter"], how["delimiter"])
    lines.append("  read as: " + ", ".join(f"{k.replace('_', ' ')}={v!r}" for k, v in how.items()))
    if read.get("headerless"):
        lines.append("  " + ui_text.headerless_note(read["columns_named"]))
    if read.get("title_rows"):
        lines.append(f"  skipped above the {'table' if read.get('headerless') else 'header'}: "
                     f"{read['title_rows']} title/blank row(s)")
    if read.get("blank_rows"):
        lines.append(f"  blank rows inside the table: {read['blank_rows']} (ignored)")
    if len(read.get("sheets") or []) > 1:
        lines.append("  sheets: " + ", ".join(repr(s) for s in read["sheets"]) + " (choose one with --sheet)")
    lines.append("  roles: " + ", ".join(f"{role}={col!r}" for role, col in report["roles"].items()))
    if report["segments"]:
        lines.append("  segments: " + ", ".join(repr(s) for s in report["segments"]))
    for role, d in report["dates"].items():
        fmt = d["formats"][0] if d["formats"] else "none recognised"
        if d.get("serial"):
            fmt = f"Excel serial numbers, {fmt}" if d["formats"] else "Excel serial numbers"
        order = {"dmy": "day first (dd/mm)", "mdy": "month first (mm/dd)"}.get(d["order"] or "", "")
        note = ""
        if d["ambiguous"]:
            note = " — ambiguous: no day above 12 in the whole column; use --date-order dmy|mdy to switch"
        elif d.get("conflict"):
            note = " — mixed: some dates are day-first, others month-first; the minority is rejected"
        elif d.get("decided_by") == "other_column":
            note = f" — decided by another column of the upload: {ui_text.date_order_why(d)}"
        lines.append(f"  {role} format: {fmt}" + (f", date order {order}" if order else "") + note)
        if d.get("mixed") and len(d.get("forms") or {}) > 1:
            lines.append(f"  {role} mixes date forms: {ui_text.date_forms_text(d['forms'], d.get('forms_sampled'))}"
                         + (f"; day/month order {order}: {ui_text.date_order_why(d)}" if order else ""))
    lines.append("  numbers: " + ("decimal comma" if report["decimal_comma"] else "decimal point"))
    if report.get("money"):
        lines.extend("  " + line for line in ui_text.money_notes(report["money"]) + ui_text.money_warnings(report["money"]))
    if report.get("unusable"):
        lines.append(f"  NOT USABLE: {report['unusable']}")
    option = "--map" if report["kind"] == "purchases" else "--customers-map"
    for entry in report.get("repeated_headers", []):
        places = entry.get("letters") or [str(p) for p in entry["positions"]]
        uses = [f"{place} ({column!r}) as {roles or 'an attribute'}" for place, (column, roles)
                in zip(places, entry["roles"].items())]
        role = next((r for r in entry["roles"].values() if r), "ROLE")
        other = next((c for c, r in entry["roles"].items() if not r), entry["columns"][-1])
        lines.append(f"  warning: columns {' and '.join(places)} are {'both' if len(places) == 2 else 'all'} called "
                     f"{entry['name']!r}; used: {', '.join(uses)}; to use another, pass {option} {role}={other!r}")
    lines.append("  rows: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary.items() if v is not None))
    for problem in report["problems"]:
        column = f" in column {problem['column']!r}" if problem["column"] else ""
        lines.append(f"  rejected {problem['rows']} × {problem['reason'].replace('_', ' ')}{column}; "
                     f"e.g. rows {', '.join(map(str, problem['examples']))}")
    for item in report.get("skipped", []):
        statuses = ", ".join(f"{s['rows']} {s['status']}" for s in item.get("statuses", []))
        lines.append(f"  skipped {item['rows']} × {_SKIPPED.get(item['reason'], item['reason'])}"
                     f"{f' ({statuses})' if statuses else ''}{_revenue(item)}; "
                     f"e.g. rows {', '.join(map(str, item['examples']))}")
    for item in report.get("flags", []):
        lines.append(f"  flagged {item['rows']} × {_FLAGS.get(item['flag'], item['flag'])}{_revenue(item)}; "
                     f"e.g. rows {', '.join(map(str, item['examples']))}")
    return "\n".join(lines)
