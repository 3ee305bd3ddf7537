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


# The sidebar's link to the view in sight (ui.show_share_link).
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
