"""The words of the Benchmarks page and command: metric names, definitions of the user's figures,
verdict sentences. Everything a person reads is assembled here from numbers (kept together for
translation); the other modules return numbers and codes only."""

from __future__ import annotations

import math

import pandas as pd
from babel.lists import format_list

from retention import fmt, i18n
from retention.i18n import L, _, ngettext

FIGURE_NAMES = {
    "customer_retention": L("customer retention"),
    "customer_churn": L("customer churn"),
    "revenue_retention_gross": L("gross revenue retention (GRR)"),
    "revenue_retention_net": L("net revenue retention (NRR)"),
    "repeat_purchase_rate": L("repeat purchase rate"),
    "cohort_repurchase": L("repeat purchase by time since the first order"),
    "cohort_survival": L("new customers still customers, by months since signup"),
}

PERIOD_WORDS = {1: L("monthly"), 3: L("quarterly"), 12: L("annual")}
# A rate period code of the page's picker (compare.RATE_PERIODS), as "per {period}" and "Compared per {period}" read.
RATE_PERIOD_WORDS = {"month": L("month"), "quarter": L("quarter"), "year": L("year")}

CURVE_POINT_NAMES = {  # one point of a curve figure, {h} = '3 months', '720 days'
    "cohort_repurchase": L("share of first-time buyers who ordered again within {h}"),
    "cohort_survival": L("share of new customers still customers after {h}"),
}

METRIC_WORDS = {  # benchmark metric codes as read in a sentence or a table
    "customer_retention": L("customer retention"),
    "customer_churn": L("customer churn"),
    "revenue_retention_gross": L("gross revenue retention"),
    "revenue_churn_gross": L("gross revenue churn"),
    "revenue_retention_net": L("net revenue retention"),
    "repeat_purchase_rate": L("repeat purchase rate"),
    "cohort_repurchase": L("repeat purchase by time since first order"),
    "cohort_survival": L("new customers still customers after a time"),
    "app_user_retention": L("app users active on day N"),
    "other": L("other (context only)"),
}
# The catalog's period words (data/benchmarks.csv 'period') as a table or sentence shows them.
CATALOG_PERIODS = {"monthly": L("monthly"), "quarterly": L("quarterly"), "annual": L("annual"),
                   "lifetime": L("lifetime")}

FIGURE_HELP = {
    "customer_retention": L("Of the customers you had at the start of a period, the share still customers at its end "
                            "(active at both moments), as the published figures define it. Pooled over the complete "
                            "periods in the range you pick: all periods' retained customers over all periods' starting "
                            "customers. The Churn page's standard formula (CE − CN)/CS also subtracts customers who "
                            "joined and left within a period, so over a year it can be much lower."),
    "customer_churn": L("100% minus customer retention: of the customers at the start of a period, the share no longer "
                        "customers at its end."),
    "revenue_retention_gross": L("Revenue in a year from the customers who bought in the year before, counting only "
                                 "shrinking and lost revenue (growth capped at last year's amount), over their revenue "
                                 "in the year before. At most 100%."),
    "revenue_retention_net": L("Revenue in a year from the customers who bought in the year before, growth included, "
                               "over their revenue in the year before. Can exceed 100%."),
    "repeat_purchase_rate": L("Of the customers whose first order falls in the range you pick, the share who placed two "
                              "or more orders by the analysis date. Orders are distinct order ids (or distinct purchase "
                              "times when the file has no order ids); refunds do not count. Customers who first bought "
                              "recently have had less time to come back. Not a retention rate."),
    "cohort_repurchase": L("Of the first-time buyers in the range you pick, the share who placed a second order within "
                           "N months (or days) of the first. Only buyers whose first order is at least N months before "
                           "the analysis date count at N, so recent buyers never pull the curve down."),
    "cohort_survival": L("Of the customers who signed up in the range you pick, the share not cancelled by the end of "
                         "the N-th calendar month after their signup month (Kaplan–Meier over cohorts). Needs a customers "
                         "file with signup and cancel dates; without dates, tenure and an active/churned status are used "
                         "(tenure read as months)."),
}

CONFIDENCE_WORDS = {"high": L("high confidence"), "medium": L("medium confidence"), "low": L("low confidence"),
                    "": L("confidence not rated")}
