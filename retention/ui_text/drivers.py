"""The words of the churn drivers (the Churn page's Drivers tab, the Overview's card, the drivers command): value
and attribute names, table labels, the definition, the sentences and the model's notes. Re-exported by
retention.ui_text."""

from __future__ import annotations

from retention import fmt
from retention.i18n import L, _, ngettext

DRIVER_BLANK = L("(blank)")
DRIVER_KINDS = {"text": L("column of the file"), "number": L("number, in bins"), "first": L("at the first purchase"),
                "accumulated": L("grows while a customer stays")}
DRIVER_EXCLUDED = {"outcome": L("restates the outcome (whether, when or why a customer left)"),
                   "identifier": L("identifier or location detail (one group per customer or place)"),
                   "date": L("a date (used for cohorts, not as a group)"), "one_value": L("one value only"),
                   "too_many": L("too many different values to compare"), "blank": L("empty")}
DRIVER_VALUE_LABELS = {"value": L("Value"), "customers": L("Customers"), "churned": L("Churned"), "churn_pct": L("Churn, %"),
                       "ci_low_pct": L("Interval from, %"), "ci_high_pct": L("to, %"),
                       "rest_pct": L("Everyone else, %"), "diff_pp": L("Difference, points"),
                       "excess_churned": L("Churned customers the difference accounts for"),
                       "excess_revenue": L("Their revenue"), "small": L("Few customers (read with care)")}
DRIVER_RANK_LABELS = {"rank": L("Rank"), "attribute": L("Attribute"), "kind": L("Kind"), "values": L("Values"), "top_value": L("Value that churns most"),
                      "top_churn_pct": L("Its churn, %"), "top_diff_pp": L("vs everyone else, points"),
                      "top_excess_churned": L("Extra churned customers"), "cramers_v": L("Strength (corrected Cramér's V)"),
                      "p_adjusted": L("p-value (Holm-corrected)"), "significant": L("Beyond chance")}
DRIVER_ODDS_LABELS = {"attribute": L("Attribute"), "value": L("Value"), "reference": L("Compared with"),
                      "customers": L("Customers"), "odds_ratio": L("Odds ratio"), "or_low": L("Interval from"),
                      "or_high": L("to"), "p_value": L("p-value")}
DRIVER_TIME_LABELS = {"cohort": L("Cohort (year of start)"), "value": L("Value"), "customers": L("Customers"),
                      "churned": L("Churned"), "churn_pct": L("Churn, %"), "rest_pct": L("Everyone else, %"),
                      "diff_pp": L("Difference, points"), "small": L("Few customers")}


def driver_value(value) -> str:
    """A driver value as shown (a blank cell is '(blank)')."""
    return str(DRIVER_BLANK) if value is None or value != value else str(value)


def driver_definition(how: dict) -> str:
    """What 'churned' means in the drivers view of this dataset (definition() of retention.metrics.drivers)."""
    if how["basis"] == "customers":
        return _("**Churned** = marked churned in the customers file (a cancel date or a churned status); customers "
                 "whose churn the file does not state are left out.")
    return _("**Churned** = lapsed: no purchase in the {days} days up to {day} (the inactivity window), among "
             "customers whose first purchase was at least {days} days before that date. Change the window above "
             "(Purchases basis) to see how the drivers move.").format(
        days=how["inactive_days"], day=f"{how['as_of']:%Y-%m-%d}")


def driver_sentence(row: dict, customers: int, churned: int, escape=str) -> str:
    """One top driver in plain words (Markdown), from a ranking row (retention.metrics.drivers.attribute_tests);
    `escape` makes the file's names and values inert (widgets.md)."""
    row = row | {"attribute": escape(driver_attribute(row["attribute"])),
                 "top_value": escape(driver_value(row["top_value"]))}
    overall = 100 * churned / customers if customers else float("nan")
    above = row["top_diff_pp"] >= 0
    text = (_("**{attribute}**: customers with “{value}” churn at **{pct}** ({n} customers), {diff} points above "
              "everyone else (overall {overall}); the difference accounts for about {excess} churned customers.")
            if above else
            _("**{attribute}**: customers with “{value}” churn at **{pct}** ({n} customers), {diff} points below "
              "everyone else (overall {overall}); the difference accounts for about {excess} churned customers."))
    return text.format(attribute=row["attribute"], value=driver_value(row["top_value"]),
                       pct=fmt.percent(row["top_churn_pct"]), n=fmt.number(row["top_customers"]),
                       diff=fmt.number(abs(row["top_diff_pp"]), 1), overall=fmt.percent(overall),
                       excess=fmt.number(max(row["top_excess_churned"], 0)))


