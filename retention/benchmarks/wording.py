"""The words of the Benchmarks page and command: metric names, definitions of the user's figures,
verdict sentences. Everything a person reads is assembled here from numbers (kept together for
translation); the other modules return numbers and codes only."""

from __future__ import annotations

import math

import pandas as pd

FIGURE_NAMES = {
    "customer_retention": "customer retention",
    "customer_churn": "customer churn",
    "revenue_retention_gross": "gross revenue retention (GRR)",
    "revenue_retention_net": "net revenue retention (NRR)",
    "repeat_purchase_rate": "repeat purchase rate",
    "cohort_repurchase": "repeat purchase by time since the first order",
    "cohort_survival": "new customers still customers, by months since signup",
}

PERIOD_WORDS = {1: "monthly", 3: "quarterly", 12: "annual"}

CURVE_POINT_NAMES = {  # one point of a curve figure, {h} = '3 months', '720 days'
    "cohort_repurchase": "share of first-time buyers who ordered again within {h}",
    "cohort_survival": "share of new customers still customers after {h}",
}

METRIC_WORDS = {  # benchmark metric codes as read in a sentence or a table
    "customer_retention": "customer retention",
    "customer_churn": "customer churn",
    "revenue_retention_gross": "gross revenue retention",
    "revenue_churn_gross": "gross revenue churn",
    "revenue_retention_net": "net revenue retention",
    "repeat_purchase_rate": "repeat purchase rate",
    "cohort_repurchase": "repeat purchase by time since first order",
    "cohort_survival": "new customers still customers after a time",
    "app_user_retention": "app users active on day N",
    "other": "other (context only)",
}

FIGURE_HELP = {
    "customer_retention": "Of the customers you had at the start of a period, the share still customers at its end "
                          "(active at both moments), as the published figures define it. Pooled over the complete "
                          "periods in the range you pick: all periods' retained customers over all periods' starting "
                          "customers. The Churn page's standard formula (CE − CN)/CS also subtracts customers who "
                          "joined and left within a period, so over a year it can be much lower.",
    "customer_churn": "100% minus customer retention: of the customers at the start of a period, the share no longer "
                      "customers at its end.",
    "revenue_retention_gross": "Revenue in a year from the customers who bought in the year before, counting only "
                               "shrinking and lost revenue (growth capped at last year's amount), over their revenue "
                               "in the year before. At most 100%.",
    "revenue_retention_net": "Revenue in a year from the customers who bought in the year before, growth included, "
                             "over their revenue in the year before. Can exceed 100%.",
    "repeat_purchase_rate": "Of the customers whose first order falls in the range you pick, the share who placed two "
                            "or more orders by the analysis date. Orders are distinct order ids (or distinct purchase "
                            "times when the file has no order ids); refunds do not count. Customers who first bought "
                            "recently have had less time to come back. Not a retention rate.",
    "cohort_repurchase": "Of the first-time buyers in the range you pick, the share who placed a second order within "
                         "N months (or days) of the first. Only buyers whose first order is at least N months before "
                         "the analysis date count at N, so recent buyers never pull the curve down.",
    "cohort_survival": "Of the customers who signed up in the range you pick, the share not cancelled by the end of "
                       "the N-th calendar month after their signup month (Kaplan–Meier over cohorts). Needs a customers "
                       "file with signup and cancel dates; without dates, tenure and an active/churned status are used "
                       "(tenure read as months).",
}

CONFIDENCE_WORDS = {"high": "high confidence", "medium": "medium confidence", "low": "low confidence",
                    "": "confidence not rated"}

POSITION_WORDS = {"above": "above", "below": "below", "within_noise": "within the noise of"}

REJECT_REASONS = {
    "missing_value": "a required cell is empty",
    "unknown_metric": "the metric is not one of the known codes",
    "bad_period": "the period does not fit the metric",
    "bad_value": "value_pct is not a number",
    "value_out_of_range": "value_pct is outside 0–100 (0–300 for net revenue retention)",
    "bad_year": "year is not like 2024 or c.2020-21",
    "bad_url": "source_url is not a web address (http:// or https://)",
    "bad_confidence": "confidence is not high, medium or low",
}

FILE_ERRORS = {
    "file_too_large": "The benchmark file is larger than 5 MB.",
    "not_utf8": "The benchmark file is not UTF-8 text. Save it as “CSV UTF-8”.",
    "not_csv": "The benchmark file could not be read as a comma-separated table.",
    "missing_columns": "The benchmark file lacks the required columns: {columns}.",
}