CONFIDENCE_VALUES = {"high": L("high"), "medium": L("medium"), "low": L("low")}  # the sources table's column

POSITION_WORDS = {"above": L("above"), "below": L("below"), "within_noise": L("within the noise of")}

REJECT_REASONS = {
    "missing_value": L("a required cell is empty"),
    "unknown_metric": L("the metric is not one of the known codes"),
    "bad_period": L("the period does not fit the metric"),
    "bad_value": L("value_pct is not a number"),
    "value_out_of_range": L("value_pct is outside 0–100 (0–300 for net revenue retention)"),
    "bad_year": L("year is not like 2024 or c.2020-21"),
    "bad_url": L("source_url is not a web address (http:// or https://)"),
    "bad_confidence": L("confidence is not high, medium or low"),
}

FILE_ERRORS = {
    "file_too_large": L("The benchmark file is larger than 5 MB."),
    "not_utf8": L("The benchmark file is not UTF-8 text. Save it as “CSV UTF-8”."),
    "not_csv": L("The benchmark file could not be read as a comma-separated table."),
    "missing_columns": L("The benchmark file lacks the required columns: {columns}."),
}


def pct(value: float, digits: int = 1) -> str:
    """71.0 → '71.0%' (in the current language's format); a figure as published (e.g. 78.0) can be shown with
    digits=0 → '78%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return fmt.percent(value, digits)


def published(value: float) -> str:
    """A benchmark value as it was published: no trailing '.0', up to two decimals (0.77%, 78%)."""
    digits = f"{value:.2f}".rstrip("0").rstrip(".").partition(".")[2]
    return fmt.percent(value, len(digits))


def points(value: float) -> str:
    """A difference in percentage points with its sign: +3.2 points, −1.0 points."""
    return _("{value} points").format(value=fmt.number(value, 1, sign=True).replace("-", "−"))


def figure_name(figure: str, months: int | None = None) -> str:
    """'annual customer retention', 'repeat purchase rate', … in the current language."""
    return local_figure_name(figure, months)


def horizon_label(months: float | None, days: float | None = None) -> str:
    if days is not None and not (isinstance(days, float) and math.isnan(days)):
        return ngettext("{n} day", "{n} days", int(days) if float(days).is_integer() else 2).format(n=f"{days:g}")
    return ngettext("{n} month", "{n} months", int(months) if float(months).is_integer() else 2).format(
        n=f"{months:g}")


def period_label(row) -> str:
    """The period of a user figure or compared row: 'annual', 'lifetime', '3 months', '720 days'."""
    if row["unit"] == "rate":
        return str(PERIOD_WORDS[int(row["months"])])
    if row["unit"] == "lifetime":
        return _("lifetime")
    return horizon_label(None, row["horizon"]) if row["unit"] == "day" else horizon_label(row["horizon"])


def file_error(code: str) -> str:
    name, _sep, detail = code.partition(":")
    return str(FILE_ERRORS.get(name, code)).format(columns=detail.replace(",", ", "))


def interval(user: dict) -> str:
    if any(math.isnan(user.get(k, math.nan)) for k in ("ci_low", "ci_high")):
        return _("no interval")
    return _("95% CI {low}–{high}").format(low=fmt.number(user["ci_low"], 1), high=fmt.percent(user["ci_high"]))


def source(row: dict) -> str:
    """'Exploding Topics (citing Statista), 2023'"""
    return f"{row['publisher']}, {row['year']}"


VERDICTS = {
    "above": L("{subject} is above the {reported} reported for {industry} by {publisher} in {year}"),
    "below": L("{subject} is below the {reported} reported for {industry} by {publisher} in {year}"),
    "within_noise": L("{subject} is within the noise of the {reported} reported for {industry} by {publisher} in "
                      "{year}"),
}


def verdict(figure: str, months: int | None, user: dict, row: dict) -> str:
    """One sentence: the user's figure against one benchmark, respecting the interval.

    user: {value, ci_low, ci_high}; row: a compared benchmark row (value, position, gap_pts, industry,
    publisher, year, converted, metric, period, value_pct)."""
    reported = published(row["value"]) if not row.get("converted") else pct(row["value"])
    if figure in CURVE_POINT_NAMES:
        subject = _("Your {point}, {value} ({interval}),").format(
            point=CURVE_POINT_NAMES[figure].format(h=period_label(row)), value=pct(user["value"]),
            interval=interval(user))
    else:
        subject = _("Your {figure} of {value} ({interval})").format(
            figure=figure_name(figure, months), value=pct(user["value"]), interval=interval(user))
    sentence = VERDICTS[row["position"]].format(subject=subject, reported=reported,
                                                industry=industry_name(row["industry"]),
                                                publisher=row["publisher"], year=row["year"])
    if row.get("converted"):
        sentence += " " + _("(converted from {period} {metric} of {value})").format(
            period=CATALOG_PERIODS.get(row["period"], row["period"]), metric=METRIC_WORDS[row["metric"]],
            value=published(row["value_pct"]))
    if row["position"] == "within_noise":
        sentence += _("; the difference of {points} could be chance").format(points=points(row["gap_pts"]))
    return sentence + _(".")


def _count_list(compared, words: dict) -> str:
    counts = compared["position"].value_counts().to_dict() if len(compared) else {}
    return format_list([str(words[k]).format(n=fmt.number(counts[k])) for k in ("above", "below", "within_noise")
                        if counts.get(k)], locale=i18n.cldr_locale())


def headline(figure: str, months: int | None, user: dict, compared) -> str:
    """'Your annual customer retention of 71.0% (95% CI 68.0–74.0%) is above 2 of 5 published figures, …'"""
    if len(compared) == 1:
        return verdict(figure, months, user, compared.iloc[0].to_dict())
    total = len(compared)
    joined = _count_list(compared, {"above": CONTEXT_ABOVE, "below": CONTEXT_BELOW, "within_noise": CONTEXT_NOISE})
    if not joined:
        return _("Your {figure} is {value} ({interval}).").format(figure=figure_name(figure, months),
                                                                 value=pct(user["value"]), interval=interval(user))
    return ngettext("Your {figure} of {value} ({interval}) is {counts} of the {n} published figure for the same "
                    "metric.",
                    "Your {figure} of {value} ({interval}) is {counts} of the {n} published figures for the same "
                    "metric.", total).format(figure=figure_name(figure, months), value=pct(user["value"]),
                                             interval=interval(user), counts=joined, n=fmt.number(total))


def disagreement(found: dict | None) -> str | None:
    """'Sources disagree by 33.2 points: from 41.8% (…) to 75.0% (…). Check …' (curve points: '… at 12 months')."""
    if not found:
        return None
    low, high = found["low"], found["high"]
    values = dict(spread=points(found["spread_pts"]).lstrip("+"), low=pct(low["value"]),
                  low_source=f"{industry_name(low['industry'])}; {source(low)}", high=pct(high["value"]),
                  high_source=f"{industry_name(high['industry'])}; {source(high)}")
    if low.get("unit") in ("month", "day"):
        at = horizon_label(low["horizon"] if low["unit"] == "month" else None,
                           low["horizon"] if low["unit"] == "day" else None)
        return _("Sources disagree by {spread} at {horizon}: from {low} ({low_source}) to {high} ({high_source}). "
                 "Check their definitions and populations below.").format(horizon=at, **values)
    return _("Sources disagree by {spread}: from {low} ({low_source}) to {high} ({high_source}). Check their "
             "definitions and populations below.").format(**values)


def not_enough(names: list[str]) -> str:
    return _("Not enough data in the chosen range for: {names} (no complete period, or no customers).").format(
        names=", ".join(str(n) for n in names))


def cap(words: object) -> str:
    """First letter upper-case, the rest untouched ('gross revenue retention (GRR)' keeps GRR)."""
    words = str(words)
    return words[:1].upper() + words[1:]


def comparison(label: str, reference: str, test: dict) -> str:
    """An internal benchmark: '<label>: 45.2% vs 38.0% for <reference> (+7.2 points, 95% CI +5.1 to +9.3);
    beyond noise (p < 0.001).'"""
    if math.isnan(test["diff_pts"]):
        return _("{label}: not enough customers to compare with {reference}.").format(label=label, reference=reference)
    ci = _("95% CI {low} to {high}").format(low=fmt.number(test["ci_low_pts"], 1, sign=True),
                                            high=fmt.number(test["ci_high_pts"], 1, sign=True)).replace("-", "−")
    p = test.get("p_adjusted", test["p_value"])
    p_text = "p < " + fmt.number(0.001, 3) if p < 0.001 else "p = " + fmt.number(p, 3)
    judged = _("beyond noise") if test["beyond_noise"] else _("could be chance")
    return _("{label}: {first} vs {second} for {reference} ({points}, {ci}); {judged} ({p}).").format(
        label=label, first=pct(test["p1"]), second=pct(test["p2"]), reference=reference, points=points(test["diff_pts"]),
        ci=ci, judged=judged, p=p_text)


