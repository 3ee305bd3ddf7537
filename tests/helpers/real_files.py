"""The real-layout corpus (tests/fixtures/real/) and what makes a page acceptable on it, shared by the browser
test (tests/e2e/test_real_files.py: the upload through the file box, then every page) and the AppTest one
(tests/pages/test_real_files_pages.py: the same files saved as the upload saves them, then every page)."""

from __future__ import annotations

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real"
# page title in the sidebar → its url path (the page file is pages/<path or overview>.py)
PAGES = {"Overview": "", "Cohorts": "cohorts", "Churn": "churn", "Customers": "customers", "Benchmarks": "benchmarks",
         "What if": "whatif", "Did it work?": "impact"}
# Pages that answer a question only some files can (the purchase model needs purchases; a launch needs dates):
# on other files an info box saying why, and what would make it work, is the right page.
EXPLAINED_EMPTY = {"Customers", "Did it work?"}
# A chart title that states a finding: a sentence with a number in it ("In May 2025, 41% of buyers …").
FINDING = re.compile(r"\d")
CUSTOMERS_FILES = {"c_telco_customers_tenure_churn_sample.xlsx", "d_stripe_subscriptions.csv",
                   "Telco_customer_churn.xlsx", "Telco_customer_churn_status.xlsx"}
SUFFIXES = {".csv", ".txt", ".gz", ".xlsx"}
# Uploaded through the browser's file box (the rest of the corpus goes through AppTest, the same save and pages):
# a customers workbook and a legacy code page, the two whose bytes the browser's file transfer must keep as they
# are (a binary workbook, text that is not UTF-8). Plain UTF-8 CSV uploads go through the browser in
# tests/e2e/test_upload.py and friends.
IN_THE_BROWSER = {"c_telco_customers_tenure_churn_sample.xlsx", "f_polish_shop_cp1250.csv"}


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in SUFFIXES)


def slot(path: Path) -> str:
    """Which file box a user would drop the file in: "purchases" or "customers"."""
    return "customers" if path.name in CUSTOMERS_FILES else "purchases"


def problems_of(name: str, seen: dict, traceback: bool) -> list[str]:
    """What is wrong with a page, in words (empty list: the page is acceptable).

    seen: {"errors", "exceptions", "infos": [str], "metrics": [[label, value]], "charts": [chart title]}."""
    out = [f"{name}: error box: {e[:300]}" for e in seen["errors"]]
    out += [f"{name}: exception: {e[:500]}" for e in seen["exceptions"]]
    if traceback and not seen["exceptions"]:
        out.append(f"{name}: a Python traceback in the page")
    findings = [t for t in seen["charts"] if FINDING.search(t) and len(t.split()) >= 4]
    explained = name in EXPLAINED_EMPTY and any(len(t.split()) >= 8 for t in seen.get("infos", []))
    if not seen["metrics"] and not findings and not explained:
        out.append(f"{name}: no headline figure (st.metric) and no chart title stating a finding "
                   f"(chart titles: {seen['charts']})")
    return out
