"""User-facing words (kept in one place for translation): this module holds the words several pages share;
one module per page holds that page's own (churn, cohorts, customers, overview, whatif, benchmarks, data, impact,
drivers). The word modules import only fmt and i18n, so any module may use them.

Translatable constants are lazy strings, L("…") (retention/i18n.py): written in English here, translated
wherever they are used; functions use _() and ngettext() (the catalogs are in locale/, see README Languages)."""

import datetime as dt

from babel import dates as bdates

from retention import fmt, i18n
from retention.ui_text.whatif import PER, PERIOD_NAMES as _PERIOD_NAMES
from retention.i18n import L, _, ngettext

ROLE_LABELS = {
    "customer": L("Customer id"),
    "date": L("Purchase date"),
    "amount": L("Amount"),
    "quantity": L("Quantity"),
    "unit_price": L("Unit price"),
    "order": L("Order id"),
    "signup": L("Signup date"),
    "churn_date": L("Cancel / churn date"),
    "churn_reason": L("Churn reason"),
    "status": L("Status (active / churned)"),
    "currency": L("Currency"),
    "tenure": L("Tenure (periods)"),
}
# Roles whose label differs by file.
ROLE_LABELS_BY_KIND = {("purchases", "status"): L("Payment status")}

SKIPPED_REASONS = {
    "total_row": L("totals row at the end of the table (not a customer)"),
    "order_continuation": L("extra line of an order already counted (one amount per order)"),
    "not_paid": L("not a purchase (unpaid, failed, cancelled, awaiting payment, or a deal not won)"),
    "refunded": L("refunded in full (the money went back)"),
    "merged_customer": L("another row of a customer listed earlier (merged into one customer)"),
    "not_customer": L("not a customer yet (a trial, a lead, or a first payment never made)"),
    "duplicate_line": L("line identical to an earlier line of the same order (merged: counted once)"),
}
# The rule for identical rows, shown on the upload page and written in the README (Definitions).
DUPLICATES_RULE = (L("**Identical rows.** Two rows of a purchases file that are equal in every cell are both kept when "
                   "the file has no order id column (two identical purchases — same customer, day and amount — are "
                   "usually two purchases); they are reported as possible duplicates, with their revenue and a list "
                   "to download. When an order id column is mapped, a line identical to an earlier line of the same "
                   "order is taken as an export artefact and merged (counted once); the validation says how many "
                   "lines and how much revenue were merged. In a customers file an identical row is rejected."))

# Why a file cannot be saved: nothing in it would count a customer (ingest/usable.py). Fragments: the file
# name goes in front (IngestError), the advice after (the page's hint below, the CLI's own).
NOTHING_USABLE = {
    "empty_customer": L("the customer column {column!r} is empty: none of the {rows:,} rows has a customer id, "
                      "so no customer can be counted"),
    "every_rejected": L("every {role} in column {column!r} was rejected ({part}), so no customer can be counted"),
    "no_row": L("none of the {rows:,} rows can be used, so no customer can be counted: {parts}"),
    "rejected_part": L("{reasons}, {rows:,} in all, e.g. {examples}"),
    "in_column": L("column {column!r}"),
    "whole_row": L("whole row"),
    "rows_word": L("rows "),
    "or": L(" or "),
    "value": L("value"),
    "all_skipped": L("none of the {rows:,} rows is a purchase ({skipped}), so no customer can be counted"),
    "all_future": L("every date in column {column!r} is after today ({today}): the {rows:,} purchases run from "
                  "{first} to {last}, so no customer can be counted yet (check the date column and its day/month "
                  "order)"),
    "no_positive": L("no purchase has a positive amount in column {column!r} on or before today ({today}), so no "
                   "customer can be counted (of {rows:,} rows: below 0 (refunds) {refunds:,}, equal to 0 {zero:,}, "
                   "dated after today {future:,})"),
}
NOTHING_USABLE_HINT = (L("Nothing can be saved from this file. Choose another column for the role above, or download "
                       "the rejected rows below to see what is wrong with them."))
NOTHING_USABLE_CLI_HINT = ("nothing was saved; choose another column with --map ROLE=COLUMN (--customers-map for "
                           "the customers file), or see what was rejected with 'python -m retention inspect FILE'")

REJECT_REASONS = {
    "missing_customer": L("no customer id"),
    "missing_date": L("no date"),
    "bad_date": L("date not understood"),
    "missing_amount": L("no amount"),
    "bad_amount": L("amount is not a number"),
    "bad_quantity": L("quantity is not a number"),
    "bad_unit_price": L("unit price is not a number"),
    "duplicate_row": L("exact duplicate of an earlier row"),
    "other_currency": L("in another currency than the dataset's — upload them as a separate dataset"),
    "bad_signup": L("signup date not understood"),
    "bad_churn_date": L("churn date not understood"),
    "bad_tenure": L("tenure is not a whole number ≥ 0"),
    "duplicate_customer": L("customer id already listed earlier"),
}

KIND_LABELS = {"purchases": L("Purchases"), "customers": L("Customers")}

DATA_MODEL_HELP = L("""
**Purchases file** — one row per purchase (or per order line): a customer id, a date, and an amount
(or a quantity and a unit price, multiplied). Other columns (channel, product, country …) are kept
and can be used as segments; a customer's segment is the value on their first purchase.
Negative amounts are refunds: kept, but not counted as activity.

**Customers file** (optional) — one row per customer: id, and any of signup date, cancel date,
churn reason, status (active/churned), tenure, and attributes such as plan or channel.
""")