def _counts(compared) -> str:
    return _count_list(compared, {"above": CONTEXT_ABOVE, "below": CONTEXT_BELOW, "within_noise": TITLE_NOISE})


def chart_title(figure: str, months: int | None, user: dict, compared) -> str:
    """'Annual customer retention: yours is 41.9%, below 12 and within noise of 2 of 14 published figures'"""
    return ngettext("{name}: yours is {value}, {counts} of {n} published figure",
                    "{name}: yours is {value}, {counts} of {n} published figures", len(compared)).format(
        name=cap(figure_name(figure, months)), value=pct(user["value"]), counts=_counts(compared),
        n=fmt.number(len(compared)))


CURVE_TITLES = {"cohort_repurchase": L("Repeat purchase by time since the first order"),
                "cohort_survival": L("New customers still customers, by months since signup")}


def curve_title(figure: str, compared) -> str:
    """'Repeat purchase by time since the first order: yours is above 5 of 7 published points'"""
    return ngettext("{name}: yours is {counts} of {n} published point",
                    "{name}: yours is {counts} of {n} published points", len(compared)).format(
        name=CURVE_TITLES[figure], counts=_counts(compared), n=fmt.number(len(compared)))


def periods_used(first, last, periods: int, months: int) -> str:
    """'Pooled over 2 complete years: 2024 – 2025.'"""
    def when(d) -> str:
        return str(pd.Timestamp(d).year) if months == 12 else fmt.month_year(pd.Timestamp(d), short=True)

    span = when(first) if periods == 1 else f"{when(first)} – {when(last)}"
    sentence = {1: ngettext("Pooled over {n} complete month: {span}.", "Pooled over {n} complete months: {span}.",
                            periods),
                3: ngettext("Pooled over {n} complete quarter: {span}.", "Pooled over {n} complete quarters: {span}.",
                            periods),
                12: ngettext("Pooled over {n} complete year: {span}.", "Pooled over {n} complete years: {span}.",
                             periods)}[months]
    return sentence.format(n=fmt.number(periods), span=span)


