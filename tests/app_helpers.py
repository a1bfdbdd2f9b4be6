"""Shared by the app's tests: a real ``normsim app`` server, a real browser, a recorded page.

The server runs as ``python -m normsim.cli app`` on a free port of 127.0.0.1; Playwright drives
Chromium, launched in one place (:func:`launch_browser`). Every page records each request,
websocket, failed response and console error, and checks at the end that nothing left
127.0.0.1 and nothing went wrong.

The fixtures (``browser``, ``server``, ``short_server``, ``open_page``) are made available to
every test module by ``tests/conftest.py``; a test names them as arguments and imports nothing.
The browser and the two servers live for the whole session of a pytest worker: every page opens
in a fresh browser context (a separate visitor, with its own run on the server), so tests share
the processes, not a visitor's state. Before, each module started its own Chromium and servers on
each worker (the first test of a module on a worker took 4-5 s more to set up).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser import LAUNCH_ARGS
from browser import executable as browser_executable
from normsim.app.page import STEP_CHOICES
from normsim.simulation.model import NormDiffusionModel
from normsim.settings.scenario import load

ARTIFACTS = Path(__file__).parent / "artifacts"
START_TIMEOUT = 60  # seconds for the server to announce itself
WAIT_MS = 45_000  # Playwright's wait for a selector or a text (the machine may be busy)
#: a short, small scenario for the tests that run to the end or many times (compare, summary)
SHORT = """title = "A short test run"
description = "The baseline with fewer fighters, for two years."
[run]
steps = 104
seed = 1
[group]
fighters = 120
"""


def launch_browser(playwright, executable: str):
    """The one place a browser is started for the app's tests: ``executable`` is the one
    ``tests/browser.py`` finds (``make test`` installs one where the machine has none); find it
    before starting Playwright, whose finder cannot run inside a running Playwright."""
    return playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def normsim(*args: str) -> list[str]:
    return [sys.executable, "-m", "normsim.cli", *args]


class Server:
    """``normsim app`` as a child process; its output is collected by reader threads."""

    def __init__(self, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        started = time.perf_counter()
        self.proc = subprocess.Popen(normsim("app", "--port", str(self.port), *args),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env)
        self.stdout, self.stderr = [], []
        lines: queue.Queue = queue.Queue()
        for stream, sink in ((self.proc.stdout, self.stdout), (self.proc.stderr, self.stderr)):
            threading.Thread(target=self._read, args=(stream, sink, lines), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                pytest.fail(f"normsim app did not start in {START_TIMEOUT} s: {self.output()}")
            if line is None and self.proc.poll() is not None:
                pytest.fail(f"normsim app exited with {self.proc.returncode}: {self.output()}")
            if line and line.startswith("normsim app: open"):
                break
        self.start_seconds = time.perf_counter() - started

    @staticmethod
    def _read(stream, sink, lines):
        for line in stream:
            sink.append(line)
            lines.put(line)
        lines.put(None)

    def output(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def check_quiet(self) -> None:
        """The server is still up and logged no error."""
        assert self.proc.poll() is None, self.output()
        assert "Traceback" not in self.output() and "Error" not in self.output(), self.output()


class Recorder:
    """Everything a page asked for or complained about."""

    def __init__(self, page):
        self.urls: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("websocket", lambda ws: self.urls.append(ws.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response",
                lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self) -> None:
        """Nothing left this machine, nothing failed to load, the console shows no error."""
        assert self.urls, "the page made no request at all"
        for url in self.urls:
            parsed = urlparse(url.removeprefix("blob:"))
            if parsed.scheme == "data":
                continue
            assert parsed.hostname == "127.0.0.1", f"request left the machine: {url}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture(scope="session")
def server():
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def short_server(tmp_path_factory):
    """A server that opens on :data:`SHORT` (its path: ``short_server.scenario``)."""
    path = tmp_path_factory.mktemp("scenario") / "short.toml"
    path.write_text(SHORT, encoding="utf-8")
    srv = Server("--preset", str(path))
    srv.scenario = path
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = browser_executable()
    with sync_playwright() as pw:
        chromium = launch_browser(pw, executable)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, request):
    """Open the app in a fresh browser context (a separate visitor); check its traffic after.

    Without a ``url``, the page opens on the session's ``server`` (started when first needed)."""
    contexts, recorders = [], []

    def opener(url: str | None = None, width: int = 1600, height: int = 1000,
               accept_downloads: bool = False, query: str = ""):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      accept_downloads=accept_downloads)
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        recorders.append(Recorder(page))
        contexts.append(context)
        page.goto((url or request.getfixturevalue("server").url) + query, timeout=2 * WAIT_MS)
        page.wait_for_selector(".nm-week")
        page.wait_for_selector(".nm-chart-compliance img")
        return page

    yield opener
    for context in contexts:
        context.close()
    for rec in recorders:
        rec.check()


# -- reading and driving the page -------------------------------------------------------------

WEEK_JS = "parseInt(/(\\d+)/.exec(document.querySelector('.nm-week').innerText)[1])"


def week(page) -> int:
    return int(re.search(r"(\d+)", page.inner_text(".nm-week")).group(1))


def wait_week(page, target: int) -> None:
    page.wait_for_function(f"() => {WEEK_JS} === {target}")


def step_to(page, target: int) -> None:
    """Click Step and wait for the week to show."""
    before = week(page)
    page.click(".nm-step")
    wait_week(page, target)
    assert week(page) == target, f"from week {before}, expected {target}"


def choose(page, select: str, text: str) -> None:
    """Pick an item of a Vuetify select by its text, scrolling its menu as a visitor would (a
    long menu draws its items as it is scrolled)."""
    page.click(select)
    item = page.locator(f".menuable__content__active .v-list-item:has-text('{text}')")
    for _ in range(10):
        if item.count():
            break
        page.locator(".menuable__content__active").evaluate("m => m.scrollTop = m.scrollHeight")
        page.wait_for_timeout(200)
    item.first.click()
    page.wait_for_selector(".menuable__content__active", state="hidden")  # the menu has closed


def per_step(page, weeks: int) -> None:
    button = f".nm-per-step .v-btn >> nth={STEP_CHOICES.index(weeks)}"
    page.click(button)
    page.wait_for_function("n => document.querySelector('.nm-per-step .v-btn--active')"
                           ".innerText.trim() === String(n)", arg=weeks)


def library_run(weeks: int, preset: str = "baseline", seed: int | None = None,
                **values) -> NormDiffusionModel:
    settings = load(preset, values)
    model = NormDiffusionModel(rng=settings.run.seed if seed is None else seed, settings=settings)
    for _ in range(weeks):
        model.step()
    return model


def inside(page, selector: str) -> bool:
    """The element's bounding box lies wholly inside the viewport (seen without scrolling)."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] + 0.5
            and box["y"] + box["height"] <= size["height"] + 0.5)
