"""Churn drivers: which of the customers' own attributes go with churning, ranked, with their uncertainty.

Churned (`definition`): in a customers file, what the file says (a cancel date or a churned status; customers
whose churn is unknown are left out); with purchases only, lapsed: no purchase in the inactivity window W up to
the analysis date, among customers whose first purchase is at least W days before it.

Candidate attributes: the customers file's own columns (text columns with at most MAX_VALUES values; numeric
columns cut into up to BINS quantile bins with readable edges), the attributes taken at the first purchase, and
what the data says per customer (tenure, orders, revenue to date: kind 'accumulated', as they grow while a
customer stays, so they are partly a consequence of not churning; ranked, but kept out of the model). Never candidates (`excluded`): columns that
restate the outcome (roles.is_outcome_column), identifiers and location details, columns with one value or with
too many values.

Per value (`drivers`): customers, churned, churn % with its Wilson 95% interval, the difference in points from
everyone else, and the churned customers (and their revenue) that difference accounts for: churned − customers ×
everyone else's rate. Per attribute (`ranking`): the chi-square test of independence (value × churned), its p-value
corrected for the number of attributes tested (Holm), and the bias-corrected Cramér's V (Bergsma 2013), which does
not grow with the number of values by chance, so a column of 40 values of 12 customers each does not win by noise.
Ranked: attributes significant after correction first, then by corrected V. Values with fewer than SMALL
customers are flagged `small`, never dropped.

Multivariable view (`model`): a logistic regression on the top attributes (one-hot, the most common value as
reference), fitted by maximum likelihood with statsmodels (Logit): odds ratios with Wald 95% intervals, and the AUC
on a 30% holdout; values where everyone or no one churned (perfect separation) and columns that repeat others are
flagged, not fitted. `rules`: churn per combination of the two top attributes. `over_time`: each top value's gap by
cohort year (customers with a start date).
"""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import numpy as np
import pandas as pd
from retention import lazy

sps = lazy.module("scipy.stats")

from retention import sql
from retention.ingest import segments
from retention.ingest.roles import is_outcome_column, normalise
from retention.metrics import churn, headline
from retention.metrics.stats import wilson

MAX_VALUES = 60  # a text column with more values is not a driver (too many values to read)
BINS = 5
SMALL = 30  # customers in a value below which its rate is flagged
ALPHA = 0.05
MODEL_TOP = 4  # attributes in the multivariable model
MODEL_LIMIT = 200_000  # customers in the model (a deterministic sample beyond)
SEPARATED = 5.0  # standard error (log odds) beyond which a value's odds ratio is not estimable
MIN_LEVEL = 10  # customers a value needs to get its own coefficient (fewer: pooled with the reference)
SUMMARY = {"tenure": "Tenure", "purchases": "Orders", "revenue": "Revenue to date"}  # per-customer figures

VALUE_COLUMNS = ["attribute", "kind", "order", "value", "customers", "churned", "churn_pct", "ci_low_pct",
                 "ci_high_pct", "rest_pct", "diff_pp", "excess_churned", "excess_revenue", "small"]
RANK_COLUMNS = ["rank", "attribute", "kind", "values", "customers", "chi2", "dof", "p_value", "p_adjusted",
                "significant", "cramers_v", "information_gain", "top_value", "top_churn_pct", "top_diff_pp",
                "top_customers", "top_excess_churned"]


class NoDrivers(ValueError):
    """The data cannot say who churned (no churn status, no cancel date, no dated purchases)."""


# ---------------------------------------------------------------- who churned


def definition(con, inactive_days: int = churn.DEFAULT_INACTIVE_DAYS) -> dict:
    """How churned is defined for this dataset: {'basis': 'customers' | 'purchases', 'inactive_days',
    'as_of' (date or None)}. Raises NoDrivers when there is neither a churn status nor dated purchases."""
    info = churn.bounds(con)
    known = con.execute("select count(*) from customer_summary where in_customers and churned is not null").fetchone()[0]
    if known:
        return {"basis": "customers", "inactive_days": None, "as_of": None}
    if info.get("purchase_customers"):
        return {"basis": "purchases", "inactive_days": int(inactive_days), "as_of": churn.resolve_as_of(con)}
    raise NoDrivers("the data does not say who churned: no churn status or cancel date, and no dated purchases")