def segment_name(value) -> str:
    return str(PAGE["no_value"]) if value is None or pd.isna(value) else str(value)


def segments_title(groups) -> str:
    """versus_rest output → 'Referral highest at 89.0%, Paid social lowest at 76.4% (3 of 5 differ beyond noise)'"""
    top, bottom = groups.iloc[0], groups.iloc[-1]
    differ = int(groups["beyond_noise"].sum())
    return _("{top} highest at {top_pct}, {bottom} lowest at {bottom_pct} ({differ} of {n} differ from the rest "
             "beyond noise)").format(top=segment_name(top["segment"]), top_pct=pct(top["p1"]),
                                     bottom=segment_name(bottom["segment"]), bottom_pct=pct(bottom["p1"]),
                                     differ=fmt.number(differ), n=fmt.number(len(groups)))


def span(date_from: str, date_to: str) -> str:
    """'Jan 2025 – Dec 2025' ('Dec 2025' for one month)"""
    start = fmt.month_year(pd.Timestamp(date_from), short=True)
    end = fmt.month_year(pd.Timestamp(date_to), short=True)
    return start if start == end else f"{start} – {end}"


def small_sample(trials: int) -> str:
    return ngettext("Based on only {n} customer: the interval is wide and the verdict weak.",
                    "Based on only {n} customers: the interval is wide and the verdict weak.", trials).format(
        n=fmt.number(trials))


