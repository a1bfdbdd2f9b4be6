"""The defects a trainer's rehearsal found (issue 22), each driven in real Chromium at 1280x720.

One server per pytest worker (``short_server``: a two-year scenario of 120 fighters), one fresh
browser context per test. Expected values come from the library or the page's own first state,
never from numbers the code under test computed for the assertion.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app_helpers import ARTIFACTS, choose, inside, library_run, step_to, wait_week, week
from normsim.app.controls import CONTROLS
from normsim.app.i18n import Translator
from normsim.app.runs import in_story_order
from normsim.simulation.records import STAGES
from normsim.settings.scenario import list_scenarios, load

EN = Translator("en")
W, H = 1280, 720


def settled_text(page, selector: str) -> str:
    """The element's text once two reads half a second apart agree (the page has caught up)."""
    before = page.inner_text(selector)
    while True:
        page.wait_for_timeout(500)
        now = page.inner_text(selector)
        if now == before:
            return now
        before = now


def test_compare_tab_shows_the_factor_seeds_and_sides_it_will_run(open_page, short_server):
    """Defect 1: what the Compare tab shows is what Run compares, without switching tabs."""
    page = open_page(short_server.url, width=W, height=H)
    page.click(".nm-tab-1")
    factor = CONTROLS["community_organisation"].label(EN)
    choose(page, ".nm-compare-factor", factor)
    expect(page.locator(".nm-compare-factor .v-select__selection")).to_have_text(factor)
    expect(page.locator(".nm-c-left-community_organisation")).to_be_visible()
    choose(page, ".nm-compare-seeds", "5")
    expect(page.locator(".nm-compare-seeds .v-select__selection")).to_have_text("5")
    expect(page.locator(".nm-compare-empty")).to_contain_text("runs 5 times")
    right = page.locator(".nm-c-right-community_organisation .nm-value")
    before = right.inner_text()
    page.locator(".nm-c-right-community_organisation .v-slider").click()  # the slider's middle
    expect(right).not_to_have_text(before)


def test_choices_made_one_after_another_on_the_compare_tab_all_count(open_page, short_server):
    """Choosing "its control" removed the factor's menu, which shifted the seeds' menu and the
    Run button by one place; the page drew them again, so the seeds chosen next and the click on
    Run went to controls that no longer existed: nothing ran (found by the rehearsed session)."""
    page = open_page(short_server.url, width=W, height=H)
    page.click(".nm-tab-1")
    choose(page, ".nm-compare-against", "its control")
    choose(page, ".nm-compare-seeds", "5")
    page.click(".nm-compare-run")
    expect(page.locator(".nm-compare-verdict")).to_contain_text("over 5 seeds", timeout=240_000)


def test_a_refresh_brings_back_the_scenario_settings_seed_changes_and_week(open_page,
                                                                          short_server):
    """Defect 3: F5 mid-run gave week 0 again; the page's address now holds the run's recipe."""
    page = open_page(short_server.url, width=W, height=H)
    page.fill(".nm-seed-input input", "7")
    page.press(".nm-seed-input input", "Enter")
    wait_week(page, 0)
    step_to(page, 4)
    step_to(page, 8)
    intensity = page.locator(".nm-c-environment_conflict_intensity .v-slider")
    intensity.click(position={"x": 5, "y": 5})  # near its start: a calm conflict
    page.click(".nm-apply-now")
    expect(page.locator(".nm-story")).to_contain_text("conditions changed")
    step_to(page, 12)
    story = settled_text(page, ".nm-story")
    page.reload()
    page.wait_for_selector(".nm-week")
    wait_week(page, 12)
    assert page.inner_text(".nm-story") == story
    assert page.input_value(".nm-seed-input input") == "7"
    step_to(page, 16)  # and it carries on from there


def seed_box(page) -> str:
    return page.input_value(".nm-seed-input input")


