"""A run beside its control, on the one-run tab (issue 22, feature 1): the same run without any
engager, kept at the same week, the engagement's effect shaded between them."""

from __future__ import annotations

import base64

import pandas as pd
from playwright.sync_api import expect

from app_helpers import step_to, wait_week
from normsim.app.controls import COMPARE_DEFAULT
from normsim.app.interventions import change
from normsim.app.session import Session
from normsim.settings.scenario import load
from normsim.simulation.counterfactual import twin_settings
from normsim.simulation.model import NormDiffusionModel

W, H = 1280, 720


def test_the_control_shown_mid_run_is_the_twin_run_on_its_own_and_follows_changes():
    """Turned on at week 100, the control is the baseline's twin (the library's twin settings,
    the same seed) to the last digit; a change of conditions at week 120 reaches it too."""
    session = Session("baseline", COMPARE_DEFAULT)
    session.step(100)
    session.show_control(True)
    session.draft["environment_conflict_intensity"] = 0.9
    session.step(20)
    session.apply_now()
    session.step(30)
    control = session.run.twin
    assert control.steps == session.run.week == 150
    alone = NormDiffusionModel(rng=session.seed, settings=twin_settings(load("baseline")))
    for _ in range(120):
        alone.step()
    change(alone, {"environment_conflict_intensity": 0.9})
    for _ in range(30):
        alone.step()
    pd.testing.assert_frame_equal(control.records(), alone.records())
    assert not control.settings.engagers


def svg(page, name: str) -> str:
    src = page.locator(f".nm-chart-{name} img").get_attribute("src")
    return base64.b64decode(src.split(",", 1)[1]).decode()


def test_show_its_control_draws_it_with_the_effect_shaded_and_hide_removes_it(open_page, server):
    page = open_page(server.url, width=W, height=H, query="?week=156")
    wait_week(page, 156)
    assert "its control" not in svg(page, "compliance")
    page.click(".nm-control-toggle")
    expect(page.locator(".nm-control-toggle")).to_have_text("Hide its control")
    page.wait_for_function("() => atob(document.querySelector('.nm-chart-compliance img').src"
                           ".split(',')[1]).includes('its control')")
    assert "engagement&#39;s effect" in svg(page, "compliance") or \
        "engagement's effect" in svg(page, "compliance")
    step_to(page, 160)  # the control keeps the run's week
    page.click(".nm-control-toggle")
    expect(page.locator(".nm-control-toggle")).to_have_text("Show its control")
    page.wait_for_function("() => !atob(document.querySelector('.nm-chart-compliance img').src"
                           ".split(',')[1]).includes('its control')")
