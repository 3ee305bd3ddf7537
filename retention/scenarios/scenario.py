"""Scenario types: how "+X" turns a retention rate r (per period) into the scenario's r'.

  annual_pp +X points of ANNUAL retention, with n periods a year (Bain's "+5 % retention" is annual):
                                       r' = (r^n + X/100)^(1/n)          (monthly 95 % → 95.6 % for X = 5)
  pp        +X percentage points       r' = r + X/100                    (80 % → 85 % for X = 5)
  relative  +X % relative retention    r' = r·(1 + X/100)                (80 % → 84 %)
  churn_cut −X % churn                 r' = 1 − (1−r)(1 − X/100)         (80 % → 81 %)
  reason    remove X % of the churn attributed to one reason, whose share of all churn is s:
                                       r' = 1 − (1−r)(1 − s·X/100)
r' is kept within [0, R_CAP]; a scenario that had to be capped says so (`capped`), and the page warns.
"""

from __future__ import annotations

from dataclasses import dataclass

R_CAP = 0.999
KINDS = ("annual_pp", "pp", "relative", "churn_cut", "reason")


@dataclass(frozen=True)
class Scenario:
    kind: str                          # one of KINDS
    x: float                           # X, in points or %
    reason: str | None = None          # kind 'reason': the churn reason
    reason_share: float | None = None  # kind 'reason': the reason's share of churned customers, a fraction
    periods_per_year: float = 1.0      # kind 'annual_pp': periods of the model in a year (12 for months)


@dataclass(frozen=True)
class Applied:
    retention: float   # r' used by the model (after the cap)
    uncapped: float    # r' before the cap
    capped: bool       # r' would have reached R_CAP or more (100 % retention is impossible)
    floored: bool      # r' would have been below 0


def uncapped(r: float, scenario: Scenario) -> float:
    """r' by the scenario's formula, before any cap."""
    x = scenario.x / 100
    if scenario.kind == "annual_pp":
        n = scenario.periods_per_year
        year = r ** n + x
        return year ** (1 / n) if year >= 0 else year  # below 0: floored by apply
    if scenario.kind == "pp":
        return r + x
    if scenario.kind == "relative":
        return r * (1 + x)
    if scenario.kind == "churn_cut":
        return 1 - (1 - r) * (1 - x)
    if scenario.kind == "reason":
        if scenario.reason_share is None:
            raise ValueError("a churn-reason scenario needs the reason's share of churn")
        return 1 - (1 - r) * (1 - scenario.reason_share * x)
    raise ValueError(f"unknown scenario type {scenario.kind!r}; expected one of {KINDS}")


def apply(r: float, scenario: Scenario) -> Applied:
    """The scenario's retention, capped below 100 % (at R_CAP) and floored at 0."""
    raw = uncapped(r, scenario)
    return Applied(min(max(raw, 0.0), R_CAP), raw, raw >= R_CAP, raw < 0)


def equivalents(r: float, r_new: float, periods_per_year: float = 1.0) -> dict[str, float]:
    """The same move from r to r' in each scenario type's terms: annual_pp (points of annual retention, with
    periods_per_year periods a year), pp (points), relative_pct (% of r), churn_cut_pct (% of churn removed;
    NaN when r is 1)."""
    return {
        "annual_pp": (r_new ** periods_per_year - r ** periods_per_year) * 100,
        "pp": (r_new - r) * 100,
        "relative_pct": (r_new / r - 1) * 100 if r > 0 else float("nan"),
        "churn_cut_pct": (1 - (1 - r_new) / (1 - r)) * 100 if r < 1 else float("nan"),
    }
