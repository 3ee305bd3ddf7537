"""Load test: N concurrent browser-like sessions against one `streamlit run` server on loopback.

Each session opens the app, uploads its own purchases file on the Upload page, waits for the validation,
saves, then views the Overview, Cohorts (and changes its period) and Churn pages of its own dataset, twice:
once while the other sessions may still be uploading, and once after every session has saved. Reports
p50/p95/max per step, the page updates pooled (every page switch or control change after saving, the
figure the issue's goal is about: p95 < 2 s), and the errors; checks each session saw only its own dataset.

Two clients (--client):
- protocol (default): each session speaks Streamlit's own websocket protocol with the protobufs Streamlit
  ships (tests/e2e/streamlit_client.py): the same BackMsgs a browser sends (rerun with widget states, file
  upload URL request + HTTP PUT), so the server runs exactly what it runs for a browser. A step's time is
  from the request to the server's script_finished message; the browser's drawing is left out. 20
  sessions cost almost no CPU, so the server gets the cores, as it would with 20 people on their own machines.
- chromium: each session is a real headless Chromium tab (its own browser context); a step's time is until
  `data-test-script-state="notRunning"` with the expected text visible. The tabs share the cores with the
  server, which inflates every figure on a small machine.

    .venv/bin/python performance/load_sessions.py --sessions 20 --rows 150000
    .venv/bin/python performance/load_sessions.py --sessions 20 --rows 150000 --client chromium

Traffic goes only to 127.0.0.1; the run is bounded by --timeout seconds and stops by itself. When a step
fails, the error says what the page showed instead, and the server's log is printed; with
LOAD_DEBUG_DIR=<dir>, Chromium sessions also leave a screenshot of the failed step there, with the log.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
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
PAGE_UPDATES = ("overview", "cohorts page", "control change", "churn page", "back to overview")
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


def start_server(data_dir: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RETENTION_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
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
            try:
                shown = (await page.locator("h1").first.inner_text(timeout=5000)).strip()
                shown += f"; url {page.url}"
                if os.environ.get("LOAD_DEBUG_DIR"):
                    await page.screenshot(path=f"{os.environ['LOAD_DEBUG_DIR']}/session{index}-{label}.png")
            except Exception:  # noqa: BLE001
                shown = "?"
            errors.append(f"session {index}, {label}: {str(err).splitlines()[0]} (the page shows “{shown}”)")
            raise

    try:
        await step("open app", lambda: page.goto(url + "/"), "Customers")
        await step("open upload page", lambda: page.goto(url + "/data"), "Upload your data")
        await step("upload + validate", lambda: page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            files=[{"name": f"{name}.csv", "mimeType": "text/csv", "buffer": data}]), "Rows used")
        await page.get_by_label("Dataset name").fill(name)
        await page.get_by_label("Dataset name").press("Enter")
        await settle(page)
        # the whole message: "saved" alone is also in the page's caption ("Nothing is saved until…"), so the
        # step ended at once and the next click overtook the save
        await step("save dataset", lambda: page.get_by_role("button", name="Save dataset").click(), f"Saved “{name}”")
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


async def protocol_session(url: str, index: int, data: bytes, timings: dict, errors: list,
                           saved: asyncio.Barrier, think: float) -> None:
    """One session through Streamlit's websocket protocol (see the module docstring). With think > 0 it
    pauses 0.5–1.5 × think seconds (seeded per session) before each step, as a person reading the page would;
    with 0 every session fires its next request the moment the last one is answered."""
    import random

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from streamlit_client import Session

    name = f"load{index}"
    pause = random.Random(index)

    async def step(label: str, action, text: str | None = None):
        if think:
            await asyncio.sleep(think * pause.uniform(0.5, 1.5))
        start = time.perf_counter()
        try:
            page = await action
            if text and not page.has(text):
                raise AssertionError(f"{text!r} not on the page")
            timings.setdefault(label, []).append(time.perf_counter() - start)
            others = [f"load{j}" for j in range(100) if j != index and any(t == f"load{j}" for t in page.texts)]
            if others:
                errors.append(f"session {index}, {label}: saw other sessions' datasets {others}")
            return page
        except Exception as err:  # noqa: BLE001 - a load test counts failures, it does not stop on them
            errors.append(f"session {index}, {label}: {str(err).splitlines()[0] if str(err) else repr(err)}")
            raise

    async def views(suffix: str = ""):
        await step("overview" + suffix, session.switch(""), name)
        await step("cohorts page" + suffix, session.switch("cohorts"), "Cohorts")
        await step("control change" + suffix, session.select("Period", "Quarter" if not suffix else "Week"))
        await step("churn page" + suffix, session.switch("churn"), "Churn")
        await step("back to overview" + suffix, session.switch(""), name)

    waited = False
    try:
        async with Session(url, timeout=600) as session:
            await step("open app", session.open("/"), "Customers")
            await step("open upload page", session.switch("data"), "Upload your data")
            await step("upload + validate", session.upload("Purchases file", data, f"{name}.csv"), "Rows used")
            await step("save dataset", session.click("Save dataset"), f"Saved “{name}”")
            await views(" (others uploading)")
            waited = True
            await saved.wait()  # every session has saved (or failed): the store now serves reads only
            await views()
    except Exception:  # noqa: BLE001 - already recorded
        if not waited:
            await saved.wait()


def report(timings: dict, errors: list, header: str) -> None:
    print(header)
    print(f"{'step':<38}{'n':>5}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    pooled = {"page updates, pooled": [v for k in PAGE_UPDATES for v in timings.get(k, [])],
              "page updates (others uploading), pooled": [v for k in PAGE_UPDATES
                                                          for v in timings.get(k + " (others uploading)", [])]}
    for label, values in [*timings.items(), *((k, v) for k, v in pooled.items() if v)]:
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"{label:<38}{len(values):>5}{statistics.median(values):>9.2f}{p95:>9.2f}{values[-1]:>9.2f}")
    print(f"\nerrors: {len(errors)}")
    for err in errors[:20]:
        print("  " + err)


async def run(args) -> int:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        print("building the demo dataset in a fresh data directory…", flush=True)
        subprocess.run([sys.executable, "-c", "from retention import store; store.ensure_demo()"], cwd=ROOT,
                       env={**os.environ, "RETENTION_DATA_DIR": tmp}, check=True)
        log = data_dir / "server.log"
        proc, url = start_server(data_dir, log)
        load_before = os.getloadavg()[0]
        files = [purchases_csv(args.rows, seed) for seed in range(args.sessions)]
        timings: dict[str, list[float]] = {}
        errors: list[str] = []
        try:
            start = time.perf_counter()
            if args.client == "protocol":
                saved = asyncio.Barrier(args.sessions)
                await asyncio.wait_for(asyncio.gather(*[
                    protocol_session(url, i, files[i], timings, errors, saved, args.think)
                    for i in range(args.sessions)]),
                    timeout=args.timeout)
            else:
                async with async_playwright() as pw:
                    browser = await pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                    await asyncio.wait_for(asyncio.gather(*[
                        session(browser, url, i, files[i], args.rows, timings, errors)
                        for i in range(args.sessions)]), timeout=args.timeout)
                    await browser.close()
            wall = time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        think = f", think time {args.think:g} s" if args.client == "protocol" and args.think else ""
        report(timings, errors, f"\n{args.sessions} concurrent sessions ({args.client} client{think}), {args.rows:,} "
                                f"purchases each, {os.cpu_count()} cores, load average before "
                                f"{load_before:.1f}, wall time {wall:.1f} s\n")
        if errors:
            lines = log.read_text(errors="replace").splitlines()
            if os.environ.get("LOAD_DEBUG_DIR"):
                shutil.copy(log, Path(os.environ["LOAD_DEBUG_DIR"]) / "server.log")
            print("\nthe server's log (last 40 lines):\n" + "\n".join(lines[-40:]))
        return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rows", type=int, default=150_000, help="purchases per uploaded file (demo-sized: 150k)")
    parser.add_argument("--timeout", type=float, default=900, help="stop the whole run after this many seconds")
    parser.add_argument("--client", choices=("protocol", "chromium"), default="protocol",
                        help="Streamlit's websocket protocol without a browser (default), or real Chromium tabs")
    parser.add_argument("--think", type=float, default=0.0,
                        help="protocol client: mean pause in seconds before each step (default 0: none)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