PAGE = {
    "title": L("How do we compare?"),
    "intro": L("Your own figures next to published industry figures of the same metric, period and definition. "
               "Every benchmark shows its source, year, population and how sure we are of it; figures that measure "
               "something else (a repeat purchase rate and a retention rate, say) are never compared."),
    "industries": L("Industries to compare with"),
    "industries_help": L("Type to search; pick several to see how sources differ. Only figures whose metric your "
                         "data can produce are shown."),
    "upload": L("Use your own benchmark file"),
    "upload_help": L("A CSV in the same format as the shipped data/benchmarks.csv (see the README: required columns "
                     "industry, metric, period, value_pct, year, publisher, source_url, definition). It replaces the "
                     "shipped figures for this session."),
    "settings": L("Periods and definitions"),
    "default_period": {
        "year": L("Compared per year: the data has a whole year to measure customer retention over."),
        "no_year": L("Compared per {period}: the data is shorter than the 12 complete months a yearly figure needs, "
                     "so the longest period it has complete periods for is used (change it in the settings below)."),
        "no_figures": L("Compared per {period}: no published yearly figures for the chosen industries."),
        "nothing": L("The data has fewer than two complete months: there is nothing to compare yet."),
    },
    "period_changed": L("You chose per {period}."),
    "period": L("Customer and revenue retention per"),
    "period_help": L("Your figure is measured over whole periods of this length; published figures for other "
                     "periods are converted by compounding (annual retention = monthly retention^12), never by "
                     "multiplying churn."),
    "range": L("Pool the complete periods starting between"),
    "first_range": L("Repeat purchase and survival: customers whose first order (signup) is between"),
    "inactive": L("Inactivity window (days, purchases only)"),
    "inactive_help": L("Without a customers file, a customer counts as lost this many days after their last "
                       "purchase."),
    "pick_industry": L("Pick one or more industries to see how your figures compare."),
    "no_dates": L("This file has no dates, so none of its figures is measured like the published ones (per month "
                  "or year over calendar time): the share churned counts everyone who ever left, and churn per "
                  "month implied by tenure divides the churned customers by all the months customers stayed. "
                  "They are shown here without a verdict."),
    "nothing": L("None of the chosen industries has a published figure for a metric your data can produce. Try "
                 "“All industries”, or a sector close to yours."),
    "no_pair": L("No published figure in the chosen industries for: {names}."),
    "sources": L("Sources, definitions and verdicts"),
    "verdicts": L("Against each source"),
    "you": L("You"), "band": L("Your 95% CI"), "benchmark": L("Published figure"), "converted": L("converted from"),
    "low": L("low confidence"), "x_pct": L("Percent"), "months_since": L("Months since the first order (signup)"),
    "internal": L("Against yourself"),
    "internal_intro": L("“Better than last year” is often the benchmark that matters most. A difference is beyond "
                        "noise when a two-proportion test gives p < 0.05 (Holm-adjusted when several segments are "
                        "compared)."),
    "yoy": L("This period against the same period a year earlier"),
    "segment": L("Compare segments by"),
    "segment_metric": L("Share compared"),
    "segment_metrics": {"repeat_12": L("Repeat purchase within 12 months"),
                        "repeat": L("Repeat purchase rate (2+ orders)"),
                        "month1": L("Came back in month 1 (first-purchase cohorts)")},
    "rest": L("all other customers"),
    "overall": L("all customers"),
    "no_value": L("(no value)"),
    "no_segments": L("This dataset has no segment columns to compare."),
    "year_before": L("the same months a year earlier"),
    "no_year_before": L("{label}: the data starts in {first}, so there is no same period a year earlier to compare "
                        "with."),
    "first_in": L("customers who first bought in"),
    "row_left_out": L("Row {row} left out: {reason}."),
    "yoy_label": L("{figure}, {span}"),
    "yoy_first_label": L("{figure}, customers who first bought in {span}"),
}

COLUMN_LABELS = {
    "industry": L("Industry"), "publisher": L("Publisher"), "year": L("Year"), "value": L("Value on your scale (%)"),
    "as_published": L("As published"), "gap_pts": L("Your gap (points)"), "confidence": L("Confidence"),
    "statistic": L("Statistic"), "population": L("Population"), "definition": L("Definition"),
    "source_url": L("Source"), "notes": L("Notes"),
}

