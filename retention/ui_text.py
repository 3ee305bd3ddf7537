"""User-facing words shared by several pages (kept in one place for translation).

Translatable constants are lazy strings, L("…") (retention/i18n.py): written in English here, translated
wherever they are used; functions use _() and ngettext() (the catalogs are in locale/, see README Languages)."""

from retention import fmt
from retention.i18n import L, _, ngettext

ROLE_LABELS = {
    "customer": "Customer id",
    "date": "Purchase date",
    "amount": "Amount",
    "quantity": "Quantity",
    "unit_price": "Unit price",
    "order": "Order id",
    "signup": "Signup date",
    "churn_date": "Cancel / churn date",
    "churn_reason": "Churn reason",
    "status": "Status (active / churned)",
    "currency": "Currency",
    "tenure": "Tenure (periods)",
}
# Roles whose label differs by file.
ROLE_LABELS_BY_KIND = {("purchases", "status"): "Payment status"}

SKIPPED_REASONS = {
    "total_row": "totals row at the end of the table (not a customer)",
    "order_continuation": "extra line of an order already counted (one amount per order)",
    "not_paid": "not a purchase (unpaid, failed, cancelled, awaiting payment, or a deal not won)",
    "refunded": "refunded in full (the money went back)",
    "merged_customer": "another row of a customer listed earlier (merged into one customer)",
    "not_customer": "not a customer yet (a trial, a lead, or a first payment never made)",
    "duplicate_line": "line identical to an earlier line of the same order (merged: counted once)",
}
FLAGS = {
    "future_date": "dated after today (kept — check them)",
    "refund": "refunds: negative amounts (kept; not counted as activity)",
    "possible_duplicate": "possible duplicates: identical to an earlier row in every cell (kept as separate "
                          "purchases, since there is no order id to tell them apart — check them)",
}
# The rule for identical rows, shown on the upload page and written in the README (Definitions).
DUPLICATES_RULE = ("**Identical rows.** Two rows of a purchases file that are equal in every cell are both kept when "
                   "the file has no order id column (two identical purchases — same customer, day and amount — are "
                   "usually two purchases); they are reported as possible duplicates, with their revenue and a list "
                   "to download. When an order id column is mapped, a line identical to an earlier line of the same "
                   "order is taken as an export artefact and merged (counted once); the validation says how many "
                   "lines and how much revenue were merged. In a customers file an identical row is rejected.")

# Why a file cannot be saved: nothing in it would count a customer (ingest/usable.py). Fragments: the file
# name goes in front (IngestError), the advice after (the page's hint below, the CLI's own).
NOTHING_USABLE = {
    "empty_customer": "the customer column {column!r} is empty: none of the {rows:,} rows has a customer id, "
                      "so no customer can be counted",
    "every_rejected": "every {role} in column {column!r} was rejected ({part}), so no customer can be counted",
    "no_row": "none of the {rows:,} rows can be used, so no customer can be counted: {parts}",
    "rejected_part": "{reasons}, {rows:,} in all, e.g. {examples}",
    "in_column": "column {column!r}",
    "whole_row": "whole row",
    "rows_word": "rows ",
    "all_skipped": "none of the {rows:,} rows is a purchase ({skipped}), so no customer can be counted",
    "all_future": "every date in column {column!r} is after today ({today}): the {rows:,} purchases run from "
                  "{first} to {last}, so no customer can be counted yet (check the date column and its day/month "
                  "order)",
    "no_positive": "no purchase has a positive amount in column {column!r} on or before today ({today}), so no "
                   "customer can be counted (of {rows:,} rows: below 0 (refunds) {refunds:,}, equal to 0 {zero:,}, "
                   "dated after today {future:,})",
}
NOTHING_USABLE_HINT = ("Nothing can be saved from this file. Choose another column for the role above, or download "
                       "the rejected rows below to see what is wrong with them.")
NOTHING_USABLE_CLI_HINT = ("nothing was saved; choose another column with --map ROLE=COLUMN (--customers-map for "
                           "the customers file), or see what was rejected with 'python -m retention inspect FILE'")

REJECT_REASONS = {
    "missing_customer": "no customer id",
    "missing_date": "no date",
    "bad_date": "date not understood",
    "missing_amount": "no amount",
    "bad_amount": "amount is not a number",
    "bad_quantity": "quantity is not a number",
    "bad_unit_price": "unit price is not a number",
    "duplicate_row": "exact duplicate of an earlier row",
    "other_currency": "in another currency than the dataset's — upload them as a separate dataset",
    "bad_signup": "signup date not understood",
    "bad_churn_date": "churn date not understood",
    "bad_tenure": "tenure is not a whole number ≥ 0",
    "duplicate_customer": "customer id already listed earlier",
}

KIND_LABELS = {"purchases": "Purchases", "customers": "Customers"}

DATA_MODEL_HELP = """
**Purchases file** — one row per purchase (or per order line): a customer id, a date, and an amount
(or a quantity and a unit price, multiplied). Other columns (channel, product, country …) are kept
and can be used as segments; a customer's segment is the value on their first purchase.
Negative amounts are refunds: kept, but not counted as activity.

**Customers file** (optional) — one row per customer: id, and any of signup date, cancel date,
churn reason, status (active/churned), tenure, and attributes such as plan or channel.
"""


