"""The app in English and French: complete catalogues, and a French page with no English control
label (real server, real Chromium)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from playwright.sync_api import expect

from normsim.analysis.style import MILESTONES
from normsim.app.controls import CONTROLS
from normsim.app.i18n import KEYWORDS, SOURCE, Translator, languages, read_catalogue
from normsim.rules.norms import NORMS
from normsim.world.commanders import LEVELS
from normsim.world.integration import FACTORS
from normsim.events import kinds as event_kinds
from normsim.simulation.records import STAGES
from normsim.settings.scenario import PARAMETERS, load

APP = Path(__file__).parent.parent / "normsim" / "app"
OTHERS = [code for code in languages() if code != SOURCE]
#: every label a control or region shows or is named by
LABELS_JS = """() => {
  const out = [];
  const seen = el => el.offsetParent !== null || el.getAttribute('role') === 'slider';
  for (const el of document.querySelectorAll(
      'button, [role=tab], [role=slider], [role=switch], input, .v-label, [aria-label], h2, h3')) {
    if (!seen(el)) continue;
    for (const text of [el.getAttribute('aria-label'), el.tagName === 'INPUT' ? null : el.innerText])
      if (text && text.trim()) out.push(text.trim());
  }
  return out;
}"""
PROPER_NAMES = {"English", "Français", "normsim"}


def said_in_code():
    return {(context, message) for _, _, message, _, context in extract_from_dir(
        APP, method_map=[("**.py", "python")], keywords=KEYWORDS)}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_languages_include_english_and_french():
    assert {"en", "fr"} <= set(languages())
    assert Translator("fr").direction == "ltr" and Translator("ar").language == SOURCE


@pytest.mark.parametrize("language", OTHERS)
def test_every_word_the_code_says_is_translated_with_the_same_placeholders(language):
    catalogue = read_catalogue(language)
    for context, message in said_in_code():
        entry = catalogue.get(message, context=context)
        assert entry is not None and entry.string and all(entry.string), (language, message)
        ids = message if isinstance(message, tuple) else (message,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for msgid, text in zip(ids, strings):
            assert fields(text) == fields(msgid), (language, msgid, text)


@pytest.mark.parametrize("language", languages())
def test_every_declared_thing_has_words_in_every_language(language):
    t = Translator(language)
    keyed = [("stage", s) for s in STAGES] + [("detail", d) for d in (*FACTORS, *LEVELS)]
    keyed += [("error", e) for e in ("peace_window", "engagement_window")]
    if language != SOURCE:  # English says these in the schema's and the model's own words
        keyed += [("parameter", name) for name in PARAMETERS]
        keyed += [("norm name", n) for n in NORMS]
        keyed += [("help", name) for name in CONTROLS] + [("event", kind) for kind in event_kinds()]
        keyed += [("marker", kind) for kind in MILESTONES]
    missing = [key for key in keyed if not t.has(*key)]
    assert not missing, f"{language} lacks {missing}"
    # every chart marker has words (English: those declared with the event kind in the model)
    wordless = [kind for kind in MILESTONES if not t.marker(kind).strip()]
    assert not wordless, f"{language} has no marker words for {wordless}"


def test_english_words_for_parameters_and_norms_are_their_declarations():
    """Declared once: the English catalogue has no words of its own for a parameter or a norm's
    short name; the app shows the declared label (capitalised) and short name."""
    en = read_catalogue(SOURCE)
    assert not [m.id for m in en if m.context in ("parameter", "norm name")]
    t = Translator(SOURCE)
    assert t.label("environment_conflict_intensity") == "Conflict intensity"
    assert t.label("group_age_weeks") == "Group's age at the start"
    assert t.norm_name("mines") == "anti-personnel mines"


def english_words() -> set[str]:
    """Every English text the app can show: interface words and declared words."""
    words = set()
    for message in read_catalogue(SOURCE):
        if not message.id:
            continue
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            words.add(text)
        for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
            words.add(text)
    en = Translator(SOURCE)
    words |= {c.label(en) for c in CONTROLS.values()}
    return {w for w in words if w}


def test_the_french_page_has_no_english_control_label(open_page):
    page = open_page(width=1280, height=720, query="?lang=fr")
    assert page.evaluate("document.documentElement.lang") == "fr"
    labels = page.evaluate(LABELS_JS)
    assert len(labels) > 60, labels  # the controls of the drawer are there too
    english = english_words()
    bare = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    leftovers = sorted({bare(x) for x in labels} & english - PROPER_NAMES)
    assert not leftovers, leftovers
    assert page.locator("[role=slider][aria-label^='Quelle est l’intensité des combats']").count()


def test_the_language_switch_turns_the_page_french(open_page):
    page = open_page(width=1280, height=720)
    assert page.evaluate("document.documentElement.lang") == "en"
    english = set(page.evaluate(LABELS_JS)) & english_words()
    assert len(english) > 40  # the label check above would see English labels
    page.click(".nm-language")
    page.click(".menuable__content__active .v-list-item:has-text('Français')")
    page.wait_for_selector(".nm-play:has-text('Lecture')")
    assert page.evaluate("document.documentElement.lang") == "fr"
    page.wait_for_selector(".nm-chart-compliance img[alt^='Courbe du respect']")


def test_french_scenarios_and_event_sentences_are_whole(open_page):
    """Defect 12: in French the scenarios' titles and descriptions stayed English, and an event
    told with a sentence of its own lost half of it ("the priority may slip")."""
    fr = Translator("fr")
    title, description = fr.scenario("engagement_ends", "", "")
    assert title and description and title != load("engagement_ends").title
    page = open_page(width=1280, height=720, query="?lang=fr&preset=engagement_ends&week=520")
    page.wait_for_function("() => document.querySelector('.nm-week').innerText.includes('520')")
    expect(page.locator(".nm-preset-desc")).to_have_text(description)
    assert page.locator(".nm-preset-desc").get_attribute("lang") == "fr"
    story = page.locator(".nm-story")
    expect(story).to_contain_text("la priorité risque de se perdre")
    assert "priority" not in story.inner_text()
    page.click(".nm-close-settings")
    expect(page.locator(".nm-stage-title")).to_have_text(title)
