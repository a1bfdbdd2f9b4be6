"""A 45-minute workshop session, rehearsed in real Chromium at 1280x720 (docs/app.md).

The screenshots of the trainer's guide are made here (``tests/artifacts/app-session-*.png``,
copied to ``docs/images/``). Each step checks what the room should see at that moment.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_helpers import ARTIFACTS, choose, per_step, step_to, wait_week
from normsim.settings.scenario import load

W, H = 1280, 720


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-session-{name}.png"))


def test_a_45_minute_session(open_page, server):
    # 1. (minutes 0-5) the question, on stage: presenter mode on the baseline
    page = open_page(server.url, width=W, height=H)
    page.click(".nm-present")
    expect(page.locator(".nm-stage-title")).to_have_text(load("baseline").title)
    shot(page, "1-present")
    # 2. (5-15) predict, then reveal: the room votes while ten years run hidden
    page.click(".nm-veil-toggle")
    per_step(page, 52)
    for year in range(1, 6):
        step_to(page, 52 * year)
    expect(page.locator(".nm-veil")).to_be_visible()
    shot(page, "2-predict")
    page.click(".nm-veil-toggle")
    expect(page.locator(".nm-chart-compliance img")).to_be_visible()
    shot(page, "3-reveal")
    page.click(".nm-control-toggle")  # the same five years without any engager, beside it
    page.wait_for_function("() => atob(document.querySelector('.nm-chart-compliance img').src"
                           ".split(',')[1]).includes('its control')")
    shot(page, "3-control")
    page.click(".nm-present")  # leave presenter mode: the settings come back
    expect(page.locator(".nm-drawer")).to_be_visible()
    # 3. (15-25) what works? the settings against their control, over 5 seeds
    page.click(".nm-tab-1")
    page.wait_for_selector(".nm-compare-setup")
    choose(page, ".nm-compare-against", "its control")
    choose(page, ".nm-compare-seeds", "5")
    page.click(".nm-compare-run")
    # the same wait as tests/test_app_compare.py's (180 s): while the known hang lasts, a longer
    # one only made this test the suite's longest (5 minutes of a worker)
    page.wait_for_selector(".nm-chart-compare img", timeout=180_000)
    expect(page.locator(".nm-compare-verdict")).to_contain_text("The engagement's effect")
    shot(page, "4-control")
    # 4. (25-35) does it last? the engagement ends after three years: a stage lost, and why
    page = open_page(server.url, width=W, height=H, query="?preset=engagement_ends&week=520")
    wait_week(page, 520)
    expect(page.locator(".nm-summary")).to_contain_text("fallen back")
    page.click(".nm-close-settings")
    expect(page.locator(".nm-stage-title")).to_have_text(load("engagement_ends").title)
    shot(page, "5-lasts")
    # 5. (35-45) take it home: the handout, printed
    page.emulate_media(media="print")
    expect(page.locator(".nm-handout")).to_be_visible()
    page.pdf(path=str(ARTIFACTS / "app-session-handout.pdf"), width="21cm", height="29.7cm")
    page.emulate_media(media="screen")
