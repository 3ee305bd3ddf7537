"""Load test: N concurrent browser sessions against one `streamlit run` server on loopback.

Each session is a real headless Chromium tab (its own browser context, so its own Streamlit session):
it opens the app, uploads its own purchases file on the Upload page, waits for the validation, saves,
then views the Overview, Cohorts and Churn pages of its own dataset. Every step's latency is the
time from the action to Streamlit's `data-test-script-state="notRunning"` with the expected text
visible. Reports p50/p95/max per step and the errors; checks each session saw only its own dataset.

    .venv/bin/python benchmarks/load_sessions.py --sessions 20 --rows 150000

Traffic goes only to 127.0.0.1; the run is bounded by --timeout seconds and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def purchases_csv(rows: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    customers = max(rows // 8, 10)
    frame = pd.DataFrame({
        "customer_id": [f"S{seed}-C{i}" for i in rng.integers(0, customers, rows)],
        "order_date": (pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, rows), unit="D")).strftime("%Y-%m-%d"),
        "amount": np.round(rng.lognormal(3.8, 0.5, rows), 2),
        "channel": rng.choice(["Web", "Shop", "App"], rows),
    })
    return frame.to_csv(index=False).encode()


def start_server(data_dir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RETENTION_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start")


async def settle(page, text: str | None = None, timeout_s: float = 120) -> None:
    await page.wait_for_timeout(150)  # let Streamlit flip to "running" first
    await page.wait_for_selector(IDLE, timeout=timeout_s * 1000)
    if text:
        await page.get_by_text(text).first.wait_for(timeout=timeout_s * 1000)
        await page.wait_for_selector(IDLE, timeout=timeout_s * 1000)


async def session(browser, url: str, index: int, data: bytes, rows: int, timings: dict, errors: list) -> None:
    name = f"load-{index}"
    context = await browser.new_context(viewport={"width": 1300, "height": 1000})
    page = await context.new_page()

    async def step(label: str, action, text: str | None = None):
        start = time.perf_counter()
        try:
            await action()
            await settle(page, text)
            timings.setdefault(label, []).append(time.perf_counter() - start)
        except Exception as err:  # noqa: BLE001 - a load test counts failures, it does not stop on them
            errors.append(f"session {index}, {label}: {str(err).splitlines()[0]}")
            raise

    try:
        await step("open app", lambda: page.goto(url + "/"), "Customers")
        await step("open upload page", lambda: page.goto(url + "/data"), "Upload your data")
        await step("upload + validate", lambda: page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            files=[{"name": f"{name}.csv", "mimeType": "text/csv", "buffer": data}]), "Rows used")
        await page.get_by_label("Dataset name").fill(name)
        await page.get_by_label("Dataset name").press("Enter")
        await settle(page)
        await step("save dataset", lambda: page.get_by_role("button", name="Save dataset").click(), "Saved")
        await step("overview", lambda: page.get_by_role("link", name="Overview").first.click(), name)
        await step("cohorts page", lambda: page.get_by_role("link", name="Cohorts").first.click())
        await step("churn page", lambda: page.get_by_role("link", name="Churn").first.click())
        await step("back to overview", lambda: page.get_by_role("link", name="Overview").first.click(), name)
        body = await page.inner_text("body")
        others = [f"load-{j}" for j in range(100) if j != index and f"load-{j}\n" in body + "\n"]
        if others:
            errors.append(f"session {index} saw other sessions' datasets: {others}")
    except Exception:  # noqa: BLE001 - already recorded
        pass
    finally:
        await context.close()


async def run(args) -> int:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        print("building the demo dataset in a fresh data directory…", flush=True)
        subprocess.run([sys.executable, "-c", "from retention import store; store.ensure_demo()"], cwd=ROOT,
                       env={**os.environ, "RETENTION_DATA_DIR": tmp}, check=True)
        proc, url = start_server(data_dir)
        files = [purchases_csv(args.rows, seed) for seed in range(args.sessions)]
        timings: dict[str, list[float]] = {}
        errors: list[str] = []
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                start = time.perf_counter()
                await asyncio.wait_for(asyncio.gather(*[
                    session(browser, url, i, files[i], args.rows, timings, errors) for i in range(args.sessions)]),
                    timeout=args.timeout)
                wall = time.perf_counter() - start
                await browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        print(f"\n{args.sessions} concurrent sessions, {args.rows:,} purchases each, {os.cpu_count()} cores, "
              f"wall time {wall:.1f} s\n")
        print(f"{'step':<20}{'n':>4}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
        for label, values in timings.items():
            values = sorted(values)
            p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
            print(f"{label:<20}{len(values):>4}{statistics.median(values):>9.2f}{p95:>9.2f}{values[-1]:>9.2f}")
        print(f"\nerrors: {len(errors)}")
        for err in errors[:20]:
            print("  " + err)
        return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=150_000, help="purchases per uploaded file (demo-sized: 150k)")
    parser.add_argument("--timeout", type=float, default=900, help="stop the whole run after this many seconds")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