def pct(value: float, digits: int = 1) -> str:
    """71.0 → '71.0%'; a figure as published (e.g. 78.0) can be shown with digits=0 → '78%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}%"


def published(value: float) -> str:
    """A benchmark value as it was published: no trailing '.0', up to two decimals (0.77%, 78%)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def points(value: float) -> str:
    """A difference in percentage points with its sign: +3.2 points, −1.0 points."""
    return f"{value:+.1f} points".replace("-", "−")


def figure_name(figure: str, months: int | None = None) -> str:
    """'annual customer retention', 'repeat purchase rate', …"""
    name = FIGURE_NAMES[figure]
    return f"{PERIOD_WORDS[months]} {name}" if months in PERIOD_WORDS else name


def horizon_label(months: float | None, days: float | None = None) -> str:
    if days is not None and not (isinstance(days, float) and math.isnan(days)):
        return f"{days:g} days"
    return f"{months:g} month" + ("" if months == 1 else "s")


def period_label(row) -> str:
    """The period of a user figure or compared row: 'annual', 'lifetime', '3 months', '720 days'."""
    if row["unit"] == "rate":
        return PERIOD_WORDS[int(row["months"])]
    if row["unit"] == "lifetime":
        return "lifetime"
    return horizon_label(None, row["horizon"]) if row["unit"] == "day" else horizon_label(row["horizon"])


def file_error(code: str) -> str:
    name, _, detail = code.partition(":")
    return FILE_ERRORS.get(name, code).format(columns=detail.replace(",", ", "))


def interval(user: dict) -> str:
    if any(math.isnan(user.get(k, math.nan)) for k in ("ci_low", "ci_high")):
        return "no interval"
    return f"95% CI {user['ci_low']:.1f}–{user['ci_high']:.1f}%"


def source(row: dict) -> str:
    """'Exploding Topics (citing Statista), 2023'"""
    return f"{row['publisher']}, {row['year']}"


def verdict(figure: str, months: int | None, user: dict, row: dict) -> str:
    """One sentence: the user's figure against one benchmark, respecting the interval.

    user: {value, ci_low, ci_high}; row: a compared benchmark row (value, position, gap_pts, industry,
    publisher, year, converted, metric, period, value_pct)."""
    position = POSITION_WORDS[row["position"]]
    reported = published(row["value"]) if not row.get("converted") else pct(row["value"])
    if figure in CURVE_POINT_NAMES:
        yours = (f"Your {CURVE_POINT_NAMES[figure].format(h=period_label(row))}, {pct(user['value'])} "
                 f"({interval(user)}), is")
    else:
        yours = f"Your {figure_name(figure, months)} of {pct(user['value'])} ({interval(user)}) is"
    sentence = f"{yours} {position} the {reported} reported for {row['industry']} by {row['publisher']} in {row['year']}"
    if row.get("converted"):
        sentence += f" (converted from {row['period']} {METRIC_WORDS[row['metric']]} of {published(row['value_pct'])})"
    if row["position"] == "within_noise":
        sentence += f"; the difference of {points(row['gap_pts'])} could be chance"
    return sentence + "."


def headline(figure: str, months: int | None, user: dict, compared) -> str:
    """'Your annual customer retention of 71.0% (95% CI 68.0–74.0%) is above 2 of 5 published figures, …'"""
    if len(compared) == 1:
        return verdict(figure, months, user, compared.iloc[0].to_dict())
    counts = compared["position"].value_counts().to_dict() if len(compared) else {}
    total = len(compared)
    parts = [f"{'above' if k == 'above' else 'below' if k == 'below' else 'within the noise of'} {counts[k]}"
             for k in ("above", "below", "within_noise") if counts.get(k)]
    if not parts:
        return f"Your {figure_name(figure, months)} is {pct(user['value'])} ({interval(user)})."
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (f"Your {figure_name(figure, months)} of {pct(user['value'])} ({interval(user)}) is {joined} "
            f"of the {total} published figure{'s' if total != 1 else ''} for the same metric.")


