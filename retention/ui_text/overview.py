"""The Overview page's sentences that are more than a label: the purchase model's lead, the share churned, the
buyers-per-month title."""

from __future__ import annotations

from retention import fmt
from retention.i18n import _, ngettext


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