def skipped_note(entry: dict, limit: int = 8, revenue: str = "") -> str:
    """One line per reason rows were set aside (report['skipped'] entry), with the count of each status
    value when the status decided: '87 rows not counted — not a purchase (…): 52 cancelled, 35 pending; e.g. rows 4, 9.'"""
    reason = SKIPPED_REASONS.get(entry["reason"], entry["reason"])
    examples = ", ".join(map(str, entry["examples"]))
    statuses = entry.get("statuses") or []
    if not statuses:
        return ngettext("{n} row set aside: {reason}{revenue}; e.g. rows {examples}.",
                        "{n} rows set aside: {reason}{revenue}; e.g. rows {examples}.", entry["rows"]).format(
            n=fmt.number(entry["rows"]), reason=reason, revenue=revenue, examples=examples)
    parts = [f"{fmt.number(s['rows'])} {s['status']}" for s in statuses[:limit]]
    if len(statuses) > limit:
        others = len(statuses) - limit
        parts.append(ngettext("{rows} with {n} other status", "{rows} with {n} other statuses", others).format(
            rows=fmt.number(sum(s["rows"] for s in statuses[limit:])), n=others))
    return ngettext("{n} row not counted — {reason}: {parts}{revenue}; e.g. rows {examples}.",
                    "{n} rows not counted — {reason}: {parts}{revenue}; e.g. rows {examples}.", entry["rows"]).format(
        n=fmt.number(entry["rows"]), reason=reason, parts=", ".join(parts), revenue=revenue, examples=examples)


LEFT_OUT_REASONS = {
    "outcome": L("they restate the outcome — whether, when or why a customer left, or a status"),
    "money": L("money per order or period, not a group"),
}


def segments_left_out_note(left_out: dict[str, str]) -> str:
    """One line: which columns are never offered as segments, and why (column → 'outcome' | 'money')."""
    parts = []
    for reason, why in LEFT_OUT_REASONS.items():
        columns = [c for c, r in left_out.items() if r == reason]
        if columns:
            parts.append(f"{', '.join(columns)} ({why})")
    return _("Not offered as segments: {parts}.").format(parts="; ".join(parts)) if parts else ""


def reject_reason(code: str) -> str:
    return str(REJECT_REASONS.get(code, code.replace("_", " ")))


def role_label(kind: str, role: str) -> str:
    return str(ROLE_LABELS_BY_KIND.get((kind, role), ROLE_LABELS[role]))

# The engine source (retention/engines): its name in the dataset picker, and the caption under each page.
ENGINE_KINDS = {"duckdb": "Parquet", "motherduck": L("MotherDuck (not tested)"), "spark-connect": "Spark",
                "spark-local": L("Spark (local)")}
ENGINE_FAILED_TITLE = L("The engine cannot be used")
ENGINE_FAILED = L("The dashboard is set up to read from an engine, but it cannot be used right now: {problem}. "
                  "Pick the demo or your own data in the sidebar, or ask whoever runs this dashboard to check the "
                  "[engine] settings.")
# Spinners while a first use waits (retention/ui/connections.py): worded when shown, in the reader's language.
CONNECTING_ENGINE = L("Connecting to the engine (first use only)…")
PREPARING_DEMO = L("Preparing the demo dataset (first start only)…")
ENGINE_SETTING_PROBLEM = L("The engine setting is not valid, so it is not offered: {problem}")


# The demo's name is stored in English (store.ensure_demo writes it once per data directory); shown translated.
DEMO_NAME = L("Demo shop (generated)")


def engine_dataset_name(kind: str, tables: list[str]) -> str:
    """The engine source in the dataset picker: its kind and the configured tables ('Spark: shop.orders, …')."""
    short = [t.rstrip("/").split("/")[-1] if "/" in t else t for t in tables]
    return _("{engine}: {tables} (read-only)").format(engine=ENGINE_KINDS.get(kind, kind), tables=", ".join(short))


def _seconds(value: float) -> str:
    return _("{seconds} s").format(seconds=fmt.number(value, 2 if value < 0.1 else 1))


def engine_timing(engine: str, computed: int, cached: int, seconds: float, cached_seconds: float) -> str:
    """'Computed on Spark 4.0.5 (Spark Connect) in 1.8 s', or how much came from the cache."""
    if not computed:
        return _("From the cache (computed earlier on {engine} in {seconds}).").format(
            engine=engine, seconds=_seconds(cached_seconds))
    if cached:
        return _("Computed on {engine} in {seconds} ({cached} of {total} results from the cache).").format(
            engine=engine, seconds=_seconds(seconds), cached=fmt.number(cached), total=fmt.number(computed + cached))
    return _("Computed on {engine} in {seconds}.").format(engine=engine, seconds=_seconds(seconds))


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
                                 "complete month (every earlier month too when those cohorts hold fewer than 30 "
                                 "customers), the share who bought again in the next calendar month (pooled).")),
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
    """'05/01/2024' read as `order` → '5 January' (dmy) or 'May 1' (mdy); the value itself when unreadable.
    Other languages name the day as they write it ('5 stycznia', '1月5日'), the order shown by the day chosen."""
    parts = value.replace(".", "/").replace("-", "/").split("/")
    try:
        first, second = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        return value
    day, month = (first, second) if order == "dmy" else (second, first)
    if not 1 <= month <= 12:
        return value
    if i18n.language() != i18n.DEFAULT:
        try:
            return bdates.format_skeleton("MMMMd", dt.date(2000, month, day), locale=i18n.cldr_locale())
        except ValueError:
            return value
    return f"{day} {MONTHS[month - 1]}" if order == "dmy" else f"{MONTHS[month - 1]} {day}"


DATE_FORMS = {
    "year_first": L("like 2024-01-05"), "slashed": L("like 05/01/2024"), "dotted": L("like 05.01.2024"),
    "yyyymmdd": L("like 20240105"), "excel_serial": L("Excel day numbers like 45296"),
    "month_name": L("with a month name like Jan 5 2024"), "other": L("not recognisable as dates"),
}
DATE_ORDER_WHY = {
    "column": L("some dates in this column have a {part} above 12"),
    "dotted": L("dates written with dots (05.01.2024) are day-first"),
    "other_column": L("{file}, column “{column}”, has dates that can only be {order_words}"),
    "chosen": L("you chose it"),
    "guess": L("nothing in the upload tells; this is a guess"),
}
ORDER_WORDS = {"dmy": L("day first"), "mdy": L("month first")}


def date_forms_text(forms: dict, sampled: bool = False) -> str:
    """{'year_first': 120, 'slashed': 30} → '120 like 2024-01-05, 30 like 05/01/2024'."""
    text = ", ".join(f"{fmt.number(n)} {DATE_FORMS.get(form, form)}" for form, n in forms.items())
    return text + (_(" (in a sample of the column)") if sampled else "")


