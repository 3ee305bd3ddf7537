"""The words of "Did it work?" (pages/impact.py, retention/ui/impact_views.py, the impact command): designs,
methods, warnings, the finding's sentence, the member list's notes, the balance and worth tables' labels.
Re-exported by retention.ui_text."""

from __future__ import annotations

from retention import fmt
from retention.i18n import L, _, ngettext

IMPACT_DESIGNS = {"launch": L("Before/after a launch date"), "members": L("Members against comparable non-members")}
IMPACT_WARNINGS = {
    "not_randomised": L("Nobody was assigned at random: anything else that changed around the launch (prices, "
                        "marketing, the product, competitors, the economy) is credited to the programme as well."),
    "too_few_cohorts": L("Few cohorts on one side of the launch (fewer than 6 before or 3 after that completed month "
                         "{k}): the trend and the effect rest on little data."),
    "trend_unchecked": L("Fewer than 3 cohorts before the launch: the pre-launch trend cannot be fitted, so this is "
                         "the plain before/after difference."),
    "pre_trend": L("Cohorts were already changing before the launch ({slope} points a month): the effect is "
                   "measured against that trend, not against the plain average before."),
    "seasonality_unchecked": L("Less than two years of cohorts before the launch: seasonality is not part of the "
                               "trend. If your customers return more in some months, compare with the same months a "
                               "year earlier below."),
    "launch_month_left_out": L("The cohort of the launch month started partly before the launch: it is left out."),
    "selection": L("Members chose to join: if they were keener customers in ways the matching does not see, the "
                   "effect is overstated."),
    "join_date_unknown": L("The data has no join dates: what customers did in their first month stands in for "
                           "'before joining', and retention is counted from the first purchase."),
    "unmatched_members": L("{unmatched} members had no comparable non-member (same cohort, purchases and spend) and "
                           "are left out."),
    "few_members": L("Fewer than 30 matched members: the interval is wide and the estimate fragile."),
    "members_differed": L("Before matching, members differed from non-members on what drives retention anyway (see "
                          "the balance table): the plain comparison ({naive} points) would mislead."),
    "still_unbalanced": L("Even after matching, members and non-members differ by more than 0.1 standard deviations "
                          "on something in the balance table (matching groups spend in quarters): read the effect "
                          "with care."),
    "no_amounts": L("The purchases have no amounts: revenue per customer is not compared."),
    "members_without_date": L("{undated} members have no usable join date: they are on neither side."),
}
IMPACT_METHODS = {
    "none": L("not measured (no cohorts on one side of the launch)"),
    "pooled": L("pooled before/after difference of proportions (no trend: fewer than 3 cohorts before the launch)"),
    "trend": L("against the pre-launch trend: weighted least squares on cohort month, extrapolated; {level} interval "
               "analytic (the trend's prediction error)"),
    "trend_seasonal": L("against the pre-launch trend: weighted least squares on cohort month with calendar-month "
                        "terms, extrapolated; {level} interval analytic (the trend's prediction error)"),
    "cem": L("coarsened exact matching on cohort month, first-month purchases (1, 2, 3+) and spend (quartiles); "
             "effect on the members; {level} interval analytic (stratified difference)"),
    "cem_segment": L("coarsened exact matching on cohort month, first-month purchases (1, 2, 3+), spend (quartiles) "
                     "and segment; effect on the members; {level} interval analytic (stratified difference)"),
    "cem_joined": L("retention after the join month; coarsened exact matching on cohort month, join month (a pseudo "
                    "join date for non-members), purchases, spend (quartiles) and months since the last purchase "
                    "before joining; effect on the members; {level} interval analytic (stratified difference)"),
    "cem_joined_segment": L("retention after the join month; coarsened exact matching on cohort month, join month (a "
                            "pseudo join date for non-members), purchases, spend (quartiles) and months since the "
                            "last purchase before joining, and segment; effect on the members; {level} interval "
                            "analytic (stratified difference)"),
}
def impact_method(code: str) -> str:
    """The words for a method code (metrics.impact.METHODS)."""
    return IMPACT_METHODS[code].format(level=fmt.percent(95, 0))


IMPACT_SIDES = {"launch": (L("after the launch"), L("before the launch")),
                "members": (L("members"), L("matched non-members"))}


def _pp(value: float) -> str:
    return fmt.number(value, 1, sign=True)


