"""A small client that speaks Streamlit's own browser protocol, for load and durability runs without a browser.

It does what the Streamlit frontend does, with the protobufs Streamlit ships (`streamlit.proto`): open the
websocket `/_stcore/stream`, send `rerun_script` BackMsgs (query string, page, widget states), and read
ForwardMsgs (`new_session`, `delta`, `page_info_changed`, `navigation`, `script_finished`). A file upload is
what `st.file_uploader` does in the browser: a `file_urls_request`, an HTTP PUT of the bytes to the URL the
server gives, then a rerun with the uploader's widget state. A button click is a rerun with its trigger.

So the server runs exactly the code a browser session runs (app.py, the pages, the save path), and the time
of a step is from the request to the server's `script_finished`; only the drawing in a browser is left out.
Elements are read as plain text (headings, markdown, alerts, metrics, captions), enough to check a page.
Traffic goes only to the given loopback URL.
"""

from __future__ import annotations

import asyncio
import http.cookies
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, FileUploaderState, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
TEXT_FIELDS = ("body", "label", "message", "code_text", "title")


class ScriptError(AssertionError):
    """The page showed an exception box."""


@dataclass
class Page:
    """What the last complete script run showed."""

    texts: list[str] = field(default_factory=list)
    widgets: dict[str, tuple[str, str]] = field(default_factory=dict)  # label → (element kind, widget id)
    exceptions: list[str] = field(default_factory=list)

    def has(self, text: str) -> bool:
        return any(text in t for t in self.texts)