def date_order_why(d: dict) -> str:
    """Why a date column's day/month order is what it is (a report's dates[role] entry)."""
    source = d.get("source") or {}
    return str(DATE_ORDER_WHY.get(d.get("decided_by") or "", "")).format(
        part=_("day") if d.get("order") == "dmy" else _("month"), file=source.get("file", ""),
        column=source.get("column", ""), order_words=ORDER_WORDS.get(d.get("order") or "", ""))


def date_order_note(role_label_: str, d: dict) -> str | None:
    """The validation note for a date column (report dates[role]) written in more than one form, or whose
    day/month order another file proved; None when there is nothing to say."""
    forms = d.get("forms") or {}
    reads = _("Dates like 05/01/2024 were read {order} ({spelled}): {why}.").format(
        order=ORDER_WORDS[d["order"]], spelled=spelled_date("05/01/2024", d["order"]),
        why=date_order_why(d)) if d.get("order") in ORDER_WORDS else ""
    if d.get("mixed") and len(forms) > 1:
        return (_("The {role} column mixes date forms: {forms}.").format(
            role=role_label_, forms=date_forms_text(forms, d.get("forms_sampled")))
            + (f" {reads}" if forms.keys() & {"slashed", "dotted"} and reads else ""))
    if d.get("decided_by") == "other_column" and reads:
        return _("The {role} column: {reads}").format(role=role_label_, reads=reads)
    return None


DATE_ORDER_QUESTION = L("Does {example} mean")
DATE_ORDER_HELP = {
    "column": L("Decided from the dates in the file. Switch it if it is wrong."),
    "dotted": L("Dates written with dots (05.01.2024) are day-first. Switch it if it is wrong."),
    "other_column": L("Decided from the other file of this upload, whose dates can only be read one way."),
    "chosen": L("As you chose."),
    "guess": L("Every date in this column fits both orders; we picked one. Switch it if it is wrong."),
}
DATE_ORDER_ASK = (L("The {role} column (“{column}”) mixes date forms ({forms}), and dates like {example} fit both "
                  "day-first and month-first: nothing in the upload tells which. Choose above how to read them; "
                  "the other forms are read as they are written."))
DATE_ORDER_WAITING = L("Answer the question about dates above to see the validation and save the dataset.")


def _places(entry: dict) -> list[str]:
    return entry.get("letters") or [str(p) for p in entry["positions"]]


def repeated_header_warning(entry: dict, kind: str) -> str:
    """The warning for a header name given to several columns (a report's repeated_headers entry)."""
    places = _places(entry)
    uses = []
    for place, column in zip(places, entry["columns"]):
        role = (entry.get("roles") or {}).get(column)
        uses.append((_("{place} (shown as “{column}”) is used as the {role}") if role else
                     _("{place} (shown as “{column}”) is kept as an attribute")).format(
            place=place, column=column, role=role_label(kind, role).lower() if role else ""))
    if len(places) == 2:
        head = _("Columns {first} and {second} are both called “{name}”: ").format(
            first=places[0], second=places[1], name=entry["name"])
    else:
        head = _("Columns {columns} are all called “{name}”: ").format(columns=", ".join(places), name=entry["name"])
    return (head + "; ".join(uses) + ". "
            + _("Check the roles above and pick the other column if these are the wrong way round."))


def repeated_header_option(column: str, repeats: list[dict]) -> str:
    """A role dropdown's label for a column: 'date (2) — column F' when its header name repeats."""
    for entry in repeats:
        if column in entry["columns"]:
            place = _places(entry)[entry["columns"].index(column)]
            return _("{column} — column {place}").format(column=column, place=place)
    return str(column)


def amounts_in(currency: str | None) -> str:
    """' · amounts in EUR' after a report's subtitle; '' when the dataset has no currency."""
    return " · " + _("amounts in {currency}").format(currency=currency) if currency else ""


def _quoted(values) -> str:
    return ", ".join(f"“{v}”" for v in values)


def money_notes(money: dict) -> list[str]:
    """What the validation report's "money" entry says (ingest/money.py Money.report): the dataset's
    currency and where it comes from, and what was removed from the amounts to read them."""
    notes = []
    source = {"column": _("from the column “{column}”").format(column=money.get("currency_column")),
              "values": _("from the signs written in the amounts")}.get(money.get("source") or "")
    notes.append(_("Currency: {currency} ({source}).").format(currency=money["currency"], source=source)
                 if money.get("currency") else _("Currency: not stated in the file (figures are shown without one)."))
    affix = [a for a in (money.get("prefix"), money.get("suffix")) if a]
    if affix:
        notes.append(_("The {column} column writes every amount with {affix}: removed before reading the "
                       "number.").format(column=money.get("column"), affix=_quoted(affix)))
    elif money.get("stripped"):
        notes.append(_("Removed from the amounts: {signs}.").format(signs=_quoted(money["stripped"])))
    if money.get("byte_note"):
        notes.append(_("Read as a currency sign: {note}.").format(note=money["byte_note"]))
    styles = {"parentheses": _("in parentheses (12.50)"), "trailing minus": _("with a trailing minus 12.50-"),
              "minus": _("with a minus sign -12.50")}
    if money.get("negatives"):
        notes.append(_("Negative amounts (refunds) written {styles}.").format(
            styles=_(" and ").join(styles[s] for s in money["negatives"])))
    return notes