def disagreement(found: dict | None) -> str | None:
    """'Sources disagree by 33.2 points: from 41.8% (…) to 75.0% (…). Check …' (curve points: '… at 12 months')."""
    if not found:
        return None
    low, high = found["low"], found["high"]
    at = ""
    if low.get("unit") in ("month", "day"):
        at = " at " + horizon_label(low["horizon"] if low["unit"] == "month" else None,
                                    low["horizon"] if low["unit"] == "day" else None)
    return (f"Sources disagree by {found['spread_pts']:.1f} points{at}: from {pct(low['value'])} "
            f"({low['industry']}; {source(low)}) to {pct(high['value'])} ({high['industry']}; {source(high)}). "
            f"Check their definitions and populations below.")


def not_enough(names: list[str]) -> str:
    return f"Not enough data in the chosen range for: {', '.join(names)} (no complete period, or no customers)."


def cap(words: str) -> str:
    """First letter upper-case, the rest untouched ('gross revenue retention (GRR)' keeps GRR)."""
    return words[:1].upper() + words[1:]


def comparison(label: str, reference: str, test: dict) -> str:
    """An internal benchmark: '<label>: 45.2% vs 38.0% for <reference> (+7.2 points, 95% CI +5.1 to +9.3);
    beyond noise (p < 0.001).'"""
    if math.isnan(test["diff_pts"]):
        return f"{label}: not enough customers to compare with {reference}."
    ci = f"95% CI {test['ci_low_pts']:+.1f} to {test['ci_high_pts']:+.1f}".replace("-", "−")
    p = test.get("p_adjusted", test["p_value"])
    p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    judged = "beyond noise" if test["beyond_noise"] else "could be chance"
    return (f"{label}: {pct(test['p1'])} vs {pct(test['p2'])} for {reference} "
            f"({points(test['diff_pts'])}, {ci}); {judged} ({p_text}).")


def _counts(compared) -> str:
    counts = compared["position"].value_counts().to_dict() if len(compared) else {}
    parts = [f"{POSITION_WORDS[k].replace(' the noise of', ' noise of')} {counts[k]}"
             for k in ("above", "below", "within_noise") if counts.get(k)]
    return ", ".join(parts)


def chart_title(figure: str, months: int | None, user: dict, compared) -> str:
    """'Annual customer retention: yours is 41.9%, below 12 and within noise of 2 of 14 published figures'"""
    name = figure_name(figure, months)
    return (f"{cap(name)}: yours is {pct(user['value'])}, {_counts(compared)} "
            f"of {len(compared)} published figure{'s' if len(compared) != 1 else ''}")


def curve_title(figure: str, compared) -> str:
    """'Repeat purchase by time since the first order: yours is above 5 of 7 published points'"""
    name = {"cohort_repurchase": "Repeat purchase by time since the first order",
            "cohort_survival": "New customers still customers, by months since signup"}[figure]
    return f"{name}: yours is {_counts(compared)} of {len(compared)} published point{'s' if len(compared) != 1 else ''}"


def periods_used(first, last, periods: int, months: int) -> str:
    """'Pooled over 2 complete years: 2024 – 2025.'"""
    unit = {1: "month", 3: "quarter", 12: "year"}[months]
    fmt = "%Y" if months == 12 else "%b %Y"
    span = f"{first:{fmt}}" if periods == 1 else f"{first:{fmt}} – {last:{fmt}}"
    return f"Pooled over {periods} complete {unit}{'s' if periods != 1 else ''}: {span}."


def segment_name(value) -> str:
    return PAGE["no_value"] if value is None or pd.isna(value) else str(value)


def segments_title(groups) -> str:
    """versus_rest output → 'Referral highest at 89.0%, Paid social lowest at 76.4% (3 of 5 differ beyond noise)'"""
    top, bottom = groups.iloc[0], groups.iloc[-1]
    differ = int(groups["beyond_noise"].sum())
    return (f"{segment_name(top['segment'])} highest at {pct(top['p1'])}, "
            f"{segment_name(bottom['segment'])} lowest at {pct(bottom['p1'])} "
            f"({differ} of {len(groups)} differ from the rest beyond noise)")


def span(date_from: str, date_to: str) -> str:
    """'Jan 2025 – Dec 2025' ('Dec 2025' for one month)"""
    start, end = f"{pd.Timestamp(date_from):%b %Y}", f"{pd.Timestamp(date_to):%b %Y}"
    return start if start == end else f"{start} – {end}"


def small_sample(trials: int) -> str:
    return f"Based on only {trials:,} customers: the interval is wide and the verdict weak."


