"""Helpers for the browser tests: a real `streamlit run` server, waits, screenshots, generated files.

Nothing here sleeps for a fixed time: waits poll a condition until a deadline.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
SCREENSHOT_VIEWPORT = {"width": 1400, "height": 2200}
APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
SERVER_START_TIMEOUT = 60.0
WAIT_TIMEOUT_MS = 60_000  # a wait, not a timing check: a script run on a loaded 2-core CI machine took over 30 s
WARM_UP_TIMEOUT_MS = 120_000  # a fresh server's first run imports everything (pandas, plotly, scipy, the catalogs)
# A dataset id in an address (?dataset=…): 32 URL-safe characters, not followed by another (an id may end in '-', so
# not a word boundary)
DATASET_IN_URL = re.compile(r"[?&]dataset=([A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """condition()'s first truthy value, checked every `interval` s until `timeout` s have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


class StreamlitServer:
    """`python -m streamlit run app.py` on a free loopback port, with its own RETENTION_DATA_DIR.

    The output goes to a log file (not a pipe: a full pipe would block the server) and is quoted
    in the error when the server dies or does not answer its health check.
    """

    def __init__(self, data_dir: Path, log_dir: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.wanted_port = port  # None: a free port at each start
        self.data_dir = Path(data_dir)
        self.log_dir = Path(log_dir)
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.starts = 0
        self.warm = False  # has a session run app.py yet (see conftest.warm_up)
        self.log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def start(self) -> "StreamlitServer":
        self.warm = False
        self.port = self.wanted_port or free_port()
        self.starts += 1
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # two workers' servers may get the same port in turn
        self.log_path = self.log_dir / f"streamlit-{worker}-{self.port}-{self.starts}.log"
        env = {**os.environ, "RETENTION_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1", **self.extra_env}
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py",
                 "--server.headless", "true", "--server.port", str(self.port), "--server.address", "127.0.0.1",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so a kill reaches any child too
            )
        try:
            poll(self._healthy, SERVER_START_TIMEOUT, f"{self.url}/_stcore/health", interval=0.2)
        except TimeoutError as err:
            self.stop()
            raise RuntimeError(f"{err}; server output:\n{self.output()}") from None
        return self

    def _healthy(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {self.proc.returncode}; output:\n{self.output()}")
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as response:
                return response.read() == b"ok"
        except OSError:
            return False

    def assert_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            raise AssertionError(f"the streamlit server died; output:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM killer would: no cleanup runs in the server."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def restart(self) -> "StreamlitServer":
        """A new server process (new port) on the same data directory."""
        self.stop()
        return self.start()


# ---------------------------------------------------------------- browser waits


def wait_for_app(page, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Connected, and the script has finished its run."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']",
                           state="attached", timeout=timeout_ms)
    page.wait_for_selector(APP_READY, state="attached", timeout=timeout_ms)


_ARM_RERUN_WATCH = """() => {
    window.__e2eRuns = 0;
    if (window.__e2eWatch) window.__e2eWatch.disconnect();
    window.__e2eWatch = new MutationObserver(records => { window.__e2eRuns += records.length; });
    window.__e2eWatch.observe(document.body,
                              {attributes: true, subtree: true, attributeFilter: ["data-test-script-state"]});
}"""


_FINISHED_RUNS: dict[int, list[int]] = {}  # id(page) → [script runs finished], counted from the websocket
_ASKED_RUNS: dict[int, list[int]] = {}  # id(page) → [script runs the page asked for (rerun_script sent)]


def _counter(message, counts, count: list[int]):
    """A websocket frame handler adding 1 to count[0] for each binary frame that parses as the protobuf class
    `message` and that `counts(msg)` says counts."""
    def on_frame(payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            try:
                msg = message.FromString(bytes(payload))
            except Exception:  # noqa: BLE001 - not one of Streamlit's messages: not ours to count
                return
            if counts(msg):
                count[0] += 1
    return on_frame


def _count_runs(page) -> None:
    """Count the script runs the server reports finished to this page (its ForwardMsg script_finished) and those
    the page asks for (BackMsg rerun_script), from the next websocket the page opens on. A run too quick to show in
    the DOM is still counted."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if id(page) in _FINISHED_RUNS:
        return
    count = _FINISHED_RUNS[id(page)] = [0]
    asked = _ASKED_RUNS[id(page)] = [0]
    early = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")

    sent = _counter(BackMsg, lambda msg: msg.WhichOneof("type") == "rerun_script", asked)
    frame = _counter(ForwardMsg, lambda msg: msg.WhichOneof("type") == "script_finished"
                     and msg.script_finished != early, count)

    def watch(ws) -> None:
        ws.on("framereceived", frame)
        ws.on("framesent", sent)

    page.on("websocket", watch)


def frames_received(page) -> list[bytes]:
    """A list that fills with every binary frame (a Streamlit ForwardMsg) the server sends this page on the next
    websocket it opens: call it before open_page. What a run drew and then replaced is still in it."""
    frames: list[bytes] = []

    def keep(payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            frames.append(bytes(payload))

    page.on("websocket", lambda ws: ws.on("framereceived", keep))
    return frames


def reruns_asked(page) -> int:
    """How many script runs this page has asked the server for (rerun_script messages sent on its websocket since
    open_page first opened it: page loads, widget changes, clicks)."""
    return _ASKED_RUNS[id(page)][0]


def page_alerts(page) -> list[str]:
    """The texts of the page's alerts, spinners and status captions, for a failure's message."""
    return [t.strip()[:200] for t in page.locator(
        "[data-testid='stAlert'], [data-testid='stSpinner'], [data-testid='stStatusWidget'], "
        "[data-testid='stCaptionContainer']").all_inner_texts() if t.strip()]


@contextmanager
def rerun(page, timeout_ms: int = WAIT_TIMEOUT_MS):
    """Around an action that makes Streamlit rerun the script: on exit, a rerun has started and finished.

    Waiting only for 'notRunning' after an action races with the rerun not having started yet. The
    server's script_finished messages on the page's websocket are counted (open_page starts counting);
    a MutationObserver on the script state covers pages opened some other way.
    """
    page.evaluate(_ARM_RERUN_WATCH)
    counted = _FINISHED_RUNS.get(id(page))
    before = counted[0] if counted else None
    yield
    if counted is None:
        page.wait_for_function("() => window.__e2eRuns > 0", timeout=timeout_ms)
    else:
        deadline = time.monotonic() + timeout_ms / 1000
        while counted[0] == before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no script run finished within {timeout_ms / 1000:.0f}s of the action; "
                                   f"{page.url} shows: {page_alerts(page)}")
            page.wait_for_timeout(20)  # lets Playwright deliver the websocket events
    wait_for_app(page, timeout_ms)


def tick(page, scope, label: str, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Tick the checkbox labelled `label` in `scope` and wait for the rerun it starts.

    Seen on a loaded machine: a click on a sidebar checkbox's label that never toggled it, so no rerun came and
    the wait ran out. The box's own state is checked after each click, and the click repeated (up to three
    times) only while it is still unticked, so a late toggle is never undone."""
    from playwright.sync_api import expect

    wait_for_app(page, timeout_ms)
    box = scope.get_by_test_id("stCheckbox").filter(has_text=label)
    checkbox = box.get_by_role("checkbox")
    with rerun(page, timeout_ms):
        for attempt in range(3):
            if checkbox.is_checked():
                break
            box.get_by_text(label).click()
            try:
                expect(checkbox).to_be_checked(timeout=10_000)
                break
            except AssertionError:
                if attempt == 2:
                    raise


def open_page(page, url: str, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    _count_runs(page)
    page.goto(url)
    page.get_by_test_id("stAppViewContainer").wait_for(timeout=timeout_ms)
    wait_for_app(page, timeout_ms)


def metric_value(page, label: str):
    """Locator of the value of the st.metric whose label is exactly `label`."""
    label_loc = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_loc).get_by_test_id("stMetricValue")


def combobox(scope, label: str):
    """The input of the st.selectbox labelled `label` inside `scope` (page or locator); its value is the choice."""
    return scope.get_by_role("combobox", name=label, exact=True)


def choose(page, scope, label: str, option: str) -> None:
    """Pick `option` in the st.selectbox labelled `label`, and wait for the rerun it triggers."""
    combobox(scope, label).click()
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def options(page, scope, label: str) -> list[str]:
    """The options the st.selectbox labelled `label` offers (opens its list, reads it, closes it)."""
    box = combobox(scope, label)
    box.click()
    listed = page.get_by_role("listbox")
    listed.wait_for()
    texts = [t.strip() for t in listed.get_by_role("option").all_inner_texts()]
    box.press("Escape")
    listed.wait_for(state="hidden")
    return texts


def assert_clean(page) -> None:
    """No exception box, no Python traceback, no "Page not found" dialog anywhere on the page."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("dialog").filter(has_text="Page not found")).to_have_count(0)
    assert "Traceback" not in page.content()


_CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
    .every(chart => chart.querySelector(".main-svg"))"""


def screenshot(page, name: str) -> Path:
    """Save the whole viewport (tall, because Streamlit's main area scrolls inside the page).

    Plotly draws after the script run ends: wait (a little) for the charts, so the picture shows them.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    try:
        page.wait_for_function(_CHARTS_DRAWN, timeout=5_000)
    except Exception:  # noqa: BLE001 - a chart that never draws is visible in the picture itself
        pass
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------- generated files


@dataclass(frozen=True)
class PurchasesFile:
    """A generated purchases CSV and the numbers a correct app must show for it (known by construction)."""

    data: bytes
    rows: int
    customers: int
    revenue: float  # sum of order_total
    bad_alt_rows: int  # rows whose alt_total is not a number
    customers_with_alt: int  # customers with at least one row whose alt_total is a number

    @property
    def rows_used_with_alt(self) -> int:
        return self.rows - self.bad_alt_rows


def purchases_csv(rows: int, customers: int, bad_alt_every: int = 0, prefix: str = "C") -> PurchasesFile:
    """Columns order_id, customer_id, order_date, order_total, alt_total, channel.

    Every row is distinct (unique order_id) and every amount positive; row i belongs to customer i % customers,
    dated within 2023-01-02 … 2024-12-01. With bad_alt_every = k > 0, rows 0, k, 2k, … have alt_total "n/a".
    """
    assert rows >= customers
    lines = ["order_id,customer_id,order_date,order_total,alt_total,channel"]
    bad = 0
    cents = 0
    good_alt = set()
    channels = ("Email", "Referral", "Paid social")
    for i in range(rows):
        day = 1 + (i * 7919) % 700
        date = time.strftime("%Y-%m-%d", time.gmtime(1672531200 + day * 86400))  # 2023-01-01 + day
        amount = f"{10 + (i * 37) % 190}.{i % 100:02d}"
        cents += (10 + (i * 37) % 190) * 100 + i % 100
        if bad_alt_every and i % bad_alt_every == 0:
            alt = "n/a"
            bad += 1
        else:
            alt = f"{5 + (i * 13) % 90}.50"
            good_alt.add(i % customers)
        lines.append(f"O{i:07d},{prefix}{i % customers:06d},{date},{amount},{alt},{channels[i % 3]}")
    return PurchasesFile(("\n".join(lines) + "\n").encode(), rows, customers, cents / 100, bad, len(good_alt))


def upload(page, data: bytes, name: str, which: int | str = 0, mime: str = "text/csv",
           timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Put a file into an st.file_uploader through its real <input type=file>: the `which`-th, or the one
    labelled `which` (waited for, so a render still in progress cannot send it to another box); wait for
    the rerun."""
    if isinstance(which, int):  # every upload of the tests is on the data page: its boxes by label, not index
        which = ("Purchases file", "Customers file")[which]
    if isinstance(which, str):
        from playwright.sync_api import expect

        box = page.get_by_test_id("stFileUploader").filter(has_text=which)
        expect(box).to_be_visible(timeout=timeout_ms)
        target = box.get_by_test_id("stFileUploaderDropzoneInput")
    else:
        target = page.get_by_test_id("stFileUploaderDropzoneInput").nth(which)
    with rerun(page, timeout_ms):
        target.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])


def fill_text(page, label: str, text: str) -> None:
    """Type into the st.text_input labelled `label` and commit it (Enter), waiting for the rerun.

    The fill is inside the wait: a box that loses its focus commits what it holds (a late redraw can take it), and
    then the Enter changes nothing and starts no run. Seen once in a full run (7 Dec 2026): the name committed
    before the wait began, and the wait for the Enter's run ran out."""
    box = page.get_by_label(label, exact=True)
    with rerun(page):
        box.fill(text)
        box.press("Enter")


def save_dataset(page, name: str) -> None:
    """On the upload page: name the dataset, press Save, wait for the saved message and the link's id."""
    from playwright.sync_api import expect

    fill_text(page, "Dataset name", name)
    with rerun(page):
        page.get_by_role("button", name="Save dataset").click()
    expect(page.get_by_text(f"Saved “{name}”")).to_be_visible(timeout=WAIT_TIMEOUT_MS)
    expect(page).to_have_url(DATASET_IN_URL)


def tmp_files(data_dir: Path) -> list[Path]:
    return sorted((Path(data_dir) / "tmp").glob("*.tmp*"))


def data_dir_with_demo(path: Path, demo_file: Path) -> Path:
    """A fresh RETENTION_DATA_DIR at `path` holding a copy of the demo dataset (so servers start quickly)."""
    (path / "datasets").mkdir(parents=True)
    (path / "tmp").mkdir()
    shutil.copy2(demo_file, path / "datasets" / "demo.duckdb")
    return path


def dataset_id_in_url(page) -> str:
    """The dataset id in the page's address (?dataset=…), which a save puts there."""
    found = DATASET_IN_URL.search(page.url)
    assert found, f"no dataset id in {page.url}"
    return found.group(1)


def dataset_files_of(data_dir: Path, dataset_id: str) -> list[Path]:
    """The files of one dataset that exist on disk (its .duckdb, .duckdb.wal and .json)."""
    base = Path(data_dir) / "datasets" / dataset_id
    return [p for p in (Path(f"{base}.duckdb"), Path(f"{base}.duckdb.wal"), Path(f"{base}.json")) if p.exists()]


def open_files_under(pid: int, directory: Path) -> list[str]:
    """Paths under `directory` that process `pid` holds open (Linux /proc), deleted ones included."""
    found = []
    root = str(Path(directory).resolve())
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith(root):
            found.append(target)
    return found