def _prepare(con, inactive_days: int) -> dict:
    """Make the temp table driver_outcome for this dataset; returns definition() plus 'revenue'
    ('purchases' | 'charges' | None) and 'charges_column'."""
    if not isinstance(con, duckdb.DuckDBPyConnection):  # temp tables and the file's own columns: DuckDB only
        raise NoDrivers("churn drivers are computed on DuckDB datasets only, not on a remote engine")
    how = definition(con, inactive_days)
    has_purchases = bool(con.execute("select count(*) from customer_summary where in_purchases").fetchone()[0])
    charges = None if has_purchases else headline.charges_column(con)
    sql.create_projection(con, "driver_charges", "customers", {"customer_id": "customer_id", "charge_raw": charges}, [])
    lapsed = how["basis"] == "purchases"
    sql.execute(con, "drivers_outcome", lapsed=lapsed, inactive_days=int(inactive_days),
                as_of=how["as_of"] or dt.date(1970, 1, 1))
    return how | {"revenue": "purchases" if has_purchases else ("charges" if charges else None),
                  "charges_column": charges}


# ---------------------------------------------------------------- which columns can be drivers


def _own_columns(con) -> list[str]:
    """The customers file's own columns (not the fixed ones the app derives)."""
    fixed = {"row_no", "customer_id", "signup_date", "churn_date", "churn_reason", "churned", "tenure",
             "status_recognised", "is_future"}
    names = [r[0] for r in con.execute("select column_name from information_schema.columns where table_name = "
                                       "'customers' and table_schema = 'main' order by ordinal_position").fetchall()]
    return [n for n in names if n not in fixed]


def classify(profile: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """drivers_profile output → ({column: 'text' | 'number'} candidates, {column: reason} excluded), reason one of
    'outcome', 'identifier', 'one_value', 'too_many', 'blank'."""
    use, out = {}, {}
    for r in profile.itertuples():
        examples = list(r.examples) if r.examples is not None else []
        norm = normalise(r.attribute)
        identifier = any(_word_at_end(norm, w) for w in segments.IDENTIFIER_WORDS) \
            and not segments._has_word(norm, segments.USEFUL_WORDS)
        numeric = r.filled and r.numbers >= 0.95 * r.filled and r.distinct_values > 12
        if is_outcome_column(r.attribute, examples):
            out[r.attribute] = "outcome"
        elif identifier:
            out[r.attribute] = "identifier"
        elif not r.filled:
            out[r.attribute] = "blank"
        elif r.distinct_values < 2:
            out[r.attribute] = "one_value"
        elif numeric:
            use[r.attribute] = "number"
        elif r.distinct_values > MAX_VALUES or (r.distinct_values > 12 and r.distinct_values > 0.5 * r.filled):
            out[r.attribute] = "too_many"
        else:
            use[r.attribute] = "text"
    return use, out


def _word_at_end(norm: str, word: str) -> bool:
    return norm == word or norm.endswith(" " + word)


def candidates(con) -> tuple[dict[str, str], dict[str, str]]:
    """The customers file's own columns → (candidates {column: 'text' | 'number'}, excluded {column: reason})."""
    own = _own_columns(con)
    if not own:
        return {}, {}
    return classify(sql.frame(con, "drivers_profile", columns=own))


# ---------------------------------------------------------------- numbers into bins


def _nice(x: float) -> float:
    """x rounded to two significant digits (45.37 → 45, 1234 → 1200, 0.0371 → 0.037)."""
    if x == 0 or not math.isfinite(x):
        return x
    digits = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, digits)


def bin_edges(numbers, weights, bins: int = BINS) -> list[float]:
    """Inner edges of up to `bins` quantile bins of the weighted numbers, rounded to readable values, strictly
    above the smallest number and at most the largest (so no bin is empty by construction)."""
    order = np.argsort(numbers)
    x, w = np.asarray(numbers, float)[order], np.asarray(weights, float)[order]
    if not len(x):
        return []
    cum = np.cumsum(w) / w.sum()
    edges = []
    for q in np.arange(1, bins) / bins:
        edge = _nice(float(x[np.searchsorted(cum, q)]))
        if x[0] < edge <= x[-1] and edge not in edges:
            edges.append(edge)
    return sorted(edges)


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.6g}"