def skipped_note(entry: dict, limit: int = 8, revenue: str = "") -> str:
    """One line per reason rows were set aside (report['skipped'] entry), with the count of each status
    value when the status decided: '87 rows not counted — not a purchase (…): 52 cancelled, 35 pending; e.g. rows 4, 9.'"""
    reason = SKIPPED_REASONS.get(entry["reason"], entry["reason"])
    examples = ", ".join(map(str, entry["examples"]))
    statuses = entry.get("statuses") or []
    if not statuses:
        return f"{entry['rows']:,} rows set aside: {reason}{revenue}; e.g. rows {examples}."
    parts = [f"{s['rows']:,} {s['status']}" for s in statuses[:limit]]
    if len(statuses) > limit:
        parts.append(f"{sum(s['rows'] for s in statuses[limit:]):,} with {len(statuses) - limit} other statuses")
    return f"{entry['rows']:,} rows not counted — {reason}: {', '.join(parts)}{revenue}; e.g. rows {examples}."


LEFT_OUT_REASONS = {
    "outcome": "they restate the outcome — whether, when or why a customer left, or a status",
    "money": "money per order or period, not a group",
}


def segments_left_out_note(left_out: dict[str, str]) -> str:
    """One line: which columns are never offered as segments, and why (column → 'outcome' | 'money')."""
    parts = []
    for reason, why in LEFT_OUT_REASONS.items():
        columns = [c for c, r in left_out.items() if r == reason]
        if columns:
            parts.append(f"{', '.join(columns)} ({why})")
    return "Not offered as segments: " + "; ".join(parts) + "." if parts else ""


def reject_reason(code: str) -> str:
    return REJECT_REASONS.get(code, code.replace("_", " "))


def role_label(kind: str, role: str) -> str:
    return ROLE_LABELS_BY_KIND.get((kind, role), ROLE_LABELS[role])

# The engine source (retention/engines): its name in the dataset picker, and the caption under each page.
ENGINE_KINDS = {"duckdb": "Parquet", "motherduck": "MotherDuck (not tested)", "spark-connect": "Spark",
                "spark-local": "Spark (local)"}
ENGINE_FAILED_TITLE = "The engine cannot be used"
ENGINE_FAILED = ("The dashboard is set up to read from an engine, but it cannot be used right now: {problem}. "
                 "Pick the demo or your own data in the sidebar, or ask whoever runs this dashboard to check the "
                 "[engine] settings.")
ENGINE_SETTING_PROBLEM = L("The engine setting is not valid, so it is not offered: {problem}")


def engine_dataset_name(kind: str, tables: list[str]) -> str:
    """The engine source in the dataset picker: its kind and the configured tables ('Spark: shop.orders, …')."""
    short = [t.rstrip("/").split("/")[-1] if "/" in t else t for t in tables]
    return f"{ENGINE_KINDS.get(kind, kind)}: {', '.join(short)} (read-only)"


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 0.1 else f"{value:.1f} s"


def engine_timing(engine: str, computed: int, cached: int, seconds: float, cached_seconds: float) -> str:
    """'Computed on Spark 4.0.5 (Spark Connect) in 1.8 s', or how much came from the cache."""
    if not computed:
        return f"From the cache (computed earlier on {engine} in {_seconds(cached_seconds)})."
    text = f"Computed on {engine} in {_seconds(seconds)}"
    if cached:
        text += f" ({cached} of {computed + cached} results from the cache)"
    return text + "."


# The sidebar's link to the view in sight (links.show_share_link).
SHARE = {"copy": L("Copy link"), "copied": L("Link copied"), "failed": L("Copy it from the box below")}


# Headline figures (retention/metrics/headline.py): a short label and the definition, shown on the pages and
# printed by `python -m retention summary`.
HEADLINE = {
    "customer_retention_month": (L("Customers kept per month"),
                                 L("Of the customers active at the start of a month, the share still active at its end; "
                                  "pooled over the last 12 complete months (Σ kept ÷ Σ customers at the start).")),
    "customer_churn_month": (L("Customers lost per month"), L("100% − customers kept per month, over the same months.")),
    "customer_retention_year": (L("Customers kept over a year"),
                                L("Of the customers active at the start of the 12 months, the share still active at "
                                 "their end, measured directly.")),
    "customer_churn_year": (L("Customers lost over a year"), L("100% − customers kept over a year, over the same year.")),
    "customer_retention_span": (L("Customers kept over the months measured"),
                                L("Of the customers active at the start of the months measured, the share still active "
                                 "at their end, measured directly (the data has no 12 complete months).")),
    "month1_cohort_retention": (L("Came back the month after their first purchase"),
                                L("Of the customers whose first purchase was in one of the 12 months before the last "
                                 "complete month, the share who bought again in the next calendar month (pooled).")),
    "repeat_purchase_rate": (L("Repeat-purchase rate"),
                             L("Of all customers who bought, the share with two or more orders by the analysis date.")),
    "share_churned": (L("Share churned"),
                      L("Of the customers in the customers file with a known status, the share marked churned.")),
    "tenure_churn_month": (L("Churn per month implied by tenure"),
                           L("Churned customers ÷ the total months of tenure of all customers (each customer counts "
                            "the months they stayed), with an exact 95% Poisson interval.")),
    "revenue_at_risk_month": (L("Monthly charges of churned customers"),
                              L("The monthly charges of the customers marked churned, summed (per month, in the file's "
                               "currency); the percentage is their share of all customers' monthly charges.")),
}
HEADLINE_ESTIMATED_YEAR = L("The data has no 12 complete months to measure a year over, so this is monthly retention "
                             "to the power 12 (an estimate that assumes every month is alike).")
HEADLINE_ESTIMATED_CHURN_YEAR = L("100% − customers kept over a year; the data has no 12 complete months to measure a "
                                  "year over, so this is monthly retention to the power 12 (an estimate that assumes "
                                  "every month is alike).")
