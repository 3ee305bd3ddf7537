"""Which column plays which role: from known export layouts, header words in many languages,
and, when the header says nothing, from the content.

`detect_roles(frame, kind)` → {role: column name}; roles of a purchases file are
PURCHASE_ROLES, of a customers file CUSTOMER_ROLES. A role may be absent.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from retention.ingest.read import ROW

PURCHASE_ROLES = ("customer", "date", "amount", "quantity", "unit_price", "order")
CUSTOMER_ROLES = ("customer", "signup", "churn_date", "churn_reason", "status", "tenure")
REQUIRED = {"purchases": ("customer", "date"), "customers": ("customer",)}

# Header words per role, normalised (lower case, punctuation → space). Exact matches win over
# partial ones; earlier entries win over later ones.
SYNONYMS: dict[str, list[str]] = {
    "customer": [
        "customer id", "customerid", "customer", "client id", "client", "customer email", "email",
        "user id", "userid", "buyer", "member id", "account id", "contact id", "record id", "customer no",
        "klient", "id klienta", "nr klienta", "kunde", "kunden id", "kundennummer", "kunden nr",
        "cliente", "id cliente", "id del cliente", "numéro client", "id client",
        "клиент", "покупатель", "id клиента", "код клиента", "номер клиента",
        "顧客", "顧客id", "顧客番号", "会員id", "客户", "客户id", "客户编号", "用户id", "会员id",
    ],
    "date": [
        "order date", "purchase date", "invoice date", "invoicedate", "transaction date", "date",
        "created at", "created date utc", "created utc", "paid at", "order created", "timestamp",
        "data", "data zamówienia", "data zakupu", "datum", "bestelldatum", "kaufdatum", "fecha",
        "fecha de compra", "fecha del pedido", "date de commande", "date d achat", "дата", "дата заказа",
        "дата покупки", "日付", "注文日", "購入日", "日期", "订单日期", "下单时间", "购买日期",
    ],
    "amount": [
        "amount", "total", "order total", "revenue", "net sales", "sales", "value", "dollar value",
        "n revenue", "net revenue", "amount paid", "total amount", "gross sales", "subtotal",
        "kwota", "wartość", "wartosc", "suma", "betrag", "umsatz", "gesamtbetrag", "importe", "monto",
        "montant", "total ttc", "сумма", "стоимость", "выручка", "金額", "合計金額", "売上", "金额",
        "总额", "销售额", "总金额",
    ],
    "quantity": [
        "quantity", "qty", "lineitem quantity", "items sold", "ilość", "ilosc", "menge", "anzahl",
        "cantidad", "quantité", "количество", "数量",
    ],
    "unit_price": [
        "unit price", "unitprice", "price", "lineitem price", "item price", "cena", "cena jednostkowa",
        "preis", "einzelpreis", "precio", "precio unitario", "prix", "prix unitaire", "цена", "単価", "单价",
    ],
    "order": [
        "order id", "orderid", "order number", "order no", "order", "invoice", "invoiceno", "invoice no",
        "invoice id", "transaction id", "numer zamówienia", "bestellnummer", "pedido", "número de pedido",
        "commande", "numéro de commande", "заказ", "номер заказа", "注文番号", "订单号", "订单编号",
    ],
    "signup": [
        "signup date", "sign up date", "sign up", "signup", "start date", "start date utc", "start utc",
        "created utc", "created", "created at", "create date", "registration date", "joined", "join date",
        "customer since", "subscription start", "data rejestracji", "anmeldedatum", "registrierungsdatum",
        "fecha de alta", "fecha de registro", "date d inscription", "дата регистрации", "登録日", "注册日期",
    ],
    "churn_date": [
        "cancel date", "cancelled at", "canceled at", "canceled at utc", "cancelled at utc", "ended at utc",
        "ended at", "churn date", "cancellation date", "end date", "data rezygnacji", "kündigungsdatum",
        "fecha de baja", "date de résiliation", "дата отказа", "дата отписки", "解約日", "流失日期",
    ],
    "churn_reason": [
        "churn reason", "cancellation reason", "cancel reason", "reason", "cancellation feedback",
        "churn category", "powód", "powód rezygnacji", "kündigungsgrund", "grund", "motivo", "motivo de baja",
        "raison", "raison de résiliation", "причина", "причина ухода", "解約理由", "流失原因", "原因",
    ],
    "status": [
        "churn label", "churn", "churned", "churn value", "customer status", "status", "is active",
        "active", "status klienta", "estado", "statut", "статус", "状態", "状态",
    ],
    "tenure": [
        "tenure months", "tenure in months", "tenure", "months", "months as customer", "staż", "laufzeit",
        "antigüedad", "ancienneté", "стаж", "срок", "契約月数", "在网时长",
    ],
}

# Known exports, recognised by a set of headers they always have (normalised), mapped with no questions.
KNOWN_EXPORTS: list[tuple[str, str, set[str], dict[str, str]]] = [
    ("Shopify orders export", "purchases", {"name", "email", "financial status", "created at", "total", "lineitem quantity"},
     {"customer": "email", "date": "created at", "amount": "total", "order": "name"}),
    ("Stripe payments export", "purchases", {"id", "amount", "amount refunded", "currency", "customer id", "status"},
     {"customer": "customer id", "amount": "amount", "order": "id"}),
    ("WooCommerce orders report", "purchases", {"date", "order #", "status", "customer", "net sales"},
     {"customer": "customer", "date": "date", "amount": "net sales", "order": "order #"}),
    ("Stripe subscriptions export", "customers", {"id", "customer id", "plan", "status", "interval"},
     {"customer": "customer id", "status": "status"}),
    ("HubSpot contacts export", "customers", {"record id", "first name", "last name", "email", "create date"},
     {"customer": "record id", "signup": "create date"}),
]


def normalise(header: str) -> str:
    """Header → comparable words: NFKC, lower case, punctuation and underscores as spaces."""
    text = unicodedata.normalize("NFKC", str(header)).lower()
    text = re.sub(r"[\s_\-./:()\[\]]+", " ", text)
    return re.sub(r"\s+", " ", text).strip().replace("'", " ").replace("’", " ")


def roles_for(kind: str) -> tuple[str, ...]:
    return PURCHASE_ROLES if kind == "purchases" else CUSTOMER_ROLES


def known_export(columns: list[str], kind: str) -> tuple[str, dict[str, str]] | None:
    """(export name, role → column) when the headers match a known export of this kind."""
    by_norm = {normalise(c): c for c in columns}
    for name, export_kind, signature, mapping in KNOWN_EXPORTS:
        if export_kind == kind and signature <= set(by_norm):
            return name, {role: by_norm[norm] for role, norm in mapping.items() if norm in by_norm}
    return None


def detect_roles(frame: pd.DataFrame, kind: str) -> dict[str, str]:
    """Map each role of `kind` to a column of `frame` (text cells), best guess first."""
    columns = [c for c in frame.columns if c != ROW]
    roles: dict[str, str] = {}
    known = known_export(columns, kind)
    if known:
        roles.update(known[1])
        _complete_known(roles, columns, kind)
    taken = set(roles.values())
    scored = []
    for role in roles_for(kind):
        if role in roles:
            continue
        for column in columns:
            score = _header_score(normalise(column), SYNONYMS[role])
            if score:
                scored.append((score, role, column))
    for score, role, column in sorted(scored, key=lambda t: -t[0]):
        if role not in roles and column not in taken:
            roles[role] = column
            taken.add(column)
    _from_content(frame, kind, roles, [c for c in columns if c not in taken])
    return {role: roles[role] for role in roles_for(kind) if role in roles}


def _complete_known(roles: dict[str, str], columns: list[str], kind: str) -> None:
    """Known exports whose key columns vary by version (Stripe's Created (UTC) vs Created date (UTC))."""
    by_norm = {normalise(c): c for c in columns}
    if kind == "purchases" and "date" not in roles:
        for norm in ("created date utc", "created utc", "created"):
            if norm in by_norm:
                roles["date"] = by_norm[norm]
                break
    if kind == "customers":
        for role, options in {"signup": ("start date utc", "start utc", "created utc"),
                              "churn_date": ("canceled at utc", "ended at utc"),
                              "churn_reason": ("cancellation feedback", "cancellation reason")}.items():
            for norm in options:
                if role not in roles and norm in by_norm:
                    roles[role] = by_norm[norm]


def _header_score(norm: str, synonyms: list[str]) -> float:
    best = 0.0
    for rank, word in enumerate(synonyms):
        weight = 1 - rank / (2 * len(synonyms))
        if norm == word:
            best = max(best, 3 * weight)
        elif len(word) >= 4 and (re.search(rf"(^| ){re.escape(word)}( |$)", norm) or (not word.isascii() and word in norm)):
            best = max(best, 1.5 * weight)
    return best


def _from_content(frame: pd.DataFrame, kind: str, roles: dict[str, str], free: list[str]) -> None:
    """Fill missing required roles from what the columns hold (a sample of rows)."""
    from retention.ingest.values import date_parse_rate, number_parse_rate

    sample = frame.head(2000)
    if "date" in roles_for(kind) and "date" not in roles:
        rates = {c: date_parse_rate(sample[c]) for c in free}
        best = max(rates, key=rates.get, default=None)
        if best is not None and rates[best] >= 0.8:
            roles["date"] = best
            free.remove(best)
    if "customer" not in roles:
        for column in free:
            values = sample[column][sample[column] != ""]
            if len(values) and number_parse_rate(values) < 1.0 and date_parse_rate(values) < 0.5:
                distinct = values.nunique() / len(values)
                if 0.01 <= distinct < 0.95:
                    roles["customer"] = column
                    free.remove(column)
                    break
    if kind == "purchases" and "amount" not in roles and not {"quantity", "unit_price"} <= set(roles):
        decimals = [c for c in free if number_parse_rate(sample[c]) >= 0.95 and sample[c].str.contains(r"[.,]\d{1,2}$").mean() > 0.5]
        if decimals:
            roles["amount"] = decimals[0]