def bin_labels(edges: list[float], integral: bool) -> list[str]:
    """Labels of the bins [−∞, e1), [e1, e2) … [ek, ∞): '< 6', '6–19' (integers) or '6–<20', '≥ 60'."""
    if not edges:
        return ["all"]
    labels = [f"< {_num(edges[0])}"]
    for lo, hi in zip(edges, edges[1:]):
        if integral and float(lo).is_integer() and float(hi).is_integer():
            labels.append(_num(lo) if hi - 1 == lo else f"{_num(lo)}–{_num(hi - 1)}")
        else:
            labels.append(f"{_num(lo)}–<{_num(hi)}")
    labels.append(f"≥ {_num(edges[-1])}")
    return labels


def binned(counts: pd.DataFrame) -> pd.DataFrame:
    """drivers_number_counts rows of one attribute → one row per bin: value (label), order, counts summed.
    Blank numbers (NULL) become one blank value, last."""
    known = counts[counts["number"].notna()]
    edges = bin_edges(known["number"].to_numpy(), known["customers"].to_numpy())
    integral = bool(np.all(np.mod(known["number"].to_numpy(), 1) == 0))
    labels = bin_labels(edges, integral)
    where = np.searchsorted(np.asarray(edges, float), known["number"].to_numpy(), side="right")
    sums = ["customers", "churned", "revenue", "churned_revenue"]
    out = known.assign(order=where).groupby("order", as_index=False)[sums].sum(min_count=1)
    out["value"] = [labels[i] for i in out["order"]]
    blank = counts[counts["number"].isna()]
    if len(blank):
        row = blank[sums].sum(min_count=1).to_dict() | {"order": len(labels), "value": None}
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    return out


# ---------------------------------------------------------------- per value and per attribute


def value_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts (attribute, kind, order, value, customers, churned, revenue, churned_revenue; every customer once per
    attribute) → VALUE_COLUMNS: churn % with Wilson interval, difference from everyone else (points), churned
    customers and revenue the difference accounts for, small flag."""
    c = counts.astype({"customers": "int64", "churned": "int64"})
    totals = c.groupby("attribute")[["customers", "churned"]].transform("sum")
    n, k = c["customers"].astype(float), c["churned"].astype(float)
    rest_n, rest_k = totals["customers"] - n, totals["churned"] - k
    low, high = wilson(k, n)
    c["churn_pct"] = 100 * k / n
    c["ci_low_pct"], c["ci_high_pct"] = 100 * low, 100 * high
    c["rest_pct"] = np.where(rest_n > 0, 100 * rest_k / rest_n.where(rest_n > 0), np.nan)
    c["diff_pp"] = c["churn_pct"] - c["rest_pct"]
    c["excess_churned"] = k - n * c["rest_pct"] / 100
    per_churned = c["churned_revenue"] / k.where(k > 0)
    c["excess_revenue"] = (c["excess_churned"] * per_churned).where(c["churned_revenue"].notna())
    c["small"] = n < SMALL
    return c[VALUE_COLUMNS]


def attribute_tests(values: pd.DataFrame) -> pd.DataFrame:
    """value_table output → one row per attribute: chi-square (values × churned), dof, p-value, Holm-adjusted
    p-value, significant, bias-corrected Cramér's V, information gain (bits), the value with the largest excess
    churn; ranked (rank 1 = explains most)."""
    rows = []
    for attribute, g in values.groupby("attribute", sort=False):
        n, k = g["customers"].to_numpy(float), g["churned"].to_numpy(float)
        table = np.column_stack([k, n - k])
        total = table.sum()
        r = (table.sum(axis=1) > 0).sum()
        expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / total
        with np.errstate(divide="ignore", invalid="ignore"):
            chi2 = float(np.nansum(np.where(expected > 0, (table - expected) ** 2 / expected, 0.0)))
        cols = (table.sum(axis=0) > 0).sum()
        dof = max((r - 1) * (cols - 1), 0)
        p = float(sps.chi2.sf(chi2, dof)) if dof else 1.0
        rows.append({"attribute": attribute, "kind": g["kind"].iloc[0], "values": len(g), "customers": int(total),
                     "chi2": chi2, "dof": dof, "p_value": p, "cramers_v": corrected_v(chi2, total, r, cols),
                     "information_gain": information_gain(table)}
                    | _top(g))
    out = pd.DataFrame(rows, columns=[c for c in RANK_COLUMNS if c not in ("rank", "p_adjusted", "significant")])
    out["p_adjusted"] = holm(out["p_value"].to_numpy())
    out["significant"] = out["p_adjusted"] < ALPHA
    out = out.sort_values(["significant", "cramers_v", "information_gain"], ascending=False, kind="stable")
    out.insert(0, "rank", range(1, len(out) + 1))
    return out[RANK_COLUMNS].reset_index(drop=True)


def _top(g: pd.DataFrame) -> dict:
    """The value that accounts for the most extra churned customers (ties: the larger group)."""
    best = g.sort_values(["excess_churned", "customers"], ascending=False).iloc[0]
    return {"top_value": best["value"], "top_churn_pct": best["churn_pct"], "top_diff_pp": best["diff_pp"],
            "top_customers": int(best["customers"]), "top_excess_churned": best["excess_churned"]}


def corrected_v(chi2: float, total: float, rows: int, cols: int) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013): 0 when the association is no more than chance gives."""
    if total <= 1 or rows < 2 or cols < 2:
        return 0.0
    phi2 = max(0.0, chi2 / total - (rows - 1) * (cols - 1) / (total - 1))
    r = rows - (rows - 1) ** 2 / (total - 1)
    c = cols - (cols - 1) ** 2 / (total - 1)
    span = min(r - 1, c - 1)
    return math.sqrt(phi2 / span) if span > 0 else 0.0


