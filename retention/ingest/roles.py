"""Which column plays which role: from known export layouts (exports.py), header words in many
languages, and, when the header says nothing, from the content.

`detect_roles(frame, kind)` → {role: column name}; roles of a purchases file are
PURCHASE_ROLES, of a customers file CUSTOMER_ROLES. A role may be absent.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from retention.ingest.exports import Export, find_export
from retention.ingest.table import ROW

PURCHASE_ROLES = ("customer", "date", "amount", "quantity", "unit_price", "order", "status", "currency")
CUSTOMER_ROLES = ("customer", "signup", "churn_date", "churn_reason", "status", "tenure")
REQUIRED = {"purchases": ("customer", "date"), "customers": ("customer",)}

# Header words per role, normalised (NFKC, lower case, punctuation → space): English, Polish, German,
# French, Spanish, Russian, Chinese (simplified and traditional), Japanese. Exact matches win over
# partial ones; earlier entries win over later ones.
SYNONYMS: dict[str, list[str]] = {
    "customer": [
        "customer id", "customerid", "customer", "client id", "client", "customer email", "email", "e mail",
        "email address", "user id", "userid", "buyer", "member id", "account id", "contact id", "record id",
        "customer no", "customer number", "customer name", "shopper", "user",
        "klient", "id klienta", "nr klienta", "numer klienta", "kod klienta", "email klienta", "nabywca", "kupujący",
        "kunde", "kunden id", "kundennummer", "kunden nr", "kundenname", "kunden email", "käufer",
        "cliente", "id cliente", "id del cliente", "número de cliente", "comprador", "correo", "correo electrónico",
        "numéro client", "id client", "n° client", "code client", "acheteur", "courriel", "adresse e mail",
        "клиент", "покупатель", "id клиента", "код клиента", "номер клиента", "email клиента", "заказчик",
        "контрагент", "почта",
        "顧客", "顧客id", "顧客番号", "会員id", "会員番号", "お客様", "購入者", "メールアドレス", "顧客名",
        "客户", "客户id", "客户编号", "用户id", "会员id", "顾客", "买家", "用户", "会员", "邮箱", "客戶", "客戶編號",
        "會員", "會員編號", "買家", "電子郵件",
    ],
    "date": [
        "order date", "purchase date", "invoice date", "invoicedate", "transaction date", "date", "created at",
        "created date utc", "created utc", "paid at", "order created", "timestamp", "sale date", "payment date",
        "datetime", "order time", "purchased at",
        "data", "data zamówienia", "data zakupu", "data transakcji", "data sprzedaży", "data płatności",
        "datum", "bestelldatum", "kaufdatum", "rechnungsdatum", "transaktionsdatum", "verkaufsdatum",
        "fecha", "fecha de compra", "fecha del pedido", "fecha de pedido", "fecha de factura", "fecha de venta",
        "date de commande", "date d achat", "date de la commande", "date de facture", "date de vente",
        "дата", "дата заказа", "дата покупки", "дата продажи", "дата оплаты",
        "日付", "注文日", "購入日", "注文日時", "購入日時", "売上日",
        "日期", "订单日期", "下单时间", "购买日期", "交易日期", "付款时间", "訂單日期", "購買日期", "交易日期",
    ],
    "amount": [
        "amount", "total", "order total", "revenue", "net sales", "sales", "value", "dollar value", "n revenue",
        "net revenue", "amount paid", "total amount", "gross sales", "subtotal", "total price", "grand total",
        "kwota", "wartość", "wartosc", "suma", "wartość zamówienia", "kwota brutto", "przychód",
        "betrag", "umsatz", "gesamtbetrag", "summe", "gesamtpreis", "bruttobetrag",
        "importe", "monto", "importe total", "valor", "ventas",
        "montant", "total ttc", "montant total", "chiffre d affaires", "prix total",
        "сумма", "стоимость", "выручка", "итого", "сумма заказа", "сума",
        "金額", "合計金額", "売上", "売上金額", "合計", "支払金額",
        "金额", "总额", "销售额", "总金额", "订单金额", "实付金额", "總額", "總金額",
    ],
    "quantity": [
        "quantity", "qty", "lineitem quantity", "items sold", "units", "ilość", "ilosc", "menge", "anzahl",
        "cantidad", "quantité", "количество", "数量", "個数",
    ],
    "unit_price": [
        "unit price", "unitprice", "price", "lineitem price", "item price", "cena", "cena jednostkowa",
        "preis", "einzelpreis", "precio", "precio unitario", "prix", "prix unitaire", "цена", "цена за единицу",
        "単価", "单价", "單價",
    ],
    "order": [
        "order id", "orderid", "order number", "order no", "order", "invoice", "invoiceno", "invoice no",
        "invoice id", "invoice number", "transaction id", "receipt number",
        "numer zamówienia", "nr zamówienia", "zamówienie", "numer faktury", "bestellnummer", "bestellung",
        "rechnungsnummer", "pedido", "número de pedido", "id del pedido", "factura", "commande",
        "numéro de commande", "n° de commande", "заказ", "номер заказа", "№ заказа", "номер счета",
        "注文番号", "注文id", "订单号", "订单编号", "訂單編號", "訂單號",
    ],
    "signup": [
        "signup date", "sign up date", "sign up", "signup", "start date", "start date utc", "start utc",
        "created utc", "created", "created at", "create date", "registration date", "joined", "join date",
        "customer since", "subscription start", "date joined", "first seen",
        "data rejestracji", "data założenia", "anmeldedatum", "registrierungsdatum", "kunde seit",
        "fecha de alta", "fecha de registro", "date d inscription", "date de création",
        "дата регистрации", "дата подписки", "登録日", "入会日", "注册日期", "注册时间", "註冊日期",
    ],
    "churn_date": [
        "cancel date", "cancelled at", "canceled at", "canceled at utc", "cancelled at utc", "ended at utc",
        "ended at", "churn date", "cancellation date", "end date", "churned at", "churned on", "left", "left at",
        "left on", "date left", "cancelled on", "canceled on",
        "data rezygnacji", "data anulowania", "kündigungsdatum", "fecha de baja", "fecha de cancelación",
        "date de résiliation", "дата отказа", "дата отписки", "дата расторжения", "解約日", "退会日",
        "流失日期", "取消日期",
    ],
    "churn_reason": [
        "churn reason", "cancellation reason", "cancel reason", "reason", "cancellation feedback",
        "churn category", "powód", "powód rezygnacji", "kündigungsgrund", "grund", "motivo", "motivo de baja",
        "raison", "raison de résiliation", "motif", "причина", "причина ухода", "причина отказа",
        "解約理由", "退会理由", "流失原因", "原因", "取消原因",
    ],
    "status": [
        "churn label", "churn", "churned", "churn value", "customer status", "status", "is active",
        "active", "subscription status", "status klienta", "kundenstatus", "estado", "statut",
        "статус", "状態", "状态", "ステータス",
    ],
    "currency": [
        "currency", "order currency", "currency code", "waluta", "währung", "devise", "moneda", "divisa",
        "валюта", "通貨", "货币", "币种", "幣別",
    ],
    "tenure": [
        "tenure months", "tenure in months", "tenure", "months", "months as customer", "staż", "laufzeit",
        "antigüedad", "ancienneté", "стаж", "срок", "契約月数", "在网时长",
    ],
}
# A purchases file's status says whether the payment happened (failed and voided rows are skipped).
PURCHASE_STATUS = [
    "financial status", "payment status", "order status", "status", "state", "status płatności",
    "status zamówienia", "zahlungsstatus", "bestellstatus", "estado", "estado del pedido", "statut",
    "statut de la commande", "статус", "статус оплаты", "статус заказа", "状态", "订单状态", "支付状态",
    "ステータス", "状態", "支払状況",
]


def normalise(header: str) -> str:
    """Header → comparable words: NFKC, lower case, punctuation and underscores as spaces."""
    text = unicodedata.normalize("NFKC", str(header)).lower()
    text = re.sub(r"[\s_\-./:()\[\]'’,]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def roles_for(kind: str) -> tuple[str, ...]:
    return PURCHASE_ROLES if kind == "purchases" else CUSTOMER_ROLES


def synonyms(kind: str, role: str) -> list[str]:
    return PURCHASE_STATUS if (kind, role) == ("purchases", "status") else SYNONYMS[role]


def known_export(columns: list[str], kind: str) -> tuple[str, dict[str, str]] | None:
    """(export name, role → column) when the headers match a known export of this kind."""
    by_norm = {}
    for column in columns:
        by_norm.setdefault(normalise(column), column)
    export = find_export(set(by_norm), kind)
    if export is None:
        return None
    return export.name, _export_roles(export, by_norm)


def export_of(columns: list[str], kind: str) -> Export | None:
    return find_export({normalise(c) for c in columns}, kind)


def _export_roles(export: Export, by_norm: dict[str, str]) -> dict[str, str]:
    roles = {}
    for role, options in export.roles.items():
        for norm in options:
            if norm in by_norm:
                roles[role] = by_norm[norm]
                break
    return roles


def detect_roles(frame: pd.DataFrame, kind: str) -> dict[str, str]:
    """Map each role of `kind` to a column of `frame` (text cells), best guess first."""
    columns = [c for c in frame.columns if c != ROW]
    roles: dict[str, str] = {}
    export = export_of(columns, kind)
    blocked = {role for role, options in export.roles.items() if not options} if export else set()
    known = known_export(columns, kind)
    if known:
        roles.update(known[1])
    taken = set(roles.values())
    scored = []
    for role in roles_for(kind):
        if role in roles or role in blocked:
            continue
        for column in columns:
            score = _header_score(normalise(column), synonyms(kind, role))
            if score:
                scored.append((score, role, column))
    for score, role, column in sorted(scored, key=lambda t: -t[0]):
        if role not in roles and column not in taken:
            roles[role] = column
            taken.add(column)
    _from_content(frame, kind, roles, [c for c in columns if c not in taken])
    return {role: roles[role] for role in roles_for(kind) if role in roles}


def _header_score(norm: str, words: list[str]) -> float:
    best = 0.0
    for rank, word in enumerate(words):
        weight = 1 - rank / (2 * len(words))
        if norm == word:
            best = max(best, 3 * weight)
        elif len(word) >= 4 and (re.search(rf"(^| ){re.escape(word)}( |$)", norm) or (not word.isascii() and word in norm)):
            best = max(best, 1.5 * weight)
        elif len(word) >= 2 and not word.isascii() and not word[0].isascii() and norm.startswith(word):
            best = max(best, 1.2 * weight)  # CJK headers have no spaces: 注文日時 starts with 注文日
    return best


def _from_content(frame: pd.DataFrame, kind: str, roles: dict[str, str], free: list[str]) -> None:
    """Fill missing roles from what the columns hold (the first rows): a column of dates, an id-like
    column whose values repeat (purchases) or are unique (customers), a numeric column (decimals first)."""
    from retention.ingest.money import currency_affix
    from retention.ingest.values import connection, date_parse_rate, number_parse_rate

    needed = [role for role in ("date", "signup", "customer", "amount") if role in roles_for(kind) and role not in roles]
    if kind == "purchases" and {"quantity", "unit_price"} <= set(roles) and "amount" in needed:
        needed.remove("amount")
    if not needed or not free:
        return
    sample = frame.head(2000)
    con = connection()
    rates: dict[str, float] = {}

    def date_rate(column: str) -> float:
        if column not in rates:
            head = sample[column].head(200)
            has_digits = head.str.contains(r"\d", regex=True).mean() >= 0.5 if len(head) else False
            # Bare short whole numbers (zip codes, ids, counts) also read as Excel serial days: a header
            # must say "date" before we take them as one (yyyymmdd, 8 digits, is still recognised).
            bare_numbers = head.str.fullmatch(r"\d{1,6}(\.0+)?").mean() > 0.9 if len(head) else False
            rates[column] = date_parse_rate(sample[column], con=con) if has_digits and not bare_numbers else 0.0
        return rates[column]

    try:
        for role in ("date", "signup"):  # never a churn date: a last-activity date would churn everybody
            if role in needed and free:
                best = max(free, key=date_rate)
                if date_rate(best) >= 0.8:
                    roles[role] = best
                    free.remove(best)
        decimal = {c: sample[c].str.contains(r"[.,]\d{1,2}\s*\S{0,4}$", regex=True).mean() > 0.5 for c in free}
        if "customer" in needed:
            candidates = []
            for column in free:
                values = sample[column][sample[column] != ""]
                if not len(values) or decimal[column] or values.str.len().max() > 64 or date_rate(column) >= 0.5:
                    continue
                distinct = values.nunique() / len(values)
                if (0.01 <= distinct < 0.95) if kind == "purchases" else distinct >= 0.95:
                    id_like = values.str.fullmatch(r"[\w@.+\-#]+").mean() > 0.9
                    candidates.append((not id_like, column))
            if candidates:
                column = min(candidates, key=lambda t: (t[0], free.index(t[1])))[1]
                roles["customer"] = column
                free.remove(column)
        if "amount" in needed:
            numeric = [c for c in free if number_parse_rate(sample[c], con=con) >= 0.95 or currency_affix(sample[c], con)]
            decimals = [c for c in numeric if decimal[c]]
            if decimals or len(numeric) == 1:
                roles["amount"] = (decimals or numeric)[0]
    finally:
        con.close()