def impact_sentence(result: dict) -> str:
    """The plain sentence for an impact result (metrics.impact RESULT_KEYS); 'no clear effect' when the interval
    crosses zero, never a number alone."""
    k, n = result["k"], result["treated_customers"] + result["control_customers"]
    effect, low, high = result["effect_pp"], result["ci_low_pp"], result["ci_high_pp"]
    if effect != effect:
        return _("There is not enough data on both sides to measure an effect.")
    trend = result["method"] in ("trend", "trend_seasonal")
    launch = result["design"] == "launch"
    values = {"k": k, "n": fmt.number(n), "low": _pp(low), "high": _pp(high), "effect": fmt.number(abs(effect), 1),
              "level": fmt.percent(95, 0)}
    if not result["clear"]:
        if launch and trend:
            text = _("**No clear effect** on month-{k} retention: cohorts after the launch kept between {low} and "
                     "{high} points of customers against the pre-launch trend ({level} interval; {n} customers), so the "
                     "data cannot tell a gain from a loss or from nothing.")
        elif launch:
            text = _("**No clear effect** on month-{k} retention: cohorts after the launch kept between {low} and "
                     "{high} points of customers against the cohorts before ({level} interval; {n} customers), so the "
                     "data cannot tell a gain from a loss or from nothing.")
        else:
            text = _("**No clear effect** on month-{k} retention: members kept between {low} and {high} points of "
                     "customers against comparable non-members ({level} interval; {n} customers), so the data cannot "
                     "tell a gain from a loss or from nothing.")
        return text.format(**values)
    more = effect > 0
    if launch and trend:
        text = (_("Cohorts after the launch kept **{effect} points more** customers at month {k} ({level} interval {low} "
                  "to {high}; {n} customers), above the pre-launch trend.") if more else
                _("Cohorts after the launch kept **{effect} points fewer** customers at month {k} ({level} interval {low} "
                  "to {high}; {n} customers), below the pre-launch trend."))
    elif launch:
        text = (_("Cohorts after the launch kept **{effect} points more** customers at month {k} ({level} interval {low} "
                  "to {high}; {n} customers), against the cohorts before.") if more else
                _("Cohorts after the launch kept **{effect} points fewer** customers at month {k} ({level} interval {low} "
                  "to {high}; {n} customers), against the cohorts before."))
    else:
        text = (_("Members kept **{effect} points more** customers at month {k} ({level} interval {low} to {high}; {n} "
                  "customers), against comparable non-members.") if more else
                _("Members kept **{effect} points fewer** customers at month {k} ({level} interval {low} to {high}; {n} "
                  "customers), against comparable non-members."))
    return text.format(**values)


def impact_warning(code: str, result: dict) -> str:
    """The words for a warning code, filled in from the result."""
    return IMPACT_WARNINGS[code].format(k=result["k"], slope=fmt.number(result.get("slope_pp", 0.0), 2, sign=True),
                                        unmatched=fmt.number(result.get("unmatched_members", 0)),
                                        undated=fmt.number(result.get("undated_members", 0)),
                                        naive=_pp(result.get("naive_pp", 0.0)))


def impact_year_earlier(check: dict | None, k: int) -> str:
    if not check:
        return _("The data does not cover the same months a year before the launch, so seasonality cannot be "
                 "checked.")
    return _("Seasonality check: the {cohorts} post-launch cohorts against the same calendar months a year earlier "
             "kept {pp} points at month {k} ({level} interval {low} to {high}); a year of any trend is included in this "
             "figure.").format(cohorts=check["cohorts"], pp=_pp(check["pp"]), k=k, low=_pp(check["low_pp"]),
                               high=_pp(check["high_pp"]), level=fmt.percent(95, 0))


IMPACT_BALANCE_LABELS = {"covariate": L("What drives retention anyway"), "members": L("Members"),
                         "others": L("All non-members"), "smd": L("Difference (SMD)"),
                         "members_matched": L("Matched members"), "others_matched": L("Matched non-members"),
                         "smd_matched": L("Difference after matching (SMD)")}
IMPACT_COVARIATES = {"cohort_index": L("Cohort (months since the data's first month)"),
                     "first_purchases": L("Purchases in the first month"),
                     "first_spend": L("Spend in the first month"),
                     "join_index": L("Join month (months since the data's first month)"),
                     "before_purchases": L("Purchases before the join month"),
                     "before_spend": L("Spend before the join month"),
                     "active_before": L("Bought in the month before joining (share)")}
