"""One projector screen: at 1280x720 with the settings shown, the stage needs no scrolling;
the control bar keeps to one row at 1024x768; charts are vector images, sharp at any size."""

from __future__ import annotations

import base64

import pytest

from app_helpers import ARTIFACTS, inside, per_step, step_to

STAGE = (".nm-week", ".nm-step", ".nm-play", ".nm-scorecard", ".nm-chart-compliance img",
         ".nm-latest .nm-story-lines div >> nth=0", ".nm-readout-value")
BAR = (".nm-week", ".nm-play", ".nm-step", ".nm-reset", ".nm-per-step")


def test_at_1280x720_with_settings_shown_the_stage_needs_no_scrolling(open_page):
    page = open_page(width=1280, height=720)
    assert page.locator(".nm-drawer").is_visible()  # the settings are shown
    assert page.locator(".nm-hint").is_visible() and inside(page, ".nm-hint")  # what to press
    step_to(page, 4)
    for selector in STAGE:
        assert inside(page, selector), selector
    assert page.evaluate("document.querySelector('.nm-main').scrollTop") == 0


@pytest.mark.parametrize("width, height", [(1024, 768), (1600, 900), (1280, 720)])
def test_the_control_bar_keeps_to_one_row(open_page, width, height):
    page = open_page(width=width, height=height)
    if width < 1200:  # a narrow screen opens with the drawer closed, as it would cover the stage
        page.wait_for_selector(".nm-drawer", state="detached")
    tops = [page.locator(s).bounding_box() for s in BAR]
    middles = [box["y"] + box["height"] / 2 for box in tops]
    assert max(middles) - min(middles) < 8, dict(zip(BAR, middles))
    for selector in STAGE:
        assert inside(page, selector), (width, selector)


def test_charts_are_vector_images_with_alternative_text(open_page):
    page = open_page(width=1280, height=720)
    for name in ("compliance", "factors", "trust", "structure"):
        image = page.locator(f".nm-chart-{name} img")
        src = image.get_attribute("src")
        assert src.startswith("data:image/svg+xml;base64,"), name
        assert base64.b64decode(src.split(",", 1)[1]).lstrip().startswith(b"<?xml"), name
        assert len(image.get_attribute("alt")) > 30, name


def test_screenshot_for_the_readme_at_1280x720(open_page):
    """docs/images/app.png is made here: the baseline at week 260, settings shown."""
    page = open_page(width=1280, height=720)
    per_step(page, 52)
    for target in range(52, 261, 52):
        step_to(page, target)
    page.mouse.move(0, 0)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "app.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 50_000