HEADLINE_BASIS = {"customers": "active = signed up and not yet cancelled (customers file)",
                  "purchases": "active = from the first purchase until {w} days after the last (inactivity window)"}


def headline_definition(figure: str, method: str | None = None) -> str:
    """The definition of a headline figure as shown next to it (the estimated year says it is monthly^12)."""
    text = HEADLINE[figure][1]
    if method == "monthly^12":
        text = HEADLINE_ESTIMATED_YEAR if figure == "customer_retention_year" else HEADLINE_ESTIMATED_CHURN_YEAR
    return str(text)


def headline_label(row: dict) -> str:
    """The short label of a headline row; the span says how many months it covers."""
    if row["figure"] == "customer_retention_span":
        months = str(row["period"]).split()[0]
        if months.isdigit():
            return ngettext("Customers kept over {n} month", "Customers kept over {n} months",
                            int(months)).format(n=months)
        return _("Customers kept over {period}").format(period=row["period"])
    return str(HEADLINE[row["figure"]][0])


def headline_value(figure: str, value: float) -> str:
    """A headline figure as every page prints it: one decimal, two for the small tenure-implied rate."""
    return fmt.percent(value, 2 if figure == "tenure_churn_month" else 1)


def headline_window(row: dict) -> str:
    """'Jan 2025 – Dec 2025' for a headline row's window ('' when it has none)."""
    start, end = row.get("window_start"), row.get("window_end")
    if start is None or end is None or start != start or end != end:
        return ""
    first, last = fmt.month_year(start, short=True), fmt.month_year(end, short=True)
    return f"{first} – {last}" if first != last else first


def purchases_tile(with_order_ids: bool) -> tuple[str, str]:
    """(label, help) of the Overview's count of purchases: orders when the file has order ids, else purchases."""
    if with_order_ids:
        return _("Orders"), _("Distinct orders with a positive amount (refunds not counted): the lines of one order "
                              "id count once.")
    return _("Purchases"), _("Purchases with a positive amount (refunds not counted); the file has no order id, so "
                             "each purchase (one date and time per customer) counts once.")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def spelled_date(value: str, order: str) -> str:
    """'05/01/2024' read as `order` → '5 January' (dmy) or 'May 1' (mdy); the value itself when unreadable."""
    parts = value.replace(".", "/").replace("-", "/").split("/")
    try:
        first, second = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        return value
    day, month = (first, second) if order == "dmy" else (second, first)
    if not 1 <= month <= 12:
        return value
    return f"{day} {MONTHS[month - 1]}" if order == "dmy" else f"{MONTHS[month - 1]} {day}"


DATE_FORMS = {
    "year_first": "like 2024-01-05", "slashed": "like 05/01/2024", "dotted": "like 05.01.2024",
    "yyyymmdd": "like 20240105", "excel_serial": "Excel day numbers like 45296",
    "month_name": "with a month name like Jan 5 2024", "other": "not recognisable as dates",
}
DATE_ORDER_WHY = {
    "column": "some dates in this column have a {part} above 12",
    "dotted": "dates written with dots (05.01.2024) are day-first",
    "other_column": "{file}, column “{column}”, has dates that can only be {order_words}",
    "chosen": "you chose it",
    "guess": "nothing in the upload tells; this is a guess",
}
ORDER_WORDS = {"dmy": "day first", "mdy": "month first"}


def date_forms_text(forms: dict, sampled: bool = False) -> str:
    """{'year_first': 120, 'slashed': 30} → '120 like 2024-01-05, 30 like 05/01/2024'."""
    text = ", ".join(f"{n:,} {DATE_FORMS.get(form, form)}" for form, n in forms.items())
    return text + (" (in a sample of the column)" if sampled else "")


def date_order_why(d: dict) -> str:
    """Why a date column's day/month order is what it is (a report's dates[role] entry)."""
    source = d.get("source") or {}
    return DATE_ORDER_WHY.get(d.get("decided_by") or "", "").format(
        part="day" if d.get("order") == "dmy" else "month", file=source.get("file", ""),
        column=source.get("column", ""), order_words=ORDER_WORDS.get(d.get("order") or "", ""))


def date_order_note(role_label_: str, d: dict) -> str | None:
    """The validation note for a date column (report dates[role]) written in more than one form, or whose
    day/month order another file proved; None when there is nothing to say."""
    forms = d.get("forms") or {}
    reads = (f"Dates like 05/01/2024 were read {ORDER_WORDS[d['order']]} ({spelled_date('05/01/2024', d['order'])}): "
             f"{date_order_why(d)}.") if d.get("order") in ORDER_WORDS else ""
    if d.get("mixed") and len(forms) > 1:
        return (f"The {role_label_} column mixes date forms: {date_forms_text(forms, d.get('forms_sampled'))}."
                + (f" {reads}" if forms.keys() & {"slashed", "dotted"} and reads else ""))
    if d.get("decided_by") == "other_column" and reads:
        return f"The {role_label_} column: {reads}"
    return None


DATE_ORDER_QUESTION = "Does {example} mean"
DATE_ORDER_HELP = {
    "column": "Decided from the dates in the file. Switch it if it is wrong.",
    "dotted": "Dates written with dots (05.01.2024) are day-first. Switch it if it is wrong.",
    "other_column": "Decided from the other file of this upload, whose dates can only be read one way.",
    "chosen": "As you chose.",
    "guess": "Every date in this column fits both orders; we picked one. Switch it if it is wrong.",
}
DATE_ORDER_ASK = ("The {role} column (“{column}”) mixes date forms ({forms}), and dates like {example} fit both "
                  "day-first and month-first: nothing in the upload tells which. Choose above how to read them; "
                  "the other forms are read as they are written.")