def money_warnings(money: dict) -> list[str]:
    """The "money" entry's problems: rows set aside for being in another currency, and a money column
    whose values are mostly not numbers."""
    out = []
    for code, rows in (money.get("set_aside") or {}).items():
        out.append(ngettext("{n} row is in {code}; this dataset is in {currency} — they are set aside as rejected "
                            "rows (never added to the other currency). Upload them as a separate dataset.",
                            "{n} rows are in {code}; this dataset is in {currency} — they are set aside as rejected "
                            "rows (never added to the other currency). Upload them as a separate dataset.",
                            rows).format(n=fmt.number(rows), code=code, currency=money["currency"]))
    if money.get("other_signs"):
        out.append(_("Amounts written with {signs} are in another currency than {currency}: set aside as rejected "
                     "rows. Upload them as a separate dataset.").format(signs=_quoted(money["other_signs"]),
                                                                       currency=money["currency"]))
    bad = money.get("unexplained")
    if bad:
        out.append(ngettext("Column “{column}”: {n} row is not a number and nothing they have in common explains "
                            "it, e.g. {examples}.",
                            "Column “{column}”: {n} rows are not numbers and nothing they have in common explains "
                            "it, e.g. {examples}.", bad.get("rows", 0)).format(
            column=bad["column"], n=fmt.number(bad.get("rows", 0)), examples=_quoted(bad["examples"])))
    return out


# ---------------------------------------------------------------- leftovers of #15/#16 (files without a header,
# what-if from tenure, judgement calls made visible)


def headerless_note(names: list[str]) -> str:
    """A file whose first row is data (no header row): what the reader did."""
    shown = (f"“{names[0]}” … “{names[-1]}”" if len(names) > 2 else
             _(" and ").join(f"“{n}”" for n in names))
    return _("No header row: the first row holds values like the rows below (numbers and dates where a header would "
             "have words), so it is read as data and the columns are named {names}.").format(names=shown)


WHATIF_TENURE_TAG = L("measured from tenure")


def whatif_from_tenure(measured: dict, period: str) -> str:
    """The What-if page's note when retention comes from tenure (retention.scenarios.tenure.measure's row)."""
    from retention.ui_text.whatif import PER

    per = "" if period == "month" else "; " + _("{per}: {pct}").format(
        per=PER[period], pct=fmt.percent(100 * measured["retention"], 2))
    revenue = (_("Revenue per customer is the active customers' mean monthly charge.") if measured.get("has_amounts")
               else _("The file has no monthly charges: type your revenue per customer."))
    return _("**Retention measured from tenure (an estimate).** The file has no dates, so retention per period cannot "
             "be counted; instead {churned} churned customers over {months} customer-months of tenure give a churn "
             "of **{churn} a month** (95% CI {low}–{high}), so {stay} stay each month{per}. This assumes every month "
             "of a customer's tenure carries the same risk of leaving (in most businesses new customers leave more "
             "often). {revenue} New customers {per_period} are not in the file: type your own.").format(
        churned=fmt.number(measured["churned"]), months=fmt.number(measured["customer_months"]),
        churn=fmt.percent(100 * measured["churn_month"], 2), low=fmt.number(100 * measured["churn_month_low"], 2),
        high=fmt.percent(100 * measured["churn_month_high"], 2),
        stay=fmt.percent(100 * (1 - measured["churn_month"]), 2), per=per, revenue=revenue, per_period=PER[period])


COUNTABLE_SKIPS = ("not_paid", "not_customer")  # set-aside reasons a person may overrule (refunds stay out)
COUNT_STATUSES_LABEL = {"purchases": L("Count these statuses as purchases anyway"),
                        "customers": L("Count these statuses as customers anyway")}
COUNT_STATUSES_HELP = {
    "purchases": L("Unpaid orders (e.g. Shopify “pending” or “authorized”: the card is reserved, no money taken yet) "
                 "are not counted by default. Pick a status to count its orders as purchases, e.g. when you know "
                 "pending orders are always paid later."),
    "customers": L("Trials and subscriptions whose first payment was never made (e.g. Stripe “trialing”) are not "
                 "customers yet by default. Pick a status to count them as active customers."),
}
CURRENCY_LABEL = L("Currency of this dataset")
CURRENCY_HELP = (L("By default the currency with the most revenue. Amounts in different currencies are never added "
                 "together: rows in the other currencies are set aside (downloadable with the rejected rows)."))


def counted_statuses_note(statuses: list[str], kind: str) -> str:
    """What the person chose to count that is set aside by default."""
    quoted = ", ".join(f"“{s}”" for s in statuses)
    if kind == "purchases":
        return _("Counted as purchases at your request: {statuses}.").format(statuses=quoted)
    return _("Counted as active customers at your request: {statuses}.").format(statuses=quoted)


def currency_choice_note(chosen: str, most: str | None) -> str | None:
    """Said when the chosen currency is not the one with the most revenue."""
    if not most or chosen == most:
        return None
    return _("You chose {chosen}; {most} has more revenue in this file and is set aside.").format(chosen=chosen,
                                                                                                 most=most)

# --- A role no column was recognised as (issue 21): one sentence per missing role, the same words on the upload
# page and in the CLI; only what to do differs (a list to choose from on the page, an option on the command line).
MISSING_ROLE = L("File {file!r}: no column was recognised as the {role}; {remedy}.")
MISSING_ROLE_REMEDY = {"cli": L("name it with {option} {code}=COLUMN"), "page": L("choose its column in the list “{label}” above")}
MISSING_ROLE_OPTION = {"purchases": "--map", "customers": "--customers-map"}
MISSING_ROLE_COLUMNS = L("The file's columns: {columns}.")


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
RFM_GROUP_NAMES = {  # shown (translated); RFM_GROUPS: the same names in English, stored as segment values
    "champions": L("Champions"),
    "loyal_customers": L("Loyal customers"),
    "potential_loyalists": L("Potential loyalists"),
    "new_customers": L("New customers"),
    "promising": L("Promising"),
    "need_attention": L("Need attention"),
    "about_to_sleep": L("About to sleep"),
    "at_risk": L("At risk"),
    "cant_lose_them": L("Can't lose them"),
    "hibernating": L("Hibernating"),
    "lost": L("Lost"),
}
RFM_GROUPS = {k: v.source for k, v in RFM_GROUP_NAMES.items()}
_RFM_NAME_OF_STORED = {RFM_GROUPS[k]: v for k, v in RFM_GROUP_NAMES.items()}  # stored English → shown
RFM_GROUP_HELP = {
    "champions": L("Bought recently, often, and spent the most."),
    "loyal_customers": L("Buy often and spend well; not all of them very recently."),
    "potential_loyalists": L("Recent customers with a few purchases: could become loyal."),
    "new_customers": L("Bought very recently, for the first time or nearly."),
    "promising": L("Fairly recent, but bought little so far."),
    "need_attention": L("Middle of the road on recency, frequency and value."),
    "about_to_sleep": L("Not very recent and bought little: slipping away."),
    "at_risk": L("Bought often or spent well, but not for a long time."),
    "cant_lose_them": L("Among the most frequent and valuable, and not seen for a long time."),
    "hibernating": L("Long since the last purchase, few purchases, low value."),
    "lost": L("The longest since the last purchase, few purchases, low value."),
}
CUSTOMERS_CAPTION = L("Who is still a customer and what they are worth, from the BG/NBD and Gamma-Gamma models "
                      "(Fader, Hardie & Lee), and the RFM groups.")
