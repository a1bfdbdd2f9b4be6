"""The live views: score card, charts, structure, the story in words, and the comparison."""

from __future__ import annotations

from contextlib import nullcontext

import solara

from normsim.app import charts
from normsim.app.controls import BUNDLES, CONTROLS, HYPOTHESES
from normsim.app.panel import ControlRow, Refusal
from normsim.app.session import Run, Session
from normsim.records import STAGES

v = solara.v
STORY_LINES = 40


@solara.component
def Chart(name: str, build, data: tuple, key, deps, lock=None):
    """A live figure (built anew when ``key`` changes) as a PNG, redrawn when ``deps`` change."""
    live = solara.use_memo(lambda: charts.Live(build), [key])

    def draw():
        with lock or nullcontext():  # hold the model still while the figure reads it
            return live.png(*data)

    image = solara.use_memo(draw, [key, *deps])
    with v.Html(tag="div", class_=f"nm-chart nm-chart-{name}"):
        solara.Image(image, format="png", width="100%")


@solara.component
def ScoreCard(run: Run, prefix: str = "", week: int = 0):
    """Seed 002's score card: the stages in order, those reached filled, the current one dark."""
    now = run.now()
    stage = int(now["stage"])
    v.Html(tag="div", class_=f"nm-big nm-stage-text{prefix}", children=[
        f"Score card: stage {stage} of {len(STAGES) - 1} — {STAGES[stage]}"])
    with v.Html(tag="div", class_="nm-stages"):
        for i, name in enumerate(STAGES):
            state = "nm-current" if i == stage else "nm-reached" if i < stage else ""
            v.Html(tag="div", class_=f"nm-stage {state}", children=[name])


@solara.component
def Story(run: Run, title: str = "What happened, and why", limit: int = STORY_LINES, week: int = 0):
    """The running log in words, newest first."""
    lines = run.story()[::-1][:limit]
    with v.Html(tag="div", class_="nm-card"):
        v.Html(tag="div", class_="nm-card-title", children=[title])
        with v.Html(tag="div", class_="nm-story"):
            if not lines:
                v.Html(tag="div", children=["Nothing yet: press Step or Play."])
            for line in lines:
                v.Html(tag="div", children=[line])


@solara.component
def RunView(session: Session, version: int = 0):
    run, weeks = session.main, session.weeks
    deps = (run.serial, run.week)
    ScoreCard(run, week=run.week)
    with v.Html(tag="div", class_="nm-grid nm-run-grid"):
        with v.Html(tag="div"):
            for name, make in (("compliance", charts.compliance), ("factors", charts.factors),
                               ("trust", charts.trust)):
                Chart(name, make(weeks), (run.records(),), key=weeks, deps=deps)
        with v.Html(tag="div"):
            Story(run, week=run.week)
            Chart("structure", charts.structure(run.model), (run.model,), key=run.serial, deps=deps,
                  lock=run.lock)


@solara.component
def CompareView(session: Session, on_change, version: int = 0):
    """Two settings side by side from the same seed: the difference one factor makes."""
    name, left, right = session.compare
    control = CONTROLS[name]
    options = [{"text": c.label, "value": c.name}
               for b in BUNDLES + HYPOTHESES for c in b.controls]

    def choose(new):
        lo, hi = CONTROLS[new].bounds
        a, b = ((True, False) if CONTROLS[new].kind is bool
                else (session.values[new], hi if session.values[new] != hi else lo))
        on_change(lambda: session.set_compare(new, a, b))

    with v.Html(tag="div", class_="nm-card nm-compare-setup"):
        v.Html(tag="div", class_="nm-card-title", children=["Compare two settings of one factor"])
        v.Html(tag="div", class_="nm-card-sub", children=[
            f"Both runs use seed {session.seed} and every other setting from the left panel, "
            "so any difference comes from this factor alone."])
        v.Select(items=options, v_model=name, label="The factor to vary", hide_details=True,
                 on_v_model=choose, class_="nm-compare-factor", menu_props={"maxHeight": 520})
        Refusal(session.error)
        with v.Html(tag="div", class_="nm-grid mt-2"):
            with v.Html(tag="div", class_="nm-left"):
                ControlRow(control, left, lambda x: on_change(
                    lambda: session.set_compare(name, x, right)), key_prefix="left-")
                v.Html(tag="div", class_="nm-card-sub", children=["Left (solid blue line)"])
            with v.Html(tag="div", class_="nm-right"):
                ControlRow(control, right, lambda x: on_change(
                    lambda: session.set_compare(name, left, x)), key_prefix="right-")
                v.Html(tag="div", class_="nm-card-sub", children=["Right (dashed orange line)"])
    a, b = session.pair
    names = (f"left: {control.show(left)}", f"right: {control.show(right)}")
    deps = (a.serial, a.week)
    with v.Html(tag="div", class_="nm-grid nm-compare-grid"):
        with v.Html(tag="div"):
            for name, column in (("compare", "compliance_rate"), ("compare-stage", "stage")):
                Chart(name, charts.comparison(session.weeks, names, column),
                      (a.records(), b.records()), key=(session.weeks, names), deps=deps)
        with v.Html(tag="div"):
            for run, side, words in ((a, "left", names[0]), (b, "right", names[1])):
                Side(run, side, words, week=run.week)


@solara.component
def Side(run: Run, side: str, words: str, week: int = 0):
    """One side of the comparison: its value, compliance now, score card and latest events."""
    with v.Html(tag="div", class_=f"nm-card nm-compare-{side}"):
        v.Html(tag="div", class_=f"nm-card-title nm-{side}", children=[words.capitalize()])
        now = run.now()
        v.Html(tag="div", class_="nm-big", children=[
            f"Compliance now: {now['compliance_rate']:.0%}" if run.week else "Compliance now: —"])
        ScoreCard(run, prefix=f"-{side}", week=week)
        with v.Html(tag="div", class_="nm-story"):
            for line in run.story()[::-1][:4]:
                v.Html(tag="div", children=[line])
