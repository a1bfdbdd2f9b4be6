"""The page: one per browser tab, with its own :class:`~normsim.app.session.Session`.

Solara serves ``Page`` (``SOLARA_APP=normsim.app.page``). Nothing model-related lives at module
level: each tab's page creates its own session in its Solara kernel, so two visitors never share
a run, and a dropped connection that comes back finds the run where it was. Click handlers only
leave requests for the session's worker (:mod:`normsim.app.worker`), so the connection is never
held up by a step.
"""

from __future__ import annotations

import itertools
import os
from urllib.parse import parse_qs

import solara
from solara.server import kernel_context

from normsim.app import address
from normsim.app.compare import CompareView
from normsim.app.controls import COMPARE_DEFAULT
from normsim.app.i18n import N_, SOURCE, languages, translator
from normsim.app.panel import SettingsPanel
from normsim.app.runs import presets
from normsim.app.session import Session
from normsim.app.theme import CSS
from normsim.app.views import RunView

v = solara.v
PRESET_ENV = "NORMSIM_APP_PRESET"  # the preset the page opens on (set by 'normsim app --preset')
STEP_CHOICES = (1, 4, 13, 52)  # weeks per Step click / per tick of Play
SPEEDS = {N_("slow"): 1.0, N_("normal"): 0.3, N_("fast"): 0.0}  # seconds between ticks
TABS = (N_("One run"), N_("Compare two settings"))


@solara.component_vue("page.vue")
def PageScript(language: str, direction: str, address: str = "", event_step=None,
               event_play_pause=None, event_narrow=None):
    """The page's language and direction on <html>, the keyboard shortcuts, on a narrow screen
    (under 1200 px) the settings drawer closed at first, as it would cover the stage, and the
    run's recipe in the page's address (:mod:`normsim.app.address`: a refresh brings it back)."""


@solara.component
def Layout(children=[]):
    """No app bar or sidebar from Solara: the page lays itself out for a projector."""
    return solara.Column(children=children, margin=0, gap="0px")


def first_language(search: str | None) -> str:
    """``?lang=fr`` opens the page in French (a trainer's bookmark); else English."""
    asked = parse_qs(search or "").get("lang", [SOURCE])[0]
    return asked if asked in languages() else SOURCE