DATE_ORDER_WAITING = "Answer the question about dates above to see the validation and save the dataset."


def _places(entry: dict) -> list[str]:
    return entry.get("letters") or [str(p) for p in entry["positions"]]


def repeated_header_warning(entry: dict, kind: str) -> str:
    """The warning for a header name given to several columns (a report's repeated_headers entry)."""
    places = _places(entry)
    uses = []
    for place, column in zip(places, entry["columns"]):
        role = (entry.get("roles") or {}).get(column)
        use = f"used as the {role_label(kind, role).lower()}" if role else "kept as an attribute"
        uses.append(f"{place} (shown as “{column}”) is {use}")
    together = " and ".join(places) if len(places) == 2 else ", ".join(places)
    return (f"Columns {together} are {'both' if len(places) == 2 else 'all'} called “{entry['name']}”: "
            + "; ".join(uses) + ". Check the roles above and pick the other column if these are the wrong way round.")


def repeated_header_option(column: str, repeats: list[dict]) -> str:
    """A role dropdown's label for a column: 'date (2) — column F' when its header name repeats."""
    for entry in repeats:
        if column in entry["columns"]:
            place = _places(entry)[entry["columns"].index(column)]
            return f"{column} — column {place}"
    return column


def amounts_in(currency: str | None) -> str:
    """' · amounts in EUR' after a report's subtitle; '' when the dataset has no currency."""
    return f" · amounts in {currency}" if currency else ""


def _quoted(values) -> str:
    return ", ".join(f"“{v}”" for v in values)


def money_notes(money: dict) -> list[str]:
    """What the validation report's "money" entry says (ingest/money.py Money.report): the dataset's
    currency and where it comes from, and what was removed from the amounts to read them."""
    notes = []
    source = {"column": f"from the column “{money.get('currency_column')}”",
              "values": "from the signs written in the amounts"}.get(money.get("source") or "")
    notes.append(f"Currency: {money['currency']} ({source})." if money.get("currency")
                 else "Currency: not stated in the file (figures are shown without one).")
    affix = [a for a in (money.get("prefix"), money.get("suffix")) if a]
    if affix:
        notes.append(f"The {money.get('column')} column writes every amount with {_quoted(affix)}: removed before "
                     "reading the number.")
    elif money.get("stripped"):
        notes.append(f"Removed from the amounts: {_quoted(money['stripped'])}.")
    if money.get("byte_note"):
        notes.append(f"Read as a currency sign: {money['byte_note']}.")
    styles = {"parentheses": "in parentheses (12.50)", "trailing minus": "with a trailing minus 12.50-",
              "minus": "with a minus sign -12.50"}
    if money.get("negatives"):
        notes.append("Negative amounts (refunds) written " + " and ".join(styles[s] for s in money["negatives"]) + ".")
    return notes


def money_warnings(money: dict) -> list[str]:
    """The "money" entry's problems: rows set aside for being in another currency, and a money column
    whose values are mostly not numbers."""
    out = []
    for code, rows in (money.get("set_aside") or {}).items():
        out.append(f"{rows:,} {'row is' if rows == 1 else 'rows are'} in {code}; this dataset is in {money['currency']} "
                   "— they are set aside as rejected rows (never added to the other currency). Upload them as a "
                   "separate dataset.")
    if money.get("other_signs"):
        out.append(f"Amounts written with {_quoted(money['other_signs'])} are in another currency than "
                   f"{money['currency']}: set aside as rejected rows. Upload them as a separate dataset.")
    bad = money.get("unexplained")
    if bad:
        out.append(f"Column “{bad['column']}”: {bad.get('rows', 0):,} rows are not numbers and nothing they have in "
                   f"common explains it, e.g. {_quoted(bad['examples'])}.")
    return out


# ---------------------------------------------------------------- churn drivers (Churn page, Overview card, CLI)

DRIVER_BLANK = "(blank)"
DRIVER_KINDS = {"text": "column of the file", "number": "number, in bins", "first": "at the first purchase",
                "accumulated": "grows while a customer stays"}
DRIVER_EXCLUDED = {"outcome": "restates the outcome (whether, when or why a customer left)",
                   "identifier": "identifier or location detail (one group per customer or place)",
                   "date": "a date (used for cohorts, not as a group)", "one_value": "one value only",
                   "too_many": "too many different values to compare", "blank": "empty"}
DRIVER_VALUE_LABELS = {"value": "Value", "customers": "Customers", "churned": "Churned", "churn_pct": "Churn, %",
                       "ci_low_pct": "95% interval from, %", "ci_high_pct": "to, %",
                       "rest_pct": "Everyone else, %", "diff_pp": "Difference, points",
                       "excess_churned": "Churned customers the difference accounts for",
                       "excess_revenue": "Their revenue", "small": "Few customers (read with care)"}
DRIVER_RANK_LABELS = {"rank": "Rank", "attribute": "Attribute", "kind": "Kind", "values": "Values", "top_value": "Value that churns most",
                      "top_churn_pct": "Its churn, %", "top_diff_pp": "vs everyone else, points",
                      "top_excess_churned": "Extra churned customers", "cramers_v": "Strength (corrected Cramér's V)",
                      "p_adjusted": "p-value (Holm-corrected)", "significant": "Beyond chance"}
DRIVER_ODDS_LABELS = {"attribute": "Attribute", "value": "Value", "reference": "Compared with",
                      "customers": "Customers", "odds_ratio": "Odds ratio", "or_low": "95% interval from",
                      "or_high": "to", "p_value": "p-value"}