def test_the_seed_box_shows_the_seed_in_use_and_a_new_seed_asks_first(open_page, short_server):
    """Defect 2: after New seed the box kept the old seed; "abc" and "3.7" stayed in the box; a
    23-digit seed was called not a whole number. And a seed change past week 0 asks first."""
    page = open_page(short_server.url, width=W, height=H)
    first = seed_box(page)
    for typed, said in (("abc", "is not a whole number"), ("3.7", "is not a whole number"),
                        ("1" * 23, "is too large")):
        page.fill(".nm-seed-input input", typed)
        page.press(".nm-seed-input input", "Enter")
        expect(page.locator(".nm-error")).to_contain_text(said)
        page.wait_for_function("s => document.querySelector('.nm-seed-input input').value === s",
                               arg=first)
    page.click(".nm-new-seed")  # at week 0 nothing is lost: no question
    page.wait_for_function("s => document.querySelector('.nm-seed-input input').value !== s",
                           arg=first)
    drawn = seed_box(page)
    assert f"seed={drawn}&" in page.url  # the address says the run's seed too
    step_to(page, 4)
    page.click(".nm-new-seed")
    expect(page.locator(".nm-confirm")).to_contain_text("the run at week 4 is discarded")
    page.click(".nm-confirm-no")
    expect(page.locator(".nm-confirm")).to_have_count(0)
    assert week(page) == 4 and seed_box(page) == drawn
    page.click(".nm-new-seed")
    page.click(".nm-confirm-yes")
    wait_week(page, 0)
    assert seed_box(page) != drawn and f"seed={seed_box(page)}&" in page.url


def test_the_score_card_summary_and_story_agree_when_a_stage_is_lost(open_page, server):
    """Defect 5: in engagement_ends the group commits, yet the card fell to "contact" with no
    event to explain it and the summary said "stage 1: contact". The address opens the end."""
    model = library_run(520, preset="engagement_ends")
    rows = model.records()
    rows = rows[(rows["group"] == 0) & (rows["norm"] == rows["norm"].iloc[0])]
    stage, highest = int(rows["stage"].iloc[-1]), int(rows["stage"].max())
    assert highest > stage, "the scenario no longer loses a stage: choose another"
    fell = rows["step"][rows["stage"].diff() < 0].iloc[0]
    page = open_page(server.url, width=W, height=H, query="?preset=engagement_ends&week=520")
    wait_week(page, 520)
    expect(page.locator(".nm-highest")).to_contain_text(f"Highest reached: {STAGES[highest]}")
    expect(page.locator(".nm-summary")).to_contain_text(
        f"the highest stage the group reached is {highest} of 6, {STAGES[highest]}")
    expect(page.locator(".nm-summary")).to_contain_text(f"fallen back to stage {stage}")
    expect(page.locator(".nm-story")).to_contain_text(f"Week {fell}: the score card fell from")


def test_the_story_says_when_and_why_a_commander_refuses_a_norm(open_page, server):
    """Defect 6: in `mines_essential` the leadership is persuaded on civilians but held back on
    mines by their military cost; the story never said so. It now tells the week it happens
    and why, in both languages."""
    page = open_page(server.url, width=W, height=H, query="?preset=mines_essential&week=520")
    wait_week(page, 520)
    expect(page.locator(".nm-story")).to_contain_text(
        "the top commander will go no further on the ban on anti-personnel mines: mines are "
        "essential to how a weak group holds its ground")
    page = open_page(server.url, width=W, height=H,
                     query="?preset=mines_essential&week=520&lang=fr")
    wait_week(page, 520)
    expect(page.locator(".nm-story")).to_contain_text(
        "les mines sont essentielles à un groupe faible pour tenir son terrain")


def test_presets_come_in_the_order_of_the_session_each_part_under_its_question(open_page,
                                                                                 server):
    """Feature 6: the picker follows the session's story (docs/app.md) -- the baseline beside
    its control, then what works, whether it lasts, how and when to engage, the limits, other
    norms and the record -- each part under its question; every shipped scenario once."""
    page = open_page(server.url, width=W, height=H)
    page.click(".nm-preset-select")
    menu = page.locator(".menuable__content__active")
    expect(menu.locator(".v-subheader").first).to_have_text("The question, and its control")
    items = menu.locator(".v-list-item").all_inner_texts()
    titles = [load(name).title for name in ("baseline", "no_engagement", "engager_dialogue",
                                            "engager_deed", "engager_peace_operation")]
    assert items[:5] == titles, items[:5]
    assert "What works?" in menu.locator(".v-subheader").all_inner_texts()
    shipped = [name for name, *_ in list_scenarios()]  # (the menu draws its items as scrolled)
    ordered = [name for _, names in in_story_order(shipped) for name in names]
    assert sorted(ordered) == sorted(shipped)
    assert ordered.index("no_engagement") == 1 and ordered[-1] == "mine_ban_calibrated"