@solara.component
def Page():
    router = solara.use_router()
    version = solara.use_reactive(0)  # bumped whenever the picture changes
    settings_version = solara.use_reactive(0)  # bumped when a setting changes
    refusals = solara.use_reactive(0)
    per_step = solara.use_reactive(4)
    speed = solara.use_reactive("normal")
    tab = solara.use_reactive(0)
    drawer = solara.use_reactive(True)
    hint = solara.use_reactive(True)  # the first-visit hint, until Step or Play is pressed
    presenting = solara.use_reactive(False)  # presenter mode: one big chart, the title on stage
    veiled = solara.use_reactive(False)  # predict, then reveal: the result hidden meanwhile
    shown = solara.use_reactive("")  # presenter mode's chart ("": the main one)

    def make_session():
        recipe = address.read(router.search)
        opening = os.environ.get(PRESET_ENV, "baseline")
        if recipe.preset not in (None, opening) and recipe.preset not in presets():
            recipe.problems.append(f"preset={recipe.preset}")  # (only shipped ones: no file)
            recipe.preset = None
        session = Session(recipe.preset or opening, COMPARE_DEFAULT,
                          language=first_language(router.search), recipe=recipe)
        ticks = itertools.count(1)
        session.on_update = lambda: version.set(next(ticks))
        try:
            kernel_context.get_current_context().on_close(session.close)
        except RuntimeError:  # no kernel (a test rendering the page directly)
            pass
        return session

    session = solara.use_memo(make_session, [])

    def handlers():
        """Made once per page, so that the settings panel need not redraw each week."""

        def change(action):
            before = session.refusal
            action()
            if session.refusal is not None and session.refusal is not before:
                refusals.value += 1
            settings_version.value += 1

        def step():
            if tab.value != 0:  # (the arrow key) the run is not on the screen: leave it be
                return
            hint.set(False)
            session.worker.request_step(per_step.value)

        def play_pause(*_):
            if tab.value != 0 and not session.worker.playing:  # (the space bar) likewise
                return
            hint.set(False)
            worker = session.worker
            worker.play_weeks, worker.pause_seconds = per_step.value, SPEEDS[speed.value]
            worker.play(not worker.playing)
            session.on_update()  # the one counter behind ``version`` (two would collide)

        def language(code):
            session.set_language(code)
            settings_version.value += 1

        return change, lambda *_: step(), play_pause, language

    change, step, play_pause, set_language = solara.use_memo(handlers, [])
    t = translator(session.language)
    picture = session.view

    def to_tab(i):
        if i != 0:
            session.worker.play(False)  # a run playing off the screen would be missed
        tab.set(i)

    solara.Title(t._("normsim — how humanitarian norms take hold"))
    solara.Style(CSS)
    PageScript(language=t.language, direction=t.direction,
               address=address.write(session.recipe(), t.language), event_step=step,
               event_play_pause=play_pause, event_narrow=lambda *_: drawer.set(False))
    def present(on):
        presenting.set(on)
        drawer.set(not on)

    with v.Html(tag="div", class_="nm-app" + ("" if drawer.value else " nm-wide")
                + (" nm-presenting" if presenting.value else ""),
                attributes={"dir": t.direction, "data-version": str(version.value)}):
        if drawer.value:
            with v.Html(tag="aside", class_="nm-drawer",
                        attributes={"aria-label": t._("Settings")}).key("drawer"):
                SettingsPanel(t, session, change, lambda: drawer.set(False),
                              refusals=refusals.value, version=settings_version.value)
        with v.Html(tag="main", class_="nm-main").key("main"):
            with v.Html(tag="div", class_="nm-head").key("head"):
                with v.Tabs(v_model=tab.value, on_v_model=to_tab, class_="nm-tabs").key("tabs"):
                    for i, words in enumerate(TABS):
                        v.Tab(children=[t._(words)], class_=f"nm-tab-{i}")
                if not drawer.value:
                    solara.Button(t._("Show settings"), outlined=True,
                                  on_click=lambda: drawer.set(True),
                                  classes=["nm-open-settings"]).key("open-settings")
                Speed(t, session, speed).key("speed")
                v.Select(items=[{"text": t.language_name(code), "value": code}
                                for code in languages()],
                         v_model=t.language, label=t._("Language"), hide_details=True, dense=True,
                         on_v_model=set_language, class_="nm-language").key("language")
            if tab.value == 0:  # the clock moves the run shown: not on the Compare tab
                with Bar(t, session, picture, per_step, speed, step, play_pause, change,
                         version=version.value).key("bar"):
                    solara.Button(t._("Reveal") if veiled.value else t._("Predict"),
                                  outlined=not veiled.value, color="primary",
                                  on_click=lambda: veiled.set(not veiled.value),
                                  classes=["nm-veil-toggle"], attributes={"title": t._(
                                      "Hide the result while the room predicts what will "
                                      "happen; then reveal it.")}).key("veil")
                    if not session.population:  # the run beside the same run without engagers
                        solara.Button(
                            t._("Hide its control") if session.control_shown
                            else t._("Show its control"), outlined=not session.control_shown,
                            color="primary", classes=["nm-control-toggle"],
                            on_click=lambda: session.show_control(not session.control_shown),
                            attributes={"title": t._(
                                "Draw the same run without any engager (the same seed and "
                                "conditions): the shaded area between them is the "
                                "engagement's effect")}).key("control")
                    solara.Button(t._("Exit presenter") if presenting.value else t._("Present"),
                                  outlined=True, on_click=lambda: present(not presenting.value),
                                  classes=["nm-present"], attributes={"title": t._(
                                      "Presenter mode: the title on stage, one chart at a time, "
                                      "large enough for a room")}).key("present")
                ClockNote(t, session, per_step.value, session.worker.playing,
                          version=version.value).key("clock")
            if not drawer.value:  # the settings (and the preset's title) hidden: say it here
                v.Html(tag="h1", class_="nm-stage-title", children=[
                    t.scenario(session.preset, session.title)[0]]).key("title")
            if hint.value and picture.week == 0 and tab.value == 0 and not presenting.value:
                v.Html(tag="div", class_="nm-hint", attributes={"role": "note"}, children=[
                    t._("Press Play (or the space bar) to watch the weeks go by, or Step (→) to "
                        "move on {n} weeks at a time.").format(n=per_step.value)]).key("hint")
            if tab.value == 0:
                RunView(t, session, picture, version=version.value, veiled=veiled.value,
                        presenting=presenting.value, shown=shown).key("run")
            else:
                CompareView(t, session, change, version=version.value,
                            settings=settings_version.value).key("compare")


