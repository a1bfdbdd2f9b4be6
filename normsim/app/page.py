"""The page: one per browser session, with its own :class:`~normsim.app.session.Session`.

Solara serves ``Page`` (``SOLARA_APP=normsim.app.page``). Nothing model-related lives at module
level: each visitor's page creates its own session, so two visitors never share a run.
"""

from __future__ import annotations

import os
import threading
import time

import solara

from normsim.app.controls import COMPARE_DEFAULT
from normsim.app.panel import ControlPanel
from normsim.app.session import Session
from normsim.app.theme import CSS
from normsim.app.views import CompareView, RunView

v = solara.v
PRESET_ENV = "NORMSIM_APP_PRESET"  # the preset the page opens on (set by 'normsim app --preset')
STEP_CHOICES = (1, 4, 13, 52)  # weeks per Step click / per tick of Play
PLAY_PAUSE = 0.15  # seconds between ticks while playing, on top of drawing time
TABS = ("One run", "Compare two settings")


@solara.component
def Layout(children=[]):
    """No app bar or sidebar from Solara: the page lays itself out for a projector."""
    return solara.Column(children=children, margin=0, gap="0px")


@solara.component
def Page():
    session = solara.use_memo(lambda: Session(os.environ.get(PRESET_ENV, "baseline"),
                                              COMPARE_DEFAULT), [])
    version = solara.use_reactive(0)  # bumped whenever a run moves or is rebuilt
    settings_version = solara.use_reactive(0)  # bumped when a setting changes
    playing = solara.use_reactive(False)
    per_step = solara.use_reactive(4)
    tab = solara.use_reactive(0)
    panel = solara.use_reactive(True)  # the settings panel; hidden, the charts get the screen
    drawn = solara.use_memo(threading.Event, [])  # set once the page has drawn a new week

    def actions():
        """The handlers, made once per page so that the control panel need not redraw per step."""

        def refresh():
            version.value += 1

        def change(action):
            """Apply a settings change (pausing play first); every run starts again at week 0."""
            playing.value = False
            action()
            settings_version.value += 1
            refresh()

        def step():
            session.advance(per_step.value)
            refresh()

        def play_loop(cancel: threading.Event):
            while not cancel.is_set():
                with session.lock:  # a Step, Reset or new setting waits for this tick to finish
                    if not playing.value:
                        break
                    if session.finished:
                        playing.value = False
                        break
                    session.advance(per_step.value)
                drawn.clear()
                refresh()
                drawn.wait(timeout=10)  # the next tick only once the page shows this one
                time.sleep(PLAY_PAUSE)

        return change, step, lambda: change(session.rebuild), play_loop

    change, step, reset, play_loop = solara.use_memo(actions, [])
    solara.use_effect(drawn.set, [version.value])
    solara.use_thread(play_loop, dependencies=[playing.value], intrusive_cancel=False)

    solara.Title("normsim — how humanitarian norms take hold")
    solara.Style(CSS)
    with v.Html(tag="div", class_="nm-app" + ("" if panel.value else " nm-wide"),
                attributes={"data-version": str(version.value)}):
        if panel.value:
            with v.Html(tag="div", class_="nm-panel"):
                v.Html(tag="div", class_="nm-title",
                       children=["How IHL takes hold in an armed group"])
                ControlPanel(session, change, version=settings_version.value)
        with v.Html(tag="div", class_="nm-main"):
            Controls(session, playing, per_step, step, reset, panel,
                     version=version.value)
            with v.Tabs(v_model=tab.value, on_v_model=tab.set, class_="mb-2"):
                for i, words in enumerate(TABS):
                    v.Tab(children=[words], class_=f"nm-tab-{i}", style_="font-size: 20px")
            if tab.value == 0:
                RunView(session, version=version.value)
            else:
                CompareView(session, change, version=version.value)


@solara.component
def Controls(session: Session, playing, per_step, step, reset, panel, version: int = 0):
    """Week, Step, Play/Pause, Reset, how many weeks each step covers, and the panel's switch."""
    finished = session.finished
    with v.Html(tag="div", class_="nm-bar"):
        v.Html(tag="div", class_="nm-week", children=[f"Week {session.week} of {session.weeks}"])
        solara.Button(f"Step {per_step.value} week{'s' if per_step.value > 1 else ''}",
                      on_click=step, color="primary", disabled=playing.value or finished,
                      classes=["nm-step"])
        solara.Button("Pause" if playing.value else "Play", color="primary",
                      on_click=lambda: playing.set(not playing.value),
                      disabled=finished and not playing.value, classes=["nm-play"])
        solara.Button("Reset", on_click=reset, outlined=True, classes=["nm-reset"])
        v.Html(tag="div", class_="nm-big", children=["weeks per step:"])
        with v.BtnToggle(v_model=STEP_CHOICES.index(per_step.value), mandatory=True,
                         on_v_model=lambda i: per_step.set(STEP_CHOICES[i]), class_="nm-per-step"):
            for n in STEP_CHOICES:
                v.Btn(children=[str(n)])
        solara.Button("Hide settings" if panel.value else "Show settings", outlined=True,
                      on_click=lambda: panel.set(not panel.value), classes=["nm-toggle-panel"])