CUSTOMERS_NO_PURCHASES = L("This page needs a purchases file: a shop never learns that a customer left, so the model "
                           "reads it from when and how often each customer bought. This dataset has {why}. Upload "
                           "purchases (customer, date, amount) on the Upload data page to see who is still a "
                           "customer, what each is worth, and the RFM groups.")
CUSTOMERS_NO_FIT = L("The model could not be fitted on this data: {problem}.")
P_ALIVE_HELP = L("P(alive): the model's probability that the customer has not left for good, given how often they "
                 "bought and how long ago they last bought. A customer who bought once is counted alive until "
                 "they buy again or not (the model only learns of a departure from a purchase that does not come), "
                 "so one-time buyers keep a high P(alive).")
FIT_REASONS = {
    "fits": L("The model fits this data"),
    "total": L("The model fits badly: its total of repeat purchases in the held-out period is off"),
    "by_frequency": L("The model fits badly: its predictions per customer group are off"),
    "not_converged": L("The model fits badly: the fit did not converge"),
    "no_holdout_purchases": L("The fit cannot be checked: nobody bought again in the held-out period"),
}


def fit_verdict(v, calibration_end, holdout_end) -> str:
    """The fit verdict in plain words with its numbers (v: btyd.Verdict)."""
    head = FIT_REASONS.get(v.reason, v.reason)
    numbers = _("fitted on the purchases up to {calibration}, it predicted {predicted} repeat purchases from then to "
                "{holdout}; there were {actual} ({error} off, limit 15%). Per group of customers by purchases "
                "before, its predictions are {group_error} off on average (limit 25%).").format(
        calibration=fmt.date(calibration_end), holdout=fmt.date(holdout_end),
        predicted=fmt.number(v.total_predicted), actual=fmt.number(v.total_actual),
        error=fmt.percent(100 * v.total_error, 1), group_error=fmt.percent(100 * v.frequency_error, 1))
    if v.fits:
        return _("**{head}**: {numbers} So the Overview's headline uses its expected active customers and model "
                 "churn, and the Churn page shows them next to the inactivity window's figures.").format(
            head=head, numbers=numbers)
    return _("**{head}**: {numbers} Its figures below are shown for reference only: the headline figures (Overview, "
             "Churn page) keep counting a customer as lost after a fixed inactivity window, which needs no "
             "model.").format(head=head, numbers=numbers)


def value_note(horizon_months: int) -> str:
    return _("Expected value = expected purchases in the next {horizon} months × expected value of a purchase "
             "(Gamma-Gamma), revenue before costs (100% margin), discounted at 10% a year.").format(
        horizon=horizon_months)


WIN_BACK_MODEL_NOTE = (L("P(alive) and expected value (next 12 months) come from the BG/NBD model (Customers page); "
                       "value at risk = (1 − P(alive)) × revenue to date: what a customer who is gone took with them."))
MODEL_CHURN_HELP = (L("Of the customers expected to be active at the start of a period (Σ P(alive) with what was known "
                    "then), the share no longer expected active at its end (Σ P(alive) of the same customers with "
                    "what was known then), from the BG/NBD model fitted on the data up to the analysis date; pooled "
                    "over the complete periods shown."))


def model_churn_difference(period: str, periods: int) -> str:
    return _("Why the two differ: the inactivity window counts a customer as lost on a fixed day after their last "
             "purchase, and as back when they buy again, so customers who buy now and then are lost and back "
             "many times. The model instead weighs each customer by how likely they still are a customer, from how "
             "often and how recently they bought: a regular buyer who waited a little longer than usual stays "
             "likely active. Model figures pooled over the last {periods}; how well the model fits this data is on "
             "the Customers page.").format(periods=complete_periods(periods, period))


def whatif_model_note(margin: float, discount: float, years: float, used: float, assumed: list[str]) -> str:
    """How the what-if page's model figures are computed, naming the inputs (fields of state.WhatIf: margin,
    discount) still at their assumed defaults."""
    names = {"margin": _("margin {pct}").format(pct=f"{margin:g}%"),
             "discount": _("discount rate {pct} a year").format(pct=f"{discount:g}%")}
    text = _("From the BG/NBD and Gamma-Gamma models fitted on every purchase (Customers page): each customer's "
             "expected purchases per month × their expected value per purchase × margin {margin}, discounted at "
             "{discount} a year, over {years} years").format(margin=f"{margin:g}%", discount=f"{discount:g}%",
                                                             years=f"{used:g}")
    text += (" " + _("(“whole lives” read as 10 years)") if years <= 0 else "") + _(".") + " " + _(
        "These are today's values; the retention scenario above is applied below, in the model's terms.")
    if assumed:
        text += " " + _("Assumed, not measured: {names} (edit them above).").format(
            names=", ".join(names[k] for k in assumed))
    return text
MODEL_DEGENERATE = L("The data fit best with every customer having the same chance of leaving after each purchase "
                    "({dropout:.1%}), rather than chances that differ between customers: the model's a and b are "
                    "then stand-ins for that one chance, not estimates. P(alive) and expected purchases use that "
                    "limit of the model; read them with care next to the inactivity window on the Churn page.")