def information_gain(table: np.ndarray) -> float:
    """Mutual information (bits) between the rows (values) and columns (churned, stayed) of a count table."""
    total = table.sum()
    if total <= 0:
        return 0.0
    p = table / total
    pr, pc = p.sum(axis=1, keepdims=True), p.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p / (pr * pc)), 0.0)
    return float(terms.sum())


def holm(p: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (step-down, monotone, capped at 1)."""
    p = np.asarray(p, float)
    m = len(p)
    order = np.argsort(p)
    adjusted = np.empty(m)
    running = 0.0
    for i, idx in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[idx]))
        adjusted[idx] = running
    return adjusted


# ---------------------------------------------------------------- the counts from the dataset


def _counts(con, how: dict, use: dict[str, str]) -> pd.DataFrame:
    """Counts per attribute value for every candidate (see value_table's input)."""
    cells = sql.frame(con, "drivers_counts", columns=list(use), summary=_summary_columns(con, how))
    sums = ["customers", "churned", "revenue", "churned_revenue"]
    total = con.execute("select count(*), count(*) filter (where churned), sum(revenue), "
                        "sum(revenue) filter (where churned) from driver_outcome").fetchone()
    parts = []
    for (source, attribute), g in cells.groupby(["source", "attribute"], sort=False):
        kind = {"own": use.get(attribute), "summary": "accumulated", "first": "first"}[source]
        if kind in ("number", "accumulated"):
            if g["number"].notna().sum() >= 2:
                name = _summary_name(con, attribute) if source == "summary" else attribute
                parts.append(binned(g).assign(attribute=name, kind=kind))
            continue
        g = g.groupby("value", dropna=False, as_index=False)[sums].sum(min_count=1)
        missing = total[0] - g["customers"].sum()
        if source == "first" and missing > 0:  # customers without the attribute: blank
            blank = {"value": None, "customers": missing, "churned": total[1] - g["churned"].sum(),
                     "revenue": (total[2] or 0) - g["revenue"].sum(),
                     "churned_revenue": (total[3] or 0) - g["churned_revenue"].sum()}
            g = pd.concat([g, pd.DataFrame([blank])], ignore_index=True)
        # most customers first (the chart and the table read top-down), blank last
        g = g.assign(blank=g["value"].isna()).sort_values(["blank", "customers"], ascending=[True, False])
        parts.append(g.drop(columns="blank").assign(attribute=attribute, kind=kind, order=range(len(g))))
    columns = ["attribute", "kind", "order", "value", *sums]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns].sort_values(["attribute", "order"], kind="stable") \
        .reset_index(drop=True)


def _summary_columns(con, how: dict) -> list[str]:
    """Per-customer figures worth testing: tenure (customers file), orders and revenue (purchases), when known."""
    got = con.execute("select count(tenure), count(*) filter (where in_purchases) from customer_summary "
                      "join driver_outcome using (customer_id)").fetchone()
    return (["tenure"] if got[0] else []) + (["purchases", "revenue"] if got[1] else [])


def _summary_name(con, column: str) -> str:
    """The name shown for a per-customer figure: the file's own tenure header when there is one."""
    if column == "tenure":
        from retention import store
        roles = store.read_meta(con).get("reports", {}).get("customers", {}).get("roles", {})
        return roles.get("tenure") or SUMMARY["tenure"]
    return SUMMARY[column]


ROLE_REASONS = {"customer": "identifier", "status": "outcome", "churn_date": "outcome", "churn_reason": "outcome",
                "signup_date": "date"}


def _role_columns(con) -> dict[str, str]:
    """The customers file's columns the app reads as the id, the outcome or a date → their exclusion reason."""
    from retention import store
    roles = store.read_meta(con).get("reports", {}).get("customers", {}).get("roles", {})
    return {column: ROLE_REASONS[role] for role, column in roles.items() if role in ROLE_REASONS and column}


def drivers(con, *, inactive_days: int = churn.DEFAULT_INACTIVE_DAYS) -> dict:
    """Everything the Drivers view shows, from the dataset:

    {'definition': definition() + revenue, 'values': VALUE_COLUMNS frame (+ rank), 'ranking': RANK_COLUMNS frame,
     'excluded': frame (column, reason), 'customers': int, 'churned': int}.
    Raises NoDrivers when churn is unknown."""
    how = _prepare(con, inactive_days)
    use, excluded = candidates(con)
    counts = _counts(con, how, use)
    total = con.execute("select count(*), count(*) filter (where churned) from driver_outcome").fetchone()
    values = value_table(counts) if len(counts) else pd.DataFrame(columns=VALUE_COLUMNS)
    ranking = attribute_tests(values) if len(values) else pd.DataFrame(columns=RANK_COLUMNS)
    values = values.merge(ranking[["attribute", "rank"]], on="attribute").sort_values(["rank", "order"], kind="stable")
    excluded |= _role_columns(con)
    out_columns = pd.DataFrame(sorted(excluded.items()), columns=["column", "reason"])
    return {"definition": how, "values": values.reset_index(drop=True), "ranking": ranking, "excluded": out_columns,
            "customers": int(total[0]), "churned": int(total[1])}


# ---------------------------------------------------------------- multivariable view


def customer_rows(con, result: dict, *, inactive_days: int = churn.DEFAULT_INACTIVE_DAYS,
                  top: int = MODEL_TOP, limit: int = MODEL_LIMIT) -> pd.DataFrame:
    """One row per customer (a deterministic sample of at most `limit`): churned (bool), started (date), and one
    text column per top attribute (numbers as their bin label, as in `result['values']`)."""
    _prepare(con, inactive_days)
    ranking = result["ranking"]
    # tenure, orders and revenue to date grow while a customer stays: partly a consequence of not churning, so
    # they are ranked but kept out of the model and the rules
    chosen = ranking[ranking["significant"] & (ranking["kind"] != "accumulated")].head(top)
    kinds = dict(zip(chosen["attribute"], chosen["kind"]))
    own = [a for a, k in kinds.items() if k in ("text", "number") and a in _own_columns(con)]
    rows = sql.frame(con, "drivers_customer_rows", columns=own, limit=int(limit))
    rows = rows.drop(columns="customer_id").rename(columns={"driver_customer_id": "customer_id"})
    first = [a for a, k in kinds.items() if k == "first"]
    if first:
        long = sql.frame(con, "drivers_first_rows", attributes=first)
        wide = long.pivot_table(index="customer_id", columns="attribute", values="value", aggfunc="first")
        rows = rows.join(wide, on="customer_id")
    summary_names = {_summary_name(con, c): c for c in SUMMARY}
    values = result["values"]
    out = rows[["customer_id", "churned", "started"]].copy()
    for attribute, kind in kinds.items():
        if kind in ("number", "accumulated"):
            column = summary_names.get(attribute)
            source = rows[{"tenure": "tenure", "purchases": "purchases", "revenue": "revenue_to_date"}[column]] \
                if column and attribute not in rows else pd.to_numeric(
                    rows[attribute].astype("string").str.strip().str.replace(",", ""), errors="coerce")
            labels = values[values["attribute"] == attribute].sort_values("order")["value"].tolist()
            out[attribute] = _label_numbers(source, labels)
        else:
            out[attribute] = rows[attribute].astype("string").str.strip().replace("", pd.NA) if attribute in rows else pd.NA
    return out


def _label_numbers(numbers: pd.Series, labels: list) -> pd.Series:
    """Numbers → the bin labels of value_table (same edges, read back from the labels' order)."""
    edges = [_edge(label) for label in labels[1:] if label is not None]
    known = [label for label in labels if label is not None]
    where = np.searchsorted(np.asarray(edges, float), numbers.fillna(np.inf).to_numpy(), side="right")
    out = pd.Series([known[min(i, len(known) - 1)] for i in where], index=numbers.index, dtype="object")
    return out.where(numbers.notna(), None)


def _edge(label: str) -> float:
    """The lower edge of a bin label ('6–19' → 6, '≥ 60' → 60, '20–<45' → 20)."""
    text = label.replace("≥", "").replace(",", "").strip()
    head = text.split("–")[0]
    return float(head)


def _independent(x: np.ndarray) -> list[int]:
    """Indices of the columns of x kept in order while each adds to the rank (the intercept first): a column that is
    a combination of earlier ones (two attributes that say the same thing, a value present in no kept row) is
    left out."""
    kept: list[int] = []
    for j in range(x.shape[1]):
        if np.linalg.matrix_rank(x[:, kept + [j]]) == len(kept) + 1:
            kept.append(j)
    return kept


def fit_logistic(x: np.ndarray, y: np.ndarray) -> dict:
    """Logistic regression by maximum likelihood (statsmodels Logit, Newton), made safe for one-hot designs.

    In: x (n × k, intercept column first, 0/1 columns after it), y (n, bool). Before fitting, a value where
    everyone or no one churned (perfect separation: its odds ratio is infinite or zero) has its customers set
    aside (at the limit they add nothing to the other coefficients) and its column marked 'separated'; columns
    that repeat earlier ones are marked 'collinear'. Out: {'beta', 'se', 'p_value' (arrays of k, NaN where not
    estimated), 'status' (k codes: 'ok' | 'separated' | 'collinear' | 'unstable'), 'fallback' (None |
    'one_class' | 'not_converged' | 'failed'), 'rows' (customers fitted)}. Never raises on data."""
    import warnings

    import statsmodels.api as sm  # imported here: it takes a second, and only this view needs it
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    x, y = np.asarray(x, float), np.asarray(y, bool)
    k = x.shape[1]
    status = np.array(["ok"] * k, dtype=object)
    beta, se, p = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
    keep = np.ones(len(y), bool)
    changed = True
    while changed:  # setting customers aside can separate another value: repeat until stable
        changed = False
        for j in range(1, k):
            if status[j] != "ok":
                continue
            inside = keep & (x[:, j] != 0)
            if inside.any() and (y[inside].all() or not y[inside].any()):
                status[j], keep, changed = "separated", keep & ~inside, True
    out = {"beta": beta, "se": se, "p_value": p, "status": status, "fallback": None, "rows": int(keep.sum())}
    xs, ys = x[keep], y[keep]
    if ys.all() or not ys.any():
        out["fallback"] = "one_class"
        return out
    candidates = [j for j in range(k) if status[j] == "ok"]
    kept = [candidates[i] for i in _independent(xs[:, candidates])]
    status[[j for j in candidates if j not in kept]] = "collinear"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit = sm.Logit(ys.astype(float), xs[:, kept]).fit(method="newton", maxiter=100, disp=0)
    except (np.linalg.LinAlgError, ValueError, OverflowError):
        out["fallback"] = "failed"
        return out
    beta[kept], se[kept], p[kept] = fit.params, fit.bse, fit.pvalues
    if not fit.mle_retvals.get("converged", True) or any(isinstance(w.message, PerfectSeparationWarning)
                                                          for w in caught):
        out["fallback"] = "not_converged"
    # quasi-separation by a combination of values: a huge standard error, the odds ratio is not estimable
    unstable = [j for j in kept if j and not (np.isfinite(se[j]) and se[j] < SEPARATED)]
    status[unstable] = "unstable"
    return out


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney, ties counted half); NaN without both classes."""
    y = np.asarray(y, bool)
    pos, neg = y.sum(), (~y).sum()
    if not pos or not neg:
        return float("nan")
    ranks = sps.rankdata(score)
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def _design(rows: pd.DataFrame, attributes: list[str], levels: dict | None = None) -> tuple[np.ndarray, list, dict]:
    """One-hot design (intercept first); levels: {attribute: (reference, [kept values])}, worked out from rows
    when None (reference = the most common value; values with fewer than MIN_LEVEL customers pooled with it)."""
    if levels is None:
        levels = {}
        for a in attributes:
            counts = rows[a].fillna("\0blank").value_counts()
            reference = counts.index[0]
            levels[a] = (reference, [v for v, n in counts.items() if v != reference and n >= MIN_LEVEL])
    columns, names = [np.ones(len(rows))], [("", "")]
    for a in attributes:
        cells = rows[a].fillna("\0blank")
        for v in levels[a][1]:
            columns.append((cells == v).to_numpy(float))
            names.append((a, v))
    return np.column_stack(columns), names, levels


ODDS_COLUMNS = ["attribute", "value", "reference", "customers", "odds_ratio", "or_low", "or_high", "p_value",
                "status"]


def model(rows: pd.DataFrame, seed: int = 7, holdout: float = 0.3) -> dict:
    """customer_rows output → {'odds': frame ODDS_COLUMNS (status: fit_logistic's code; odds ratio and interval
    NaN unless 'ok'), 'auc': holdout AUC, 'train': n, 'test': n, 'attributes': [...], 'fallback': fit_logistic's
    fallback code or None}; empty odds when there is nothing to fit (fewer than 2 classes or no attribute)."""
    attributes = [c for c in rows.columns if c not in ("customer_id", "churned", "started")]
    y = rows["churned"].astype(bool).to_numpy()
    empty = {"odds": pd.DataFrame(columns=ODDS_COLUMNS), "auc": float("nan"), "train": 0, "test": 0,
             "attributes": attributes, "fallback": None}
    if not attributes or y.all() or not y.any() or len(rows) < 4 * SMALL:
        return empty
    x, names, levels = _design(rows, attributes)
    rng = np.random.default_rng(seed)
    test = rng.random(len(rows)) < holdout
    train = fit_logistic(x[~test], y[~test])
    fit = fit_logistic(x, y)
    if fit["fallback"] in ("one_class", "failed"):
        return empty | {"fallback": fit["fallback"]}
    score = auc(y[test], x[test] @ _scoring(train, x[~test], y[~test]))
    z = sps.norm.ppf(0.975)
    odds = []
    for i, (a, v) in enumerate(names[1:], start=1):
        reference = levels[a][0]
        ok = fit["status"][i] == "ok"
        b, s = fit["beta"][i], fit["se"][i]
        odds.append({"attribute": a, "value": None if v == "\0blank" else v,
                     "reference": None if reference == "\0blank" else reference,
                     "customers": int(x[:, i].sum()), "odds_ratio": float(np.exp(b)) if ok else float("nan"),
                     "or_low": float(np.exp(b - z * s)) if ok else float("nan"),
                     "or_high": float(np.exp(b + z * s)) if ok else float("nan"),
                     "p_value": float(fit["p_value"][i]) if ok else float("nan"), "status": fit["status"][i]})
    return {"odds": pd.DataFrame(odds, columns=ODDS_COLUMNS), "auc": score, "train": int((~test).sum()),
            "test": int(test.sum()), "attributes": attributes, "fallback": fit["fallback"]}


def _scoring(fit: dict, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Coefficients for scoring new customers from a fit_logistic result: a separated value pushes the score to
    its side (±30 on the log-odds scale, the limit in rank terms), a collinear or failed one counts 0."""
    beta = np.where(np.isfinite(fit["beta"]), fit["beta"], 0.0)
    for j in np.flatnonzero(fit["status"] == "separated"):
        inside = x[:, j] != 0
        beta[j] = 30.0 if y[inside].mean() >= 0.5 else -30.0
    return beta


