#!/usr/bin/env python
"""The workshop app's speed as a visitor meets it, in real Chromium on a real server (loopback).

    .venv/bin/python benchmarks/app.py

Prints one ``key: value`` line per figure: the server's start, the first paint (page opened to
the compliance chart shown), the Step latency (click to the new week shown, median of 10 at
4 weeks per step), 100 rapid Step clicks (time until the page is quiet, steps made, clicks
merged) and a comparison of 2 x 10 seeds of the baseline (in the app, and in the library alone).
Needs Chromium (see tests/app_helpers.py).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from app_helpers import Server, launch_browser, wait_week, week  # noqa: E402

QUIET = ("() => { const d = document.querySelector('.nm-bar').dataset;"
         " return +d.steps + +d.coalesced === 100 && d.busy === '0'; }")


def main() -> None:
    from playwright.sync_api import sync_playwright

    from normsim.analysis.replicates import compare
    from normsim.settings.scenario import load, with_values

    server = Server()
    print(f"server_start_s: {server.start_seconds:.2f}")
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.set_default_timeout(300_000)
            started = time.perf_counter()
            page.goto(server.url)
            page.wait_for_selector(".nm-chart-compliance img")
            print(f"first_paint_s: {time.perf_counter() - started:.2f}")
            latencies = []
            for _ in range(10):
                target = week(page) + 4
                started = time.perf_counter()
                page.click(".nm-step")
                wait_week(page, target)
                latencies.append(time.perf_counter() - started)
            print(f"step_latency_median_s: {statistics.median(latencies):.2f}")
            page.reload()
            page.wait_for_selector(".nm-chart-compliance img")
            started = time.perf_counter()
            for _ in range(100):
                page.locator(".nm-step").click(delay=0, no_wait_after=True)
            page.wait_for_function(QUIET)
            steps = int(page.get_attribute(".nm-bar", "data-steps"))
            print(f"clicks_100_quiet_after_s: {time.perf_counter() - started:.2f}")
            print(f"clicks_100_steps_made: {steps}")
            print(f"clicks_100_week_shown: {week(page)}")
            print(f"clicks_100_lost_connection: {'Could not restore' in page.inner_text('body')}")
            page.click(".nm-tab-1")
            started = time.perf_counter()
            page.click(".nm-compare-run")
            page.wait_for_selector(".nm-chart-compare img")
            print(f"compare_2x10_in_app_s: {time.perf_counter() - started:.2f}")
            browser.close()
    finally:
        server.stop()
    base = load("baseline")
    started = time.perf_counter()
    compare(base, with_values(base, {"persuader_principled": 0.0}, "bench"), seeds=10)
    print(f"compare_2x10_library_s: {time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main()