OVERVIEW_METHOD_NOTE = L("Method of these figures: the inactivity window, which needs no model. The purchase model's "
                         "view (expected active customers, and whether the model fits this data) is on the Customers "
                         "page, and next to these figures on the Churn page.")
# The Overview's first draw on a shop with purchases only, before the purchase model's fits (pages/overview.py)
MODEL_PENDING_NOTE = L("The purchase model (BG/NBD) is being fitted to these customers; if it passes its check, its "
                       "figures take the lead here when it is done.")
MODEL_FITTING = L("Fitting the purchase model…")

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


# ---------------------------------------------------------------- Churn and upload pages (issue 19: translated)
# The period words the What-if page already keeps (one place for them): "Month", "per month".
PERIOD_NAMES = _PERIOD_NAMES
PER_PERIOD = PER


def complete_periods(n: int, period: str) -> str:
    """'12 complete months' with the language's plural form; period: week | month | quarter | year."""
    forms = {"week": ngettext("{n} complete week", "{n} complete weeks", n),
             "month": ngettext("{n} complete month", "{n} complete months", n),
             "quarter": ngettext("{n} complete quarter", "{n} complete quarters", n),
             "year": ngettext("{n} complete year", "{n} complete years", n)}
    return forms[period].format(n=fmt.number(n))


def texts(labels: dict) -> dict:
    """A dict of lazy strings (L) as plain strings in the current language (column labels, chart labels)."""
    return {key: str(value) for key, value in labels.items()}


# The reason labels the app itself adds to the file's reasons (retention/metrics/reasons.py NO_REASON, OTHER):
# the data keeps the English label (queries, links, filters); only what is shown is translated.
REASON_LABELS = {"(no reason given)": L("(no reason given)"), "Other": L("Other")}


def reason_label(reason: object) -> str:
    """A churn reason as shown: the app's own labels translated, the file's reasons as written."""
    return str(REASON_LABELS.get(reason, reason)) if isinstance(reason, str) else reason


def flag_note(entry: dict, revenue: str = "") -> str:
    """A report['flags'] entry as the validation says it: '3 refunds: negative amounts (kept; …); e.g. rows 4, 9.'"""
    n, examples = entry["rows"], ", ".join(map(str, entry["examples"]))
    if entry["flag"] == "future_date":
        text = ngettext("{n} row dated after today (kept — check it){revenue}; e.g. rows {examples}.",
                        "{n} rows dated after today (kept — check them){revenue}; e.g. rows {examples}.", n)
    elif entry["flag"] == "refund":
        text = ngettext("{n} refund: a negative amount (kept; not counted as activity){revenue}; e.g. rows {examples}.",
                        "{n} refunds: negative amounts (kept; not counted as activity){revenue}; e.g. rows {examples}.",
                        n)
    elif entry["flag"] == "possible_duplicate":
        text = ngettext("{n} possible duplicate: identical to an earlier row in every cell (kept as a separate "
                        "purchase, since there is no order id to tell them apart — check it){revenue}; e.g. rows "
                        "{examples}.",
                        "{n} possible duplicates: identical to an earlier row in every cell (kept as separate "
                        "purchases, since there is no order id to tell them apart — check them){revenue}; e.g. rows "
                        "{examples}.", n)
    else:
        text = "{n} " + entry["flag"] + "{revenue}; " + _("e.g. rows {examples}.")
    return text.format(n=fmt.number(n), revenue=revenue, examples=examples)


def read_as(info: dict, export: str | None, escape=str) -> str:
    """How a file was read, under its preview: 'Read as CSV, UTF-8, delimiter ';', header on row 1 · recognised: …'."""
    formats = {"text": _("text")}
    how = [formats.get(info.get("format"), info.get("format")), info.get("encoding"),
           _("delimiter {delimiter}").format(delimiter=repr(info["delimiter"])) if info.get("delimiter") else None,
           _("sheet “{sheet}”").format(sheet=escape(info["sheet"])) if info.get("sheet") else None,
           _("header on row {row}").format(row=info.get("header_row")) if not info.get("headerless") else None,
           _("from {file} in the archive").format(file=escape(info["inner_file"])) if info.get("inner_file") else None]
    text = _("Read as {how}").format(how=", ".join(h for h in how if h))
    return text + (" · " + _("recognised: **{export}**").format(export=export) if export else "")