@solara.component
def Bar(t, session: Session, picture, per_step, speed, step, play_pause, change,
        version: int = 0, children=[]):
    """Week, Play/Pause, Step, Reset and weeks per step: one row."""
    finished, playing = session.finished, session.worker.playing

    def weeks_per_step(i):
        per_step.set(STEP_CHOICES[i])
        session.worker.play_weeks = STEP_CHOICES[i]  # also while playing

    worker = session.worker
    with v.Html(tag="div", class_="nm-bar", attributes={
            "role": "toolbar", "aria-label": t._("The clock"),
            # for a look from outside (tests, a curious trainer): the worker's state
            "data-busy": str(int(not worker.idle())), "data-steps": str(worker.completed),
            "data-coalesced": str(worker.coalesced)}):
        v.Html(tag="div", class_="nm-week", attributes={"aria-live": "polite"}, children=[
            t._("Week {week} of {weeks}").format(week=picture.week, weeks=picture.weeks)])
        solara.Button(t._("Pause") if playing else t._("Play"), color="primary",
                      on_click=play_pause, disabled=finished and not playing, classes=["nm-play"])
        solara.Button(t._("Step"), on_click=step, color="primary", outlined=True,
                      disabled=playing or finished, classes=["nm-step"],
                      attributes={"aria-label": t.ngettext(
                          "Step {n} week", "Step {n} weeks", per_step.value).format(
                          n=per_step.value)})
        solara.Button(t._("Reset"), on_click=lambda: change(session.restart), outlined=True,
                      classes=["nm-reset"])
        with v.BtnToggle(v_model=STEP_CHOICES.index(per_step.value), mandatory=True,
                         on_v_model=weeks_per_step, dense=True,
                         class_="nm-per-step",
                         attributes={"role": "group", "aria-label": t._("Weeks per step")}):
            for n in STEP_CHOICES:
                v.Btn(children=[str(n)], attributes={"aria-label": t.ngettext(
                    "{n} week per step", "{n} weeks per step", n).format(n=n)})
        v.Html(tag="div", class_="nm-row nm-bar-extra", children=children)


@solara.component
def ClockNote(t, session: Session, weeks: int, playing: bool, version: int = 0):
    """What the clock did, said: quick clicks joined into one step (fewer weeks than clicks
    times the step), and how far Play moves at each tick."""
    joined = session.worker.coalesced - session.joined_before
    if playing:
        words = t.ngettext("Playing: {n} week at each tick.", "Playing: {n} weeks at each tick.",
                           weeks).format(n=weeks)
    elif joined > 0:
        words = t.ngettext(
            "{n} click came while a step was under way: it was joined to the next step, not "
            "queued.", "{n} clicks came while a step was under way: they were joined to the "
            "next step, not queued.", joined).format(n=joined)
    else:
        return
    v.Html(tag="div", class_="nm-clock-note", attributes={"role": "status"}, children=[words])


@solara.component
def Speed(t, session: Session, speed):
    def play_speed(name):
        speed.set(name)
        session.worker.pause_seconds = SPEEDS[name]

    v.Select(items=[{"text": t._(name), "value": name} for name in SPEEDS],
             v_model=speed.value, on_v_model=play_speed, label=t._("Play speed"),
             hide_details=True, dense=True, class_="nm-speed")
