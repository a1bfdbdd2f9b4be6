"""The app never loses a visitor's run: rapid clicks are merged, work runs off the connection,
and a dropped connection comes back to the same run (real server, real Chromium)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app_helpers import library_run, per_step, step_to, wait_week, week
from normsim.analysis.narrative import key_events, sentences
from normsim.simulation.records import STAGES

LOST = ("Could not restore", "Server disconnected", "Connection lost", "refresh")


def assert_shows_library_run(page, weeks: int) -> None:
    """Score card and latest story line are those of the library's own run of ``weeks``."""
    model = library_run(weeks)
    stage = int(model.records()["stage"].iloc[-1])
    expect(page.locator(".nm-stage.nm-current")).to_have_text(STAGES[stage])
    story = sentences(key_events(model.events()))
    if story:
        expect(page.locator(".nm-latest .nm-story-lines div").first).to_have_text(story[-1])


def test_a_hundred_rapid_step_clicks_leave_the_run_alive_and_the_week_right(open_page, server):
    page = open_page(width=1280, height=720)
    per_step(page, 1)
    step = page.locator(".nm-step")
    for _ in range(100):
        step.click(delay=0, no_wait_after=True)
    # every click reaches the server: it became a step, or joined one under way
    page.wait_for_function("() => { const d = document.querySelector('.nm-bar').dataset;"
                           " return +d.steps + +d.coalesced === 100 && d.busy === '0'; }")
    steps = int(page.get_attribute(".nm-bar", "data-steps"))
    assert 1 <= steps <= 100
    wait_week(page, steps)  # each completed step moved the run one week
    assert_shows_library_run(page, steps)
    body = page.inner_text("body")
    assert not any(words in body for words in LOST), body[:500]
    step_to(page, steps + 1)  # the run is alive and still takes a step at a time
    server.check_quiet()


def test_a_burst_of_clicks_in_one_go_is_merged_not_queued(open_page):
    page = open_page(width=1280, height=720)
    page.evaluate("() => { const b = document.querySelector('.nm-step');"
                  " for (let i = 0; i < 100; i++) b.click(); }")
    page.wait_for_function("() => { const d = document.querySelector('.nm-bar').dataset;"
                           " return +d.steps + +d.coalesced === 100 && d.busy === '0'; }")
    steps = int(page.get_attribute(".nm-bar", "data-steps"))
    assert steps <= 3  # merged: a hundred clicks at once are one step and one waiting
    wait_week(page, 4 * steps)
    assert_shows_library_run(page, 4 * steps)


def test_a_dropped_connection_comes_back_to_the_same_run(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    sockets = []

    def relay(ws):  # the page's websocket passes through here, so the test can cut it
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r".*/jupyter/api/kernels/.*"), relay)
    page.goto(server.url)
    page.wait_for_selector(".nm-chart-compliance img")
    step_to(page, 4)
    step_to(page, 8)
    connections = len(sockets)
    sockets[-1].close()  # the connection drops (as on a flaky network)
    for _ in range(80):  # the page reconnects by itself
        if len(sockets) > connections:
            break
        page.wait_for_timeout(250)
    assert len(sockets) > connections, "the page did not reconnect"
    assert week(page) == 8
    step_to(page, 12)  # the same run goes on after the reconnection
    assert "Could not restore" not in page.inner_text("body")
    context.close()