def context(row: dict) -> str | None:
    """One line for an overview tile from compare.context(), in the current language:
    'Your annual customer retention of 41.9% is below 4 of 5 published figures for similar businesses (41.8–75.0%).'"""
    if not row["sources"] or math.isnan(row["value"]):
        return None
    words = {"above": CONTEXT_ABOVE, "below": CONTEXT_BELOW, "within_noise": CONTEXT_NOISE}
    counts = [words[k].format(n=fmt.number(row[k])) for k in ("above", "below", "within_noise") if row[k]]
    joined = format_list(counts, locale=i18n.cldr_locale())
    return ngettext("Your {figure} of {value} is {counts} of {n} published figure for the chosen industries "
                    "({low}–{high}).",
                    "Your {figure} of {value} is {counts} of {n} published figures for the chosen industries "
                    "({low}–{high}).", int(row["sources"])).format(
        figure=local_figure_name("customer_retention", int(row["months"])), value=fmt.percent(row["value"]),
        counts=joined, n=fmt.number(row["sources"]), low=fmt.percent(row["low_pct"]),
        high=fmt.percent(row["high_pct"]))


# ---------------------------------------------------------------- translated names (issue 19)
CONTEXT_ABOVE, CONTEXT_BELOW, CONTEXT_NOISE = L("above {n}"), L("below {n}"), L("within the noise of {n}")
TITLE_NOISE = L("within noise of {n}")
LOCAL_FIGURE_NAMES = {  # figure_name(figure, months) in the current language
    ("customer_retention", 1): L("monthly customer retention"),
    ("customer_retention", 3): L("quarterly customer retention"),
    ("customer_retention", 12): L("annual customer retention"),
    ("customer_churn", 1): L("monthly customer churn"),
    ("customer_churn", 3): L("quarterly customer churn"),
    ("customer_churn", 12): L("annual customer churn"),
    ("revenue_retention_gross", 12): L("annual gross revenue retention (GRR)"),
    ("revenue_retention_net", 12): L("annual net revenue retention (NRR)"),
    ("customer_retention", None): L("customer retention"),
    ("customer_churn", None): L("customer churn"),
    ("revenue_retention_gross", None): L("gross revenue retention (GRR)"),
    ("revenue_retention_net", None): L("net revenue retention (NRR)"),
    ("repeat_purchase_rate", None): L("repeat purchase rate"),
    ("cohort_repurchase", None): L("repeat purchase by time since the first order"),
    ("cohort_survival", None): L("new customers still customers, by months since signup"),
}


def local_figure_name(figure: str, months: int | None = None) -> str:
    """figure_name in the current language (English: the same words)."""
    name = LOCAL_FIGURE_NAMES.get((figure, months)) or LOCAL_FIGURE_NAMES.get((figure, None))
    return str(name) if name is not None else figure_name(figure, months)