def test_mine_ban_presets_say_which_is_fitted_and_the_calibrated_one_changes_nothing(open_page,
                                                                                   server):
    """Defect 4: the plain preset called its points "fitted"; the calibrated one showed no
    observed points, counted in weeks, and said "You changed 3 settings" unasked."""
    calibrated = load("mine_ban_calibrated")
    page = open_page(server.url, width=W, height=H, query="?preset=mine_ban")
    expect(page.locator(".nm-data-note")).to_contain_text("Illustrative settings, not fitted")
    choose(page, ".nm-preset-select", calibrated.title)
    expect(page.locator(".nm-data-note")).to_contain_text("Calibrated: these settings were "
                                                          "fitted to the observed counts up to")
    page.wait_for_timeout(1500)  # a slider that snaps the calibrated values would have spoken
    assert "You changed" not in page.inner_text(".nm-presets")
    assert page.locator(".nm-control.nm-changed").count() == 0
    assert "Observed: " in page.get_attribute(".nm-chart-signatories img", "alt")
    assert "week=0" in page.url and "start=" not in page.url  # nothing moved from the preset


def test_the_clock_is_not_on_the_compare_tab_and_keys_leave_the_run_alone(open_page,
                                                                          short_server):
    """Defect 16: Play and Step on the Compare tab advanced a run nobody could see."""
    page = open_page(short_server.url, width=W, height=H)
    page.click(".nm-tab-1")
    expect(page.locator(".nm-step")).to_have_count(0)
    expect(page.locator(".nm-play")).to_have_count(0)
    page.click(".nm-compare-setup .nm-card-sub")  # the focus on the page, not on a control
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    page.wait_for_timeout(1500)
    page.click(".nm-tab-0")
    page.wait_for_selector(".nm-week")
    page.wait_for_timeout(1000)
    assert week(page) == 0


def test_sentences_a_room_can_read(open_page, short_server, server):
    """Defect 9: "96% with How intense is the fighting? (0 calm, 1 large-scale operations):
    0.50 ..." and, at week 520 of a control run, "Nothing yet: press Play or Step"."""
    page = open_page(server.url, width=W, height=H, query="?preset=no_engagement&week=520")
    wait_week(page, 520)
    expect(page.locator(".nm-latest")).not_to_contain_text("press Play")
    page = open_page(short_server.url, width=W, height=H)
    page.click(".nm-tab-1")
    intensity = CONTROLS["environment_conflict_intensity"].label(EN)
    choose(page, ".nm-compare-factor", intensity)
    choose(page, ".nm-compare-seeds", "5")
    page.click(".nm-compare-run")
    page.wait_for_selector(".nm-compare-verdict", timeout=180_000)
    lines = page.locator(".nm-compare-verdict .nm-desc").all_inner_texts()
    assert lines[0] == f"The factor: {intensity}"
    assert all(intensity not in line for line in lines[1:]), lines
    assert "compliance was" in lines[1] and " at 0.50 (95% interval" in lines[1], lines


def test_quick_clicks_and_play_are_explained_on_the_page(open_page, short_server):
    """Defect 10: 10 quick Step clicks gave 26 weeks, and nothing said why."""
    page = open_page(short_server.url, width=W, height=H)
    page.evaluate("() => { for (let i = 0; i < 10; i++) "
                  "document.querySelector('.nm-step').click(); }")
    page.wait_for_function("() => document.querySelector('.nm-bar').dataset.busy === '0' && "
                           "document.querySelector('.nm-bar').dataset.coalesced !== '0'")
    joined = int(page.get_attribute(".nm-bar", "data-coalesced"))
    expect(page.locator(".nm-clock-note")).to_contain_text(
        f"{joined} click{'s' if joined > 1 else ''} came while a step was under way")
    page.click(".nm-play")
    expect(page.locator(".nm-clock-note")).to_contain_text("Playing: 4 weeks at each tick.")
    page.click(".nm-play")


