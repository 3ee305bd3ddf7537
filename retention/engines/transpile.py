"""DuckDB-dialect query text → Spark SQL: sqlglot, plus the project's own rewrites for what sqlglot gets
silently wrong (each one measured on a real Spark session; see tests/engines/test_spark_queries.py).

Rewrites (applied to the DuckDB syntax tree before Spark SQL is generated):
- date_diff(unit, a, b): DuckDB counts unit *boundaries* crossed; Spark's datediff(unit, …) counts whole
  units (31 Jan → 1 Feb: 1 vs 0). Rewritten to calendar-field arithmetic, e.g. month →
  (year(b) - year(a)) * 12 + month(b) - month(a); week → whole weeks of days, truncated toward zero, as
  DuckDB does; a unit given as a parameter or column becomes a CASE over the supported units.
- quantile_cont(x, p) / median(x): sqlglot emits percentile_cont(x, p) (wrong arity on Spark) →
  percentile(x, p) (exact, linear interpolation, like DuckDB's quantile_cont).
- len(<list>): sqlglot emits length() (strings only on Spark) → size().
- several unnest() in one select (DuckDB zips them): Spark allows one generator per select →
  inline(arrays_zip(…)).
- agg(x) filter (where c) over (…): not supported by Spark → agg(case when c then x end) over (…).
- list_extract(l, i): no such function → try_element_at(l, i) (1-based, NULL out of range, as DuckDB).
- map_from_entries(list(x order by y)): the order cannot matter in a map and is dropped (else list(… order by) is refused).
- date - date: DuckDB gives days (an integer), Spark an interval → datediff(b, a) (needs the schema, which the
  Spark engine reads from its views).
- a decimal literal (30.4375, 100.0): Spark computes in DECIMAL and rounds quotients to 6 places (measured:
  5.9466119 vs 5.946611909650924); DuckDB divides in DOUBLE → cast to double.
- date_trunc(grain, x) with the unit in a column: sqlglot reads the column as the literal 'GRAIN' (Spark then
  returns NULL, silently) → the column is put back (lower-case name, as the queries are written).
- to_months(n) / to_days(n) / …: no such functions on Spark → make_interval(…).
- create table X as SELECT (the derive_* queries): → create or replace temporary view X as SELECT, so a
  remote engine never writes: it computes the precomputed tables lazily from the user's tables.
Constructs with no faithful rewrite (ordered list(), PIVOT, struct literals, …) raise Unportable; the lint in
tests/engines/test_query_portability.py keeps them out of the queries that must run on Spark.
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

DATE_DIFF_UNITS = ("day", "week", "month", "quarter", "year")
_TRUNC_UNITS = {"microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year",
                "decade", "century", "millennium", "isoyear", "yearofweek"}


class Unportable(Exception):
    """The query uses a construct that has no faithful Spark translation."""


def _spark(template: str, **parts: exp.Expression) -> exp.Expression:
    """Parse a Spark SQL template and put copies of `parts` where columns named __<key> stand."""
    tree = sqlglot.parse_one(template, read="spark")
    for column in list(tree.find_all(exp.Column)):
        name = column.name
        if name.startswith("__") and name[2:] in parts:
            column.replace(parts[name[2:]].copy())
    return tree


def _date_diff_literal(unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
    templates = {
        "day": "datediff(cast(__b as date), cast(__a as date))",
        "week": "cast(datediff(cast(__b as date), cast(__a as date)) div 7 as bigint)",
        "month": "(year(__b) - year(__a)) * 12 + (month(__b) - month(__a))",
        "quarter": "(year(__b) - year(__a)) * 4 + (quarter(__b) - quarter(__a))",
        "year": "year(__b) - year(__a)",
    }
    if unit not in templates:
        raise Unportable(f"date_diff('{unit}', …): only {', '.join(DATE_DIFF_UNITS)} are portable")
    return exp.Paren(this=_spark(templates[unit], a=start, b=end))


def _date_diff(node: exp.DateDiff) -> exp.Expression:
    start, end, unit = node.expression, node.this, node.args.get("unit")
    if unit is None:
        return _date_diff_literal("day", start, end)
    if isinstance(unit, exp.Literal) or (isinstance(unit, exp.Var) and unit.name.lower() in DATE_DIFF_UNITS):
        return _date_diff_literal(unit.name.lower(), start, end)
    if isinstance(unit, exp.Var):  # sqlglot reads an unqualified column in unit position as a keyword
        unit = exp.column(unit.name)
    case = exp.Case(this=unit.copy())
    for name in DATE_DIFF_UNITS:
        case = case.when(exp.Literal.string(name), _date_diff_literal(name, start, end))
    return case


def _percentile(node: exp.Expression) -> exp.Expression:
    quantile = node.expression if isinstance(node, exp.PercentileCont) else exp.Literal.number(0.5)
    if isinstance(node, exp.PercentileCont) and isinstance(node.this, exp.Ordered):
        raise Unportable("quantile_cont within group (order by …)")
    return exp.Anonymous(this="percentile", expressions=[node.this.copy(), quantile.copy()])


def _is_list(node: exp.Expression) -> bool:
    kind = getattr(node, "type", None)
    return isinstance(node, (exp.Array, exp.ArrayFilter)) or (kind is not None and kind.is_type("array")) or (
        isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.ARRAY
    )


def _zip_unnests(select: exp.Select) -> None:
    """select unnest(a) as x, unnest(b) as y → select inline(arrays_zip(a, b)) as (x, y) (DuckDB zips)."""
    generators = [e for e in select.expressions if isinstance(e.unalias(), (exp.Explode, exp.Unnest))]
    if len(generators) < 2:
        return
    if len(generators) != len(select.expressions) or not all(isinstance(e, exp.Alias) for e in generators):
        raise Unportable("several unnest() in one select must be the whole select list, each with an alias")
    arrays = [g.unalias().this.copy() for g in generators]
    names = [g.alias for g in generators]
    inline = exp.Anonymous(this="inline", expressions=[exp.Anonymous(this="arrays_zip", expressions=arrays)])
    select.set("expressions", [exp.Aliases(this=inline, expressions=[exp.to_identifier(n) for n in names])])


def _window_filter(node: exp.Window) -> exp.Expression:
    """agg(x) filter (where c) over (…) → agg(case when c then x end) over (…); Spark has no FILTER in windows."""
    aggregate, condition = node.this.this.copy(), node.this.expression.this
    argument = aggregate.this
    if isinstance(argument, exp.Star) or argument is None:
        argument = exp.Literal.number(1)
    aggregate.set("this", exp.Case().when(condition.copy(), argument.copy()))
    window = node.copy()
    window.set("this", aggregate)
    return window


def _unordered_entries(node: exp.Anonymous) -> None:
    """map_from_entries(list(x order by y)): a map has no order, so the ORDER BY can go."""
    for argument in [node.this, *node.expressions]:
        if isinstance(argument, exp.ArrayAgg) and isinstance(argument.this, exp.Order):
            argument.set("this", argument.this.this.copy())


def _is_list_extract(node: exp.Expression) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() in ("list_extract", "list_element")


def _list_extract_args(node: exp.Expression) -> list[exp.Expression]:
    return list(node.expressions)


_INTERVAL_MAKERS = {"to_years": 0, "to_months": 1, "to_weeks": 2, "to_days": 3}  # make_interval(y, m, w, d)


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.DateDiff):
        return _date_diff(node)
    if isinstance(node, (exp.DateTrunc, exp.TimestampTrunc)):
        unit = node.args.get("unit")
        if isinstance(unit, exp.Literal) and unit.name.lower() not in _TRUNC_UNITS:
            node = node.copy()
            node.set("unit", exp.column(unit.name.lower()))
            return node
    if isinstance(node, (exp.PercentileCont, exp.Median)):
        return _percentile(node)
    if isinstance(node, exp.Window) and isinstance(node.this, exp.Filter):
        return _window_filter(node)
    if isinstance(node, exp.Sub) and _is_date(node.this) and _is_date(node.expression):
        return _spark("datediff(__b, __a)", a=node.expression, b=node.this)
    if isinstance(node, exp.MapFromEntries) or (
        isinstance(node, exp.Anonymous) and node.name.lower() == "map_from_entries"
    ):
        _unordered_entries(node)
    if isinstance(node, (exp.Anonymous, exp.Bracket)) and _is_list_extract(node):
        return exp.Anonymous(this="try_element_at", expressions=[e.copy() for e in _list_extract_args(node)])
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        raise Unportable("list(x order by y): Spark's collect_list keeps no order")
    if isinstance(node, exp.Pivot):
        raise Unportable("PIVOT / UNPIVOT")
    if isinstance(node, exp.Struct) and node.find(exp.PropertyEQ):
        raise Unportable("struct literal {'k': v}")
    if isinstance(node, exp.Length) and _is_list(node.this):
        return exp.ArraySize(this=node.this.copy())
    if isinstance(node, exp.Anonymous) and node.name.lower() in _INTERVAL_MAKERS:
        slots = ["0"] * 4
        slots[_INTERVAL_MAKERS[node.name.lower()]] = "__n"
        return _spark(f"make_interval({', '.join(slots)})", n=node.expressions[0])
    if isinstance(node, exp.Literal) and not node.is_string and any(c in node.this for c in ".eE"):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("double"))
    if isinstance(node, exp.Select):
        _zip_unnests(node)
    return node


def _is_date(node: exp.Expression) -> bool:
    kind = getattr(node, "type", None)
    return kind is not None and kind.this == exp.DataType.Type.DATE


def rewrite_for_spark(tree: exp.Expression, schema: dict | None = None) -> exp.Expression:
    """The project's rewrites on a DuckDB syntax tree (a new tree; the input is not changed). With `schema`
    ({table: {column: DuckDB type}}) the tree is qualified and typed first, so that date - date (DuckDB:
    days as an integer; Spark: an interval) becomes datediff()."""
    tree = tree.copy()
    if schema is not None:
        from sqlglot.optimizer.annotate_types import annotate_types
        from sqlglot.optimizer.qualify import qualify

        from sqlglot.errors import OptimizeError

        try:
            tree = qualify(tree, schema=schema, dialect="duckdb", validate_qualify_columns=False,
                           quote_identifiers=False, expand_stars=False)
            tree = annotate_types(tree, schema=schema, dialect="duckdb")
        except OptimizeError:
            pass  # e.g. a select alias used in WHERE (DuckDB only); typed rewrites are then skipped
    if isinstance(tree, exp.Create) and tree.kind == "TABLE" and isinstance(tree.expression, exp.Query):
        tree = exp.Create(
            this=tree.this.copy(), kind="VIEW", replace=True, expression=tree.expression.copy(),
            properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
        )
    elif not isinstance(tree, exp.Query):
        raise Unportable(f"only SELECT queries and CREATE TABLE … AS SELECT run on Spark, not {tree.key}")
    return tree.transform(_rewrite)


def to_spark(text: str, schema: dict | None = None) -> str:
    """Spark SQL for one DuckDB-dialect statement; parameters stay named markers (:name). `schema` as in
    rewrite_for_spark (without it, date - date is left as it is and fails on Spark)."""
    frozen = None if schema is None else tuple((t, tuple(c.items())) for t, c in sorted(schema.items()))
    return _to_spark(text, frozen)


@functools.lru_cache(maxsize=512)
def _to_spark(text: str, frozen: tuple | None) -> str:
    schema = None if frozen is None else {t: dict(c) for t, c in frozen}
    trees = sqlglot.parse(text, read="duckdb")
    if len(trees) != 1 or trees[0] is None:
        raise Unportable("a query file holds exactly one statement")
    return rewrite_for_spark(trees[0], schema).sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