def rules(rows: pd.DataFrame, highest: int = 3, lowest: int = 1) -> pd.DataFrame:
    """Churn per combination of the first two attributes of customer_rows (groups of at least SMALL customers):
    the `highest` and `lowest` churn rates. Out: first, first_value, second, second_value, customers, churned,
    churn_pct, ci_low_pct, ci_high_pct."""
    columns = ["first", "first_value", "second", "second_value", "customers", "churned", "churn_pct", "ci_low_pct",
               "ci_high_pct"]
    attributes = [c for c in rows.columns if c not in ("customer_id", "churned", "started")][:2]
    if len(attributes) < 2:
        return pd.DataFrame(columns=columns)
    a, b = attributes
    g = rows.assign(churned=rows["churned"].astype(bool)).groupby([a, b], dropna=False)["churned"] \
        .agg(customers="size", churned="sum").reset_index()
    g = g[g["customers"] >= SMALL]
    if g.empty:
        return pd.DataFrame(columns=columns)
    g["churn_pct"] = 100 * g["churned"] / g["customers"]
    low, high = wilson(g["churned"], g["customers"])
    g["ci_low_pct"], g["ci_high_pct"] = 100 * low, 100 * high
    g = g.sort_values(["churn_pct", "customers"], ascending=[False, False])
    picked = pd.concat([g.head(highest), g.tail(lowest)]).drop_duplicates()
    out = picked.rename(columns={a: "first_value", b: "second_value"}).assign(first=a, second=b)
    return out[columns].reset_index(drop=True)


