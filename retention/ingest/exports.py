"""Known exports, recognised by the header set they always have and mapped with no questions.

Column names are the real ones (shared/research/export_headers.md: real export files, vendor source):
Shopify orders and customers, WooCommerce (Analytics › Orders and Customers, the "Advanced Order
Export" plugin, the Customer/Order/Coupon Export plugin), Stripe payments (current `Created date
(UTC)` and legacy `Created (UTC)`) and subscriptions, HubSpot contacts. Headers are compared
normalised (roles.normalise: lower case, punctuation as spaces), so `Email (Billing)` is
`email billing`. Each role lists the columns to use, best first; the first present wins.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Export:
    name: str
    kind: str
    signatures: tuple[frozenset[str], ...]  # any one of these header sets identifies the export
    roles: dict[str, tuple[str, ...]]  # an empty tuple: no column plays this role (do not guess one)
    order_level_amount: bool = False  # the amount is the order's total, on its first line item only/again


def _sig(*headers: str) -> frozenset[str]:
    return frozenset(headers)


EXPORTS: list[Export] = [
    Export("Shopify orders export", "purchases",
           (_sig("name", "email", "financial status", "created at", "total", "lineitem quantity"),),
           {"customer": ("email",), "date": ("created at",), "amount": ("total",), "order": ("name", "id"),
            "status": ("financial status",), "currency": ("currency",)},
           order_level_amount=True),
    Export("WooCommerce orders (Analytics)", "purchases",
           (_sig("date", "order #", "status", "customer", "customer type"),),
           {"customer": ("customer",), "date": ("date",), "amount": ("net sales", "n revenue", "n revenue formatted"),
            "order": ("order #",), "status": ("status",)}),
    Export("WooCommerce orders (Advanced Order Export)", "purchases",
           (_sig("order number", "order status", "order date", "email billing"),
            _sig("order number", "order date", "email billing", "order total amount")),
           {"customer": ("email billing", "customer user id"), "date": ("order date", "paid date"),
            "amount": ("order total amount", "order total amount refund"), "order": ("order number", "order id"),
            "status": ("order status",), "currency": ("order currency", "currency")},
           order_level_amount=True),
    Export("WooCommerce orders (Customer/Order/Coupon Export)", "purchases",
           (_sig("order id", "order number", "date", "status", "order total", "billing email"),),
           {"customer": ("billing email", "customer user"), "date": ("date",), "amount": ("order total",),
            "order": ("order id",), "status": ("status",)}),
    Export("Stripe payments export", "purchases",
           (_sig("id", "amount", "amount refunded", "currency", "status", "customer id"),),
           {"customer": ("customer id", "customer email"), "date": ("created date utc", "created utc"),
            "amount": ("amount",), "order": ("id",), "status": ("status",), "currency": ("currency",)}),
    Export("Stripe subscriptions export", "customers",
           (_sig("id", "customer id", "status", "plan", "interval"),
            _sig("id", "customer id", "status", "current period start utc", "current period end utc")),
           {"customer": ("customer id",), "signup": ("start date utc", "start utc", "created utc"),
            # Canceled At: when the customer cancelled (a subscription ending at the period end is still
            # 'active' until then); Ended At when that is all there is.
            "churn_date": ("canceled at utc", "ended at utc"),
            "churn_reason": ("cancellation feedback", "cancellation details feedback", "cancellation reason",
                             "cancellation details reason"),
            "status": ("status",)}),
    Export("Shopify customers export", "customers",
           (_sig("first name", "last name", "email", "total spent", "total orders"),),
           {"customer": ("email", "customer id")}),
    Export("WooCommerce customers (Analytics)", "customers",
           (_sig("name", "username", "last active", "sign up", "email", "orders", "total spend"),),
           {"customer": ("email", "username"), "signup": ("sign up",)}),
    Export("HubSpot contacts export", "customers",
           (_sig("record id", "first name", "last name", "email", "create date"),
            _sig("record id", "email", "create date", "lifecycle stage")),
           # Lead Status (NEW, OPEN, …) says nothing about churn.
           {"customer": ("email", "record id"), "signup": ("create date",), "status": ()}),
]


def find_export(normalised_headers: set[str], kind: str) -> Export | None:
    """The first known export of `kind` whose signature the headers contain."""
    for export in EXPORTS:
        if export.kind == kind and any(signature <= normalised_headers for signature in export.signatures):
            return export
    return None