PAGE = {
    "title": "How do we compare?",
    "intro": "Your own figures next to published industry figures of the same metric, period and definition. "
             "Every benchmark shows its source, year, population and how sure we are of it; figures that measure "
             "something else (a repeat purchase rate and a retention rate, say) are never compared.",
    "industries": "Industries to compare with",
    "industries_help": "Type to search; pick several to see how sources differ. Only figures whose metric your "
                       "data can produce are shown.",
    "upload": "Use your own benchmark file",
    "upload_help": "A CSV in the same format as the shipped data/benchmarks.csv (see the README: required columns "
                   "industry, metric, period, value_pct, year, publisher, source_url, definition). It replaces the "
                   "shipped figures for this session.",
    "settings": "Periods and definitions",
    "default_period": {
        "year": "Compared per year: the data has a whole year to measure customer retention over.",
        "no_year": "Compared per {period}: the data is shorter than the 12 complete months a yearly figure needs, so "
                   "the longest period it has complete periods for is used (change it in the settings below).",
        "no_figures": "Compared per {period}: no published yearly figures for the chosen industries.",
        "nothing": "The data has fewer than two complete months: there is nothing to compare yet.",
    },
    "period_changed": "You chose per {period}.",
    "period": "Customer and revenue retention per",
    "period_help": "Your figure is measured over whole periods of this length; published figures for other periods "
                   "are converted by compounding (annual retention = monthly retention^12), never by multiplying "
                   "churn.",
    "range": "Pool the complete periods starting between",
    "first_range": "Repeat purchase and survival: customers whose first order (signup) is between",
    "inactive": "Inactivity window (days, purchases only)",
    "inactive_help": "Without a customers file, a customer counts as lost this many days after their last purchase.",
    "pick_industry": "Pick one or more industries to see how your figures compare.",
    "no_dates": "This file has no dates, so none of its figures is measured like the published ones (per month "
                "or year over calendar time): the share churned counts everyone who ever left, and churn per "
                "month implied by tenure divides the churned customers by all the months customers stayed. "
                "They are shown here without a verdict.",
    "nothing": "None of the chosen industries has a published figure for a metric your data can produce. Try "
               "“All industries”, or a sector close to yours.",
    "no_pair": "No published figure in the chosen industries for: {names}.",
    "sources": "Sources, definitions and verdicts",
    "verdicts": "Against each source",
    "you": "You", "band": "Your 95% interval", "benchmark": "Published figure", "converted": "converted from",
    "low": "low confidence", "x_pct": "Percent", "months_since": "Months since the first order (signup)",
    "internal": "Against yourself",
    "internal_intro": "“Better than last year” is often the benchmark that matters most. A difference is beyond noise "
                      "when a two-proportion test gives p < 0.05 (Holm-adjusted when several segments are compared).",
    "yoy": "This period against the same period a year earlier",
    "segment": "Compare segments by",
    "segment_metric": "Share compared",
    "segment_metrics": {"repeat_12": "Repeat purchase within 12 months", "repeat": "Repeat purchase rate (2+ orders)",
                        "month1": "Came back in month 1 (first-purchase cohorts)"},
    "rest": "all other customers",
    "overall": "all customers",
    "no_value": "(no value)",
    "no_segments": "This dataset has no segment columns to compare.",
    "year_before": "the same months a year earlier",
    "no_year_before": "{label}: the data starts in {first}, so there is no same period a year earlier to compare with.",
    "first_in": "customers who first bought in",
}

COLUMN_LABELS = {
    "industry": "Industry", "publisher": "Publisher", "year": "Year", "value": "Value on your scale (%)",
    "as_published": "As published", "gap_pts": "Your gap (points)", "confidence": "Confidence",
    "statistic": "Statistic", "population": "Population", "definition": "Definition", "source_url": "Source",
    "notes": "Notes",
}


def context(row: dict) -> str | None:
    """One line for an overview tile from compare.context():
    'Your annual customer retention of 41.9% is below 4 of 5 published figures for similar businesses (41.8–75.0%).'"""
    if not row["sources"] or math.isnan(row["value"]):
        return None
    counts = [f"{word} {row[k]}" for k, word in (("above", "above"), ("below", "below"),
                                                 ("within_noise", "within the noise of")) if row[k]]
    joined = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
    return (f"Your {figure_name('customer_retention', int(row['months']))} of {pct(row['value'])} is {joined} of "
            f"{row['sources']} published figure{'s' if row['sources'] != 1 else ''} for the chosen industries "
            f"({pct(row['low_pct'])}–{pct(row['high_pct'])}).")
