"""What a visitor takes home, and the end of a run (real server, real Chromium)."""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.image import imread

from app_helpers import library_run, per_step, step_to, wait_week
from normsim.analysis.narrative import key_events, sentences
from normsim.simulation.outcomes import outcomes
from normsim.simulation.records import STAGES
from normsim.settings.scenario import load


def download(page, button: str) -> bytes:
    with page.expect_download() as info:
        page.click(button)
    return open(info.value.path(), "rb").read()


def test_exports_hold_the_run_its_story_and_its_charts(open_page):
    page = open_page(width=1280, height=720, accept_downloads=True)
    step_to(page, 4)
    step_to(page, 8)
    model = library_run(8)
    table = pd.read_csv(io.BytesIO(download(page, ".nm-export-csv")))
    expected = model.records()
    assert list(table.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(table, expected.reset_index(drop=True), check_dtype=False)
    story = download(page, ".nm-export-txt").decode()
    title = load("baseline").title
    assert story.startswith(f"{title}: seed {load('baseline').run.seed}, week 8 of 520\n")
    lines = story.strip().splitlines()
    assert lines[1] == "Settings: preset “baseline”"
    assert lines[2].startswith("To see it again in the app: ?preset=baseline&seed=")
    assert lines[4:] == sentences(key_events(model.events()))
    png = download(page, ".nm-export-png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    assert Image.open(io.BytesIO(png)).text["Title"] == \
        f"{title}: seed {load('baseline').run.seed}, week 8 of 520"
    image = imread(io.BytesIO(png))
    assert image.shape[0] > image.shape[1] >= 1200  # three charts, one under another, print size


def test_the_end_of_a_run_is_summed_up(open_page, short_server):
    page = open_page(short_server.url, width=1280, height=720)
    per_step(page, 52)
    step_to(page, 52)
    step_to(page, 104)
    page.wait_for_selector(".nm-summary")
    assert page.locator(".nm-step").is_disabled() and page.locator(".nm-play").is_disabled()
    records = library_run(104, preset=short_server.scenario).records()
    out = outcomes(records)
    first = records[(records["step"] > 0) & (records["step"] <= 52)]["compliance_rate"].mean()
    text = page.inner_text(".nm-summary")
    stage = STAGES[int(out["final_stage"])]
    assert f"After 104 weeks the group is at stage {int(out['final_stage'])} of 6: {stage}" in text
    assert (f"Compliance in the first year: {round(100 * first)}%; in the last year: "
            f"{round(100 * out['final_compliance'])}%.") in text


def test_a_download_asked_while_a_step_lands_still_arrives(open_page):
    """The export buttons live across weeks: a click as the week changes is not lost."""
    page = open_page(width=1280, height=720, accept_downloads=True)
    step_to(page, 4)
    with page.expect_download() as info:
        page.click(".nm-step")
        page.click(".nm-export-csv")
    table = pd.read_csv(info.value.path())
    assert table["step"].max() in (4, 8)  # the run as it stood when the file was made
    wait_week(page, 8)
    assert pd.read_csv(io.BytesIO(download(page, ".nm-export-csv")))["step"].max() == 8