def test_the_stage_names_the_scenario_and_titles_are_whole(open_page, server):
    """Defect 11: "Which engager? A deed of commi..." and, settings hidden, no scenario named."""
    title = load("engager_deed").title
    page = open_page(server.url, width=W, height=H, query="?preset=engager_deed")
    selection = page.locator(".nm-preset-select .v-select__selection")
    expect(selection).to_have_text(title)
    assert selection.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the title is cut"
    page.click(".nm-close-settings")
    expect(page.locator(".nm-stage-title")).to_have_text(title)
    assert inside(page, ".nm-stage-title")


def test_printing_leaves_out_the_settings_drawer(open_page, short_server):
    """Defect 13: printing put the settings drawer over the charts."""
    page = open_page(short_server.url, width=W, height=H)
    page.emulate_media(media="print")
    assert page.locator(".nm-drawer").evaluate("e => getComputedStyle(e).display") == "none"
    chart = page.locator(".nm-chart-compliance img").bounding_box()
    assert chart["x"] < 100, chart  # the stage starts at the page's edge, not beside a drawer


def test_a_deed_added_mid_run_is_one_change(open_page, short_server):
    """Defect 15: adding a deed mid-run listed "15 changes not applied yet"."""
    page = open_page(short_server.url, width=W, height=H)
    step_to(page, 4)
    choose(page, ".nm-add-kind", EN.engager_kind("deed"))
    page.click(".nm-add-engager")
    expect(page.locator(".nm-apply")).to_contain_text("1 change not applied yet: the engagers")


def test_saved_files_say_which_run_they_are(open_page, short_server):
    """Defect 14: the PNG had no scenario or seed; the story file neither summary nor settings."""
    page = open_page(short_server.url, width=W, height=H, accept_downloads=True,
                     query="?seed=3&week=104")
    wait_week(page, 104)
    page.wait_for_selector(".nm-summary")
    summary = page.locator(".nm-summary .nm-desc").all_inner_texts()
    with page.expect_download() as info:
        page.click(".nm-export-txt")
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.startswith("A short test run: seed 3, week 104 of 104\nSettings: preset")
    assert "\n".join(summary) in text
    with page.expect_download() as info:
        page.click(".nm-export-png")
    from PIL import Image
    fields = Image.open(info.value.path()).text
    assert fields["Title"] == "A short test run: seed 3, week 104 of 104"


SVG_TEXT_PX = """img => {
    const svg = atob(img.src.split(',')[1]);
    const box = /viewBox="([\\d. -]+)"/.exec(svg)[1].split(' ').map(Number);
    const sizes = [...svg.matchAll(/font[^;"]*?([\\d.]+)px/g)].map(m => Number(m[1]));
    return Math.min(...sizes) * img.getBoundingClientRect().width / box[2];
}"""


def test_presenter_mode_shows_one_chart_at_a_time_with_text_a_room_reads(open_page, server):
    """Presenter mode (and defect 8: chart text of 8 to 13 px at 1280x720): the title on stage,
    one chart at a time, its smallest text at least 18 px, all on one screen."""
    page = open_page(server.url, width=W, height=H, query="?week=156")
    wait_week(page, 156)
    page.click(".nm-present")
    expect(page.locator(".nm-stage-title")).to_have_text(load("baseline").title)
    expect(page.locator(".nm-drawer")).to_have_count(0)
    for name in ("compliance", "factors", "trust", "structure"):
        page.click(f".nm-show-{name}")
        image = page.locator(f".nm-chart-{name} img")
        expect(image).to_have_count(1)
        smallest = image.evaluate(SVG_TEXT_PX)
        assert smallest >= 18, f"{name}: smallest text {smallest:.1f} px"
        assert inside(page, f".nm-chart-{name} img"), name
    for part in (".nm-readout", ".nm-scorecard", ".nm-week", ".nm-play"):
        assert inside(page, part), part
    page.click(".nm-reset")  # at week 0 too (the first-visit hint once pushed the chart down)
    wait_week(page, 0)
    page.click(".nm-show-compliance")
    assert inside(page, ".nm-chart-compliance img")


KEEP = "sel => { const e = document.querySelector(sel); e.dataset.kept = 'yes'; }"
KEPT = "sel => document.querySelector(sel).dataset.kept === 'yes'"