DRIVER_TIME_LABELS = {"cohort": "Cohort (year of start)", "value": "Value", "customers": "Customers",
                      "churned": "Churned", "churn_pct": "Churn, %", "rest_pct": "Everyone else, %",
                      "diff_pp": "Difference, points", "small": "Few customers"}


def driver_value(value) -> str:
    """A driver value as shown (a blank cell is '(blank)')."""
    return DRIVER_BLANK if value is None or value != value else str(value)


def driver_definition(how: dict) -> str:
    """What 'churned' means in the drivers view of this dataset (definition() of retention.metrics.drivers)."""
    if how["basis"] == "customers":
        return ("**Churned** = marked churned in the customers file (a cancel date or a churned status); customers "
                "whose churn the file does not state are left out.")
    return (f"**Churned** = lapsed: no purchase in the {how['inactive_days']} days up to {how['as_of']:%Y-%m-%d} "
            f"(the inactivity window), among customers whose first purchase was at least {how['inactive_days']} days "
            "before that date. Change the window above (Purchases basis) to see how the drivers move.")


def driver_sentence(row: dict, customers: int, churned: int, escape=str) -> str:
    """One top driver in plain words (Markdown), from a ranking row (retention.metrics.drivers.attribute_tests);
    `escape` makes the file's names and values inert (widgets.md)."""
    row = row | {"attribute": escape(row["attribute"]), "top_value": escape(driver_value(row["top_value"]))}
    overall = 100 * churned / customers if customers else float("nan")
    direction = "above" if row["top_diff_pp"] >= 0 else "below"
    return (f"**{row['attribute']}**: customers with “{driver_value(row['top_value'])}” churn at "
            f"**{row['top_churn_pct']:.1f}%** ({row['top_customers']:,} customers), {abs(row['top_diff_pp']):.1f} "
            f"points {direction} everyone else (overall {overall:.1f}%); the difference accounts for about "
            f"{max(row['top_excess_churned'], 0):,.0f} churned customers.")


def driver_rule(row: dict, escape=str) -> str:
    """A combination of two attributes in plain words (Markdown; retention.metrics.drivers.rules row); `escape`
    makes the file's names and values inert (widgets.md)."""
    row = row | {k: escape(driver_value(row[k])) for k in ("first", "first_value", "second", "second_value")}
    return (f"{row['first']} “{driver_value(row['first_value'])}” and {row['second']} "
            f"“{driver_value(row['second_value'])}”: **{row['churn_pct']:.1f}%** churn "
            f"({row['churned']:,} of {row['customers']:,} customers; 95% interval {row['ci_low_pct']:.1f}–"
            f"{row['ci_high_pct']:.1f}%).")


def driver_model_note(auc: float, train: int, test: int) -> str:
    """How far to trust the multivariable model."""
    if auc != auc:
        return "Too few customers to check the model on customers it has not seen."
    grade = "weak" if auc < 0.65 else ("fair" if auc < 0.75 else "good")
    return (f"Checked on {test:,} customers the model did not see (fitted on {train:,}): AUC {auc:.2f} ({grade}; 0.5 "
            "is guessing, 1 is perfect). Odds ratios compare a value with the most common value of its attribute, "
            "the other attributes held equal; an interval that does not include 1 is beyond chance. An association, "
            "not proof of cause.")

# ---------------------------------------------------------------- "Did it work?" (pages/impact.py, cli/impact.py)

IMPACT_DESIGNS = {"launch": "Before/after a launch date", "members": "Members against comparable non-members"}
IMPACT_WARNINGS = {
    "not_randomised": "Nobody was assigned at random: anything else that changed around the launch (prices, "
                      "marketing, the product, competitors, the economy) is credited to the programme as well.",
    "too_few_cohorts": "Few cohorts on one side of the launch (fewer than 6 before or 3 after that completed month "
                       "{k}): the trend and the effect rest on little data.",
    "trend_unchecked": "Fewer than 3 cohorts before the launch: the pre-launch trend cannot be fitted, so this is the "
                       "plain before/after difference.",
    "pre_trend": "Cohorts were already changing before the launch ({slope:+.2f} points a month): the effect is "
                 "measured against that trend, not against the plain average before.",
    "seasonality_unchecked": "Less than two years of cohorts before the launch: seasonality is not part of the trend. "
                             "If your customers return more in some months, compare with the same months a year "
                             "earlier below.",
    "launch_month_left_out": "The cohort of the launch month started partly before the launch: it is left out.",
    "selection": "Members chose to join: if they were keener customers in ways the matching does not see, the effect "
                 "is overstated.",
    "join_date_unknown": "The data has no join dates: what customers did in their first month stands in for "
                         "'before joining', and retention is counted from the first purchase.",
    "unmatched_members": "{unmatched:,} members had no comparable non-member (same cohort, purchases and spend) and "
                         "are left out.",
    "few_members": "Fewer than 30 matched members: the interval is wide and the estimate fragile.",
    "members_differed": "Before matching, members differed from non-members on what drives retention anyway (see the "
                        "balance table): the plain comparison ({naive:+.1f} points) would mislead.",
    "still_unbalanced": "Even after matching, members and non-members differ by more than 0.1 standard deviations "
                        "on something in the balance table (matching groups spend in quarters): read the effect "
                        "with care.",
    "no_amounts": "The purchases have no amounts: revenue per customer is not compared.",
}
IMPACT_METHODS = {
    "none": "not measured (no cohorts on one side of the launch)",
    "pooled": "pooled before/after difference of proportions (no trend: fewer than 3 cohorts before the launch)",
    "trend": "against the pre-launch trend: weighted least squares on cohort month, extrapolated; 95% interval "
             "analytic (the trend's prediction error)",
    "trend_seasonal": "against the pre-launch trend: weighted least squares on cohort month with calendar-month terms, "
                      "extrapolated; 95% interval analytic (the trend's prediction error)",
    "cem": "coarsened exact matching on cohort month, first-month purchases (1, 2, 3+) and spend (quartiles); effect "
           "on the members; 95% interval analytic (stratified difference)",
    "cem_segment": "coarsened exact matching on cohort month, first-month purchases (1, 2, 3+), spend (quartiles) and "
                   "segment; effect on the members; 95% interval analytic (stratified difference)",
}
IMPACT_SIDES = {"launch": ("after the launch", "before the launch"), "members": ("members", "matched non-members")}


