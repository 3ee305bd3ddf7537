"""Deliberately simple reference for the What-if page's measured inputs (retention/scenarios/inputs.py), from
the page's own words: "active customers" = customers active on the analysis date; "new customers per month" =
the mean CN of the months pooled in the headline; "revenue per customer per month" = the net revenue of those
months ÷ their customer-months (the mean of the customers at the start and at the end of each month); "retention
per month" = the annual retention measured directly, to the power 1/12 (the rate that compounds to it).

Built on tests/helpers/reference_churn.period_table (the day-by-day CS/CN/CE counts), not on the SQL.
"""

from __future__ import annotations

import datetime as dt

from tests.helpers import reference_churn


def measured(rows, annual_pct: float, window: int = 90) -> dict:
    """rows: (customer_id, day, amount). annual_pct: the directly measured annual retention (reference_headline).
    Out: active, new_per_month, arpu, retention_month_pct over the last 12 complete months with customers, outside
    the first `window` days (the warm-up, when nobody can have lapsed yet)."""
    as_of = max(d for _, d, _ in rows)
    people = reference_churn.buyers(rows, as_of, window)
    table = reference_churn.period_table(people, as_of, "month")
    first = min(p.first_day() for p in people.values())
    warm_until = first + dt.timedelta(days=window)
    used = [r for r in table if r["complete"] and r["customers_start"] > 0 and r["period_end"] >= warm_until][-12:]
    revenue = sum(a for _, d, a in rows if used[0]["period_start"] <= d <= used[-1]["period_end"])
    exposure = sum((r["customers_start"] + r["customers_end"]) / 2 for r in used)
    return {"active": table[-1]["customers_end"], "new_per_month": sum(r["new_customers"] for r in used) / len(used),
            "arpu": revenue / exposure, "retention_month_pct": 100 * (annual_pct / 100) ** (1 / 12), "months": len(used)}


def annual_points_scenario(annual_pct: float, points: float) -> dict:
    """The "+X points of annual retention" scenario in the model's monthly terms: the year before and after, the
    month before and after (compounding to them), the change in points and the cut of monthly churn (%)."""
    year_after = annual_pct + points
    month, month_after = 100 * (annual_pct / 100) ** (1 / 12), 100 * (year_after / 100) ** (1 / 12)
    return {"year": annual_pct, "year_after": year_after, "month": month, "month_after": month_after,
            "points": month_after - month, "churn_cut": 100 * (month_after - month) / (100 - month)}


def outcomes(active: float, r: float, r_after: float, arpu: float, margin_pct: float, new: float, cac: float,
             discount_pct: float, months: int) -> dict:
    """The What-if page's four figures, period by period over `months` months, from the formulas it shows: margin
    m = ARPU × margin %, d = (1 + annual discount)^(1/12) − 1; a customer's value = Σ_{t=1..T} m r^t / (1+d)^t
    (margins at month ends), at month starts Σ_{t=0..T−1}; today's customers' value = N × a customer's value;
    a new customer's value = that − CAC; break-even programme cost = the gain in value at month starts ÷
    Σ_{t=0..T−1} (r′/(1+d))^t; profit with a constant inflow of A new customers a month: N_t = r N_(t−1) + A,
    Σ_t (N_t m − A CAC) / (1+d)^t; each at r (base) and r′ (scenario)."""
    m, d = arpu * margin_pct / 100, (1 + discount_pct / 100) ** (1 / 12) - 1

    def value(rate: float, first: int) -> float:
        return sum(m * rate ** t / (1 + d) ** t for t in range(first, first + months))

    def profit(rate: float) -> float:
        total, customers = 0.0, active
        for t in range(1, months + 1):
            customers = rate * customers + new
            total += (customers * m - new * cac) / (1 + d) ** t
        return total

    annuity = sum((r_after / (1 + d)) ** t for t in range(months))
    return {"profit_change": profit(r_after) - profit(r),
            "profit_change_pct": 100 * (profit(r_after) / profit(r) - 1),
            "base_value": active * value(r_after, 1), "base_value_change": active * (value(r_after, 1) - value(r, 1)),
            "new_value": value(r_after, 1) - cac,
            "new_value_change_pct": 100 * ((value(r_after, 1) - cac) / (value(r, 1) - cac) - 1),
            "break_even": (value(r_after, 0) - value(r, 0)) / annuity}
