"""Acceptance: files of the real-layout corpus (tests/fixtures/real/, see its README) are uploaded through
the file box as a user does, saved, and every page is opened (two files here, IN_THE_BROWSER: a workbook and a
legacy code page; the other seven are saved as the upload saves them and every page is
checked the same way in AppTest, tests/pages/test_real_files_pages.py): no error box or exception anywhere, and each
page shows a headline figure (st.metric) or a chart whose title states a finding (a sentence with a number).

Each page is screenshotted at 1440 px wide (test-artifacts/e2e/real-<file>-<page>-<width>.png), and at 390 px
too with RETENTION_REAL_PHONE=1 (screenshots only, nothing is checked at that width: test_phone_layout.py and
test_customers_page.py check phone widths); what each page showed (metric labels and values, chart titles,
warnings) goes to real-<file>.json beside them.

Opt-in: RETENTION_REAL_DATA=/path/to/shared/data runs the same on the full public files (UCI Online Retail,
IBM Telco, CDNOW); skipped when the variable is not set.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e_helpers import ARTIFACTS, dataset_id_in_url, open_page, rerun, screenshot, upload, wait_for_app
from tests.helpers.real_files import CORPUS, IN_THE_BROWSER, PAGES, corpus_files, problems_of, slot

REAL_DATA = os.environ.get("RETENTION_REAL_DATA", "").strip()
# width → viewport height (Streamlit's main area scrolls inside the page). The phone screenshots are opt-in:
# 63 resizes and tall screenshots cost about a minute of CPU a run and check nothing.
WIDTHS = {1440: 2200, **({390: 3600} if os.environ.get("RETENTION_REAL_PHONE") == "1" else {})}
PAGE_TIMEOUT_MS = 120_000  # generous: 9 agents share 2 cores when this runs in development
SAVE_TIMEOUT_MS = 120_000
MIME = {".csv": "text/csv", ".txt": "text/plain", ".gz": "application/gzip",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
@dataclass(frozen=True)
class Upload:
    path: Path
    slot: str  # "purchases" or "customers": which file box a user would drop it in

    @property
    def label(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.path.name.split(".")[0])


def corpus() -> list[Upload]:
    """The corpus files uploaded in the browser (the others: tests/pages/test_real_files_pages.py)."""
    return [Upload(p, slot(p)) for p in corpus_files() if p.name in IN_THE_BROWSER]


def full_files() -> list[Upload]:
    if not REAL_DATA:
        return []
    root = Path(REAL_DATA)
    return [Upload(root / "online_retail" / "online_retail_uci352_2010-2011.csv.gz", "purchases"),
            Upload(root / "telco" / "Telco_customer_churn.xlsx", "customers"),
            Upload(root / "telco" / "Telco_customer_churn_status.xlsx", "customers"),
            Upload(root / "cdnow" / "CDNOW_master.txt", "purchases"),
            Upload(root / "cdnow" / "CDNOW_sample.txt", "purchases")]


# ---------------------------------------------------------------- what a page shows


_SHOWN = """() => {
  const text = el => (el ? (el.innerText ?? el.textContent ?? "").trim().replace(/\\s+/g, " ") : "");
  const q = sel => [...document.querySelectorAll(sel)];
  return {
    title: text(document.querySelector("[data-testid='stMain'] h1")),
    metrics: q("[data-testid='stMetric']").map(m => [text(m.querySelector("[data-testid='stMetricLabel']")),
                                                     text(m.querySelector("[data-testid='stMetricValue']"))]),
    // a wrapped title (#15.12) is one tspan per line: join the lines with a space
    charts: q("[data-testid='stPlotlyChart']").map(c => {
      const t = c.querySelector(".gtitle");
      const lines = t ? [...t.querySelectorAll("tspan.line")] : [];
      return lines.length ? lines.map(text).join(" ") : text(t);
    }),
    errors: q("[data-testid='stAlertContentError']").map(text),
    warnings: q("[data-testid='stAlertContentWarning']").map(text),
    infos: q("[data-testid='stAlertContentInfo']").map(text),
    exceptions: q("[data-testid='stException']").map(text),
  };
}"""


_DRAWN = """() => !document.querySelector("[data-testid='stMain'] [data-testid='stSkeleton']")
    && [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(c => c.querySelector(".main-svg"))"""
CHART_TIMEOUT_MS = 45_000  # a loaded 2-core machine can take this long


def shown(page) -> dict:
    """Title, metrics [label, value], chart titles, error/warning boxes and exceptions on the page."""
    try:  # Plotly is loaded lazily: a grey skeleton first, then the chart, drawn after the script run ends
        page.wait_for_function(_DRAWN, timeout=CHART_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - an undrawn chart shows as a chart with no title, and in the screenshot
        pass
    return page.evaluate(_SHOWN)


def screenshots(page, label: str) -> None:
    """The page at each width of WIDTHS; the page is at 1440 px before and after."""
    for width, height in WIDTHS.items():
        if width != 1440:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(150)  # Plotly and Streamlit re-lay out on resize
        screenshot(page, f"{label}-{width}")
    if len(WIDTHS) > 1:
        page.set_viewport_size({"width": 1440, "height": WIDTHS[1440]})


# ---------------------------------------------------------------- the flow


UPLOAD_ERRORS: dict[str, list[str]] = {}


def upload_and_save(page, app_url: str, item: Upload, timeout_ms: int) -> str:
    """Upload `item` on /data, save it under its file name, return the new dataset's id."""
    page.set_viewport_size({"width": 1440, "height": WIDTHS[1440]})
    open_page(page, f"{app_url}/data")
    upload(page, item.path.read_bytes(), item.path.name, which=0 if item.slot == "purchases" else 1,
           mime=MIME.get(item.path.suffix, "application/octet-stream"), timeout_ms=timeout_ms)
    main = page.get_by_test_id("stMain")
    save = page.get_by_role("button", name="Save dataset")
    errors = main.get_by_test_id("stAlertContentError")
    expect(save.or_(errors).first).to_be_visible(timeout=timeout_ms)
    wait_for_app(page, timeout_ms)  # the first look's heatmap is drawn after the Save button, in the same run
    if main.get_by_role("heading", name="First look: retention by monthly cohort").count():
        # drawn, not only sent: on a tab that opened /data directly, plotly's code loads with this first chart
        expect(main.locator(".js-plotly-plot").first).to_be_visible(timeout=timeout_ms)
    screenshot(page, f"real-{item.label}-upload")
    upload_errors = errors.all_inner_texts()
    if not save.count():
        pytest.fail(f"{item.path.name}: the upload shows an error box, nothing can be saved: "
                    f"{' | '.join(upload_errors)[:600]}", pytrace=False)
    name = f"Real {item.label}"
    box = page.get_by_label("Dataset name", exact=True)
    box.fill(name)
    with rerun(page, timeout_ms):
        box.press("Enter")
    with rerun(page, timeout_ms):
        save.click()
    expect(page.get_by_text(f"Saved “{name}”")).to_be_visible(timeout=timeout_ms)
    if upload_errors:  # saved all the same: the error box is still a finding
        UPLOAD_ERRORS[item.path.name] = upload_errors
    return dataset_id_in_url(page)


def go_to(page, app_url: str, name: str, dataset_id: str, timeout_ms: int) -> None:
    """Open page `name` as a user does (its sidebar link, same session); by its link when the sidebar is hidden."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True)
    if link.is_visible():
        with rerun(page, timeout_ms):
            link.click()
    else:
        open_page(page, f"{app_url}/{PAGES[name]}?dataset={dataset_id}", timeout_ms)


def check_every_page(page, app_url: str, item: Upload, dataset_id: str, timeout_ms: int) -> None:
    report = {}
    problems = [f"Upload data: error box: {e[:300]}" for e in UPLOAD_ERRORS.get(item.path.name, [])]
    for name, path in PAGES.items():
        go_to(page, app_url, name, dataset_id, timeout_ms)
        seen = shown(page)
        report[name] = seen
        if name == "Overview":  # the saved dataset is the one in view, not the demo
            expect(page.get_by_test_id("stMain").get_by_role("heading", name=f"Real {item.label}")).to_be_visible()
        problems += problems_of(name, seen, "Traceback" in page.content())
        screenshots(page, f"real-{item.label}-{path or 'overview'}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"real-{item.label}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    assert not problems, f"{item.path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("item", corpus(), ids=lambda u: u.path.name)
def test_real_file(page, app_url, item):
    dataset_id = upload_and_save(page, app_url, item, PAGE_TIMEOUT_MS)
    check_every_page(page, app_url, item, dataset_id, PAGE_TIMEOUT_MS)


@pytest.mark.skipif(not REAL_DATA, reason="set RETENTION_REAL_DATA=/path/to/shared/data to run on the full files")
@pytest.mark.parametrize("item", full_files() or [None], ids=lambda u: u.path.name if u else "none")
def test_full_public_file(page, app_url, item):
    if not item.path.exists():
        pytest.skip(f"{item.path} not found")
    dataset_id = upload_and_save(page, app_url, item, SAVE_TIMEOUT_MS * 3)
    check_every_page(page, app_url, item, dataset_id, SAVE_TIMEOUT_MS)


def test_corpus_is_small_and_documented():
    files = [Upload(p, slot(p)) for p in corpus_files()]
    assert len(files) == 9 and len(corpus()) == len(IN_THE_BROWSER)
    sizes = {u.path.name: u.path.stat().st_size for u in files}
    assert sum(sizes.values()) < 2_000_000 and max(sizes.values()) < 400_000, sizes
    readme = (CORPUS / "README.md").read_text()
    assert all(f"`{name}`" in readme for name in sizes), "every corpus file has a README row"