def impact_sentence(result: dict) -> str:
    """The plain sentence for an impact result (metrics.impact RESULT_KEYS); 'no clear effect' when the interval
    crosses zero, never a number alone."""
    k, n = result["k"], result["treated_customers"] + result["control_customers"]
    effect, low, high = result["effect_pp"], result["ci_low_pp"], result["ci_high_pp"]
    who = "Cohorts after the launch" if result["design"] == "launch" else "Members"
    trend = result["method"] in ("trend", "trend_seasonal")
    against = ("against the pre-launch trend" if trend else "against the cohorts before" if result["design"] == "launch"
               else "against comparable non-members")
    if effect != effect:
        return "There is not enough data on both sides to measure an effect."
    interval = f"95% interval {low:+.1f} to {high:+.1f}; {n:,} customers"
    if not result["clear"]:
        return (f"**No clear effect** on month-{k} retention: {who.lower()} kept between {low:+.1f} and {high:+.1f} "
                f"points of customers {against} (95% interval; {n:,} customers), so the data cannot tell a gain "
                "from a loss or from nothing.")
    verb = "more" if effect > 0 else "fewer"
    if trend:
        against = f"{'above' if effect > 0 else 'below'} the pre-launch trend"
    return (f"{who} kept **{abs(effect):.1f} points {verb}** customers at month {k} ({interval}), {against}.")


def impact_warning(code: str, result: dict) -> str:
    """The words for a warning code, filled in from the result."""
    return IMPACT_WARNINGS[code].format(k=result["k"], slope=result.get("slope_pp", 0.0),
                                        unmatched=result.get("unmatched_members", 0),
                                        naive=result.get("naive_pp", 0.0))


def impact_year_earlier(check: dict | None, k: int) -> str:
    if not check:
        return "The data does not cover the same months a year before the launch, so seasonality cannot be checked."
    return (f"Seasonality check: the {check['cohorts']} post-launch cohorts against the same calendar months a year "
            f"earlier kept {check['pp']:+.1f} points at month {k} (95% interval {check['low_pp']:+.1f} to "
            f"{check['high_pp']:+.1f}); a year of any trend is included in this figure.")


IMPACT_BALANCE_LABELS = {"covariate": "What drives retention anyway", "members": "Members",
                         "others": "All non-members", "smd": "Difference (SMD)",
                         "members_matched": "Matched members", "others_matched": "Matched non-members",
                         "smd_matched": "Difference after matching (SMD)"}
IMPACT_COVARIATES = {"cohort_index": "Cohort (months since 1970)", "first_purchases": "Purchases in the first month",
                     "first_spend": "Spend in the first month"}
IMPACT_WORTH_ROWS = {"effect": "Measured effect", "low": "Low end of the interval", "high": "High end of the interval"}

# ---------------------------------------------------------------- leftovers of #15/#16 (files without a header,
# what-if from tenure, judgement calls made visible)


def headerless_note(names: list[str]) -> str:
    """A file whose first row is data (no header row): what the reader did."""
    shown = f"“{names[0]}” … “{names[-1]}”" if len(names) > 2 else " and ".join(f"“{n}”" for n in names)
    return (f"No header row: the first row holds values like the rows below (numbers and dates where a header would "
            f"have words), so it is read as data and the columns are named {shown}.")


WHATIF_TENURE_TAG = "measured from tenure"


def whatif_from_tenure(measured: dict, period: str) -> str:
    """The What-if page's note when retention comes from tenure (retention.scenarios.tenure.measure's row)."""
    per = "" if period == "month" else f"; per {period}: {100 * measured['retention']:.2f}%"
    revenue = ("Revenue per customer is the active customers' mean monthly charge."
               if measured.get("has_amounts") else "The file has no monthly charges: type your revenue per customer.")
    return (f"**Retention measured from tenure (an estimate).** The file has no dates, so retention per period cannot "
            f"be counted; instead {measured['churned']:,} churned customers over {measured['customer_months']:,.0f} "
            f"customer-months of tenure give a churn of **{100 * measured['churn_month']:.2f}% a month** (95% "
            f"interval {100 * measured['churn_month_low']:.2f}–{100 * measured['churn_month_high']:.2f}%), so "
            f"{100 * (1 - measured['churn_month']):.2f}% stay each month{per}. This assumes every month of a "
            f"customer's tenure carries the same risk of leaving (in most businesses new customers leave more "
            f"often). {revenue} New customers per {period} are not in the file: type your own.")


COUNTABLE_SKIPS = ("not_paid", "not_customer")  # set-aside reasons a person may overrule (refunds stay out)
COUNT_STATUSES_LABEL = {"purchases": "Count these statuses as purchases anyway",
                        "customers": "Count these statuses as customers anyway"}
