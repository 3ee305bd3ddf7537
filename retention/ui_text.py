"""User-facing words shared by several pages (kept in one place for translation)."""

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
    "tenure": "Tenure (periods)",
}
# Roles whose label differs by file.
ROLE_LABELS_BY_KIND = {("purchases", "status"): "Payment status"}

SKIPPED_REASONS = {
    "total_row": "totals row at the end of the table (not a customer)",
    "order_continuation": "extra line of an order already counted (one amount per order)",
    "not_paid": "payment failed, voided or cancelled",
    "merged_customer": "another row of a customer listed earlier (merged into one customer)",
}
FLAGS = {
    "future_date": "dated after today (kept — check them)",
    "refund": "refunds: negative amounts (kept; not counted as activity)",
}

REJECT_REASONS = {
    "missing_customer": "no customer id",
    "missing_date": "no date",
    "bad_date": "date not understood",
    "missing_amount": "no amount",
    "bad_amount": "amount is not a number",
    "bad_quantity": "quantity is not a number",
    "bad_unit_price": "unit price is not a number",
    "duplicate_row": "exact duplicate of an earlier row",
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
ENGINE_SETTING_PROBLEM = "The engine setting is not valid, so it is not offered: {problem}"


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
SHARE = {"copy": "Copy link", "copied": "Link copied", "failed": "Copy it from the box below"}


# Headline figures (retention/metrics/headline.py): a short label and the definition, shown on the pages and
# printed by `python -m retention summary`.
HEADLINE = {
    "customer_retention_month": ("Customers kept per month",
                                 "Of the customers active at the start of a month, the share still active at its end; "
                                 "pooled over the last 12 complete months (Σ kept ÷ Σ customers at the start)."),
    "customer_churn_month": ("Customers lost per month", "100% − customers kept per month, over the same months."),
    "customer_retention_year": ("Customers kept over a year",
                                "Of the customers active at the start of the 12 months, the share still active at "
                                "their end, measured directly."),
    "customer_churn_year": ("Customers lost over a year", "100% − customers kept over a year, over the same year."),
    "customer_retention_span": ("Customers kept over the months measured",
                                "Of the customers active at the start of the months measured, the share still active "
                                "at their end, measured directly (the data has no 12 complete months)."),
    "month1_cohort_retention": ("Came back the month after their first purchase",
                                "Of the customers whose first purchase was in one of the 12 months before the last "
                                "complete month, the share who bought again in the next calendar month (pooled)."),
    "repeat_purchase_rate": ("Repeat-purchase rate",
                             "Of all customers who bought, the share with two or more orders by the analysis date."),
    "share_churned": ("Share churned",
                      "Of the customers in the customers file with a known status, the share marked churned."),
    "tenure_churn_month": ("Churn per month implied by tenure",
                           "Churned customers ÷ the total months of tenure of all customers (each customer counts "
                           "the months they stayed), with a 95% exact Poisson interval."),
    "revenue_at_risk_month": ("Monthly charges of churned customers",
                              "The monthly charges of the customers marked churned, summed (per month, in the file's "
                              "currency); the percentage is their share of all customers' monthly charges."),
}
HEADLINE_ESTIMATED_YEAR = ("The data has no 12 complete months to measure a year over, so this is monthly retention "
                           "to the power 12 (an estimate that assumes every month is alike).")
HEADLINE_BASIS = {"customers": "active = signed up and not yet cancelled (customers file)",
                  "purchases": "active = from the first purchase until {w} days after the last (inactivity window)"}


def headline_definition(figure: str, method: str | None = None) -> str:
    """The definition of a headline figure as shown next to it (the estimated year says it is monthly^12)."""
    text = HEADLINE[figure][1]
    if method == "monthly^12":
        text = HEADLINE_ESTIMATED_YEAR if figure == "customer_retention_year" else (
            "100% − customers kept over a year; " + HEADLINE_ESTIMATED_YEAR[0].lower() + HEADLINE_ESTIMATED_YEAR[1:])
    return text


def headline_label(row: dict) -> str:
    """The short label of a headline row; the span says how many months it covers."""
    if row["figure"] == "customer_retention_span":
        return f"Customers kept over {row['period']}"
    return HEADLINE[row["figure"]][0]


def headline_value(figure: str, value: float) -> str:
    """A headline figure as every page prints it: one decimal, two for the small tenure-implied rate."""
    return f"{value:.2f}%" if figure == "tenure_churn_month" else f"{value:.1f}%"


def headline_window(row: dict) -> str:
    """'Jan 2025 – Dec 2025' for a headline row's window ('' when it has none)."""
    start, end = row.get("window_start"), row.get("window_end")
    if start is None or end is None or start != start or end != end:
        return ""
    return f"{start:%b %Y} – {end:%b %Y}" if start.strftime("%b %Y") != end.strftime("%b %Y") else f"{start:%b %Y}"


def purchases_tile(with_order_ids: bool) -> tuple[str, str]:
    """(label, help) of the Overview's count of purchases: orders when the file has order ids, else purchases."""
    if with_order_ids:
        return "Orders", ("Distinct orders with a positive amount (refunds not counted): the lines of one order id "
                          "count once.")
    return "Purchases", ("Purchases with a positive amount (refunds not counted); the file has no order id, so each "
                         "purchase (one date and time per customer) counts once.")