# Why a file cannot be read (retention/ingest/errors.py IngestError: a code and its values). Fragments: the
# file name goes in front, a full stop after.
INGEST_PROBLEMS = {
    "empty": L("the file is empty"),
    "blank_lines": L("the file is empty (it holds only blank lines)"),
    "header_only": L("the file has a header row but no data rows"),
    "archive_member_empty": L("the file inside the archive is empty"),
    "too_big": L("the file is {size}, more than the limit of {limit} MB; split it, or remove columns that are not "
                 "needed"),
    "gz_too_big": L("the compressed file unpacks to more than {size}, beyond the limit"),
    "gz_damaged": L("the .gz file is damaged and cannot be unpacked"),
    "gz_incomplete": L("the .gz file is incomplete (it was cut short) and cannot be unpacked"),
    "zip_member_too_big": L("the file inside the zip archive unpacks to {size}, beyond the limit of {limit}"),
    "zip_member_beyond": L("the file inside the zip archive unpacks to more than {limit}, beyond the limit"),
    "zip_password": L("the zip archive is password-protected; upload the file itself"),
    "zip_unreadable": L("the zip archive is damaged or uses a compression we cannot read"),
    "zip_damaged": L("the zip archive is damaged and cannot be opened"),
    "zip_empty": L("the zip archive is empty"),
    "zip_many": L("the zip archive holds {n} files ({shown}); put exactly one data file in it"),
    "zip_many_more": L("the zip archive holds {n} files ({shown} and {more} more); put exactly one data file in it"),
    "zip_bomb": L("the workbook is compressed suspiciously well (a zip bomb?) and was not opened"),
    "workbook_too_big": L("the workbook unpacks to {size}, beyond the limit of {limit}; save only the sheet with the "
                          "data"),
    "not_data": L("this is {what}, not a spreadsheet; upload a CSV, Excel, OpenDocument or Parquet file"),
    "sheet_too_wide": L("the sheet {name!r} has {columns:,} columns, more than the limit of {limit:,}; copy the data "
                        "range to a new workbook and upload that"),
    "sheet_too_many_cells": L("the sheet {name!r} claims {cells:,} cells (often formatting down to the last row of "
                              "the sheet); copy the data range to a new workbook and upload that"),
    "workbook_password": L("the workbook is password-protected; open it, save a copy without a password, and upload "
                           "that"),
    "workbook_unreadable": L("this is not a readable spreadsheet (the workbook is damaged or in an unknown format)"),
    "no_sheet": L("there is no sheet named {sheet!r}; the sheets are {sheets}"),
    "sheet_unreadable": L("the sheet {name!r} could not be read"),
    "workbook_empty": L("the workbook is empty"),
    "sheet_empty": L("the sheet {sheet!r} is empty"),
    "parquet_damaged": L("the Parquet file is damaged and cannot be read"),
    "binary": L("this is not a text or spreadsheet file (it contains binary data)"),
    "binary_image": L("this is not a text or spreadsheet file (it looks like an image or other binary file)"),
    "unknown_encoding": L("this is not a text or spreadsheet file (its text encoding could not be recognised)"),
    "long_first_line": L("its first line is longer than {kb:,} KB, so it is not a table's header row (or the file's "
                         "line breaks are not recognised)"),
    "no_table": L("no table was found: the file needs a header row and at least two columns"),
    "no_table_separator": L("no table was found: the file needs a header row and at least two columns (or the "
                            "columns are separated by a character other than , ; tab or |)"),
    "split_failed": L("the file could not be split into columns ({error})"),
    "slow_reader_blank_lines": L("the file is {size} and has blank lines between its rows (or line ends that are a "
                                 "lone CR), which only the slow reader handles, and it takes files of at most "
                                 "{limit:,} MB; save it again from the spreadsheet as CSV UTF-8, or remove the blank "
                                 "lines"),
    "slow_reader_layout": L("the file is {size} and has columns lined up with spaces, text in more than one "
                            "encoding or cells the fast reader cannot split, which only the slow reader handles, and "
                            "it takes files of at most {limit:,} MB; save it again from the spreadsheet as CSV UTF-8"),
    "too_wide": L("the table has {width:,} columns, more than the limit of {limit:,}; remove the columns that are "
                  "not needed, or check the separator"),
    "too_wide_at_least": L("the table has at least {width:,} columns, more than the limit of {limit:,}; remove the "
                           "columns that are not needed, or check the separator"),
    "bad_date_order": L("the date order must be 'dmy' or 'mdy', not {order!r}"),
    "unknown_role": L("unknown role {role!r}; roles are {roles}"),
    "no_such_column": L("there is no column {name!r} (columns: {columns})"),
    "no_segment_column": L("there is no column {name!r} to use as a segment"),
    "outcome_segment": L("the column {name!r} restates the outcome (whether, when or why a customer left, or a "
                         "status); it cannot be a segment"),
    "no_column_for": L("no column for {roles}"),
    "out_of_memory": L("checking and loading it needs more memory than a load may use ({limit}); split the file into "
                       "smaller ones, or remove long text columns"),
    "load_too_long": L("checking and loading it took longer than the limit of {seconds:,.0f} seconds and was "
                       "stopped; split the file into smaller ones"),
}


class _Number:
    """A number put into a message: a grouped format ('{rows:,}', '{seconds:,.0f}') writes it the language's way
    (fmt.number: '1 234' in Polish), any other format as Python does."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if "," in spec:
            decimals = int(spec.split(".")[1].rstrip("f")) if "." in spec else 0
            return fmt.number(self.value, decimals)
        return format(self.value, spec)

    def __str__(self) -> str:
        return str(self.value)


def _localized(values: dict) -> dict:
    return {k: _Number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for k, v in values.items()}


def ingest_problem(code: str, values: dict) -> str:
    """An IngestError's problem in words (a fragment: no file name, no full stop); a text that is no code as is."""
    template = INGEST_PROBLEMS.get(code)
    return str(code) if template is None else template.format(**_localized(values))


def nothing_usable(code: str, **values) -> str:
    """A NOTHING_USABLE fragment filled in, its grouped numbers written the language's way."""
    return NOTHING_USABLE[code].format(**_localized(values))


def ingest_message(filename: str, problem: str, row: int | None = None, column: str | None = None) -> str:
    """The whole sentence: "file 'x.csv', row 4, column 'Amount': the problem."."""
    where = [_("file {name}").format(name=repr(filename))]
    if row is not None:
        where.append(_("row {row}").format(row=row))
    if column is not None:
        where.append(_("column {column}").format(column=repr(column)))
    return _("{where}: {problem}.").format(where=", ".join(where), problem=problem)


# ---------------------------------------------------------------- the purchase model in the headline (issue 17.1)
HEADLINE.update({
    "expected_active_customers": (L("Expected active customers (purchase model)"),
                                  L("Σ P(alive): the BG/NBD purchase model's expected number of customers who have not "
                                    "left for good, among the customers who bought by the analysis date; the "
                                    "percentage is their share of those customers.")),
    "model_retention_month": (L("Customers kept per month (purchase model)"),
                              L("Of the customers expected active at the start of a month (Σ P(alive) with what was "
                                "known then), the share still expected active at its end, by the BG/NBD model fitted "
                                "on the data up to the analysis date; pooled over the last 12 complete months.")),
    "model_churn_month": (L("Customers lost per month (purchase model)"),
                          L("100% − customers kept per month by the purchase model, over the same months.")),
})


def model_check_numbers(check: dict) -> str:
    """The purchase model's calibration/holdout check in one sentence with its numbers (headline.model_check)."""
    return _("Fitted on the purchases up to {calibration}, it predicted {predicted} repeat purchases from then to "
             "{holdout}; there were {actual} ({error} off, limit 15%), and per group of customers by purchases "
             "before, its predictions were {group_error} off (limit 25%).").format(
        calibration=fmt.date(check["calibration_end"]), holdout=fmt.date(check["holdout_end"]),
        predicted=fmt.number(round(check["total_predicted"])), actual=fmt.number(round(check["total_actual"])),
        error=fmt.percent(100 * check["total_error"], 1), group_error=fmt.percent(100 * check["frequency_error"], 1))