COUNT_STATUSES_HELP = {
    "purchases": "Unpaid orders (e.g. Shopify “pending” or “authorized”: the card is reserved, no money taken yet) "
                 "are not counted by default. Pick a status to count its orders as purchases, e.g. when you know "
                 "pending orders are always paid later.",
    "customers": "Trials and subscriptions whose first payment was never made (e.g. Stripe “trialing”) are not "
                 "customers yet by default. Pick a status to count them as active customers.",
}
CURRENCY_LABEL = "Currency of this dataset"
CURRENCY_HELP = ("By default the currency with the most revenue. Amounts in different currencies are never added "
                 "together: rows in the other currencies are set aside (downloadable with the rejected rows).")


def counted_statuses_note(statuses: list[str], kind: str) -> str:
    """What the person chose to count that is set aside by default."""
    what = "purchases" if kind == "purchases" else "active customers"
    return f"Counted as {what} at your request: {', '.join(f'“{s}”' for s in statuses)}."


def currency_choice_note(chosen: str, most: str | None) -> str | None:
    """Said when the chosen currency is not the one with the most revenue."""
    if not most or chosen == most:
        return None
    return f"You chose {chosen}; {most} has more revenue in this file and is set aside."

# --- A role no column was recognised as (issue 21): one sentence per missing role, the same words on the upload
# page and in the CLI; only what to do differs (a list to choose from on the page, an option on the command line).
MISSING_ROLE = "File {file!r}: no column was recognised as the {role}; {remedy}."
MISSING_ROLE_REMEDY = {"cli": "name it with {option} {code}=COLUMN", "page": "choose its column in the list “{label}” above"}
MISSING_ROLE_OPTION = {"purchases": "--map", "customers": "--customers-map"}
MISSING_ROLE_COLUMNS = "The file's columns: {columns}."


def missing_roles(filename: str, kind: str, missing: list[str], surface: str, columns: list[str] = ()) -> str:
    """One sentence per role of `kind`'s file that no column was recognised as (`surface` "cli" or "page"),
    then the file's columns when given (the page shows them in its lists)."""
    sentences = [MISSING_ROLE.format(file=filename, role=role_label(kind, role).lower(),
                                     remedy=MISSING_ROLE_REMEDY[surface].format(
                                         option=MISSING_ROLE_OPTION[kind], code=role, label=role_label(kind, role)))
                 for role in missing]
    if columns:
        shown = ", ".join(repr(c) for c in columns[:20]) + (", …" if len(columns) > 20 else "")
        sentences.append(MISSING_ROLE_COLUMNS.format(columns=shown))
    return " ".join(sentences)

# --- Customers page, RFM groups and the buy-till-you-die model (issue #17) -----------------------------------
RFM_GROUPS = {
    "champions": "Champions",
    "loyal_customers": "Loyal customers",
    "potential_loyalists": "Potential loyalists",
    "new_customers": "New customers",
    "promising": "Promising",
    "need_attention": "Need attention",
    "about_to_sleep": "About to sleep",
    "at_risk": "At risk",
    "cant_lose_them": "Can't lose them",
    "hibernating": "Hibernating",
    "lost": "Lost",
}
RFM_GROUP_HELP = {
    "champions": "Bought recently, often, and spent the most.",
    "loyal_customers": "Buy often and spend well; not all of them very recently.",
    "potential_loyalists": "Recent customers with a few purchases: could become loyal.",
    "new_customers": "Bought very recently, for the first time or nearly.",
    "promising": "Fairly recent, but bought little so far.",
    "need_attention": "Middle of the road on recency, frequency and value.",
    "about_to_sleep": "Not very recent and bought little: slipping away.",
    "at_risk": "Bought often or spent well, but not for a long time.",
    "cant_lose_them": "Among the most frequent and valuable, and not seen for a long time.",
    "hibernating": "Long since the last purchase, few purchases, low value.",
    "lost": "The longest since the last purchase, few purchases, low value.",
}
CUSTOMERS_CAPTION = ("Who is still a customer and what they are worth, from the BG/NBD and Gamma-Gamma models "
                     "(Fader, Hardie & Lee), and the RFM groups.")
CUSTOMERS_NO_PURCHASES = ("This page needs a purchases file: a shop never learns that a customer left, so the model "
                          "reads it from when and how often each customer bought. This dataset has {why}. Upload "
                          "purchases (customer, date, amount) on the Upload data page to see who is still a "
                          "customer, what each is worth, and the RFM groups.")
CUSTOMERS_NO_FIT = "The model could not be fitted on this data: {problem}."
P_ALIVE_HELP = ("P(alive): the model's probability that the customer has not left for good, given how often they "
                "bought and how long ago they last bought. A customer who bought once is counted alive until "
                "they buy again or not (the model only learns of a departure from a purchase that does not come), "
                "so one-time buyers keep a high P(alive).")
FIT_REASONS = {
    "fits": "The model fits this data",
    "total": "The model fits badly: its total of repeat purchases in the held-out period is off",
    "by_frequency": "The model fits badly: its predictions per customer group are off",
    "not_converged": "The model fits badly: the fit did not converge",
    "no_holdout_purchases": "The fit cannot be checked: nobody bought again in the held-out period",
}


