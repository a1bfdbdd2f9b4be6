"""The workshop app (``normsim app``): a real server process driven by a real browser.

The server runs as ``python -m normsim.cli app`` on a free port of 127.0.0.1; Playwright drives
the Chromium that ``tests/browser.py`` finds (``make test`` installs one if the machine has
none). Every page records each request, websocket, failed response and console
error, and checks at the end that nothing left 127.0.0.1 and nothing went wrong. Expected values
come from the library run the same way, not from numbers copied here.
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
from browser import LAUNCH_ARGS, executable as browser_path

from normsim.analysis.narrative import key_events, sentences
from normsim.app.controls import BUNDLES, CONTROLS, HYPOTHESES
from normsim.app.session import Session
from normsim.hypotheses import BUNDLES as HYPOTHESIS_BUNDLES
from normsim.model import NormDiffusionModel
from normsim.records import STAGES
from normsim.scenario import PARAMETERS, defaults, list_scenarios, load, to_flat
from normsim.schema import SECTIONS

ARTIFACTS = Path(__file__).parent / "artifacts"
START_TIMEOUT = 60  # seconds for the server to announce itself
WAIT_MS = 20_000  # Playwright's wait for a selector or a text


# -- helpers: a server process, a browser, a recorded page ------------------------------------

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


@pytest.fixture(scope="module")
def server():
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    executable = browser_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, server):
    """Open the app in a fresh browser context (a separate visitor); check its traffic after."""
    contexts, recorders = [], []

    def opener(url: str | None = None, width: int = 1600, height: int = 1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        recorders.append(Recorder(page))
        contexts.append(context)
        page.goto(url or server.url)
        page.wait_for_selector("text=Week 0 of")
        return page

    yield opener
    for context in contexts:
        context.close()
    for rec in recorders:
        rec.check()


WEEK_JS = "parseInt(/Week (\\d+)/.exec(document.querySelector('.nm-week').innerText)[1])"


def week(page) -> int:
    return int(re.search(r"Week (\d+) of", page.inner_text(".nm-week")).group(1))


def step_to(page, target: int) -> None:
    """Click Step (4 weeks a click by default) and wait for the week to show."""
    before = week(page)
    page.click(".nm-step")
    page.wait_for_selector(f".nm-week:has-text('Week {target} of')")
    assert week(page) == target, f"from week {before}, expected {target}"


def choose(page, select: str, text: str) -> None:
    """Pick an item of a Vuetify select by its text."""
    page.click(select)
    page.click(f".menuable__content__active .v-list-item:has-text('{text}')")


def library_run(weeks: int, preset: str = "baseline", **values) -> NormDiffusionModel:
    settings = load(preset, values)
    model = NormDiffusionModel(rng=settings.run.seed, settings=settings)
    for _ in range(weeks):
        model.step()
    return model


# -- in the browser ---------------------------------------------------------------------------

def test_page_loads_with_controls_charts_and_no_outside_requests(open_page):
    page = open_page()
    for bundle in BUNDLES:
        assert page.locator(f".nm-bundle-{bundle.key} .nm-card-title").inner_text() == bundle.title
    assert page.locator(".nm-c-group_age_weeks .nm-label").inner_text() == \
        "How new is the group to the conflict? Its age in weeks (H1)"
    assert page.input_value(".nm-seed-input input") == str(load("baseline").run.seed)
    for name in ("compliance", "factors", "trust", "structure"):
        image = page.locator(f".nm-chart-{name} img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 300"), name
    assert page.inner_text(".nm-stage-text") == f"Score card: stage 0 of 6 — {STAGES[0]}"
    assert page.locator(".nm-stage").count() == len(STAGES)
    for button in (".nm-step", ".nm-play", ".nm-reset"):
        assert page.locator(button).is_enabled()
    assert "baseline" in page.inner_text(".nm-preset-select")


def test_step_advances_the_week_and_updates_chart_story_and_score_card(open_page):
    page = open_page()
    before = page.get_attribute(".nm-chart-compliance img", "src")
    step_to(page, 4)
    page.wait_for_function(
        "before => document.querySelector('.nm-chart-compliance img').src !== before", arg=before)
    model = library_run(4)
    first = sentences(key_events(model.events()))[0]
    page.wait_for_selector(f".nm-story:has-text('{first}')")
    stage = int(model.records()["stage"].iloc[-1])
    assert page.inner_text(".nm-stage-text").endswith(STAGES[stage])
    page.click(".nm-reset")
    page.wait_for_selector(".nm-week:has-text('Week 0 of')")


def test_choosing_a_preset_resets_the_model_to_it(open_page):
    page = open_page()
    step_to(page, 4)
    choose(page, ".nm-preset-select", "conditional_persuader")
    page.wait_for_selector(".nm-week:has-text('Week 0 of')")
    preset = load("conditional_persuader")
    assert page.inner_text(".nm-c-persuader_principled .nm-value") == \
        CONTROLS["persuader_principled"].show(preset.persuader.principled)
    assert " ".join(preset.description.split())[:60] in page.inner_text(".nm-preset-desc")
    assert "nm-preset" in page.get_attribute(".nm-c-persuader_principled", "class")
    assert page.locator(".nm-control.nm-preset").count() == 1  # it sets one parameter
    assert page.locator(".nm-control.nm-changed").count() == 0
    step_to(page, 4)


def test_two_visitors_have_independent_models(open_page):
    first, second = open_page(), open_page()
    step_to(first, 4)
    step_to(first, 8)
    assert week(second) == 0
    step_to(second, 4)
    step_to(first, 12)
    assert week(second) == 4


def test_play_runs_on_and_pause_stops(open_page):
    page = open_page()
    page.click(".nm-play")
    page.wait_for_function(f"() => {WEEK_JS} >= 12")
    page.click(".nm-play")
    page.wait_for_selector(".nm-play:has-text('Play')")
    paused = week(page)
    page.click(".nm-step")  # a tick already under way when Pause was clicked may still land
    page.wait_for_function(f"() => {WEEK_JS} !== {paused}")
    after = week(page)
    assert after in (paused + 4, paused + 8)
    step_to(page, after + 4)  # and nothing moves on its own any more


def test_values_outside_a_controls_range_cannot_be_entered(open_page):
    page = open_page()
    thumb = page.locator(".nm-c-group_insecurity [role=slider]")
    assert thumb.get_attribute("aria-valuemin") == "0"
    assert thumb.get_attribute("aria-valuemax") == "1"
    thumb.focus()
    page.keyboard.press("End")
    page.wait_for_selector(".nm-c-group_insecurity .nm-value:has-text('1.00')")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("PageUp")
    assert page.inner_text(".nm-c-group_insecurity .nm-value") == "1.00"
    assert "nm-changed" in page.get_attribute(".nm-c-group_insecurity", "class")
    page.fill(".nm-seed-input input", "-5")
    page.press(".nm-seed-input input", "Enter")
    page.wait_for_selector(".nm-error:has-text('seed must be a whole number')")
    step_to(page, 4)  # the run still uses a valid seed


def test_compare_shows_two_settings_from_the_same_seed(open_page, server):
    page = open_page()
    page.click(".nm-tab-1")
    page.wait_for_selector(".nm-chart-compare img")
    assert "Does it argue from principles" in page.inner_text(".nm-compare-factor")
    page.click(".nm-per-step .v-btn:has-text('52')")
    step_to(page, 52)
    step_to(page, 104)
    for side, value in (("left", 1.0), ("right", 0.0)):
        model = library_run(104, persuader_principled=value)
        stage = int(model.records()["stage"].iloc[-1])
        assert page.inner_text(f".nm-stage-text-{side}") == \
            f"Score card: stage {stage} of 6 — {STAGES[stage]}", side
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-compare.png"))


def test_screenshot_of_a_run_for_the_docs(open_page):
    page = open_page(width=1920, height=1080)
    page.click(".nm-per-step .v-btn:has-text('52')")
    for target in range(52, 261, 52):
        step_to(page, target)
    page.mouse.move(0, 0)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "app.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 50_000


def test_preset_option_opens_on_that_scenario(open_page):
    srv = Server("--preset", "peace_window")
    try:
        page = open_page(srv.url)
        assert "peace_window" in page.inner_text(".nm-preset-select")
        start = load("peace_window").environment.peace_start_week
        assert page.inner_text(".nm-c-environment_peace_start_week .nm-value") == str(start)
        page.context.close()  # before the server stops, or the page's reconnection would fail
    finally:
        srv.stop()


def test_server_logged_no_errors(server):
    assert server.proc.poll() is None, server.output()
    assert "Traceback" not in server.output() and "Error" not in server.output(), server.output()


# -- the command line: bad input ends with a message and status 2 ------------------------------

def test_busy_port_exits_2_with_a_clear_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(normsim("app", "--port", str(port)), capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_bad_preset_exits_2_with_the_shipped_names():
    done = subprocess.run(normsim("app", "--port", str(free_port()), "--preset", "no_such_preset"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "no_such_preset" in done.stderr and "baseline" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# -- the controls and the session, without a browser -------------------------------------------

def test_every_control_is_a_parameter_within_the_schemas_bounds():
    for control in CONTROLS.values():
        assert control.name in PARAMETERS
        if control.kind is bool:
            continue
        lo, hi = control.bounds
        meta = {type(m).__name__: m for m in control.field.metadata}
        assert meta["Ge"].ge <= lo < hi <= meta["Le"].le, control.name
        assert lo <= defaults()[control.name] <= hi, control.name
        assert control.clamp(hi + 1) == hi and control.clamp(lo - 1) == lo


def test_every_parameter_a_preset_sets_has_a_control():
    base = defaults()
    for name, *_ in list_scenarios():
        values = to_flat(load(name))
        changed = {k for k in values if values[k] != base[k]}
        assert changed <= set(CONTROLS), f"{name} sets {changed - set(CONTROLS)} without a control"


def test_controls_name_their_hypothesis_in_the_right_bundle():
    words = {"group": "armed group", "environment": "environment", "persuader": "persuader",
             "interaction": "interaction"}
    for bundle in BUNDLES:
        for control in bundle.controls:
            if control.hypothesis and control.name not in ("environment_listing_week",
                                                           "environment_listing_politicisation",
                                                           "group_aspiration",
                                                           "persuader_start_week"):
                where = HYPOTHESIS_BUNDLES[control.hypothesis.lower()]
                assert words[bundle.key] in where, (control.name, where)
    assert {c.name for c in HYPOTHESES[0].controls} == \
        {f for f in SECTIONS["hypotheses"].model_fields if f.endswith("_enabled")}


def test_session_refuses_settings_that_do_not_fit_together():
    session = Session("peace_window", ("persuader_principled", 1.0, 0.0))
    before = dict(session.values)
    session.set_value("environment_peace_end_week", 10)  # before the talks start (week 52)
    assert "peace_end_week" in session.error
    assert session.values == before
    session.set_value("environment_peace_end_week", 300)
    assert session.error == "" and session.values["environment_peace_end_week"] == 300


def test_compared_runs_match_the_main_run_when_their_setting_matches():
    session = Session("baseline", ("persuader_principled", 1.0, 0.0))
    session.advance(60)
    main, (left, right) = session.main.records(), session.pair
    assert main.equals(left.records())
    assert not main.equals(right.records())
    assert session.week == left.week == right.week == 60
