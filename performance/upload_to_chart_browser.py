"""Benchmark (issue 20): seconds from an upload's last byte to the Cohorts heatmap visible, in a real browser.

Run: .venv/bin/python performance/upload_to_chart_browser.py [--rows 1000000] [--repeat 3] [--save] [--cold]
     [--code DIR]   (the server run from another checkout, e.g. an export of the code before a change)

Starts `streamlit run app.py` (tests/e2e's StreamlitServer) on a fresh data directory holding the demo, opens the
Upload data page in headless Chromium (Playwright, Debian's /usr/bin/chromium; from the Overview, as a visitor does,
or by its address with --cold: then the tab loads plotly's code for the first look's chart) and puts load_floor.py's
purchases CSV of `--rows` rows into the purchases file box through its real <input type=file>. Times are read in the
page, on one clock (performance.now()): the upload's last byte is the end of the upload request (its resource
timing's responseEnd); then the validation's figures shown, the first look's chart element received (`chart`) and
its heatmap drawn (`heatmap`: its heatmap layer in the DOM; the Data page's first look, store.Draft.build), and the
page's run finished (the rest of the derived tables built). With --save it then presses Save and times the saved
message and the Cohorts page's heatmap. Each repeat is a new browser context (a new session) on the same server; the
first is preceded by a warm-up run of the app. Prints one line per repeat and the median; the load average before
and after; then the server's steps alone, CPU and wall seconds (upload_to_chart.py's child; --no-steps skips them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from performance.load_floor import csv_file  # noqa: E402
from performance.upload_to_chart import server_steps  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TIMEOUT_MS = 300_000
CHART = ".st-key-data_first_look"  # the chart's element, before plotly has drawn it
HEATMAP = ".st-key-data_first_look .js-plotly-plot .heatmaplayer"
# In the page, before the upload: when the upload request ended, when the validation's figures, the first look's
# heatmap, and the end of the script's run appeared (performance.now(), ms).
WATCH = """() => {
    const t = window.__times = {};
    const now = () => performance.now();
    new PerformanceObserver(list => {
        for (const e of list.getEntries()) if (e.name.includes('/_stcore/upload_file')) t.uploaded = e.responseEnd;
    }).observe({type: 'resource', buffered: false});
    const app = document.querySelector("[data-testid='stApp']");
    const check = () => {
        if (t.uploaded === undefined) return;
        if (t.validation === undefined && document.querySelector("[data-testid='stMetric']")) t.validation = now();
        if (t.chart === undefined && document.querySelector(%r)) t.chart = now();
        if (t.heatmap === undefined && document.querySelector(%r)) t.heatmap = now();
        if (t.validation !== undefined && t.done === undefined
            && app.getAttribute('data-test-script-state') === 'notRunning') t.done = now();
    };
    new MutationObserver(check).observe(document.body, {subtree: true, childList: true, attributes: true});
}""" % (CHART, HEATMAP)


def build_demo(data_dir: Path, code: Path) -> None:
    """The demo dataset in data_dir (the app builds it on its first run otherwise)."""
    import subprocess

    subprocess.run([sys.executable, "-c", "from retention import store; store.ensure_demo()"], check=True, cwd=code,
                   env={**os.environ, "RETENTION_DATA_DIR": str(data_dir), "PYTHONPATH": str(code)})


def one_upload(browser, url: str, data: bytes, save: bool, cold: bool) -> dict:
    from e2e_helpers import open_page, wait_for_app
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="en-GB", timezone_id="UTC")
    try:
        page = context.new_page()
        if cold:
            open_page(page, f"{url}/data", timeout_ms=TIMEOUT_MS)
        else:  # as a visitor does: the Overview first (plotly's code loaded with its charts), then Upload data
            open_page(page, url, timeout_ms=TIMEOUT_MS)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
            page.get_by_role("link", name="Upload data").first.click()
            expect(page.get_by_test_id("stFileUploader").filter(has_text="Purchases file")).to_be_visible(
                timeout=TIMEOUT_MS)
            wait_for_app(page, TIMEOUT_MS)
        page.evaluate(WATCH)
        box = page.get_by_test_id("stFileUploader").filter(has_text="Purchases file")
        started = page.evaluate("performance.now()")
        box.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "purchases.csv", "mimeType": "text/csv", "buffer": data}])
        # the run's end, and the heatmap drawn when the page has the first look (on a tab that opened /data by its
        # address and has no plotly code yet, it is drawn after the run's end)
        page.wait_for_function("() => window.__times.done !== undefined && (window.__times.heatmap !== undefined"
                               f" || !document.querySelector({CHART!r}))", timeout=TIMEOUT_MS)
        t = page.evaluate("window.__times")
        out = {"sending": (t["uploaded"] - started) / 1000,  # None: not seen (code without the first look)
               **{k: (t[k] - t["uploaded"]) / 1000 if k in t else None
                  for k in ("validation", "chart", "heatmap", "done")}}
        if save:
            clicked = page.evaluate("performance.now()")
            page.get_by_role("button", name="Save dataset").click()
            expect(page.get_by_text("Saved “purchases”")).to_be_visible(timeout=TIMEOUT_MS)
            out["save"] = (page.evaluate("performance.now()") - clicked) / 1000
            page.get_by_role("link", name="Cohorts").first.click()
            page.wait_for_selector(".st-key-cohorts_heatmap .js-plotly-plot .heatmaplayer", timeout=TIMEOUT_MS)
            out["save → Cohorts heatmap"] = (page.evaluate("performance.now()") - clicked) / 1000
            out["done + save → Cohorts heatmap"] = out["done"] + out["save → Cohorts heatmap"]
        return out
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true", help="then press Save and open the Cohorts page")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="run the server from this checkout (e.g. an export of the code before a change)")
    parser.add_argument("--no-steps", action="store_true", help="skip upload_to_chart.py's server-side steps")
    parser.add_argument("--cold", action="store_true",
                        help="open the Upload data page by its address (plotly's code not loaded yet in the tab)")
    args = parser.parse_args()
    import e2e_helpers
    from e2e_helpers import StreamlitServer, open_page
    from playwright.sync_api import sync_playwright

    e2e_helpers.ROOT = args.code.resolve()  # the server's working directory: its app.py and retention/

    data = csv_file(args.rows).read_bytes()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="upload-chart-browser-") as tmp:
        data_dir, logs = Path(tmp) / "data", Path(tmp) / "logs"
        logs.mkdir()
        build_demo(data_dir, args.code.resolve())
        server = StreamlitServer(data_dir, logs, env={"RETENTION_LOAD_SECONDS": "0"}).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    warm = browser.new_context()
                    open_page(warm.new_page(), server.url, timeout_ms=TIMEOUT_MS)  # imports, the demo's first views
                    warm.close()
                    runs = []
                    for n in range(args.repeat):
                        runs.append(one_upload(browser, server.url, data, args.save, args.cold))
                        print(f"run {n + 1}: " + ", ".join(f"{k} {_s(v)}" for k, v in runs[-1].items()), flush=True)
                        time.sleep(1)
                finally:
                    browser.close()
        finally:
            server.stop()
    print(f"{args.rows:,} rows ({len(data) / 1e6:.0f} MB), code {args.code.resolve()}, {args.repeat} runs, load "
          f"average {load_before:.1f} → {os.getloadavg()[0]:.1f}; seconds after the upload's last byte (sending: "
          f"before it; save…: after the click), median:")
    for key in runs[0]:
        seen = [r[key] for r in runs if r[key] is not None]
        print(f"  {key}: {_s(statistics.median(seen)) if seen else 'not seen'} "
              f"(runs: {', '.join(_s(r[key]) for r in runs)})")
    if not args.no_steps:
        print("\nThe server's steps alone (upload_to_chart.py, CPU and wall seconds):")
        server_steps(args.rows, args.code)


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


if __name__ == "__main__":
    main()