def driver_rule(row: dict, escape=str) -> str:
    """A combination of two attributes in plain words (Markdown; retention.metrics.drivers.rules row); `escape`
    makes the file's names and values inert (widgets.md)."""
    row = row | {k: escape(driver_value(row[k])) for k in ("first", "first_value", "second", "second_value")}
    return _("{first} “{first_value}” and {second} “{second_value}”: **{pct}** churn ({churned} of {n} customers; "
             "{level} interval {low}–{high}).").format(level=fmt.percent(95, 0),
        first=row["first"], first_value=driver_value(row["first_value"]), second=row["second"],
        second_value=driver_value(row["second_value"]), pct=fmt.percent(row["churn_pct"]),
        churned=fmt.number(row["churned"]), n=fmt.number(row["customers"]), low=fmt.number(row["ci_low_pct"], 1),
        high=fmt.percent(row["ci_high_pct"]))


def driver_model_note(auc: float, train: int, test: int) -> str:
    """How far to trust the multivariable model."""
    if auc != auc:
        return _("Too few customers to check the model on customers it has not seen.")
    grade = _("weak") if auc < 0.65 else (_("fair") if auc < 0.75 else _("good"))
    return _("Checked on {test} customers the model did not see (fitted on {train}): AUC {auc} ({grade}; 0.5 "
             "is guessing, 1 is perfect). Odds ratios compare a value with the most common value of its attribute, "
             "the other attributes held equal; an interval that does not include 1 is beyond chance. An association, "
             "not proof of cause.").format(test=fmt.number(test), train=fmt.number(train), auc=fmt.number(auc, 2),
                                           grade=grade)


DRIVER_MODEL_STATUS = {"separated": L("everyone or no one with it churned, so its odds ratio is infinite or zero "
                                    "(those customers were set aside for the others' odds ratios)"),
                       "collinear": L("it says the same as other attributes in the model"),
                       "unstable": L("too few customers in some combination with other attributes for a stable "
                                   "estimate")}


def driver_model_flags(odds, fallback: str | None, value=str) -> str | None:
    """One sentence per reason naming the values of drivers.model()['odds'] without an odds ratio (status not
    'ok'), and a note when the fit did not converge; None when there is nothing to say."""
    parts = []
    for status, why in DRIVER_MODEL_STATUS.items():
        names = [f"{r.attribute}: {value(r.value)}" for r in odds.itertuples() if r.status == status]
        if names:
            parts.append(_("No odds ratio for {names}: {why}.").format(names=", ".join(names), why=why))
    if fallback == "not_converged":
        parts.append(_("The model did not settle on a best fit; read its odds ratios as rough."))
    return " ".join(parts) or None


# The per-customer figures the drivers compute (retention/metrics/drivers.py SUMMARY): their names are shown
# translated; the data and the links keep the English name. A file's own column names are shown as written.
DRIVER_FIGURES = {"Tenure": L("Tenure"), "Orders": L("Orders"), "Revenue to date": L("Revenue to date")}


def driver_attribute(name: object) -> str:
    """A driver attribute as shown: the app's per-customer figures in the reader's language, columns as written."""
    return str(DRIVER_FIGURES.get(name, name)) if isinstance(name, str) else name


def driver_churned_share(churned: int, customers: int) -> str:
    """'1,869 of 7,043 customers churned (26.5%).'"""
    return ngettext("{churned} of {n} customer churned ({pct}).", "{churned} of {n} customers churned ({pct}).",
                    customers).format(churned=fmt.number(churned), n=fmt.number(customers),
                                      pct=fmt.percent(100 * churned / max(customers, 1)))