def test_the_controls_survive_presenter_mode_and_the_tabs(open_page, short_server):
    """A click that lands while the page redraws must not be lost. Entering presenter mode
    closed the drawer, which shifted the page's parts by one place, and the page drew every
    button again: a click on the old Predict or weeks-per-step button went to a control that
    no longer existed ("Syncing error: no comm channel defined"), and the rehearsed session
    stalled. The buttons must be the same elements before and after."""
    page = open_page(short_server.url, width=W, height=H)
    parts = (".nm-veil-toggle", ".nm-present", ".nm-step", ".nm-per-step", ".nm-tab-1")
    for part in parts:
        page.evaluate(KEEP, part)
    page.click(".nm-present")
    expect(page.locator(".nm-stage-title")).to_be_visible()
    page.click(".nm-present")
    expect(page.locator(".nm-drawer")).to_be_visible()
    for part in parts:
        assert page.evaluate(KEPT, part), f"{part} was drawn again"
    page.click(".nm-tab-1")
    page.wait_for_selector(".nm-compare-setup")
    page.click(".nm-tab-0")
    page.wait_for_selector(".nm-step")
    assert page.evaluate(KEPT, ".nm-tab-1"), "the tabs were drawn again"


def test_predict_then_reveal_hides_the_result_while_the_clock_runs(open_page, short_server):
    page = open_page(short_server.url, width=W, height=H)
    page.click(".nm-veil-toggle")
    expect(page.locator(".nm-veil")).to_be_visible()
    for hidden in (".nm-chart-compliance", ".nm-readout", ".nm-scorecard", ".nm-latest"):
        expect(page.locator(hidden)).to_have_count(0)
    step_to(page, 4)
    page.click(".nm-veil-toggle")
    expect(page.locator(".nm-veil")).to_have_count(0)
    expect(page.locator(".nm-chart-compliance img")).to_be_visible()


def test_a_printed_page_is_a_handout(open_page, short_server):
    """Feature: one printable page per run: title, settings, charts, summary, story, and
    whether its numbers are calibrated or illustrative."""
    page = open_page(short_server.url, width=W, height=H, query="?seed=2&week=104")
    wait_week(page, 104)
    expect(page.locator(".nm-handout")).to_be_hidden()  # on screen, the stage alone
    page.emulate_media(media="print")
    handout = page.locator(".nm-handout")
    expect(handout).to_be_visible()
    expect(handout).to_contain_text("A short test run: seed 2, week 104 of 104")
    expect(handout).to_contain_text("Settings: preset")
    expect(handout).to_contain_text("Illustrative numbers")
    for part in (".nm-chart-compliance img", ".nm-summary", ".nm-story"):
        expect(page.locator(part).first).to_be_visible()
    page.pdf(path=str(ARTIFACTS / "app-handout.pdf"), width="21cm", height="29.7cm")
    assert (ARTIFACTS / "app-handout.pdf").stat().st_size > 10_000


OVERLAPS = """img => {
    const holder = document.createElement('div');
    holder.innerHTML = atob(img.src.split(',')[1]).replace(/^<\\?xml[^>]*>/, '');
    document.body.appendChild(holder);
    const boxes = [...holder.querySelectorAll('text')]
        .filter(e => /#555555/.test(e.getAttribute('style') || '') && e.textContent.trim())
        .map(e => [e.textContent.trim(), e.getBoundingClientRect()]);
    const hits = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1
            && q.top < p.bottom - 1) hits.push(a + ' / ' + b);
    }
    holder.remove();
    return [boxes.length, hits];
}"""


@pytest.mark.parametrize("query,week,labels", [("?week=260", 260, 4),
                                               ("?preset=engagement_ends&week=520", 520, 4),
                                               ("?preset=deed_mines&week=520", 520, 2),
                                               ("?preset=mines_essential&week=520", 520, 3)])
def test_event_labels_on_the_chart_do_not_overlap(open_page, server, query, week, labels):
    """Defect 7: "practical agreemen new top commander", "commitmentconditions cha"; and in
    crowded runs ("commitment" over "engagement ends"). The chart's SVG is laid out by the
    browser itself and its event labels' boxes compared."""
    page = open_page(server.url, width=W, height=H, query=query)
    wait_week(page, week)
    count, hits = page.locator(".nm-chart-compliance img").evaluate(OVERLAPS)
    assert count >= labels, count  # the labels were found
    assert not hits, hits
