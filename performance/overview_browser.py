"""Benchmark (issue 20): the Overview's first visit on a saved shop, in a real browser: seconds to its first card and
to the run's end.

Run: .venv/bin/python performance/overview_browser.py [--rows 1000000] [--repeat 2] [--code DIR]
                                                       [--screenshot PREFIX]

Saves load_floor.py's purchases CSV of `--rows` rows as a dataset in a fresh data directory (once; the same file for
every code), then, for each run, copies that directory (so that no process has the dataset's model in its caches),
starts `streamlit run app.py` from `--code` (default: this checkout) on the copy, warms the server up on the demo and
opens `/?dataset=<id>` in a new headless Chromium tab. Prints the seconds from the request to "Are we keeping
customers?" in the page (the first card) and to the script's end with a chart drawn, per run and their median.
The first card waited for the purchase model's fits before the Overview drew without them first (7 Dec 2026).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from performance.load_floor import csv_file  # noqa: E402
from performance.upload_to_chart_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TIMEOUT_MS = 900_000
SAVE = """
import sys
from pathlib import Path
from retention import store
from retention.ingest.canonical import prepare
from retention.ingest.stage import read_path
path = Path(sys.argv[1])
store.ensure_demo()
print(store.create_dataset(prepare(b"", path.name, "purchases", raw=read_path(path)), None, name="shop")[0])
"""


def saved_shop(rows: int, data_dir: Path) -> str:
    """The dataset id of the `rows`-row shop saved under data_dir (with the demo)."""
    env = {**os.environ, "RETENTION_DATA_DIR": str(data_dir), "RETENTION_MAX_UPLOAD_MB": "1000",
           "RETENTION_LOAD_SECONDS": "0", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SAVE, str(csv_file(rows))], check=True, cwd=ROOT, env=env,
                          capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def one_visit(code: Path, data_dir: Path, dataset: str, screenshot: str | None) -> tuple[float, float]:
    import e2e_helpers
    from e2e_helpers import StreamlitServer
    from playwright.sync_api import sync_playwright

    e2e_helpers.ROOT = code
    with tempfile.TemporaryDirectory(prefix="overview-browser-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        server = StreamlitServer(copy, Path(tmp), env={"RETENTION_LOAD_SECONDS": "0"}).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    warm = browser.new_page()
                    warm.goto(server.url)
                    warm.wait_for_selector("[data-testid='stMetric']", timeout=TIMEOUT_MS)
                    warm.close()
                    page = browser.new_page(viewport={"width": 1400, "height": 2000})
                    started = time.perf_counter()
                    page.goto(f"{server.url}/?dataset={dataset}")
                    page.get_by_text("Are we keeping customers?").wait_for(timeout=TIMEOUT_MS)
                    first = time.perf_counter() - started
                    if screenshot:
                        page.screenshot(path=f"{screenshot}-first.png", full_page=True)
                    page.wait_for_function(
                        "document.querySelector(\"[data-testid='stApp']\").getAttribute('data-test-script-state')"
                        " === 'notRunning' && document.querySelectorAll('.js-plotly-plot').length > 0",
                        timeout=TIMEOUT_MS)
                    end = time.perf_counter() - started
                    if screenshot:
                        page.screenshot(path=f"{screenshot}-end.png", full_page=True)
                    return first, end
                finally:
                    browser.close()
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--code", type=Path, default=ROOT, help="run the server from this checkout")
    parser.add_argument("--screenshot", help="save PREFIX-first.png and PREFIX-end.png of the last run")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="overview-shop-") as tmp:
        data_dir = Path(tmp) / "data"
        dataset = saved_shop(args.rows, data_dir)
        runs = []
        for n in range(args.repeat):
            runs.append(one_visit(args.code.resolve(), data_dir, dataset,
                                  args.screenshot if n == args.repeat - 1 else None))
            print(f"run {n + 1}: first card {runs[-1][0]:.2f} s, run's end {runs[-1][1]:.2f} s", flush=True)
    print(f"{args.rows:,} rows, code {args.code.resolve()}, load average {load_before:.1f} → "
          f"{os.getloadavg()[0]:.1f}; median of {args.repeat}: first card {statistics.median(r[0] for r in runs):.2f} s, run's end "
          f"{statistics.median(r[1] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
