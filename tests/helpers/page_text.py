"""How the pages write their headline figures in English, for page tests that compare what a page shows with a
reference's numbers: percentages, month windows, the metrics shown, and the Cohorts page's lead sentence."""

from __future__ import annotations

import datetime as dt


def pct(value: float, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}%"


def months(start: dt.date, end: dt.date) -> str:
    """A headline window: 'Jan 2024 – Dec 2024'."""
    return f"{start:%b %Y} – {end:%b %Y}"


def metrics(at) -> dict[str, str]:
    """label → value of every st.metric of an AppTest run."""
    return {m.label: m.value for m in at.metric}


def cohorts_lead(s: dict, started: str, outcome: str) -> str:
    """The Cohorts page's sentence (monthly cohorts) from reference_cohorts.lead output; started: 'first bought' or
    'signed up'; outcome: what the share did, e.g. 'bought again the next month'."""
    head = f"Of customers who {started} in **{s['latest_cohort']:%b %Y}** ({s['latest_size']:,}), **{pct(s['latest_pct'], 0)}** {outcome}; "
    if s["cohorts"] == 1 and s["average_cohorts"] == 1:
        return head + "no trend yet: it is the only cohort so far to have completed month 1."
    if s["cohorts"] == 1:
        return head + (f"no trend yet: it is the only cohort large enough to have completed month 1 (weighted average "
                       f"with the smaller ones: {pct(s['average_pct'], 0)}).")
    trend = ("risen" if s["latest_pct"] > s["first_pct"] + 0.5 else "fallen" if s["latest_pct"] < s["first_pct"] - 0.5
             else "level")
    first, latest, average = (pct(s[k], 0) for k in ("first_pct", "latest_pct", "average_pct"))
    story = (f"has stayed about level, from {first} to {latest}, over" if trend == "level"
             else f"has {trend} from {first} to {latest} over")
    return (f"Of customers who {started} in **{s['latest_cohort']:%b %Y}** ({s['latest_size']:,}), **{latest}** "
            f"{outcome}; month-1 retention {story} the last {s['cohorts']} cohorts (weighted average of all "
            f"{s['average_cohorts']} complete cohorts: {average}).")
