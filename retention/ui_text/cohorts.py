"""The Cohorts page's words: choices, titles per period and mode, the lead and trend sentences, the definitions."""

from __future__ import annotations

from retention import fmt
from retention.fmt import number, percent
from retention.i18n import L, _

GRAINS = {"week": L("Week"), "month": L("Month"), "quarter": L("Quarter")}
GRAINS_SHOWN = {"week": L("Weeks shown"), "month": L("Months shown"), "quarter": L("Quarters shown")}
GRAINS_AFTER = {"week": L("Weeks after the cohort's week (k)"), "month": L("Months after the cohort's month (k)"),
                "quarter": L("Quarters after the cohort's quarter (k)")}
GRAIN_K = {"week": L("Week {k}"), "month": L("Month {k}"), "quarter": L("Quarter {k}")}
GRAIN_K_OVER_TIME = {"week": L("Week {k} over time"), "month": L("Month {k} over time"),
                     "quarter": L("Quarter {k} over time")}
MODES = {"classic": L("Classic"), "rolling": L("Rolling (then or later)"), "revenue": L("Revenue"),
         "survival": L("Survival")}
MODES_BY_COHORT = {"classic": L("Classic retention by cohort"), "rolling": L("Rolling retention by cohort"),
                   "revenue": L("Revenue retention by cohort"), "survival": L("Survival by cohort")}
MODES_BY_SEGMENT = {"classic": L("Classic retention by {segment}"), "rolling": L("Rolling retention by {segment}"),
                    "revenue": L("Revenue retention by {segment}"), "survival": L("Survival by {segment}")}
BASES = {"first_purchase": L("First purchase"), "signup": L("Signup date")}
SHOW = {"pct": "%", "count": L("Customers"), "revenue": L("Revenue")}
AVERAGES = {"weighted": L("Weighted (all customers pooled)"), "simple": L("Simple mean of cohorts (unweighted)")}
AVERAGE_NAMES = {"weighted": L("Weighted average"), "simple": L("Simple mean")}
# The finding above the view: {who} is WHO[basis], {next} a NEXT_* phrase of the period.
LEAD = {"classic": L("Of customers who {started} in **{cohort}** ({size}), **{pct}** bought again {next_bare}"),
        "rolling": L("Of customers who {started} in **{cohort}** ({size}), **{pct}** bought again {next_bare} or "
                     "later"),
        "survival": L("Of customers who {started} in **{cohort}** ({size}), **{pct}** were still customers {next_end}"),
        "revenue": L("Customers who {started} in **{cohort}** ({size}) spent **{pct}** as much {next} as in their "
                     "first")}
NEXT = {"week": L("in the next week"), "month": L("in the next month"), "quarter": L("in the next quarter")}
NEXT_BARE = {"week": L("the next week"), "month": L("the next month"), "quarter": L("the next quarter")}
NEXT_END = {"week": L("at the end of the next week"), "month": L("at the end of the next month"),
            "quarter": L("at the end of the next quarter")}
PERIOD_ONE_NAME = {"week": L("week 1"), "month": L("month 1"), "quarter": L("quarter 1")}
PERIOD_ONE = {"week": L("week-1 retention"), "month": L("month-1 retention"), "quarter": L("quarter-1 retention")}
TREND = {"risen": L("{retention} has risen from {first} to {latest} over the last {n} cohorts (weighted average of "
                    "all {m} complete cohorts: {average})."),
         "fallen": L("{retention} has fallen from {first} to {latest} over the last {n} cohorts (weighted average of "
                     "all {m} complete cohorts: {average})."),
         "level": L("{retention} has stayed about level, from {first} to {latest}, over the last {n} cohorts "
                    "(weighted average of all {m} complete cohorts: {average}).")}
ONLY_COHORT = L("no trend yet: it is the only cohort so far to have completed {period_one}.")
ONLY_LARGE_COHORT = L("no trend yet: it is the only cohort large enough to have completed {period_one} (weighted "
                      "average with the smaller ones: {average}).")
NONE_YET = {"week": L("No cohort has completed its first week after the start yet."),
            "month": L("No cohort has completed its first month after the start yet."),
            "quarter": L("No cohort has completed its first quarter after the start yet.")}