INDUSTRY_NAMES: dict[str, L] = {  # industry or sector (as data/benchmarks.csv writes it) → its name in the languages
    "Automotive & transportation": L("Automotive & transportation"),
    "Banking & financial services": L("Banking & financial services"),
    "Construction & home services": L("Construction & home services"),
    "Consumer services": L("Consumer services"),
    "Cross-industry": L("Cross-industry"),
    "Healthcare": L("Healthcare"),
    "Hospitality & travel": L("Hospitality & travel"),
    "Insurance": L("Insurance"),
    "Manufacturing": L("Manufacturing"),
    "Media & entertainment": L("Media & entertainment"),
    "Mobile apps": L("Mobile apps"),
    "Professional & business services": L("Professional & business services"),
    "Retail & e-commerce": L("Retail & e-commerce"),
    "Software & SaaS": L("Software & SaaS"),
    "Subscription businesses": L("Subscription businesses"),
    "Telecommunications": L("Telecommunications"),
    "Advertising agency": L("Advertising agency"),
    "All industries (avg of 15)": L("All industries (avg of 15)"),
    "Auto service chain": L("Auto service chain"),
    "Automotive": L("Automotive"),
    "B2B SaaS": L("B2B SaaS"),
    "Banking": L("Banking"),
    "Banking - US (consumers switching banks)": L("Banking - US (consumers switching banks)"),
    "Banking - US retail (primary bank)": L("Banking - US retail (primary bank)"),
    "Banking - branch system": L("Banking - branch system"),
    "Business consulting": L("Business consulting"),
    "Cable TV (US)": L("Cable TV (US)"),
    "Commercial insurance": L("Commercial insurance"),
    "Construction": L("Construction"),
    "Construction & engineering": L("Construction & engineering"),
    "Consumer subscription apps - annual plans": L("Consumer subscription apps - annual plans"),
    "Consumer subscription apps - monthly plans": L("Consumer subscription apps - monthly plans"),
    "Consumer subscription apps - weekly plans": L("Consumer subscription apps - weekly plans"),
    "Credit cards (MBNA America)": L("Credit cards (MBNA America)"),
    "Cross-industry (US corporations)": L("Cross-industry (US corporations)"),
    "Cross-industry (services)": L("Cross-industry (services)"),
    "Cybersecurity": L("Cybersecurity"),
    "E-commerce": L("E-commerce"),
    "E-commerce - CBD": L("E-commerce - CBD"),
    "E-commerce - DTC (13 brands, 162K customers)": L("E-commerce - DTC (13 brands, 162K customers)"),
    "E-commerce - DTC (16 brands, 156K customers)": L("E-commerce - DTC (16 brands, 156K customers)"),
    "E-commerce - Shopify stores": L("E-commerce - Shopify stores"),
    "E-commerce - all": L("E-commerce - all"),
    "E-commerce - all (avg)": L("E-commerce - all (avg)"),
    "E-commerce - apparel": L("E-commerce - apparel"),
    "E-commerce - beauty": L("E-commerce - beauty"),
    "E-commerce - coffee": L("E-commerce - coffee"),
    "E-commerce - meal delivery": L("E-commerce - meal delivery"),
    "E-commerce - own food products": L("E-commerce - own food products"),
    "E-commerce - performance sportswear": L("E-commerce - performance sportswear"),
    "E-commerce - pet products": L("E-commerce - pet products"),
    "E-commerce - supplements": L("E-commerce - supplements"),
    "E-commerce - tea": L("E-commerce - tea"),
    "E-commerce/catalog - Dec-2010 cohort example": L("E-commerce/catalog - Dec-2010 cohort example"),
    "E-commerce/catalog - single brand example": L("E-commerce/catalog - single brand example"),
    "Entertainment": L("Entertainment"),
    "Financial services": L("Financial services"),
    "Financial/credit (US)": L("Financial/credit (US)"),
    "HVAC services": L("HVAC services"),
    "Hospitality, travel & restaurants": L("Hospitality, travel & restaurants"),
    "IT & software": L("IT & software"),
    "IT services": L("IT services"),
    "Insurance - US auto (industry, households)": L("Insurance - US auto (industry, households)"),
    "Insurance - US auto, bundled home+auto": L("Insurance - US auto, bundled home+auto"),
    "Insurance - US auto, mono-line": L("Insurance - US auto, mono-line"),
    "Insurance - US personal auto": L("Insurance - US personal auto"),
    "Insurance brokerage": L("Insurance brokerage"),
    "Media": L("Media"),
    "Media - OTT/SVOD (subscription video)": L("Media - OTT/SVOD (subscription video)"),
    "Media - US premium SVOD": L("Media - US premium SVOD"),
    "Media - US premium SVOD (Netflix)": L("Media - US premium SVOD (Netflix)"),
    "Mobile apps - all (global median)": L("Mobile apps - all (global median)"),
    "Mobile apps - e-commerce": L("Mobile apps - e-commerce"),
    "Mobile apps - entertainment": L("Mobile apps - entertainment"),
    "Mobile apps - gaming": L("Mobile apps - gaming"),
    "Mobile apps - health & fitness": L("Mobile apps - health & fitness"),
    "Mobile apps - hyper-casual games": L("Mobile apps - hyper-casual games"),
    "Mobile apps - iOS (global avg)": L("Mobile apps - iOS (global avg)"),
    "Mobile apps - lifestyle": L("Mobile apps - lifestyle"),
    "Mobile apps - news": L("Mobile apps - news"),
    "Mobile apps - social": L("Mobile apps - social"),
    "Mobile apps - travel": L("Mobile apps - travel"),
    "Mobile apps - utilities": L("Mobile apps - utilities"),
    "Online apparel": L("Online apparel"),
    "Online grocery": L("Online grocery"),
    "Professional services": L("Professional services"),
    "Retail": L("Retail"),
    "Retail - box-of-the-month subscription": L("Retail - box-of-the-month subscription"),
    "SaaS - ARPA < $25/mo": L("SaaS - ARPA < $25/mo"),
    "SaaS - ARPA > $1,000/mo": L("SaaS - ARPA > $1,000/mo"),
    "SaaS - private (KBCM/Pacific Crest survey)": L("SaaS - private (KBCM/Pacific Crest survey)"),
    "SaaS - private B2B": L("SaaS - private B2B"),
    "SaaS - private B2B (all ACVs)": L("SaaS - private B2B (all ACVs)"),
    "SaaS - private B2B (by ACV)": L("SaaS - private B2B (by ACV)"),
    "SaaS - private B2B, ACV < $12k": L("SaaS - private B2B, ACV < $12k"),
    "SaaS - private B2B, ACV > $250k": L("SaaS - private B2B, ACV > $250k"),
    "SaaS - subscription (ProfitWell index)": L("SaaS - subscription (ProfitWell index)"),
    "Subscription - B2B": L("Subscription - B2B"),
    "Subscription - B2C": L("Subscription - B2C"),
    "Subscription - all": L("Subscription - all"),
    "Telecom - US wireless postpaid phone (AT&T)": L("Telecom - US wireless postpaid phone (AT&T)"),
    "Telecom - US wireless postpaid phone (T-Mobile)": L("Telecom - US wireless postpaid phone (T-Mobile)"),
    "Telecom - US wireless postpaid phone (Verizon)": L("Telecom - US wireless postpaid phone (Verizon)"),
    "Telecom - US wireless prepaid (T-Mobile)": L("Telecom - US wireless prepaid (T-Mobile)"),
}