IMPACT_WORTH_ROWS = {"effect": L("Measured effect"), "low": L("Low end of the interval"),
                     "high": L("High end of the interval")}


def points(value: float) -> str:
    """A signed difference in percentage points ('+2.1 points'); '–' when there is none (NaN)."""
    return "–" if value != value else _("{value} points").format(value=fmt.number(value, 1, sign=True))


def effect_interval(result: dict) -> str | None:
    """'95%: +0.4 to +3.8' under the effect (an impact result); None when there is no effect."""
    if result["effect_pp"] != result["effect_pp"]:
        return None
    return _("{level}: {low} to {high}").format(level=fmt.percent(95, 0), low=_pp(result["ci_low_pp"]),
                                                high=_pp(result["ci_high_pp"]))


def cohorts_count(n: int) -> str:
    return ngettext("{n} cohort", "{n} cohorts", n).format(n=n)


def revenue_effect(result: dict, k: int, dated: bool, currency: str | None) -> str:
    """The effect on revenue per customer over months 0–k (after joining, when members have join dates)."""
    text = (_("Revenue per customer over months 0–{k} after joining: {effect} ({level} interval {low} to {high}).")
            if dated else
            _("Revenue per customer over months 0–{k}: {effect} ({level} interval {low} to {high})."))
    return text.format(k=k, level=fmt.percent(95, 0), effect=fmt.money(result["revenue_effect"], currency, sign=True),
                       low=fmt.money(result["revenue_low"], currency, sign=True),
                       high=fmt.money(result["revenue_high"], currency, sign=True))


def ids_read(n: int, file: str) -> str:
    """The caption under an uploaded member list (file: already escaped for Markdown)."""
    return ngettext("{n} id read from {file} (the list is not kept in the link).",
                    "{n} ids read from {file} (the list is not kept in the link).", n).format(
        n=fmt.number(n), file=file)


def unread_join_dates(source: str, bad: list[tuple[str, str]], escape=str) -> str:
    """The join dates that could not be read (metrics.impact.parse_join_dates' bad: (id, text) pairs; the first
    three shown); `escape` makes the file's ids and texts inert (widgets.md), source is escaped already."""
    shown = "; ".join(f"{escape(i)}: {escape(t)}" for i, t in bad[:3])
    return ngettext("{source}: {n} join date could not be read ({shown}); that member is left out. "
                    "Write dates as YYYY-MM-DD.",
                    "{source}: {n} join dates could not be read ({shown}); those members are left out. "
                    "Write dates as YYYY-MM-DD.", len(bad)).format(source=source, n=fmt.number(len(bad)), shown=shown)


def worth_table(worth, k: int, currency: str | None) -> tuple:
    """scenarios.impact_value.worth's table for reading: (the estimate in words and the figures as text, the
    column labels)."""
    shown = worth.assign(estimate=worth["estimate"].map(lambda e: str(IMPACT_WORTH_ROWS[e])),
                         effect_pp=worth["effect_pp"].map(lambda v: fmt.number(v, 1, sign=True)),
                         x_pct=worth["x_pct"].map(lambda v: fmt.number(v, 2, sign=True)),
                         profit_change=worth["profit_change"].map(lambda v: fmt.number(v, 0, sign=True)),
                         break_even=worth["break_even"].map(lambda v: fmt.number(v, 2)))
    labels = {"estimate": _("Estimate"), "effect_pp": _("Month-{k} retention, points").format(k=k),
              "x_pct": _("Monthly churn removed, %"),
              "profit_change": fmt.money_label(_("Profit change over 5 years, after the programme's cost"), currency),
              "break_even": fmt.money_label(_("Break-even cost per customer per month"), currency)}
    return shown, labels


def worth_note(baseline_pct: float, k: int, effect_pp: float) -> str:
    """How the effect was valued: the comparison side's losses by month k, the share the programme kept."""
    return _("The comparison side lost {lost} of its customers by month {k}; the programme kept {effect} points "
             "of them. The What-if scenario keeps the same share of the customers its model loses over those "
             "months (as a cut of monthly churn), valued on this dataset's measured customers, retention and "
             "revenue (present value over 5 years, {rate} discount a year). The interval's ends are valued the same "
             "way.").format(lost=fmt.percent(100 - baseline_pct, 1), k=k, rate=fmt.percent(10, 0),
                            effect=fmt.number(effect_pp, 1, sign=True))
