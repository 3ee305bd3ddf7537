"""What each status value of a known export means: a purchase, a refund or not a purchase (orders and
payments); an active customer, a churned one, not a customer yet, or a customer whose churn the value does
not tell (subscriptions and CRM contacts).

Every value the vendor documents is listed (shared/research/export_headers.md and the vendors' docs), in the
spelling the export writes (compared trimmed and lower-case). A value a layout does not list falls back to
canonical.UNPAID_VALUES / CHURNED_VALUES / ACTIVE_VALUES, except for a layout that counts only the values it
lists as purchases (Salesforce: only Closed Won; a custom open stage must not count as a sale).

Decisions that are not obvious:
- A refund status (order or charge refunded in full) is set aside, not counted: the money went back. A
  partial refund still counts as a purchase (of its full amount: the exports carry the refunded part in
  another column, which is not subtracted).
- Shopify `authorized` (card reserved, not captured) and `pending`, WooCommerce `on-hold` and `pending`,
  Stripe `open` invoices: no money has been taken yet, so not a purchase (they count once paid, in a later
  upload).
- Stripe subscriptions: `active` and `past_due` (still subscribed; Stripe retries the payment) are active;
  `canceled` and `unpaid` (retries exhausted, the subscription no longer provides the service) churned;
  `trialing`, `incomplete` (first payment not made yet), `incomplete_expired` (first payment never made)
  and `paused` (a trial that ended without a payment method) never paid: not a customer yet, so the row is
  set aside rather than counted as a churn.
- HubSpot lifecycle stages before `customer` (subscriber, lead, MQL, SQL, opportunity) are not customers;
  `customer`, `evangelist` and `other` are kept, their churn unknown (HubSpot has no churned stage).
"""

from __future__ import annotations

PURCHASE, REFUND, NOT_PURCHASE = "purchase", "refund", "not_purchase"
ACTIVE, CHURNED, NOT_CUSTOMER, UNKNOWN = "active", "churned", "not_customer", "unknown"


def _woo(classes: dict[str, str]) -> dict[str, str]:
    """WooCommerce writes the slug (`on-hold`), sometimes with its `wc-` prefix, or the label (`On hold`)."""
    out = dict(classes)
    for slug, kind in classes.items():
        out["wc-" + slug] = kind
    return out


SHOPIFY_ORDERS = {
    "paid": PURCHASE, "partially_paid": PURCHASE, "partially paid": PURCHASE,
    "partially_refunded": PURCHASE, "partially refunded": PURCHASE,
    "refunded": REFUND,
    "pending": NOT_PURCHASE, "authorized": NOT_PURCHASE, "voided": NOT_PURCHASE, "expired": NOT_PURCHASE,
}
WOOCOMMERCE_ORDERS = _woo({
    "completed": PURCHASE, "processing": PURCHASE,
    "refunded": REFUND,
    "pending": NOT_PURCHASE, "pending payment": NOT_PURCHASE, "on-hold": NOT_PURCHASE, "on hold": NOT_PURCHASE,
    "cancelled": NOT_PURCHASE, "failed": NOT_PURCHASE, "trash": NOT_PURCHASE, "checkout-draft": NOT_PURCHASE,
    "draft": NOT_PURCHASE,
})
STRIPE_PAYMENTS = {
    "paid": PURCHASE, "succeeded": PURCHASE, "partially refunded": PURCHASE, "disputed": PURCHASE,
    "refunded": REFUND,
    "failed": NOT_PURCHASE, "pending": NOT_PURCHASE, "canceled": NOT_PURCHASE, "blocked": NOT_PURCHASE,
    "incomplete": NOT_PURCHASE, "uncaptured": NOT_PURCHASE, "requires_payment_method": NOT_PURCHASE,
    "requires_confirmation": NOT_PURCHASE, "requires_action": NOT_PURCHASE, "requires_capture": NOT_PURCHASE,
    "processing": NOT_PURCHASE,
}
STRIPE_INVOICES = {
    "paid": PURCHASE,
    "draft": NOT_PURCHASE, "open": NOT_PURCHASE, "void": NOT_PURCHASE, "uncollectible": NOT_PURCHASE,
}
SALESFORCE_STAGES = {
    "closed won": PURCHASE,
    "prospecting": NOT_PURCHASE, "qualification": NOT_PURCHASE, "needs analysis": NOT_PURCHASE,
    "value proposition": NOT_PURCHASE, "id. decision makers": NOT_PURCHASE, "perception analysis": NOT_PURCHASE,
    "proposal/price quote": NOT_PURCHASE, "negotiation/review": NOT_PURCHASE, "closed lost": NOT_PURCHASE,
}
STRIPE_SUBSCRIPTIONS = {
    "active": ACTIVE, "past_due": ACTIVE,
    "canceled": CHURNED, "unpaid": CHURNED,
    "trialing": NOT_CUSTOMER, "incomplete": NOT_CUSTOMER, "incomplete_expired": NOT_CUSTOMER,
    "paused": NOT_CUSTOMER,
}
HUBSPOT_LIFECYCLE = {
    "customer": UNKNOWN, "evangelist": UNKNOWN, "other": UNKNOWN,
    "subscriber": NOT_CUSTOMER, "lead": NOT_CUSTOMER, "marketingqualifiedlead": NOT_CUSTOMER,
    "marketing qualified lead": NOT_CUSTOMER, "salesqualifiedlead": NOT_CUSTOMER,
    "sales qualified lead": NOT_CUSTOMER, "opportunity": NOT_CUSTOMER,
}


def purchase_lists(table: dict[str, str] | None, only_listed: bool, unpaid: list[str]) -> dict:
    """Query parameters for ingest_purchases.sql: the values that are not a purchase (the layout's, then the
    general `unpaid` ones the layout does not list), refund values, and (`paid_only`) the only values that count."""
    table = table or {}
    return {
        "unpaid_values": [v for v, k in table.items() if k == NOT_PURCHASE] + [v for v in unpaid if v not in table],
        "refund_values": [v for v, k in table.items() if k == REFUND],
        "paid_values": [v for v, k in table.items() if k == PURCHASE],
        "paid_only": only_listed,
    }


def customer_lists(table: dict[str, str] | None, churned: list[str], active: list[str]) -> dict:
    """Query parameters for ingest_customers.sql: churned, active, not-a-customer and known-but-unknown-churn
    values (the layout's first, then the general lists minus the values the layout lists)."""
    table = table or {}

    def pick(kind: str, general: list[str]) -> list[str]:
        return [v for v, k in table.items() if k == kind] + [v for v in general if v not in table]

    return {"churned_values": pick(CHURNED, churned), "active_values": pick(ACTIVE, active),
            "not_customer_values": pick(NOT_CUSTOMER, []), "unknown_values": pick(UNKNOWN, [])}


def countable_choices(report: dict, countable: tuple[str, ...]) -> list[str]:
    """The status values a person may choose to count after all (a store.preview report): those counted already
    (report['counted_statuses']) and those set aside for a reason in `countable` (report['skipped'] entries), in
    lower case, sorted, so the list stays put while values move between counted and set aside."""
    set_aside = [s["status"].strip().lower() for entry in report.get("skipped", [])
                 if entry["reason"] in countable for s in entry.get("statuses", [])]
    return sorted(set((report.get("counted_statuses") or []) + set_aside))
