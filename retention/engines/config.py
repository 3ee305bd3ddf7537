"""Which engine the queries run on: one engine URL plus a table map, from the environment or secrets.toml.

    RETENTION_ENGINE=sc://spark.internal:15002          (environment; wins over the file)
    .streamlit/secrets.toml (or the file named by RETENTION_ENGINE_CONFIG):
        [engine]
        url = "sc://spark.internal:15002"
        [engine.tables.purchases]                       # logical name used by queries/*.sql
        table = "lake.shop.orders"                      # the user's real table (catalog.schema.table)
        customer_id = "cust_no"                         # role -> the user's column (the upload roles)
        purchased_at = "ordered_at"
        amount = "total"
        segments = ["channel", "country"]               # attribute columns → customer_attributes

Schemes: `duckdb:` (default: the embedded datasets; with a table map whose tables are Parquet paths, globs or
hive-partitioned folders, a private DuckDB over those files: see lake.py), `md:` (MotherDuck, DuckDB dialect;
not tested),
`sc://host:port[/;token=…]` (Spark Connect: OSS Spark, Databricks, EMR, Dataproc), `spark+local://[N]`
(an in-process Spark for development and tests). Anything else is refused: engines we cannot test are not offered.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

ENV_VAR = "RETENTION_ENGINE"
CONFIG_ENV_VAR = "RETENTION_ENGINE_CONFIG"  # a TOML file with the [engine] section, instead of secrets.toml
DEFAULT_URL = "duckdb:"

# Logical tables the remote engines read, with the roles (columns) each one maps. Optional roles may be
# left out of the map (their column is NULL). The same role names as the upload mapping.
ROLES: dict[str, dict[str, bool]] = {
    "purchases": {"customer_id": True, "purchased_at": True, "amount": False, "order_id": False,
                  "row_no": False},  # row_no: optional tie-break between a customer's purchases at one instant
    "customers": {"customer_id": True, "signup_date": False, "churn_date": False, "churn_reason": False,
                  "churned": False, "tenure": False},
}


class EngineConfigError(ValueError):
    """The engine URL or table map cannot be used (message says what to fix)."""


class EngineUnavailable(Exception):
    """The engine is configured but cannot be used now (server unreachable, pyspark missing); says why."""


@dataclass(frozen=True)
class TableMap:
    """One logical table (purchases, customers) bound to a physical table and its columns."""

    logical: str
    table: str
    columns: dict[str, str] = field(default_factory=dict)  # role -> physical column
    segments: tuple[str, ...] = ()


@dataclass(frozen=True)
class EngineConfig:
    """kind: 'duckdb' | 'motherduck' | 'spark-connect' | 'spark-local'; dialect: sqlglot dialect of the target."""

    url: str
    kind: str
    dialect: str
    target: str  # what the driver connects to: a DuckDB path / md: name / sc:// URL / local master
    tables: dict[str, TableMap] = field(default_factory=dict)
    init_sql: tuple[str, ...] = ()  # DuckDB only: statements run first (CREATE SECRET for s3://, LOAD httpfs, …)

    @property
    def remote(self) -> bool:
        """True when the queries are transpiled and run on another engine (read-only source)."""
        return self.dialect != "duckdb"

    @property
    def is_source(self) -> bool:
        """True when the configuration names data outside the embedded datasets (a read-only source the app
        offers next to the demo and uploads): any remote engine, or DuckDB with a table map (Parquet files)."""
        return self.remote or self.kind == "motherduck" or bool(self.tables)

    @property
    def source_id(self) -> str:
        """A stable id of this source (engine URL + table map; no secret can be read back from it). Server-side
        configuration, so every session that sees this id sees the same data."""
        import hashlib
        import json

        spec = json.dumps([self.url, {k: [t.table, sorted(t.columns.items()), list(t.segments)]
                                      for k, t in sorted(self.tables.items())}, list(self.init_sql)])
        return "engine-" + hashlib.sha256(spec.encode()).hexdigest()[:16]


def parse_url(url: str, tables: dict[str, TableMap] | None = None) -> EngineConfig:
    """An EngineConfig from an engine URL (see the module docstring for the schemes)."""
    url = (url or DEFAULT_URL).strip()
    tables = tables or {}
    if url.startswith("md:"):
        return EngineConfig(url, "motherduck", "duckdb", url, tables)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "duckdb":
        target = url.split(":", 1)[1].removeprefix("//")
        if target and tables:
            raise EngineConfigError(f"{url}: with a table map use duckdb: (the table map names the Parquet files)")
        return EngineConfig(url, "duckdb", "duckdb", target, tables)
    if scheme == "sc":
        if not parts.hostname:
            raise EngineConfigError(f"a Spark Connect URL needs a host: sc://host:15002, not {url!r}")
        try:
            parts.port  # noqa: B018 - validates the port
        except ValueError as error:
            raise EngineConfigError(f"bad port in {url!r}") from error
        return EngineConfig(url, "spark-connect", "spark", url, _require_tables(url, tables))
    if scheme == "spark+local":
        cores = parts.netloc or "2"
        if not (cores == "*" or cores.isdigit()):
            raise EngineConfigError(f"spark+local://N takes a number of cores, not {cores!r}")
        return EngineConfig(url, "spark-local", "spark", f"local[{cores}]", tables)
    raise EngineConfigError(
        f"unknown engine URL {url!r}: use duckdb:, sc://host:port, spark+local://N or md:<database> (not tested)"
    )


def _require_tables(url: str, tables: dict[str, TableMap]) -> dict[str, TableMap]:
    if "purchases" not in tables and "customers" not in tables:
        raise EngineConfigError(f"{url}: map at least one of [engine.tables.purchases] / [engine.tables.customers]")
    return tables


def parse_tables(section: dict) -> dict[str, TableMap]:
    """The [engine.tables] section → {logical name: TableMap}, checked against ROLES."""
    tables = {}
    for logical, spec in (section or {}).items():
        if logical not in ROLES:
            raise EngineConfigError(f"[engine.tables.{logical}]: only {', '.join(ROLES)} can be mapped")
        if isinstance(spec, str):
            spec = {"table": spec}
        spec = dict(spec)
        table = spec.pop("table", None)
        if not table:
            raise EngineConfigError(f"[engine.tables.{logical}] needs table = \"catalog.schema.table\"")
        segments = tuple(spec.pop("segments", ()))
        unknown = set(spec) - set(ROLES[logical])
        if unknown:
            raise EngineConfigError(
                f"[engine.tables.{logical}]: unknown roles {sorted(unknown)}; roles are {', '.join(ROLES[logical])}"
            )
        columns = {role: spec.get(role, role) for role, required in ROLES[logical].items() if required}
        columns.update({role: column for role, column in spec.items()})
        tables[logical] = TableMap(logical, table, columns, segments)
    return tables


def from_settings(environ: dict | None = None, secrets_path: Path | None = None) -> EngineConfig:
    """The configured engine: RETENTION_ENGINE, else [engine] url in the settings file, else DuckDB. The
    settings file is $RETENTION_ENGINE_CONFIG, else .streamlit/secrets.toml; the table map comes from its
    [engine.tables] in every case."""
    environ = os.environ if environ is None else environ
    if secrets_path is None and environ.get(CONFIG_ENV_VAR):
        secrets_path = Path(environ[CONFIG_ENV_VAR])
        if not secrets_path.is_file():
            raise EngineConfigError(f"{CONFIG_ENV_VAR}={secrets_path}: no such file")
    if secrets_path is None:
        from retention.config import PROJECT_ROOT

        secrets_path = PROJECT_ROOT / ".streamlit" / "secrets.toml"
    section: dict = {}
    if secrets_path.is_file():
        try:
            with secrets_path.open("rb") as handle:
                section = tomllib.load(handle).get("engine", {})
        except (tomllib.TOMLDecodeError, OSError) as error:
            raise EngineConfigError(f"{secrets_path}: {error}") from error
    url = environ.get(ENV_VAR) or section.get("url") or DEFAULT_URL
    config = parse_url(url, parse_tables(section.get("tables", {})))
    init_sql = section.get("init_sql", [])
    if isinstance(init_sql, str) or not all(isinstance(s, str) for s in init_sql):
        raise EngineConfigError('[engine] init_sql must be a list of statements: init_sql = ["LOAD httpfs"]')
    if init_sql and config.dialect != "duckdb":
        raise EngineConfigError("[engine] init_sql is for DuckDB engines only")
    return replace(config, init_sql=tuple(init_sql))


def from_file(path: Path, url: str | None = None) -> EngineConfig:
    """The engine of a TOML file with an [engine] section (the CLI's --engine-config); `url` overrides its url."""
    if not path.is_file():
        raise EngineConfigError(f"{path}: no such file")
    return from_settings({ENV_VAR: url} if url else {}, path)
