"""Deliberately simple reference for the upload page's counts (Rows read, Rows used, Rows rejected, Customers),
for a plain comma-separated purchases file with a header and the columns customer_id, order_date (YYYY-MM-DD) and
amount (a plain decimal number): a row is used when it has a customer id, a real date and a number; the customers
are the distinct ids of the rows used."""

from __future__ import annotations

import csv
import datetime as dt
import io


def counts(data: bytes) -> dict:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    used = [r for r in rows if r["customer_id"].strip() and _date(r["order_date"]) and _number(r["amount"])]
    return {"read": len(rows), "used": len(used), "rejected": len(rows) - len(used),
            "customers": len({r["customer_id"].strip() for r in used})}


def _date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