def fit_verdict(v, calibration_end, holdout_end) -> str:
    """The fit verdict in plain words with its numbers (v: btyd.Verdict)."""
    head = FIT_REASONS.get(v.reason, v.reason)
    numbers = (f"fitted on the purchases up to {calibration_end:%d %b %Y}, it predicted "
               f"{v.total_predicted:,.0f} repeat purchases from then to {holdout_end:%d %b %Y}; there were "
               f"{v.total_actual:,.0f} ({v.total_error:.1%} off, limit 15%). Per group of customers by purchases "
               f"before, its predictions are {v.frequency_error:.1%} off on average (limit 25%).")
    if v.fits:
        return (f"**{head}**: {numbers} Its expected active customers and model churn are shown on the Churn page "
                "next to the inactivity window's figures.")
    return (f"**{head}**: {numbers} Its figures below are shown for reference only: the headline figures (Overview, "
            "Churn page) keep counting a customer as lost after a fixed inactivity window, which needs no model.")


def value_note(horizon_months: int) -> str:
    return (f"Expected value = expected purchases in the next {horizon_months} months × expected value of a purchase "
            "(Gamma-Gamma), revenue before costs (100% margin), discounted at 10% a year.")
WIN_BACK_MODEL_NOTE = ("P(alive) and expected value (next 12 months) come from the BG/NBD model (Customers page); "
                       "value at risk = (1 − P(alive)) × revenue to date: what a customer who is gone took with them.")
MODEL_CHURN_HELP = ("Of the customers expected to be active at the start of a period (Σ P(alive) with what was known "
                    "then), the share no longer expected active at its end (Σ P(alive) of the same customers with "
                    "what was known then), from the BG/NBD model fitted on the data up to the analysis date; pooled "
                    "over the complete periods shown.")


def model_churn_difference(period: str, periods: int) -> str:
    return (f"Why the two differ: the inactivity window counts a customer as lost on a fixed day after their last "
            f"purchase, and as back when they buy again, so customers who buy now and then are lost and back "
            f"many times. The model instead weighs each customer by how likely they still are a customer, from how "
            f"often and how recently they bought: a regular buyer who waited a little longer than usual stays "
            f"likely active. Model figures pooled over the last {periods} complete {period}s; how well the model "
            f"fits this data is on the Customers page.")


def whatif_model_note(margin: float, discount: float, years: float, used: float, assumed: list[str]) -> str:
    """How the what-if page's model figures are computed, naming the inputs still at their assumed defaults."""
    names = {"whatif_margin": f"margin {margin:g}%", "whatif_discount": f"discount rate {discount:g}% a year"}
    text = (f"From the BG/NBD and Gamma-Gamma models fitted on every purchase (Customers page): each customer's "
            f"expected purchases per month × their expected value per purchase × margin {margin:g}%, discounted at "
            f"{discount:g}% a year, over {used:g} years"
            + (" (“whole lives” read as 10 years)" if years <= 0 else "") + ". The retention scenario above is not "
            "applied here: the model already says how likely each customer is to stay.")
    if assumed:
        text += " Assumed, not measured: " + ", ".join(names[k] for k in assumed) + " (edit them above)."
    return text
MODEL_DEGENERATE = ("The data fit best with every customer having the same chance of leaving after each purchase "
                    "({dropout:.1%}), rather than chances that differ between customers: the model's a and b are "
                    "then stand-ins for that one chance, not estimates. P(alive) and expected purchases use that "
                    "limit of the model; read them with care next to the inactivity window on the Churn page.")
OVERVIEW_METHOD_NOTE = ("Method of these figures: the inactivity window, which needs no model. The purchase model's "
                        "view (expected active customers, and whether the model fits this data) is on the Customers "
                        "page, and next to these figures on the Churn page.")

# ---------------------------------------------------------------- languages (retention/i18n.py; README Languages)
LANGUAGE_LABEL = L("Language")
SIDEBAR_NO_DATES = L("no dates")
HEADLINE_ESTIMATED = L("estimated: monthly^12")
CUSTOMERS_BEHIND = L("Customers behind it: {n}.")


def count_of(what: str, n: int) -> str:
    """'1,234 customers' with the language's plural form and digit grouping; what: customers | orders | purchases."""
    forms = {"customers": ngettext("{n} customer", "{n} customers", n),
             "orders": ngettext("{n} order", "{n} orders", n),
             "purchases": ngettext("{n} purchase", "{n} purchases", n)}
    return forms[what].format(n=fmt.number(n))


def days(n: int) -> str:
    """'7 days', '7 dni', '7 дней' …"""
    return ngettext("{n} day", "{n} days", n).format(n=fmt.number(n))


# ---------------------------------------------------------------- churn drivers: values the model could not fit
DRIVER_MODEL_STATUS = {"separated": "everyone or no one with it churned, so its odds ratio is infinite or zero "
                                    "(those customers were set aside for the others' odds ratios)",
                       "collinear": "it says the same as other attributes in the model",
                       "unstable": "too few customers in some combination with other attributes for a stable "
                                   "estimate"}


def driver_model_flags(odds, fallback: str | None, value=str) -> str | None:
    """One sentence per reason naming the values of drivers.model()['odds'] without an odds ratio (status not
    'ok'), and a note when the fit did not converge; None when there is nothing to say."""
    parts = []
    for status, why in DRIVER_MODEL_STATUS.items():
        names = [f"{r.attribute}: {value(r.value)}" for r in odds.itertuples() if r.status == status]
        if names:
            parts.append(f"No odds ratio for {', '.join(names)}: {why}.")
    if fallback == "not_converged":
        parts.append("The model did not settle on a best fit; read its odds ratios as rough.")
    return " ".join(parts) or None

# ---------------------------------------------------------------- bounded loads (ingest/budget.py; issue 16.6)
# Fragment: the file name goes in front (IngestError).
LOAD_TOO_LONG = ("checking and loading it took longer than the limit of {seconds:,.0f} seconds and was stopped; "
                 "split the file into smaller ones")