def over_time(rows: pd.DataFrame, attribute: str) -> pd.DataFrame:
    """Churn gap of each value of `attribute` by cohort year (customers with a start date). Out: cohort (year),
    value, customers, churned, churn_pct, rest_pct, diff_pp, small; empty without dates or with one cohort."""
    columns = ["cohort", "value", "customers", "churned", "churn_pct", "rest_pct", "diff_pp", "small"]
    dated = rows[rows["started"].notna()]
    if attribute not in rows or dated.empty:
        return pd.DataFrame(columns=columns)
    dated = dated.assign(cohort=pd.to_datetime(dated["started"]).dt.year, churned=dated["churned"].astype(bool))
    if dated["cohort"].nunique() < 2:
        return pd.DataFrame(columns=columns)
    g = dated.groupby(["cohort", attribute], dropna=False)["churned"].agg(customers="size", churned="sum").reset_index()
    g = g.rename(columns={attribute: "value"})
    per = g.groupby("cohort")[["customers", "churned"]].transform("sum")
    g["churn_pct"] = 100 * g["churned"] / g["customers"]
    rest_n = per["customers"] - g["customers"]
    g["rest_pct"] = 100 * (per["churned"] - g["churned"]) / rest_n.where(rest_n > 0)
    g["diff_pp"] = g["churn_pct"] - g["rest_pct"]
    g["small"] = g["customers"] < SMALL
    return g[columns].reset_index(drop=True)


def multivariable(con, *, inactive_days: int = churn.DEFAULT_INACTIVE_DAYS) -> dict:
    """The views that need one row per customer: {'model': model(), 'rules': rules(), 'over_time': over_time() of
    the top attribute, 'top': its name or None, 'rows': customers used, 'sampled': fewer than all}."""
    result = drivers(con, inactive_days=inactive_days)
    rows = customer_rows(con, result, inactive_days=inactive_days)
    attributes = [c for c in rows.columns if c not in ("customer_id", "churned", "started")]
    top = attributes[0] if attributes else None
    return {"model": model(rows), "rules": rules(rows),
            "over_time": over_time(rows, top) if top else over_time(rows, ""), "top": top, "rows": len(rows),
            "sampled": len(rows) < result["customers"]}
