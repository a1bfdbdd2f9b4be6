"""Compare two settings over several seeds, with bands and the difference in words (Chromium)."""

from __future__ import annotations

import base64

import numpy as np
from playwright.sync_api import expect

from app_helpers import choose
from normsim.analysis.replicates import compare, line_up
from normsim.simulation.counterfactual import twin_settings
from normsim.settings.scenario import load, with_values


def test_compare_shows_a_band_from_five_seeds_per_side_and_the_difference_in_words(open_page,
                                                                                    short_server):
    page = open_page(short_server.url, width=1280, height=720)
    page.click(".nm-tab-1")
    page.click(".nm-compare-seeds")
    page.click(".menuable__content__active .v-list-item:has-text('5')")
    page.click(".nm-compare-run")
    page.wait_for_selector(".nm-compare-progress")  # the runs go on off the page's thread ...
    page.click(".nm-tab-0")  # ... so the page answers meanwhile
    page.click(".nm-step")
    page.wait_for_selector(".nm-week:has-text('Week 4 of')")
    page.click(".nm-tab-1")
    page.wait_for_selector(".nm-chart-compare img", timeout=180_000)
    base = load(short_server.scenario)
    expected = compare(base, with_values(base, {"dialogue_principled": 0.0}, "test"),
                       seeds=5, root=base.run.seed)
    assert expected.left.band["n"].max() == 5
    text = page.inner_text(".nm-compare-verdict")
    pct = lambda x: f"{round(100 * x)}%"  # noqa: E731
    a, b, d = expected.left.estimate, expected.right.estimate, expected.difference
    assert (f"compliance was {pct(a.mean)} with a principled persuader (95% interval "
            f"{pct(a.low)} to {pct(a.high)}) and {pct(b.mean)} with a conditional persuader "
            f"({pct(b.low)} to {pct(b.high)}), over 5 seeds each") in text, text
    assert (f"The difference is {100 * d.mean:.1f} percentage points (95% interval "
            f"{100 * d.low:.1f} to {100 * d.high:.1f})") in text, text
    image = page.locator(".nm-chart-compare img")
    assert "95% interval" in image.get_attribute("alt")
    assert np.isfinite([a.low, a.high, d.low, d.high]).all()
    expect(page.locator(".nm-chart-compare img")).to_be_visible()
    assert "engagement" not in chart_svg(page)  # one factor two ways: no effect to shade


def chart_svg(page) -> str:
    src = page.locator(".nm-chart-compare img").get_attribute("src")
    return base64.b64decode(src.split(",", 1)[1]).decode()


def test_a_scenario_against_its_control_says_the_engagement_effect(open_page, short_server):
    """Feature: the settings against their twin without engagers, over the same seeds; the
    numbers are the library's (compare against counterfactual.twin_settings)."""
    page = open_page(short_server.url, width=1280, height=720)
    page.click(".nm-tab-1")
    choose(page, ".nm-compare-against", "its control")
    expect(page.locator(".nm-compare-factor")).to_have_count(0)
    page.click(".nm-compare-seeds")
    page.click(".menuable__content__active .v-list-item:has-text('5')")
    page.click(".nm-compare-run")
    page.wait_for_selector(".nm-chart-compare img", timeout=180_000)
    base = load(short_server.scenario)
    expected = compare(base, twin_settings(base), seeds=5, root=base.run.seed)
    d = expected.difference
    text = page.inner_text(".nm-compare-verdict")
    assert "The engagement's effect" in text
    assert "with its engagers" in text and "with no engager (its control)" in text, text
    assert (f"The difference is {100 * d.mean:.1f} percentage points (95% interval "
            f"{100 * d.low:.1f} to {100 * d.high:.1f})") in text, text
    svg = chart_svg(page)  # the effect is shaded between the two means, and named
    assert "engagement&#39;s effect" in svg or "engagement's effect" in svg
    assert "hatch" in svg.lower() or "<pattern" in svg


def test_a_preset_against_another_preset(open_page, short_server):
    page = open_page(short_server.url, width=1280, height=720)
    page.click(".nm-tab-1")
    other = load("no_engagement").title
    page.click(".nm-compare-against")
    page.click(f".menuable__content__active .v-list-item:has-text('{other}')")
    expect(page.locator(".nm-compare-against .v-select__selection")).to_contain_text(other)
    expect(page.locator(".nm-compare-empty")).to_be_visible()


def test_presets_side_by_side_each_with_its_band_and_the_settings_against_each(open_page,
                                                                               short_server):
    """Feature 1 of issue 22: whole presets side by side (here the settings, the control and
    the peace operation), each over the same seeds with its band; the numbers are the
    library's line-up of the same scenarios and seeds."""
    page = open_page(short_server.url, width=1280, height=720)
    page.click(".nm-tab-1")
    choose(page, ".nm-compare-against", "other presets, side by side")
    expect(page.locator(".nm-compare-run")).to_be_disabled()  # no preset chosen yet
    others = ("no_engagement", "engager_peace_operation")
    page.click(".nm-compare-presets")
    for name in others:
        page.click(f".menuable__content__active .v-list-item:has-text('{load(name).title}')")
    page.keyboard.press("Escape")
    choose(page, ".nm-compare-seeds", "5")
    page.click(".nm-compare-run")
    page.wait_for_selector(".nm-chart-compare img", timeout=240_000)
    base = load(short_server.scenario)
    expected = line_up([base, *(load(n) for n in others)], seeds=5, weeks=base.run.steps,
                       root=base.run.seed)
    text = page.inner_text(".nm-compare-verdict")
    for name, side in zip(("A short test run", *(load(n).title for n in others)),
                          expected.sides):
        assert f"“{name}”: {100 * side.estimate.mean:.0f}%" in text, text
    d = expected.differences[1]
    assert (f"against “{load(others[1]).title}”: {100 * d.mean:.1f} percentage points (95% "
            f"interval {100 * d.low:.1f} to {100 * d.high:.1f})") in text, text
    svg = chart_svg(page)
    assert all(load(n).title.split(":")[0] in svg for n in others)