FADED = {"week": L("Faded, hatched cells: the week had not ended on {day}. Dotted outline: fewer than {n} customers "
                   "in the cohort (read with care). Blank: not reached yet."),
         "month": L("Faded, hatched cells: the month had not ended on {day}. Dotted outline: fewer than {n} customers "
                    "in the cohort (read with care). Blank: not reached yet."),
         "quarter": L("Faded, hatched cells: the quarter had not ended on {day}. Dotted outline: fewer than {n} "
                      "customers in the cohort (read with care). Blank: not reached yet.")}
IMPROVING = {"week": L("Is week-{k} retention improving? Each cohort with its 95% CI"),
             "month": L("Is month-{k} retention improving? Each cohort with its 95% CI"),
             "quarter": L("Is quarter-{k} retention improving? Each cohort with its 95% CI")}
ON_AVERAGE = {"classic": L("On average {pct} bought again in period 1"),
              "rolling": L("On average {pct} bought then or later in period 1"),
              "survival": L("On average {pct} were still customers in period 1"),
              "revenue": L("On average {pct} of first-period revenue came back in period 1")}
STARTED = {"first_purchase": L("first bought"), "signup": L("signed up")}
DEFINITIONS = L("""
- A customer's **cohort** is the calendar period (week, month or quarter) of their first purchase with a positive amount, or of their signup date when you pick "cohort by signup". Weeks run Monday to Sunday (so the days of ISO week 53 and the January days after it are one week).
- **Period k** of a cohort is the k-th calendar period after the cohort period (k = 0 is the cohort period itself).
- **Classic retention** (c, k): customers of cohort c with at least one positive purchase in period c+k, divided by the cohort size. Refunds (negative or zero amounts) are not activity; customers who only ever refunded are in no cohort.
- **Rolling retention** ("on or after") (c, k): customers of c with a positive purchase in period c+k or any later period up to the analysis date.
- **Survival** (customers files with cancel dates): customers of c not yet cancelled at the end of period c+k. Customers marked churned without a cancel date are left out. For files with a tenure and an active/churned status but no dates: the Kaplan–Meier curve by tenure, customers still active counted as censored.
- **Revenue retention** (c, k): net revenue (refunds subtracted) of cohort c in period c+k divided by its revenue in period 0; and cumulative revenue per customer (LTV to date).
- **Incomplete periods**: a cell whose period had not ended at the analysis date is faded and hatched, and left out of averages. Nothing after the analysis date is counted. Cells not reached yet are blank.
- **Average curve**: over the cohorts that completed period k, sum of retained over sum of cohort sizes, with the number of cohorts and customers behind each point and a 95% Wilson interval (survival: Kaplan–Meier over cohorts with Greenwood's interval). The simple mean gives each cohort the same weight and has no band.
- **Minimum sample**: cells and points resting on fewer customers than the threshold have a dotted outline (heatmap) or are hollow (lines).
""")


def quarter(d) -> str:
    return _("{year} Q{q}").format(year=d.year, q=d.quarter)


def cohort_name(d, grain: str) -> str:
    """A cohort by its start: the week's first day, the month and year, or the quarter."""
    if grain == "week":
        return fmt.date(d, "medium")
    return fmt.month_year(d, short=True) if grain == "month" else quarter(d)


def lead(s: dict, trend: str, mode: str, basis: str, grain: str) -> str:
    """The finding above the view: the latest cohort's period-1 retention and its trend. s: a non-empty
    metrics.cohorts.summary (k=1); trend: metrics.cohorts.trend of it. One cohort has no trend: the sentence says
    it is the only one (so far, or large enough, with the weighted average over the smaller ones too)."""
    finding = LEAD[mode].format(started=STARTED[basis], cohort=cohort_name(s["latest_cohort"], grain),
                                size=number(s["latest_size"]), pct=percent(s["latest_pct"], 0), next=NEXT[grain],
                                next_bare=NEXT_BARE[grain], next_end=NEXT_END[grain])
    if s["cohorts"] < 2:
        rest = ONLY_COHORT.format(period_one=PERIOD_ONE_NAME[grain]) if s["average_cohorts"] < 2 else \
            ONLY_LARGE_COHORT.format(period_one=PERIOD_ONE_NAME[grain], average=percent(s["average_pct"], 0))
    else:
        rest = TREND[trend].format(retention=PERIOD_ONE[grain], first=percent(s["first_pct"], 0),
                                   latest=percent(s["latest_pct"], 0), n=number(s["cohorts"]),
                                   m=number(s["average_cohorts"]), average=percent(s["average_pct"], 0))
    return finding + _("; ") + rest
