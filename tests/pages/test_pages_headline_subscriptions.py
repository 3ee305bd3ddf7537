"""Issue #21 on a customers file with signup and cancel dates (basis 'customers'): the Overview, Churn and Cohorts
pages' headline figures equal the plain references of tests/helpers, formatted as the pages show them (English).
One generated file (tests/helpers/reference_churn.subscription_file: same-period join-and-leave, same-day cancels,
a cancel before the signup, churned without a cancel date, missing signups, messy reason spellings), saved once;
each page is run once (AppTest)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from retention import store
from retention.ingest.canonical import prepare
from tests.conftest import app_data_dir, open_page
from tests.helpers import page_text, reference_churn, reference_cohorts, reference_headline
from tests.helpers.page_text import metrics, months, pct

SEED, CUSTOMERS = 3, 300
NO_REASON = "(no reason given)"


@pytest.fixture(scope="module")
def subscriptions(tmp_path_factory):
    """(data directory, dataset id, the generated frame with its `truth` reason labels)."""
    frame = reference_churn.subscription_file(SEED, n=CUSTOMERS)
    path = tmp_path_factory.mktemp("headline-subscriptions")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RETENTION_DATA_DIR", str(path))
        data = frame.drop(columns=["truth"]).to_csv(index=False).encode()
        dataset_id, _ = store.create_dataset(None, prepare(data, "customers.csv", "customers"), name="Subscriptions")
    return path, dataset_id, frame


@pytest.fixture
def run_page(subscriptions, monkeypatch):
    path, dataset_id, _ = subscriptions
    with app_data_dir(path, monkeypatch):
        yield lambda name, **query: open_page(f"pages/{name}.py", dataset=dataset_id, **query)


@pytest.fixture(scope="module")
def want(subscriptions):
    _, _, frame = subscriptions
    rows = reference_churn.subscription_rows(frame)
    customers = pd.DataFrame(rows, columns=["customer_id", "signup", "cancel", "churned"])
    customers = customers.astype(object).where(customers.notna(), None)
    as_of = max(d for d in list(customers["signup"]) + list(customers["cancel"]) if d is not None)
    active = reference_headline.subscription_active(customers, as_of)
    first = min(d for d in customers["signup"] if d is not None)
    kept = reference_headline.retention(active, first, as_of)
    assert kept["months"] == 12
    people = reference_churn.subscriptions(rows, as_of)
    table = reference_churn.period_table(people, as_of, "month")
    used = [r for r in table if kept["window"][0] <= r["period_start"] <= kept["window"][1]]
    cs = sum(r["customers_start"] for r in used)
    leavers = frame[(frame["cancel_date"] != "") | (frame["status"] == "Churned")]
    reasons = Counter(t if t else NO_REASON for t in leavers["truth"])
    # the cohort matrix by signup, survival: a customer is gone from the month of their cancel date
    files = pd.DataFrame({"customer_id": customers["customer_id"], "signup_date": customers["signup"],
                          "churn_date": customers["cancel"], "churned": customers["churned"]})
    files = files[~(files["churned"].astype(bool) & files["churn_date"].isna())]  # not placed in time: left out
    no_purchases = pd.DataFrame({"customer_id": pd.Series([], dtype=object),
                                 "purchased_at": pd.Series([], dtype="datetime64[ns]"),
                                 "amount": pd.Series([], dtype=float), "row_no": pd.Series([], dtype=int)})
    cells = reference_cohorts.matrix(no_purchases, files, {}, grain="month", mode="survival", cohort_by="signup",
                                     as_of=as_of)
    return {"customers": len(frame), "active": len(active(as_of)), "kept": kept,
            "crr": 100 * (sum(r["customers_end"] - r["new_customers"] for r in used)) / cs,
            "reasons": reasons, "cohort_lead": reference_cohorts.lead(cells, k=1, window=6)}


def texts(at) -> list[str]:
    return [e.value for e in list(at.markdown) + list(at.caption)]


def test_overview(run_page, want):
    at = run_page("overview")
    shown, kept = metrics(at), want["kept"]
    window = months(*kept["window"])
    assert shown["Customers"] == f"{want['customers']:,}"
    assert shown["Active customers"] == f"{want['active']:,}"
    assert shown[f"Customers kept over a year ({window})"] == pct(kept["direct"])
    assert shown[f"Customers kept per month ({window})"] == pct(kept["month"])
    assert (f"Of the customers we had at the start of {window}, **{pct(kept['direct'])}** were still customers at "
            f"its end; month by month, **{pct(kept['month'])}** stayed and **{pct(100 - kept['month'])}** left."
            ) in texts(at)
    total = sum(want["reasons"].values())
    top = sorted(want["reasons"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    lines = [t for t in texts(at) if t.endswith(f"of the {total:,} customers who left")]
    assert lines == [f"**{reason}** — {100 * n / total:.0f}% of the {total:,} customers who left" for reason, n in top]


def test_churn(run_page, want):
    at = run_page("churn")
    shown, kept = metrics(at), want["kept"]
    window = months(*kept["window"])
    assert shown[f"Customers kept over a year ({window})"] == pct(kept["direct"])
    assert shown[f"Customers kept per month ({window})"] == pct(kept["month"])
    assert shown[f"Customers lost per month ({window})"] == pct(100 - kept["month"])
    assert shown["Kept per month (active at start and end)"] == pct(kept["month"])
    assert shown["Standard formula (CE − CN) ÷ CS per month"] == pct(want["crr"])
    assert shown["Churn per month (standard formula)"] == pct(100 - want["crr"])
    n = kept["direct_customers"]
    assert (f"Of the {n:,} customers at the start of {window}, **{pct(kept['direct'])}** were still customers at its "
            f"end. Month by month, **{pct(kept['month'])}** stayed and **{pct(100 - kept['month'])}** left.") in texts(at)
    # nobody joined in 2025 (signups end in Dec 2024), so the standard formula equals the kept share exactly
    difference = want["crr"] - kept["month"]
    delta = next(m for m in at.metric if m.label.startswith("Standard formula")).delta
    assert delta == ("0.00 pts" if round(difference, 2) == 0 else f"{difference:+.2f} pts")


def test_cohorts(run_page, want):
    at = run_page("cohorts")
    assert at.markdown[0].value == page_text.cohorts_lead(want["cohort_lead"], "signed up",
                                                         "were still customers at the end of the next month")
