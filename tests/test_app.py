"""The workshop app (``normsim app``): a real server process driven by real Chromium.

Helpers (the server, the browser, a page that checks its own traffic) are in ``app_helpers``;
the other ``test_app_*`` modules cover the worker, the layout, mid-run changes, the comparison,
exports and languages. Expected values come from the library run the same way, not from
numbers copied here.
"""

from __future__ import annotations

import socket
import subprocess
import time

import pytest
from playwright.sync_api import expect

from app_helpers import (WEEK_JS, Server, choose, free_port, library_run, normsim, step_to,
                         wait_week, week)
from normsim.analysis.narrative import key_events, sentences
from normsim.app.controls import BUNDLES, CONTROLS
from normsim.app.i18n import Translator
from normsim.app.runs import kind_defaults, values_of
from normsim.app.session import Session
from normsim.rules.hypotheses import BUNDLES as HYPOTHESIS_BUNDLES
from normsim.simulation.records import STAGES
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, defaults, list_scenarios, load
from normsim.settings.schema import SECTIONS

EN = Translator("en")


# -- in the browser ---------------------------------------------------------------------------

def test_page_loads_with_controls_charts_and_no_outside_requests(open_page):
    page = open_page()
    for bundle in BUNDLES:
        assert page.locator(f".nm-bundle-{bundle.key} .nm-card-title").inner_text() == \
            EN._(bundle.title)
    assert page.locator(".nm-c-group_age_weeks .nm-label").inner_text() == \
        "Group's age at the start (H1)"  # its declared label (world/groups.py)
    assert page.input_value(".nm-seed-input input") == str(load("baseline").run.seed)
    for name in ("compliance", "factors", "trust", "structure"):
        assert page.locator(f".nm-chart-{name} img").evaluate(
            "img => img.complete && img.naturalWidth > 300"), name
    assert page.inner_text(".nm-stage-text") == "Score card: stage 0 of 6"
    assert page.locator(".nm-stage").count() == len(STAGES)
    for button in (".nm-step", ".nm-play", ".nm-reset"):
        assert page.locator(button).is_enabled()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_step_advances_the_week_and_updates_chart_story_and_score_card(open_page):
    page = open_page()
    before = page.get_attribute(".nm-chart-compliance img", "src")
    step_to(page, 4)
    page.wait_for_function(
        "before => document.querySelector('.nm-chart-compliance img').src !== before", arg=before)
    model = library_run(4)
    first = sentences(key_events(model.events()))[0]
    expect(page.locator(".nm-story")).to_contain_text(first)
    expect(page.locator(".nm-stage.nm-current")).to_have_text(
        STAGES[int(model.records()["stage"].iloc[-1])])
    expect(page.locator(".nm-readout-value")).to_have_text(
        EN.percent(model.records()["compliance_rate"].tail(8).mean()))
    page.click(".nm-reset")
    wait_week(page, 0)


def test_two_visitors_have_independent_models(open_page):
    first, second = open_page(), open_page()
    step_to(first, 4)
    step_to(first, 8)
    assert week(second) == 0
    step_to(second, 4)
    step_to(first, 12)
    assert week(second) == 4


def test_play_runs_on_at_the_chosen_speed_and_pause_stops(open_page):
    page = open_page()
    choose(page, ".nm-speed", "fast")
    page.click(".nm-play")
    page.wait_for_function(f"() => {WEEK_JS} >= 12")
    page.click(".nm-play")
    page.wait_for_selector(".nm-play:has-text('Play')")
    paused = week(page)
    page.wait_for_timeout(700)
    assert week(page) in (paused, paused + 4)  # a tick under way when Pause came may land
    step_to(page, week(page) + 4)  # and nothing moves on its own any more


def test_keyboard_space_plays_and_pauses_and_right_arrow_steps(open_page):
    page = open_page()
    assert "space bar" in page.inner_text(".nm-keys")  # the shortcuts are listed on the page
    page.locator(".nm-week").click()  # focus on the page, not on a control
    page.keyboard.press("ArrowRight")
    wait_week(page, 4)
    page.keyboard.press("Space")
    page.wait_for_function(f"() => {WEEK_JS} >= 12")
    page.keyboard.press("Space")
    page.wait_for_selector(".nm-play:has-text('Play')")


def test_sliders_and_switches_have_accessible_names_and_keep_to_their_range(open_page):
    page = open_page()
    scenario = load("baseline")  # the page opens on it: one group, a dialogue engager
    values, many = values_of(scenario), bool(scenario.population) or scenario.group.count > 1
    shown = [c for c in CONTROLS.values() if c.shown(values, many) and not c.choice]
    assert len(shown) > len(CONTROLS) / 2
    for control in (c for c in CONTROLS.values() if not c.choice):  # choices are menus
        role = "switch" if control.kind is bool else "slider"
        expected = int(control in shown)  # an engager kind's or a population's: not on this page
        assert page.get_by_role(role, name=control.label(EN), exact=True).count() == expected, \
            control
    thumb = page.get_by_role("slider", name=CONTROLS["group_insecurity"].label(EN))
    assert (thumb.get_attribute("aria-valuemin"), thumb.get_attribute("aria-valuemax")) == ("0", "1")
    thumb.focus()
    page.keyboard.press("End")
    page.wait_for_selector(".nm-c-group_insecurity .nm-value:has-text('1.00')")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("PageUp")
    assert page.inner_text(".nm-c-group_insecurity .nm-value") == "1.00"
    assert "nm-changed" in page.get_attribute(".nm-c-group_insecurity", "class")


