"""Did it work? The effect of a retention programme on month-k retention, in two designs.

- Before/after a launch date (`before_after`): month cohorts (first positive purchase) that started after the launch
  against those that started before. The effect is measured against the pre-launch trend: a weighted least-squares
  line through the pre-launch cohorts' month-k retention (weights: cohort sizes), with calendar-month terms when at
  least two years of pre-launch cohorts allow it (the seasonality check), extrapolated to the post-launch cohorts
  (statsmodels WLS). 95% interval: analytic, from the trend's prediction error with the residual variance of the
  pre-launch cohorts (never below the binomial variance), t with the residual degrees of freedom. The plain
  before/after difference and the same calendar months a year earlier are reported beside it as checks.
- Members against comparable non-members (`members`): coarsened exact matching (CEM) of every member with the
  non-members of the same cohort month, first-month purchases (1, 2, 3+), first-month spend (quartile) and,
  optionally, segment; non-members are weighted to the members' mix (effect on the members, ATT). 95% interval:
  analytic, the stratified difference of proportions (stratum variances from the stratum's pooled rate, shrunk
  towards the overall rate so that tiny strata do not claim certainty).
- Members with a join date (`members` on a joined_people() frame): retention k months after the join month,
  members against the non-members of the same cohort given the members' join month as a pseudo join date (same
  calendar window), matched (CEM) on cohort month × join month × purchases before the join month (0…6 one by
  one, 7–9, 10–14, 15+) × spend before it (quartile) × months since the last purchase before it (none, 1, 2–3, 4–6,
  7+) × segment. Non-members are those never marked as members (members without a usable date are on neither
  side). Same estimator and interval as above; a non-member can stand in for several join months (the interval
  treats those rows as independent, slightly too narrow when few cohorts carry many join months).

Both return numbers and warning codes (WARNINGS); the words are in retention/ui_text/impact.py.
Retention at month k counts as the cohort matrix's classic mode: a positive purchase in calendar month
cohort + k (queries/impact_customers.sql; tests check it against retention.metrics.cohorts.matrix).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from retention import lazy

sps = lazy.module("scipy.stats")

from retention import sql
from retention.metrics import cohorts

DESIGNS = ("launch", "members")
MAX_K = 12
Z95 = 1.959963984540054
MIN_SEASONAL_COHORTS = 24   # pre-launch cohorts needed before calendar-month terms are fitted
FEW_BEFORE, FEW_AFTER = 6, 3
FEW_MEMBERS = 30
TRUTHY = ("1", "y", "yes", "true", "t", "member", "members", "x", "on", "joined", "enrolled", "opt-in", "opted in")

METHODS = ("none", "pooled", "trend", "trend_seasonal", "cem", "cem_segment", "cem_joined",
           "cem_joined_segment")  # texts: ui_text.IMPACT_METHODS
# warning codes (texts: ui_text.IMPACT_WARNINGS)
WARNINGS = ("not_randomised", "too_few_cohorts", "trend_unchecked", "pre_trend", "seasonality_unchecked",
            "launch_month_left_out", "selection", "join_date_unknown", "unmatched_members", "few_members",
            "members_differed", "still_unbalanced", "no_amounts", "members_without_date")

RESULT_KEYS = ["design", "k", "effect_pp", "ci_low_pp", "ci_high_pp", "clear", "treated_customers",
               "control_customers", "treated_cohorts", "control_cohorts", "treated_pct", "control_pct",
               "naive_pp", "naive_low_pp", "naive_high_pp", "revenue_effect", "revenue_low", "revenue_high",
               "method", "warnings"]


def people(con, *, as_of: str | None = None, k: int = 3, member_column: str | None = None,
           member_values: list[str] | tuple = (), member_ids: list[str] | tuple = (),
           segment: str | None = None) -> pd.DataFrame:
    """One row per customer (queries/impact_customers.sql): customer_no, customer_id, cohort (Timestamp),
    cohort_index, complete_months, active_mask (bit k: active in month k), revenue (months 0…k), first_purchases,
    first_spend, member (bool), segment."""
    as_of = as_of or cohorts.default_as_of(con)
    frame = sql.frame(con, "impact_customers", as_of=pd.Timestamp(as_of).date(), k=int(k), max_k=MAX_K,
                      member_column=member_column, member_values=[str(v) for v in member_values],
                      member_ids=[str(v) for v in member_ids], segment=segment)
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    return frame


def retained(frame: pd.DataFrame, k: int) -> pd.Series:
    """Whether each customer of a people() frame was active in month k (bool, aligned with frame)."""
    mask = frame["active_mask"].to_numpy("int64")
    return pd.Series((mask >> k) & 1 == 1, index=frame.index)


def _interval(effect: float, se: float, df: float | None = None) -> tuple[float, float]:
    q = Z95 if df is None or not math.isfinite(df) else float(sps.t.ppf(0.975, df))
    return effect - q * se, effect + q * se


def feasible(low: float, high: float, treated_pct: float) -> tuple[float, float]:
    """A retention effect's interval cut to what it can be: the treated side kept treated_pct %, and whatever the
    comparison would have kept lies between 0 and 100 %, so the effect lies between treated_pct − 100 and
    treated_pct points. Cutting never leaves out a possible value, so the interval covers as often as before (a
    trend extrapolated from three cohorts gave −774 to +754 points on CDNOW)."""
    if not math.isfinite(treated_pct):
        return low, high
    return max(low, treated_pct - 100), min(high, treated_pct)


# ---------------------------------------------------------------- before / after a launch date


def cohort_table(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """Month-k retention per cohort that completed month k. In: people(). Out: cohort, cohort_index,
    customers, retained, retention_pct, revenue_per_customer (NaN without amounts)."""
    done = frame[frame["complete_months"] >= k].assign(kept=retained(frame, k))
    grouped = done.groupby(["cohort", "cohort_index"], sort=True)
    out = grouped.agg(customers=("cohort_index", "size"), retained=("kept", "sum"),
                      revenue=("revenue", "sum"), has_revenue=("revenue", "count")).reset_index()
    out["retention_pct"] = 100 * out["retained"] / out["customers"]
    out["revenue_per_customer"] = np.where(out["has_revenue"] > 0, out["revenue"] / out["customers"], np.nan)
    return out.drop(columns=["revenue", "has_revenue"])


def _design(index: np.ndarray, months: np.ndarray, seasonal: bool, origin: float) -> np.ndarray:
    columns = [np.ones(len(index)), index - origin]
    if seasonal:
        columns += [(months == m).astype(float) for m in range(2, 13)]
    return np.column_stack(columns)


def trend_inputs(before: pd.DataFrame, after: pd.DataFrame, column: str, *, binomial: bool) -> dict:
    """The trend's regression data from cohort_table() rows: X, Xa (designs before / after: 1, months from the
    last pre-launch cohort, calendar-month dummies when seasonal), y (column before, shares as fractions), w
    (customers before), ya, n_after (the same after), scale (100 for shares, else 1), seasonal (bool)."""
    seasonal = len(before) >= MIN_SEASONAL_COHORTS
    origin = float(before["cohort_index"].max())
    scale = 100.0 if binomial else 1.0
    return {"X": _design(before["cohort_index"].to_numpy(float), before["cohort"].dt.month.to_numpy(), seasonal,
                         origin),
            "Xa": _design(after["cohort_index"].to_numpy(float), after["cohort"].dt.month.to_numpy(), seasonal,
                          origin),
            "y": before[column].to_numpy(float) / scale, "w": before["customers"].to_numpy(float),
            "ya": after[column].to_numpy(float) / scale, "n_after": after["customers"].to_numpy(float),
            "scale": scale, "seasonal": seasonal}


def trend_fit(before: pd.DataFrame, after: pd.DataFrame, column: str, *, binomial: bool) -> dict:
    """Fit column ~ a + b·cohort_index (+ calendar months) on `before` by WLS (statsmodels; weights customers),
    extrapolate to `after` and compare: effect = size-weighted mean of after − prediction. Var(effect) =
    σ²(1/N_after + x̄'(X'WX)⁻¹x̄); σ² from the weighted residuals (for shares, at least the binomial p(1−p)).

    In: cohort_table() rows. Out: effect, se, df (None: normal), slope (per month), seasonal, expected_before,
    expected_after (arrays of fitted / extrapolated values, in the column's unit)."""
    import warnings

    import statsmodels.api as sm  # imported here: it takes a second, and only this fit needs it
    from statsmodels.tools.sm_exceptions import SingularMatrixWarning

    data = trend_inputs(before, after, column, binomial=binomial)
    X, Xa, y, w, scale = data["X"], data["Xa"], data["y"], data["w"], data["scale"]
    n_after, ya, seasonal = data["n_after"], data["ya"], data["seasonal"]

    with warnings.catch_warnings():  # a singular X (a calendar month without cohorts) is expected: pinv handles it
        warnings.simplefilter("ignore", SingularMatrixWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # no residual df: σ² is taken as unknown below
        fit = sm.WLS(y, X, weights=w).fit(method="pinv")  # pinv: a month without cohorts leaves X singular
    beta = fit.params
    df = int(round(fit.df_resid))
    sigma2 = float(fit.scale) if df > 0 else math.inf
    if binomial:
        p = float((w * y).sum() / w.sum())
        floor = p * (1 - p)
        if sigma2 < floor:
            sigma2, df = floor, None  # binomial variance known: normal quantile
    predicted = Xa @ beta
    effect = float((n_after * (ya - predicted)).sum() / n_after.sum())
    xbar = (Xa * n_after[:, None]).sum(axis=0) / n_after.sum()
    # the prediction variance of a new mean of N_after customers: σ²/N_after + x̄'Cov(β)x̄
    mean_variance = float(np.squeeze(fit.cov_params(r_matrix=xbar[None, :], scale=sigma2))) \
        if math.isfinite(sigma2) else math.inf
    variance = sigma2 / n_after.sum() + mean_variance
    slope_variance = float(fit.cov_params(scale=sigma2)[1, 1]) if math.isfinite(sigma2) else math.inf
    return {"effect": effect * scale, "se": math.sqrt(variance) * scale, "df": df, "slope": float(beta[1]) * scale,
            "slope_se": math.sqrt(slope_variance) * scale, "seasonal": seasonal,
            "expected_before": X @ beta * scale, "expected_after": predicted * scale}


def _pooled_difference(a_kept: float, a_n: float, b_kept: float, b_n: float) -> tuple[float, float, float]:
    pa, pb = a_kept / a_n, b_kept / b_n
    effect = 100 * (pa - pb)
    se = 100 * math.sqrt(pa * (1 - pa) / a_n + pb * (1 - pb) / b_n)
    return (effect, *_interval(effect, se))


def year_earlier(before: pd.DataFrame, after: pd.DataFrame) -> dict | None:
    """The seasonality check: post-launch cohorts against the same calendar months a year earlier (raw, trend
    included). Out: None when no post-launch month is covered a year earlier, else pp, low_pp, high_pp
    (normal interval from binomial variances), cohorts, customers_after, customers_earlier."""
    earlier = before.set_index("cohort_index")
    pairs = [(row, earlier.loc[row.cohort_index - 12]) for row in after.itertuples()
             if row.cohort_index - 12 in earlier.index]
    if not pairs:
        return None
    n = np.array([a.customers for a, _ in pairs], float)
    pa = np.array([a.retained / a.customers for a, _ in pairs])
    pb = np.array([b["retained"] / b["customers"] for _, b in pairs])
    nb = np.array([b["customers"] for _, b in pairs], float)
    w = n / n.sum()
    effect = 100 * float((w * (pa - pb)).sum())
    se = 100 * math.sqrt(float((w ** 2 * (pa * (1 - pa) / n + pb * (1 - pb) / nb)).sum()))
    low, high = _interval(effect, se)
    return {"pp": effect, "low_pp": low, "high_pp": high, "cohorts": len(pairs), "customers_after": int(n.sum()),
            "customers_earlier": int(nb.sum())}


def before_after(frame: pd.DataFrame, launch: str, k: int = 3) -> dict:
    """The launch design on a people() frame. Cohorts whose month starts on or after the launch date are
    'after'; those whose month ended before it 'before'; a cohort month holding the launch (launched mid-month)
    is left out. Only cohorts that completed month k count.

    Out: {"result": RESULT_KEYS + launch, slope_pp, slope_low_pp, slope_high_pp, seasonal, year_earlier (dict or
    None), "cohorts": cohort_table() rows + side ('before' | 'after' | 'launch_month'), expected_pct
    (the trend: fitted before, extrapolated after; NaN without a trend)}."""
    launch_day = pd.Timestamp(launch)
    table = cohort_table(frame, k)
    month_end = table["cohort"] + pd.offsets.MonthEnd(0)
    table["side"] = np.where(table["cohort"] >= launch_day, "after",
                             np.where(month_end < launch_day, "before", "launch_month"))
    table["expected_pct"] = np.nan
    before, after = table[table["side"] == "before"], table[table["side"] == "after"]
    warnings = ["not_randomised"]
    if (table["side"] == "launch_month").any():
        warnings.append("launch_month_left_out")
    result = {"design": "launch", "k": k, "launch": launch_day.date().isoformat(),
              "treated_customers": int(after["customers"].sum()), "control_customers": int(before["customers"].sum()),
              "treated_cohorts": len(after), "control_cohorts": len(before),
              "treated_pct": _share(after), "control_pct": _share(before), "seasonal": False,
              "slope_pp": math.nan, "slope_low_pp": math.nan, "slope_high_pp": math.nan,
              "revenue_effect": math.nan, "revenue_low": math.nan, "revenue_high": math.nan, "year_earlier": None}
    if before.empty or after.empty:
        result.update(effect_pp=math.nan, ci_low_pp=math.nan, ci_high_pp=math.nan, clear=False, method="none",
                      naive_pp=math.nan, naive_low_pp=math.nan, naive_high_pp=math.nan,
                      warnings=warnings + ["too_few_cohorts"])
        return {"result": result, "cohorts": table}
    naive = _pooled_difference(after["retained"].sum(), after["customers"].sum(),
                               before["retained"].sum(), before["customers"].sum())
    result.update(naive_pp=naive[0], naive_low_pp=naive[1], naive_high_pp=naive[2])
    if len(before) < FEW_BEFORE or len(after) < FEW_AFTER:
        warnings.append("too_few_cohorts")
    if len(before) < 3:
        warnings.append("trend_unchecked")
        effect, low, high = naive
        method = "pooled"
    else:
        fit = trend_fit(before, after, "retention_pct", binomial=True)
        effect = fit["effect"]
        low, high = _interval(effect, fit["se"], fit["df"])
        slope_low, slope_high = _interval(fit["slope"], fit["slope_se"], fit["df"])
        table.loc[before.index, "expected_pct"] = fit["expected_before"]
        table.loc[after.index, "expected_pct"] = fit["expected_after"]
        result.update(seasonal=fit["seasonal"], slope_pp=fit["slope"], slope_low_pp=slope_low,
                      slope_high_pp=slope_high)
        if slope_low > 0 or slope_high < 0:
            warnings.append("pre_trend")
        method = "trend_seasonal" if fit["seasonal"] else "trend"
        if before["revenue_per_customer"].notna().all() and len(before) > (13 if fit["seasonal"] else 2):
            revenue = trend_fit(before, after, "revenue_per_customer", binomial=False)
            result["revenue_effect"] = revenue["effect"]
            result["revenue_low"], result["revenue_high"] = _interval(revenue["effect"], revenue["se"], revenue["df"])
    if not result["seasonal"]:
        warnings.append("seasonality_unchecked")
    if table["revenue_per_customer"].isna().all():
        warnings.append("no_amounts")
    result["year_earlier"] = year_earlier(before, after)
    low, high = feasible(low, high, result["treated_pct"])
    result.update(effect_pp=effect, ci_low_pp=low, ci_high_pp=high, clear=bool(low > 0 or high < 0),
                  method=method, warnings=warnings)
    return {"result": result, "cohorts": table}


def _share(rows: pd.DataFrame) -> float:
    n = rows["customers"].sum()
    return 100 * float(rows["retained"].sum()) / n if n else math.nan


def median_cohort(cohort: pd.Series) -> dt.date | None:
    """The default launch date (a date, or None without customers): the first day of the month cohort that holds
    the median customer, so that about as many customers arrived before it as from it on; when that is the first
    cohort, the next one (some cohorts must come before a launch). `cohort`: one month start per customer.
    (The middle of the date range left 2 customers after the launch in the CDNOW log, whose customers all arrived
    in its first quarter.)"""
    months = pd.to_datetime(cohort).dropna().sort_values()
    if months.empty:
        return None
    median = months.iloc[(len(months) - 1) // 2]
    if median == months.iloc[0]:
        later = months[months > median]
        median = later.iloc[0] if len(later) else median
    return median.date()


def default_launch(con) -> dt.date | None:
    """median_cohort() of the dataset's customers (for cache.cached)."""
    return median_cohort(people(con)["cohort"])


def launch_effect(con, *, launch: str, k: int = 3, as_of: str | None = None) -> dict:
    """before_after() on the dataset (for cache.cached)."""
    return before_after(people(con, as_of=as_of, k=k), launch, k)


# ---------------------------------------------------------------- members against comparable non-members


def column_values(values: pd.DataFrame, column: str) -> list[str]:
    """The values of one segment column, as text (values: cohorts.attribute_values' attribute, value)."""
    return values.loc[values["attribute"] == column, "value"].astype(str).tolist()


def member_values_guess(values: list[str]) -> list[str]:
    """The values of a member column that mean 'member' (yes, true, 1, member…); [] when none looks like it."""
    return [v for v in values if str(v).strip().lower() in TRUTHY]


def _spend_and_segment(key: pd.Series, frame: pd.DataFrame, spend_column: str, segment: bool) -> pd.Series:
    """A stratum key extended by the spend quartile (when amounts are known) and the segment (when matching on
    one)."""
    spend = frame[spend_column]
    if spend.notna().any():
        edges = np.unique(np.nanquantile(spend.to_numpy(float), [0.25, 0.5, 0.75]))
        key = key + "|" + pd.Series(np.searchsorted(edges, spend.fillna(0).to_numpy(float), side="right"),
                                    index=frame.index).astype(str)
    if segment:
        key = key + "|" + frame["segment"].fillna("").astype(str)
    return key


def _strata(frame: pd.DataFrame, segment: bool) -> pd.Series:
    """The CEM stratum of each customer: cohort month × first-month purchases (1, 2, 3+) × first-month spend
    quartile (when amounts are known) × segment (when matching on one)."""
    purchases = frame["first_purchases"].clip(upper=3).astype(int).astype(str)
    return _spend_and_segment(frame["cohort_index"].astype(str) + "|" + purchases, frame, "first_spend", segment)


def _joined_strata(frame: pd.DataFrame, segment: bool) -> pd.Series:
    """The CEM stratum of each joined_people() row: cohort month × join month × purchases before the join month
    (0…6 one by one, 7–9, 10–14, 15+) × spend before it (quartile, when amounts are known) × months since the last
    purchase before it (none, 1, 2–3, 4–6, 7+) × segment (when matching on one)."""
    purchases = np.searchsorted([1, 2, 3, 4, 5, 6, 7, 10, 15], frame["before_purchases"].to_numpy(float), side="right")
    recency = np.searchsorted([1, 2, 4, 7], frame["months_since_active"].fillna(0).to_numpy(float), side="right")
    key = (frame["cohort_index"].astype(str) + "|" + frame["join_index"].astype(str) + "|"
           + pd.Series(purchases, index=frame.index).astype(str) + "|"
           + pd.Series(recency, index=frame.index).astype(str))
    return _spend_and_segment(key, frame, "before_spend", segment)


def strata(frame: pd.DataFrame, segment: bool = False) -> pd.Series:
    """The CEM stratum of each row: by join month and history before it for a joined_people() frame (column
    join_index), else by cohort and first month (people())."""
    return _joined_strata(frame, segment) if "join_index" in frame else _strata(frame, segment)


def cem_weights(frame: pd.DataFrame, *, segment: bool = False) -> pd.Series:
    """ATT weights of coarsened exact matching: members 1, non-members n_members(s) / n_non_members(s) in a
    stratum s holding both, everyone else 0. In: people() rows (member, cohort_index, first_purchases,
    first_spend, segment) or joined_people() rows. Out: weights aligned with frame."""
    strata_ = strata(frame, segment)
    members = frame["member"].astype(bool)
    n_members = members.groupby(strata_).transform("sum")
    n_others = (~members).groupby(strata_).transform("sum")
    weights = np.where(members, (n_others > 0).astype(float),
                       np.where(n_members > 0, n_members / n_others.where(n_others > 0, 1), 0.0))
    return pd.Series(weights, index=frame.index, dtype=float)


def matched_effect(outcome: pd.Series, members: pd.Series, strata: pd.Series, weights: pd.Series,
                   *, binomial: bool) -> tuple[float, float, float]:
    """The stratified (ATT) difference and its 95% interval: Σ_s (m_s/M)(ȳ_member,s − ȳ_other,s) over matched
    strata; Var = Σ_s (m_s/M)² v_s (1/m_s + 1/o_s), v_s the stratum's pooled variance (shares: p(1−p) of its
    rate shrunk towards the overall rate with 2 pseudo-customers; amounts: the pooled within-group variance)."""
    kept = weights > 0
    data = pd.DataFrame({"y": outcome[kept].astype(float), "member": members[kept], "s": strata[kept]})
    if data.empty or not data["member"].any():
        return math.nan, math.nan, math.nan
    overall = data["y"].mean()
    groups = data.groupby(["s", "member"])["y"].agg(["mean", "size", "var"]).unstack("member")
    m, o = groups[("size", True)], groups[("size", False)]
    share = m / m.sum()
    diff = groups[("mean", True)] - groups[("mean", False)]
    if binomial:
        pooled = (groups[("mean", True)] * m + groups[("mean", False)] * o + 2 * overall) / (m + o + 2)
        v = pooled * (1 - pooled)
    else:
        within = data.groupby(["s", "member"])["y"].transform("mean")
        v = pd.Series(float(((data["y"] - within) ** 2).sum() / max(len(data) - 2 * len(groups), 1)), index=m.index)
    effect = float((share * diff).sum())
    se = math.sqrt(float((share ** 2 * v * (1 / m + 1 / o)).sum()))
    scale = 100.0 if binomial else 1.0
    low, high = _interval(effect, se)
    return effect * scale, low * scale, high * scale


def _smd(a: pd.Series, b: pd.Series, wa=None, wb=None) -> tuple[float, float, float]:
    """(weighted mean of a, weighted mean of b, standardised mean difference with the unweighted SDs)."""
    ma = float(np.average(a, weights=wa)) if len(a) else math.nan
    mb = float(np.average(b, weights=wb)) if len(b) and (wb is None or wb.sum() > 0) else math.nan
    sd = math.sqrt((a.var() + b.var()) / 2) if len(a) > 1 and len(b) > 1 else math.nan
    return ma, mb, (ma - mb) / sd if sd and sd > 0 else 0.0


BALANCE_COVARIATES = ("cohort_index", "first_purchases", "first_spend")
JOINED_COVARIATES = ("cohort_index", "join_index", "before_purchases", "before_spend", "active_before")


def balance(frame: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Members against non-members before matching (everyone) and after (CEM weights), on what drives retention.

    Out: covariate (BALANCE_COVARIATES, or JOINED_COVARIATES for a joined_people() frame: active_before is
    whether the customer bought in the month before the join month), members, others, smd (standardised mean
    difference), members_matched, others_matched, smd_matched. Rows without data (no amounts) left out."""
    is_member = frame["member"].astype(bool)
    kept = weights > 0
    rows = []
    dated = "join_index" in frame
    if dated:
        frame = frame.assign(active_before=(frame["months_since_active"] == 1).astype(float))
    for covariate in JOINED_COVARIATES if dated else BALANCE_COVARIATES:
        values = frame[covariate].astype(float)
        if values.isna().all():
            continue
        values = values.fillna(0)
        a, b = values[is_member], values[~is_member]
        before = _smd(a, b)
        after = _smd(values[is_member & kept], values[~is_member & kept], None, weights[~is_member & kept])
        rows.append({"covariate": covariate, "members": before[0], "others": before[1], "smd": before[2],
                     "members_matched": after[0], "others_matched": after[1], "smd_matched": after[2]})
    return pd.DataFrame(rows, columns=["covariate", "members", "others", "smd", "members_matched",
                                       "others_matched", "smd_matched"])


def members(frame: pd.DataFrame, k: int = 3, *, segment: bool = False, curve_to: int = 6,
            undated_members: int = 0) -> dict:
    """The members design on a people() frame (column member set): customers whose cohort completed month k
    count; month-k retention is counted from the first purchase (the first month's behaviour stands in for
    'before joining', which the data does not date). On a joined_people() frame (join dates known): rows whose
    join month completed month k count; retention is counted from the join month, matched on the history before
    it (see the module's docstring). undated_members: members left out for want of a date (a warning).

    Out: {"result": RESULT_KEYS + matched_members, unmatched_members, undated_members, "balance": balance()
    rows, "curves": k, members_pct, matched_pct, others_pct (retention at each month 1…curve_to that some
    matched member completed)}."""
    dated = "join_index" in frame
    done = frame[frame["complete_months"] >= k]
    is_member = done["member"].astype(bool)
    kept = retained(done, k)
    weights = cem_weights(done, segment=segment)
    strata_ = strata(done, segment)
    effect, low, high = matched_effect(kept, is_member, strata_, weights, binomial=True)
    n_members = int(is_member.sum())
    matched = int((is_member & (weights > 0)).sum())
    treated_pct = 100 * float(kept[is_member & (weights > 0)].mean()) if matched else math.nan
    low, high = feasible(low, high, treated_pct)
    warnings = ["selection"] if dated else ["selection", "join_date_unknown"]
    if undated_members:
        warnings.append("members_without_date")
    controls = done.loc[~is_member & (weights > 0)]
    # with join dates a non-member can stand in for several join months: count people, not rows
    n_controls = controls["customer_id"].nunique() if dated else len(controls)
    result = {"design": "members", "k": k, "effect_pp": effect, "ci_low_pp": low, "ci_high_pp": high,
              "clear": bool(low > 0 or high < 0), "treated_customers": matched,
              "control_customers": int(n_controls), "undated_members": int(undated_members),
              "treated_cohorts": int(done.loc[is_member & (weights > 0), "cohort_index"].nunique()),
              "control_cohorts": int(done.loc[~is_member & (weights > 0), "cohort_index"].nunique()),
              "treated_pct": treated_pct,
              "matched_members": matched, "unmatched_members": n_members - matched,
              "method": ("cem_joined" if dated else "cem") + ("_segment" if segment else "")}
    control = ~is_member & (weights > 0)
    result["control_pct"] = (100 * float(np.average(kept[control], weights=weights[control]))
                             if control.any() else math.nan)
    if n_members and is_member.sum() < len(done):
        naive = _pooled_difference(kept[is_member].sum(), n_members, kept[~is_member].sum(), int((~is_member).sum()))
    else:
        naive = (math.nan,) * 3
    result.update(naive_pp=naive[0], naive_low_pp=naive[1], naive_high_pp=naive[2])
    if done["revenue"].notna().any():
        rev = matched_effect(done["revenue"].fillna(0), is_member, strata_, weights, binomial=False)
    else:
        rev = (math.nan,) * 3
        warnings.append("no_amounts")
    result.update(revenue_effect=rev[0], revenue_low=rev[1], revenue_high=rev[2])
    if n_members and (n_members - matched) > 0.1 * n_members:
        warnings.append("unmatched_members")
    if matched < FEW_MEMBERS:
        warnings.append("few_members")
    table = balance(done, weights)
    if (table["smd"].abs() > 0.1).any():
        warnings.append("members_differed")
    if (table["smd_matched"].abs() > 0.1).any():
        warnings.append("still_unbalanced")
    result["warnings"] = warnings
    return {"result": result, "balance": table, "curves": member_curves(frame, curve_to, segment=segment)}


def member_curves(frame: pd.DataFrame, up_to: int, *, segment: bool = False) -> pd.DataFrame:
    """Retention at months 1…up_to of members, of their matched non-members (CEM weights at each month, over
    the customers whose cohort (or join month, on a joined_people() frame) completed it) and of all non-members.
    Out: k, members_pct, matched_pct,
    others_pct, members (customers behind the members' point)."""
    rows = []
    for k in range(1, up_to + 1):
        done = frame[frame["complete_months"] >= k]
        is_member = done["member"].astype(bool)
        if not is_member.any() or is_member.all():
            continue
        kept = retained(done, k).astype(float)
        weights = cem_weights(done, segment=segment)
        control = ~is_member & (weights > 0)
        rows.append({"k": k, "members_pct": 100 * kept[is_member].mean(),
                     "matched_pct": 100 * np.average(kept[control], weights=weights[control]) if control.any()
                     else math.nan,
                     "others_pct": 100 * kept[~is_member].mean(), "members": int(is_member.sum())})
    return pd.DataFrame(rows, columns=["k", "members_pct", "matched_pct", "others_pct", "members"])


def member_effect(con, *, k: int = 3, member_column: str | None = None, member_values: list[str] | tuple = (),
                  member_ids: list[str] | tuple = (), segment: str | None = None, as_of: str | None = None) -> dict:
    """members() on the dataset (for cache.cached)."""
    frame = people(con, as_of=as_of, k=k, member_column=member_column, member_values=member_values,
                   member_ids=member_ids, segment=segment)
    return members(frame, k, segment=segment is not None)


# ---------------------------------------------------------------- members with a join date


class JoinDates(ValueError):
    """Join dates that cannot be used (none readable); str() names the source and the first bad values."""


def parse_join_dates(ids: list[str] | pd.Series, texts: list[str] | pd.Series) -> dict:
    """Member ids and their join dates as text (a column of the dataset or of an uploaded list).

    Out: {"ids": [...], "dates": [datetime.date, ...] (the members with a readable date, ids stripped),
    "undated": [ids with an empty date], "bad": [(id, text), ...] (dates that could not be read; those
    members are undated too)}. Dates: ISO (2024-03-15, 2024-03-15 10:00) first, then other common layouts
    (15/03/2024 is read day first only when the month would be over 12)."""
    frame = pd.DataFrame({"id": pd.Series(list(ids), dtype=object).astype(str).str.strip(),
                          "text": pd.Series(list(texts), dtype=object).fillna("").astype(str).str.strip()})
    frame = frame[frame["id"] != ""].drop_duplicates("id", keep="first")
    parsed = pd.to_datetime(frame["text"], format="ISO8601", errors="coerce")
    rest = parsed.isna() & (frame["text"] != "")
    if rest.any():
        parsed[rest] = pd.to_datetime(frame.loc[rest, "text"], format="mixed", errors="coerce")
    empty = frame["text"] == ""
    good = parsed.notna()
    bad = frame[~good & ~empty]
    return {"ids": frame.loc[good, "id"].tolist(), "dates": [d.date() for d in parsed[good]],
            "undated": frame.loc[~good, "id"].tolist(), "bad": list(zip(bad["id"], bad["text"]))}


def join_dates_from_column(con, column: str) -> dict:
    """parse_join_dates() of a segment column holding each member's join date (customers without a value are
    non-members)."""
    values = sql.frame(con, "impact_join_values", column=column)
    return parse_join_dates(values["customer_id"], values["value"])


def read_member_list(text: str) -> dict:
    """A list of members as uploaded beside the dataset: one per line, the id in the first column, optionally a
    join date in the second (CSV; a header line whose first cell is not an id of the data is the caller's to
    drop: lines whose second cell is 'join_date'-like are skipped here). Out: parse_join_dates() of the dated
    lines plus "all_ids" (every id listed, in order), "dated" (bool: some line has a second cell)."""
    import csv
    import io

    rows = [r for r in csv.reader(io.StringIO(text)) if r and any(cell.strip() for cell in r)]
    if rows and len(rows[0]) > 1 and rows[0][1].strip().lower().replace(" ", "_") in (
            "join_date", "joined", "joined_at", "join", "date", "member_since", "enrolled", "enrolled_at"):
        rows = rows[1:]
    ids = [r[0].strip().strip('"') for r in rows]
    dates = [r[1].strip() if len(r) > 1 else "" for r in rows]
    out = parse_join_dates(ids, dates)
    out["all_ids"] = [i for i in ids if i]
    out["dated"] = any(dates)
    return out


def joined_people(con, *, member_ids: list[str] | tuple, join_dates: list | tuple,
                  undated_ids: list[str] | tuple = (), as_of: str | None = None, k: int = 3,
                  segment: str | None = None) -> pd.DataFrame:
    """The rows of the join-date design (queries/impact_joined.sql): each dated member at their join month and
    each non-member of a member's cohort at every join month of that cohort's members. Columns: customer_no,
    customer_id, member, cohort, cohort_index, join_month, join_index, complete_months (after the join month),
    active_mask (bit k: active in month join + k), revenue (months join…join + k), before_purchases,
    before_spend, months_since_active (NaN: nothing before the join month), segment."""
    as_of = as_of or cohorts.default_as_of(con)
    frame = sql.frame(con, "impact_joined", as_of=pd.Timestamp(as_of).date(), k=int(k), max_k=MAX_K,
                      member_ids=[str(v) for v in member_ids],
                      join_dates=[pd.Timestamp(d).date() for d in join_dates],
                      undated_ids=[str(v) for v in undated_ids], segment=segment)
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    frame["join_month"] = pd.to_datetime(frame["join_month"])
    frame["months_since_active"] = frame["months_since_active"].astype("float64")  # NaN, not pd.NA
    return frame


def joined_effect(con, *, k: int = 3, member_ids: list[str] | tuple = (), join_dates: list | tuple = (),
                  undated_ids: list[str] | tuple = (), segment: str | None = None, as_of: str | None = None) -> dict:
    """members() on joined_people() (for cache.cached): members with join dates against matched non-members."""
    frame = joined_people(con, member_ids=member_ids, join_dates=join_dates, undated_ids=undated_ids, as_of=as_of,
                          k=k, segment=segment)
    return members(frame, k, segment=segment is not None, undated_members=len(undated_ids))


def summary_row(result: dict) -> dict:
    """The result's RESULT_KEYS (warnings as a list of codes), for the CLI and the downloads."""
    return {key: result.get(key) for key in RESULT_KEYS}