def model_headline_note(check: dict) -> str:
    """Which figures the Overview leads with and why: the purchase model's when it passed its check, else the
    inactivity window's with the reason the model was not used (check: headline.model_check())."""
    if check["used"]:
        return _("From the purchase model (BG/NBD), which passed its check. {numbers}").format(
            numbers=model_check_numbers(check))
    return _("These figures use the inactivity window. The purchase model (BG/NBD) was not used: {why}").format(
        why=model_not_used_why(check))


def model_not_used(check: dict) -> str:
    """The Churn page under its window figures, when the purchase model failed its check: why its figures are set
    aside (check: headline.model_check() with used False)."""
    return _("The figures above use the inactivity window. The purchase model (BG/NBD) is set aside on this data: "
             "{why} Its figures are kept below for reference, not as a measurement.").format(
        why=model_not_used_why(check))


def model_not_used_why(check: dict) -> str:
    """Why the purchase model was not used, in a sentence ending with a full stop (check: headline.model_check())."""
    code = check["check"]
    if code in ("total", "by_frequency"):
        return _("it failed its check. {numbers}").format(numbers=model_check_numbers(check))
    if code == "not_converged":
        return _("its fit did not converge.")
    if code == "no_holdout_purchases":
        return _("nobody bought again in the held-out last quarter of the data, so the fit cannot be checked.")
    if code == "degenerate":
        return _("the best fit gives every customer the same chance of leaving after each purchase ({dropout}), a "
                 "limit case in which the model says little more than the inactivity window.").format(
            dropout=fmt.percent(100 * check["dropout"], 1))
    if code == "no_check":
        return _("the data is too short to hold out its last quarter and check the fit.")
    return _("it cannot be fitted on this data ({problem}).").format(problem=check.get("problem") or "")


# ---------------------------------------------------------------- lang1: Overview, Cohorts (issue 19)
KM_TENURE_HELP = L("Kaplan–Meier by tenure: churned customers end at their tenure, active customers are counted up "
                   "to theirs.")


def still_after(months: int) -> str:
    """The label of a Kaplan–Meier point: 'Still customers after 12 months of tenure'."""
    return ngettext("Still customers after {n} month of tenure", "Still customers after {n} months of tenure",
                    int(months)).format(n=fmt.number(months))


def months(n: int) -> str:
    """'5 months', '5 miesięcy', '5 месяцев', '5 个月', '5 か月'."""
    return ngettext("{n} month", "{n} months", int(n)).format(n=fmt.number(n))


def period_words(period: object) -> str:
    """A headline row's period ('5 months', as metrics/headline.py writes it) in the current language."""
    head = str(period).split()
    if head and head[0].isdigit() and len(head) == 2 and head[1].startswith("month"):
        return months(int(head[0]))
    return str(period)


def date_input_format() -> str:
    """st.date_input's format in the current language: day first with dots in Polish and Russian, year first in
    Chinese and Japanese (and in English, as before)."""
    return {"pl": "DD.MM.YYYY", "ru": "DD.MM.YYYY"}.get(i18n.language(), "YYYY/MM/DD")


# The standard customer retention rate with the worked examples every language's retention articles use
# (locale/GLOSSARY.md): shown on the Overview, for any page that defines CRR.
CRR_DEFINITION = L("""**Customer retention rate (CRR)** = ((CE − CN) / CS) × 100, where CS is the number of customers at the start of the period, CE the number at its end, and CN the new customers gained during it. Churn = 100% − CRR.

- Example: CS = 500, CN = 50 and 100 customers lost, so CE = 500 + 50 − 100 = 450: CRR = ((450 − 50) / 500) × 100 = 80%.
- Example: CS = 100, CN = 15 and 10 customers lost, so CE = 105: CRR = ((105 − 15) / 100) × 100 = 90%.

The Overview's "customers kept" counts the customers active at both the start and the end of a period (new customers are neither added nor subtracted), so it is usually higher than CRR; the Churn page shows both.""")
DEFINITIONS_HEADING = L("How these numbers are defined")

# The churn drivers' and "Did it work?"'s words live in their own modules (which import only fmt and i18n);
# re-exported so that ui_text.X keeps naming them.
# The segment attribute the app itself adds to every dataset with purchases (retention/metrics/rfm.py ATTRIBUTE):
# stored, linked and filtered in English like a file's column; its name and its groups are shown translated.
# A file's own columns and values are shown as written.
SEGMENT_NAMES = {"RFM group": L("RFM group")}


def segment_name(name: object) -> str:
    """A segment attribute as shown: the app's RFM group in the reader's language, a file's columns as written."""
    return str(SEGMENT_NAMES.get(name, name)) if isinstance(name, str) else name


def segment_value(attribute: object, value: object) -> object:
    """A segment value as shown: the RFM groups' names translated, a file's values as written."""
    if attribute in SEGMENT_NAMES and isinstance(value, str):
        return str(_RFM_NAME_OF_STORED.get(value, value))
    return value


from retention.ui_text.drivers import (  # noqa: E402
    DRIVER_BLANK, DRIVER_KINDS, DRIVER_EXCLUDED, DRIVER_VALUE_LABELS, DRIVER_RANK_LABELS, DRIVER_ODDS_LABELS,
    DRIVER_TIME_LABELS, driver_value, driver_definition, driver_sentence, driver_rule, driver_model_note,
    DRIVER_MODEL_STATUS, driver_model_flags, DRIVER_FIGURES, driver_attribute, driver_churned_share)
from retention.ui_text.impact import (  # noqa: E402
    IMPACT_DESIGNS, IMPACT_WARNINGS, IMPACT_METHODS, impact_method, IMPACT_SIDES, impact_sentence,
    impact_warning, impact_year_earlier, IMPACT_BALANCE_LABELS, IMPACT_COVARIATES, IMPACT_WORTH_ROWS)