def test_preset_option_opens_on_that_scenario(open_page):
    srv = Server("--preset", "peace_window")
    try:
        page = open_page(srv.url)
        assert load("peace_window").title in page.inner_text(".nm-preset-select")
        start = load("peace_window").environment.peace_start_week
        assert page.inner_text(".nm-c-environment_peace_start_week .nm-value") == str(start)
        page.context.close()  # before the server stops, or the page's reconnection would fail
    finally:
        srv.stop()


def test_server_logged_no_errors(server):
    server.check_quiet()


# -- the command line: bad input ends with a message and status 2 ------------------------------

@pytest.mark.multiprocess  # the real 'normsim app' command
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


@pytest.mark.multiprocess  # the real 'normsim app' command
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
        section, field = PARAMETERS[control.name]
        info = ALL_SECTIONS[section].model_fields[field]
        if control.choice:
            assert control.kind is str or set(control.options) == set(info.annotation.__args__)
            assert control.clamp("no such choice") == control.options[0]
            continue
        if control.kind is bool:
            continue
        lo, hi = control.bounds
        meta = {type(m).__name__: m for m in info.metadata}
        assert meta["Ge"].ge <= lo < hi <= meta["Le"].le, control.name
        assert lo <= defaults()[control.name] <= hi, control.name
        assert control.clamp(hi + 1) == hi and control.clamp(lo - 1) == lo


#: set by a preset without a control: how often the table is recorded is no condition of a run
NOT_CONDITIONS = {"record_every"}


def test_every_parameter_a_preset_sets_has_a_control_shown_for_it():
    for name, *_ in list_scenarios():
        scenario = load(name)
        values, base = values_of(scenario), kind_defaults(scenario)
        changed = {k for k in values if values[k] != base[k]} - NOT_CONDITIONS
        assert changed <= set(CONTROLS), f"{name} sets {changed - set(CONTROLS)} without a control"
        many = bool(scenario.population) or scenario.group.count > 1
        hidden = {k for k in changed if not CONTROLS[k].shown(values, many)}
        assert not hidden, f"{name} sets {hidden}, whose controls it does not show"


def test_an_engager_kinds_controls_show_only_with_such_an_engager():
    for name, *_ in list_scenarios():
        scenario = load(name)
        kinds = {e.kind for e in scenario.engagers}
        values = values_of(scenario)
        for control in CONTROLS.values():
            if control.engager is not None:
                assert control.shown(values, True) == (control.engager in kinds), (name, control)


def test_controls_name_their_hypothesis_in_the_right_bundle():
    words = {"group": "armed group", "environment": "environment", "persuader": "persuader",
             "interaction": "interaction"}
    elsewhere = ("environment_listing_week", "environment_listing_politicisation",
                 "group_aspiration")  # H5 and H3 name conditions in another bundle
    for bundle in BUNDLES[:-1]:
        for control in bundle.controls:
            if control.hypothesis and control.name not in elsewhere \
                    and not control.name.endswith("_start_week"):  # (H1: early engagement)
                where = HYPOTHESIS_BUNDLES[control.hypothesis.lower()]
                assert words[bundle.key] in where, (control.name, where)
    assert {c.name for c in BUNDLES[-1].controls} == \
        {f for f in SECTIONS["hypotheses"].model_fields if f.endswith("_enabled")}


def test_session_refuses_settings_that_do_not_fit_together():
    session = Session("peace_window", ("dialogue_principled", 1.0, 0.0))
    try:
        before = dict(session.draft)
        session.set_value("environment_peace_end_week", 10)  # before the talks start (week 52)
        assert session.refusal.kind == "peace_window"
        assert session.refusal.context == {"start": 52, "end": 10}
        assert session.draft == before
        session.set_value("environment_peace_end_week", 300)
        assert session.refusal is None and session.draft["environment_peace_end_week"] == 300
    finally:
        session.close(wait=True)


def test_steps_asked_while_one_is_under_way_merge_into_one_waiting():
    session = Session("baseline", ("dialogue_principled", 1.0, 0.0))
    try:
        asked = [session.worker.request_step(4) for _ in range(50)]
        assert asked[0] and sum(asked) <= 3  # one under way, one waiting; the rest joined it
        while not session.worker.idle():
            time.sleep(0.05)
        worker = session.worker
        assert worker.completed == sum(asked) and worker.completed + worker.coalesced == 50
        assert session.week == 4 * worker.completed
    finally:
        session.close(wait=True)