def industry_name(industry: object) -> str:
    """An industry or sector of the benchmark catalog in the current language (a user's own file's names, and
    names without a translation, as written)."""
    name = INDUSTRY_NAMES.get(str(industry))
    return str(name) if name is not None else str(industry)


def industry_labels(options) -> dict[str, str]:
    """'Sector · Industry' for each industry of the catalog's choices (catalog.industries: sector, industry)."""
    return {industry: f"{industry_name(sector)} · {industry_name(industry)}"
            for sector, industry in zip(options["sector"], options["industry"])}


def figures_help() -> str:
    """What each figure means, as a Markdown list."""
    return "\n".join(f"- **{cap(figure_name(k))}**: {v}" for k, v in FIGURE_HELP.items())


def default_period_note(why: str, default_period: str, period: str) -> str:
    """Why the page compares per `default_period` (compare.default_period's reason), and the period chosen
    instead when the person changed it."""
    note = PAGE["default_period"][why].format(period=RATE_PERIOD_WORDS[default_period])
    if period == default_period:
        return note
    return note + " " + PAGE["period_changed"].format(period=RATE_PERIOD_WORDS[period])


def chart_words() -> dict:
    """The words of a figure's chart: its legend, axes and the catalog's period names."""
    words = {k: str(PAGE[v]) for k, v in (("you", "you"), ("band", "band"), ("benchmark", "benchmark"),
                                          ("converted", "converted"), ("low", "low"), ("none", "no_value"),
                                          ("x", "x_pct"), ("y", "x_pct"))}
    words["periods"] = {k: str(v) for k, v in CATALOG_PERIODS.items()}
    return words


SOURCE_COLUMNS = ["industry", "publisher", "year", "value", "as_published", "gap_pts", "confidence", "statistic",
                  "population", "definition", "source_url", "notes"]


def sources_table(rows):
    """The sources of a figure (compare.table rows) for reading: each benchmark as published, the industry and
    confidence in words; the SOURCE_COLUMNS."""
    return rows.assign(
        as_published=[f"{CATALOG_PERIODS.get(r.period, r.period)} {METRIC_WORDS[r.metric]} {published(r.value_pct)}"
                      for r in rows.itertuples()],
        industry=[industry_name(i) for i in rows["industry"]],
        confidence=[str(CONFIDENCE_VALUES.get(c, c)) for c in rows["confidence"]])[SOURCE_COLUMNS]
