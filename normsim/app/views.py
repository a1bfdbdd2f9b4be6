"""The live views: score card, charts, structure, the story in words, and the comparison."""

from __future__ import annotations

import solara

from normsim.app import charts
from normsim.app.controls import BUNDLES, CONTROLS, HYPOTHESES
from normsim.app.panel import ControlRow
from normsim.app.session import Run, Session
from normsim.records import STAGES

v = solara.v
STORY_LINES = 40


@solara.component
def Chart(name: str, draw, *args, deps=()):
    """A figure as a PNG, redrawn only when ``deps`` change."""
    image = solara.use_memo(lambda: charts.png(draw, *args), list(deps))
    with v.Html(tag="div", class_=f"nm-chart nm-chart-{name}"):
        solara.Image(image, format="png", width="100%")


@solara.component
def ScoreCard(run: Run, prefix: str = ""):
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
def Story(run: Run, title: str = "What happened, and why", limit: int = STORY_LINES):
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
def RunView(session: Session):
    run, weeks = session.main, session.weeks
    deps = (id(run), run.week)
    ScoreCard(run)
    with v.Html(tag="div", class_="nm-grid"):
        with v.Html(tag="div"):
            Chart("compliance", charts.compliance, run.records(), weeks, deps=deps)
            Chart("factors", charts.factors, run.records(), weeks, deps=deps)
            Chart("trust", charts.trust, run.records(), weeks, deps=deps)
        with v.Html(tag="div"):
            Story(run)
            Chart("structure", charts.structure, run.model, deps=deps)


def _side_name(name: str, value) -> str:
    return f"{CONTROLS[name].show(value)}"


@solara.component
def CompareView(session: Session, on_change):
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
    names = (f"left: {_side_name(name, left)}", f"right: {_side_name(name, right)}")
    deps = (id(a), a.week)
    Chart("compare", charts.comparison, a.records(), b.records(), names, session.weeks, deps=deps)
    with v.Html(tag="div", class_="nm-grid"):
        for run, side, words in ((a, "left", names[0]), (b, "right", names[1])):
            with v.Html(tag="div", class_=f"nm-compare-{side}"):
                now = run.now()
                v.Html(tag="div", class_=f"nm-card-title nm-{side}", children=[
                    f"{control.question}: {words}"])
                v.Html(tag="div", class_="nm-big", children=[
                    f"Compliance now: {now['compliance_rate']:.0%}" if run.week else "Compliance now: —"])
                ScoreCard(run, prefix=f"-{side}")
                Story(run, title="What happened", limit=8)