class Session:
    """One browser-like session. `async with Session(url) as s: await s.open("/?dataset=…")`."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session_id = ""
        self.query_string = ""
        self.page = Page()
        self.pages: dict[str, str] = {}  # url path ("" for the default page) → page script hash
        self._building = Page()
        self._widgets: dict[str, WidgetState] = {}  # persistent widget values sent with every rerun
        self._page_hash = ""
        self._finished: asyncio.Future | None = None
        self._file_urls: dict[str, asyncio.Future] = {}
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._xsrf = ""

    async def __aenter__(self) -> "Session":
        import websockets

        self._xsrf = await asyncio.to_thread(self._xsrf_cookie)
        headers = {"Cookie": f"_streamlit_xsrf={self._xsrf}"} if self._xsrf else {}
        self._ws = await websockets.connect(
            self.url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit", self._xsrf or "x"],
            additional_headers=headers, max_size=None, open_timeout=self.timeout)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    def _xsrf_cookie(self) -> str:
        with urllib.request.urlopen(self.url + "/_stcore/health", timeout=self.timeout) as response:
            jar = http.cookies.SimpleCookie(", ".join(response.headers.get_all("Set-Cookie") or []))
        return jar["_streamlit_xsrf"].value if "_streamlit_xsrf" in jar else ""

    # ------------------------------------------------------------ reading ForwardMsgs

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg)
        except Exception as err:  # noqa: BLE001 - a dropped connection fails the waiting step
            if self._finished is not None and not self._finished.done():
                self._finished.set_exception(ConnectionError(f"connection lost: {err!r}"))
            return
        if self._finished is not None and not self._finished.done():
            self._finished.set_exception(ConnectionError("the server closed the connection"))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self._building = Page()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self._page_hash = msg.navigation.page_script_hash or self._page_hash
        elif kind == "file_urls_response":
            future = self._file_urls.pop(msg.file_urls_response.response_id, None)
            if future is not None and not future.done():
                future.set_result(list(msg.file_urls_response.file_urls))
        elif kind == "script_finished" and msg.script_finished != FINISHED_EARLY_FOR_RERUN:
            self.page = self._building
            if self._finished is not None and not self._finished.done():
                self._finished.set_result(msg.script_finished)

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "exception":
            self._building.exceptions.append(f"{body.type}: {body.message}")
        for name in TEXT_FIELDS:
            if name in body.DESCRIPTOR.fields_by_name and getattr(body, name):
                self._building.texts.append(getattr(body, name))
        if "id" in body.DESCRIPTOR.fields_by_name and "label" in body.DESCRIPTOR.fields_by_name and body.id:
            self._building.widgets[body.label] = (kind, body.id)

    # ------------------------------------------------------------ actions

    async def _rerun(self, triggers: list[WidgetState] = (), query_string: str | None = None,
                     page_hash: str | None = None) -> Page:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query_string if query_string is None else query_string
        rerun.page_script_hash = self._page_hash if page_hash is None else page_hash
        rerun.widget_states.widgets.extend([*self._widgets.values(), *triggers])
        self._finished = asyncio.get_running_loop().create_future()
        await self._send(msg)
        await asyncio.wait_for(self._finished, self.timeout)
        if self.page.exceptions:
            raise ScriptError("; ".join(self.page.exceptions))
        return self.page

    async def _send(self, msg: BackMsg) -> None:
        import websockets

        try:
            await self._ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as err:
            raise ConnectionError(f"connection lost: {err!r}") from None

    async def open(self, path: str = "/") -> Page:
        """A first visit (or a reload) of `path`, e.g. "/data" or "/?dataset=…"."""
        route, _, query = path.lstrip("/").partition("?")
        self.query_string = query
        self._widgets.clear()
        page = await self._rerun(query_string=query, page_hash=self.pages.get(route, ""))
        if route and self.pages.get(route) and self._page_hash != self.pages[route]:
            self._page_hash = self.pages[route]  # the first run only announced the pages
            page = await self._rerun(query_string=query, page_hash=self._page_hash)
        return page

    async def switch(self, route: str) -> Page:
        """Click a page in the sidebar navigation ("" = the default page, "cohorts", "data" …). As in the
        browser, the link carries no query string: the new page's view starts from its defaults."""
        self._page_hash = self.pages[route]
        self._widgets.clear()
        return await self._rerun(query_string="", page_hash=self._page_hash)

    def widget_id(self, label: str, kind: str | None = None) -> str:
        found, wid = self.page.widgets.get(label, (None, None))
        if wid is None or (kind and found != kind):
            raise KeyError(f"no {kind or 'widget'} labelled {label!r} on the page; widgets: {list(self.page.widgets)}")
        return wid

    async def click(self, label: str) -> Page:
        return await self._rerun([WidgetState(id=self.widget_id(label, "button"), trigger_value=True)])

    async def select(self, label: str, option: str) -> Page:
        """Pick `option` (as shown, i.e. after format_func) in the st.selectbox labelled `label`."""
        self._widgets[label] = WidgetState(id=self.widget_id(label, "selectbox"), string_value=option)
        return await self._rerun()

    async def set_text(self, label: str, value: str) -> Page:
        self._widgets[label] = WidgetState(id=self.widget_id(label, "text_input"), string_value=value)
        return await self._rerun()

    async def upload(self, label: str, data: bytes, name: str, mime: str = "text/csv") -> Page:
        """Put a file into the st.file_uploader labelled `label`, as the browser does, and wait for the run."""
        wid = self.widget_id(label, "file_uploader")
        request_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._file_urls[request_id] = future
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        await self._send(msg)
        urls: FileURLs = (await asyncio.wait_for(future, self.timeout))[0]
        await asyncio.to_thread(self._put, urls.upload_url, data, name, mime)
        state = FileUploaderState(uploaded_file_info=[UploadedFileInfo(
            name=name, size=len(data), file_id=urls.file_id, file_urls=urls)])
        self._widgets[label] = WidgetState(id=wid, file_uploader_state_value=state)
        return await self._rerun()

    def _put(self, upload_url: str, data: bytes, name: str, mime: str) -> None:
        boundary = uuid.uuid4().hex
        body = b"".join([f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                         f"Content-Type: {mime}\r\n\r\n".encode(), data, f"\r\n--{boundary}--\r\n".encode()])
        target = upload_url if upload_url.startswith("http") else self.url + upload_url
        request = urllib.request.Request(target, data=body, method="PUT", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": self._xsrf,
            "Cookie": f"_streamlit_xsrf={self._xsrf}"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()


def run(coroutine):
    """asyncio.run(coroutine) in a thread of its own: works even where an event loop already runs in this
    thread (pytest-playwright's sync API keeps one there)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def timed(action) -> tuple[float, Page]:
    """(seconds, result) of awaiting `action`."""
    start = time.perf_counter()
    page = await action
    return time.perf_counter() - start, page

