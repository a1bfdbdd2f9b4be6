"""Changing conditions mid-run, restarting, and refusals in plain words (real server, Chromium)."""

from __future__ import annotations

from playwright.sync_api import expect

from app_helpers import Server, choose, library_run, step_to, wait_week, week
from normsim.analysis.narrative import key_events, sentences
from normsim.app.interventions import change
from normsim.simulation.records import STAGES
from normsim.settings.scenario import load

INTENSITY = ".nm-c-environment_conflict_intensity"


def set_to_end(page, control: str) -> None:
    page.locator(f"{control} [role=slider]").focus()
    page.keyboard.press("End")


def test_a_change_from_this_week_on_keeps_the_week_and_adds_a_marker(open_page):
    page = open_page(width=1280, height=720)
    step_to(page, 4)
    step_to(page, 8)
    set_to_end(page, INTENSITY)
    page.wait_for_selector(f"{INTENSITY} .nm-value:has-text('1.00')")
    assert week(page) == 8  # waiting, not applied: the run goes on as it was
    page.click(".nm-apply-now")
    page.wait_for_selector(".nm-chart-compliance img[alt*='conditions changed (week 8)']")
    assert week(page) == 8
    assert page.locator(".nm-apply").count() == 0
    step_to(page, 12)
    model = library_run(8)  # the library's run, changed the same way at week 8
    change(model, {"environment_conflict_intensity": 1.0})
    for _ in range(4):
        model.step()
    story = sentences(key_events(model.events()))
    assert any(line.startswith("Week 8: conditions changed") for line in story)
    expect(page.locator(".nm-story")).to_contain_text("Week 8: conditions changed")
    expect(page.locator(".nm-stage.nm-current")).to_have_text(
        STAGES[int(model.records()["stage"].iloc[-1])])
    page.click(".nm-reset")  # "restart with these settings" is what Reset does
    wait_week(page, 0)
    assert page.inner_text(f"{INTENSITY} .nm-value") == "1.00"


def test_restart_with_these_settings_starts_again_from_week_0(open_page):
    page = open_page(width=1280, height=720)
    step_to(page, 4)
    set_to_end(page, INTENSITY)
    page.click(".nm-restart")
    wait_week(page, 0)
    step_to(page, 4)
    model = library_run(4, environment_conflict_intensity=1.0)
    expect(page.locator(".nm-stage.nm-current")).to_have_text(
        STAGES[int(model.records()["stage"].iloc[-1])])


def test_settings_a_run_cannot_take_mid_run_point_to_a_restart(open_page):
    page = open_page(width=1280, height=720)
    step_to(page, 4)
    set_to_end(page, ".nm-c-group_fighters")
    page.wait_for_selector(".nm-apply")
    assert page.locator(".nm-apply-now").is_disabled()
    assert page.locator(".nm-restart").is_enabled()


def test_a_peace_window_that_ends_first_is_refused_in_plain_words(open_page):
    page = open_page(width=1280, height=720)
    choose(page, ".nm-preset-select", load("peace_window").title)
    page.wait_for_selector(".nm-c-environment_peace_start_week .nm-value:has-text('52')")
    end = page.locator(".nm-c-environment_peace_end_week [role=slider]")
    end.focus()
    page.keyboard.press("Home")  # never: allowed
    page.wait_for_selector(".nm-c-environment_peace_end_week .nm-value:has-text('never')")
    page.keyboard.press("ArrowRight")  # week 0: before the talks start
    page.wait_for_selector(".nm-error")
    assert page.inner_text(".nm-error") == ("Not applied: Peace talks must end after they start "
                                            "(they start in week 52, you chose week 0).")


def test_a_refused_seed_does_not_stay_in_the_box(open_page):
    page = open_page(width=1280, height=720)
    seed = str(load("baseline").run.seed)
    page.fill(".nm-seed-input input", "-5")
    page.press(".nm-seed-input input", "Enter")
    page.wait_for_selector(".nm-error:has-text('the seed “-5” is not a whole number')")
    page.wait_for_function(
        "s => document.querySelector('.nm-seed-input input').value === s", arg=seed)
    step_to(page, 4)  # the run still uses the valid seed


def test_presets_are_shown_by_their_titles(open_page):
    page = open_page(width=1280, height=720)
    assert page.inner_text(".nm-preset-select .v-select__selection") == load("baseline").title
    choose(page, ".nm-preset-select", load("conditional_persuader").title)
    page.wait_for_selector(".nm-c-dialogue_principled .nm-value:has-text('0.00')")
    assert page.locator(".nm-control.nm-preset").count() == 1  # it sets one parameter
