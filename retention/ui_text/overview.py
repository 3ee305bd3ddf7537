"""The Overview page's sentences that are more than a label: the purchase model's lead, customers kept, the share
churned, new customers coming back, reasons, the closest benchmark, the buyers-per-month title (pages/overview.py
and retention/ui/overview_views.py)."""

from __future__ import annotations

from retention import fmt
from retention.i18n import _, ngettext
from retention.ui_text import (MODEL_PENDING_NOTE, OVERVIEW_METHOD_NOTE, headline_window, model_headline_note,
                               period_words)
from retention.ui_text.benchmarks import industry_name


def model_sentence(kept: dict, active: dict, window: dict) -> str:
    """The lead of a shop whose purchase model passed its check: model retention per month (kept), expected active
    customers (active) and the inactivity window's retention (window); each a headline row."""
    return _("By the purchase model, **{kept}** of customers stayed each month and **{lost}** left; about "
             "**{active}** of the {n} customers who ever bought are still customers. Counting a customer as lost "
             "90 days after their last purchase (the inactivity window) instead, **{window}** stayed each "
             "month.").format(kept=fmt.percent(kept["value"], 1), lost=fmt.percent(100 - kept["value"], 1),
                              active=fmt.number(active["expected"]), n=fmt.number(active["customers"]),
                              window=fmt.percent(window["value"], 1))


def churned_sentence(row: dict) -> str:
    """'**12** of the 40 customers in the file have churned.' from the share_churned headline row."""
    return ngettext("**{churned}** of the {n} customer in the file has churned.",
                    "**{churned}** of the {n} customers in the file have churned.", row["customers"]).format(
        churned=fmt.number(row["successes"]), n=fmt.number(row["customers"]))


def buyers_title(last: dict | None, all_complete: bool) -> str:
    """The buyers-per-month chart's title from metrics.overview.returning_buyers' last complete month."""
    if last is not None:
        title = _("In {month}, {pct} of buyers were returning customers").format(
            month=fmt.month_year(last["month"]), pct=fmt.percent(last["returning_pct"], 0))
        title = title[:1].upper() + title[1:]  # pl/ru start with the month, named in lower case
    else:
        title = _("Buyers per month (no complete month yet)")
    return title if all_complete else title + " " + _("(faded: month not over)")


def kept_sentence(kept: dict, month: dict) -> str:
    """The lead of the inactivity window's figures: the share kept over `kept`'s window (a year, or the months the
    data has) and month by month (`month`); both headline rows."""
    return _("Of the customers we had at the start of {window}, **{kept}** were still customers at its end; "
             "month by month, **{stayed}** stayed and **{left}** left.").format(
        window=headline_window(kept), kept=fmt.percent(kept["value"]), stayed=fmt.percent(month["value"]),
        left=fmt.percent(100 - month["value"]))


def no_year_note(year: dict, kept: dict) -> str:
    """Why the months measured (`kept`) stand in for a year (`year`: monthly^12, shown only as an aside)."""
    return _("No 12 complete months yet, so a year cannot be measured. Compounding the monthly figure "
             "would give {pct} a year, but customers who lapse and come back make that far too low: "
             "the {months} measured directly say more.").format(
        pct=fmt.percent(year["value"]), months=period_words(kept["period"]))


def purchases_note(check: dict | None, pending: bool = False) -> str:
    """How a shop without a customers file is counted, and why the inactivity window leads (check:
    headline.model_check(), None when the model was not tried; pending: it is being tried now)."""
    why = model_headline_note(check) if check else str(MODEL_PENDING_NOTE if pending else OVERVIEW_METHOD_NOTE)
    return (_("Purchases only: a customer counts as lost 90 days after their last purchase (the inactivity "
              "window, set on the Churn page). A longer window keeps more customers.") + " " + why)


def few_at_start(n: int) -> str:
    return ngettext("Only {n} customer at the start: treat this with care.",
                    "Only {n} customers at the start: treat this with care.", n).format(n=fmt.number(n))


def tenure_sentence(row: dict, tenure: dict) -> str:
    """A customers file without dates: the share churned (row) and churn per month of tenure (tenure, with its
    95% interval); both headline rows."""
    return churned_sentence(row) + " " + _(
        "Counting the months each customer stayed, about **{pct}** of customers leave per month (95% CI "
        "{low}–{high}).").format(pct=fmt.percent(tenure["value"], 2), low=fmt.number(tenure["ci_low"], 2),
                                 high=fmt.percent(tenure["ci_high"], 2))


def no_dates_sentence(row: dict) -> str:
    """A customers file without dates or tenure: the share churned, and why no monthly figure."""
    return churned_sentence(row) + " " + _("The file has no dates, so churn per month cannot be measured.")


def came_back_sentence(row: dict, latest: dict) -> str:
    """New customers coming back: the month1_cohort_retention headline row, then the latest cohort when there
    is one (latest: metrics.cohorts.summary, {} without)."""
    text = ngettext("Of the {n} customer who first bought in {window}, **{pct}** bought again in the next "
                    "calendar month.",
                    "Of the {n} customers who first bought in {window}, **{pct}** bought again in the next "
                    "calendar month.", row["customers"]).format(
        n=fmt.number(row["customers"]), window=headline_window(row), pct=fmt.percent(row["value"]))
    if latest:
        text += " " + ngettext("The latest cohort ({month}, {n} customer): {pct}.",
                               "The latest cohort ({month}, {n} customers): {pct}.", latest["latest_size"]).format(
            month=fmt.month_year(latest["latest_cohort"]), n=fmt.number(latest["latest_size"]),
            pct=fmt.percent(latest["latest_pct"]))
    return text


def few_in_cohorts(n: int) -> str:
    return ngettext("Only {n} customer in those cohorts: treat this with care.",
                    "Only {n} customers in those cohorts: treat this with care.", n).format(n=fmt.number(n))


def reason_line(reason: str, share_pct: float, total: int) -> str:
    """'**Too expensive** — 40% of the 120 customers who left' (reason: already escaped for Markdown)."""
    return ngettext("**{reason}** — {pct} of the {n} customer who left",
                    "**{reason}** — {pct} of the {n} customers who left", total).format(
        reason=reason, pct=fmt.percent(share_pct, 0), n=fmt.number(total))


def closest_source(ctx: dict) -> str:
    """The benchmark nearest to this dataset (benchmarks.compare.context's nearest_*)."""
    return _("Closest source: {publisher} ({year}), {industry}. Benchmarks differ in definition and "
             "population; the Benchmarks page shows each one.").format(
        publisher=ctx["nearest_publisher"], year=ctx["nearest_year"],
        industry=industry_name(ctx["nearest_industry"]))
