"""The run on stage: compliance now, the score card, the charts, the story, the end, exports.

Everything here reads the session's :class:`~normsim.app.picture.Picture`, drawn off the page's
thread, so a render is quick.
"""

from __future__ import annotations

import solara

from normsim.analysis.replicates import SMOOTH
from normsim.app import exports
from normsim.app.picture import Picture
from normsim.app.session import Session
from normsim.records import STAGES

v = solara.v
LATEST_LINES = 3


@solara.component
def Chart(name: str, uri: str, alt: str):
    """A figure as an image with its alternative text (SVG: sharp at any size)."""
    with v.Html(tag="div", class_=f"nm-chart nm-chart-{name}"):
        v.Html(tag="img", attributes={"src": uri, "alt": alt, "role": "img"}, style_="width: 100%")


@solara.component
def ScoreCard(t, stage: int, highest: int, prefix: str = ""):
    """Seed 002's score card as a ladder: the stages in order, those reached filled, the current
    one dark (a stage can be lost again: then the highest shows hollow above it)."""
    with v.Html(tag="div", class_=f"nm-card nm-scorecard{prefix}",
                attributes={"aria-label": t._("Score card")}):
        v.Html(tag="div", class_=f"nm-card-sub nm-stage-text{prefix}", children=[
            t._("Score card: stage {stage} of {last}").format(stage=stage, last=len(STAGES) - 1)])
        with v.Html(tag="ol", class_="nm-ladder"):
            for i, name in enumerate(STAGES):
                state = ("nm-current" if i == stage else "nm-reached" if i < stage
                         else "nm-lost" if i <= highest else "")
                v.Html(tag="li", class_=f"nm-stage {state}", children=[t.pgettext("stage", name)])


@solara.component
def Readout(t, picture: Picture):
    """The big number: compliance now."""
    with v.Html(tag="div", class_="nm-readout"):
        v.Html(tag="div", class_="nm-readout-label", children=[t._("Compliance now")])
        v.Html(tag="div", class_="nm-readout-value", children=[
            "—" if picture.now is None else t.percent(picture.now)])
        v.Html(tag="div", class_="nm-readout-sub", children=[
            t._("of encounters respect IHL ({n}-week average)").format(n=SMOOTH)])


@solara.component
def Story(t, lines: tuple[str, ...], title: str, class_: str = "nm-story"):
    with v.Html(tag="div", class_=f"nm-card {class_}"):
        v.Html(tag="div", class_="nm-card-title", children=[title])
        with v.Html(tag="div", class_="nm-story-lines", attributes={"aria-live": "polite"}):
            if not lines:
                v.Html(tag="div", children=[t._("Nothing yet: press Play or Step.")])
            for line in lines:
                v.Html(tag="div", children=[line])


@solara.component
def Exports(t, session: Session, picture: Picture):
    """Downloads: the charts (PNG), the run's table (CSV) and the story (text)."""
    base = exports.file_stem(session)
    items = ((t._("Charts (PNG)"), f"{base}.png", "image/png",
              lambda: exports.charts_png(session, t), "png"),
             (t._("Run (CSV)"), f"{base}.csv", "text/csv",
              lambda: exports.run_csv(session), "csv"),
             (t._("Story (text)"), f"{base}.txt", "text/plain",
              lambda: exports.story_text(session, t), "txt"))
    with v.Html(tag="div", class_="nm-exports"):
        v.Html(tag="span", class_="nm-card-sub", children=[t._("Save:")])
        for words, filename, mime, data, kind in items:
            solara.FileDownload(data, filename=filename, mime_type=mime, children=[
                solara.Button(words, outlined=True, small=True, classes=[f"nm-export-{kind}"])
            ]).key(f"{kind}-{picture.serial}-{picture.week}-{picture.language}")


@solara.component
def Summary(t, picture: Picture):
    with v.Html(tag="div", class_="nm-card nm-summary", attributes={"role": "status"}):
        v.Html(tag="div", class_="nm-card-title", children=[t._("The run is over")])
        for line in picture.summary:
            v.Html(tag="div", class_="nm-desc", children=[line])


@solara.component
def RunView(t, session: Session, picture: Picture, version: int = 0):
    if picture.summary:
        Summary(t, picture)
    with v.Html(tag="div", class_="nm-run"):
        with v.Html(tag="div", class_="nm-run-chart"):
            Chart("compliance", picture.charts["compliance"], picture.alts["compliance"])
        with v.Html(tag="div", class_="nm-run-side"):
            Readout(t, picture)
            ScoreCard(t, picture.stage, picture.highest)
            Story(t, picture.story[:LATEST_LINES], t._("Latest"), "nm-latest")
            Exports(t, session, picture)
            v.Html(tag="div", class_="nm-keys", children=[
                t._("Keys: space bar = Play or Pause, → = Step")])
    with v.Html(tag="div", class_="nm-grid"):
        for name in ("factors", "trust"):
            Chart(name, picture.charts[name], picture.alts[name])
    with v.Html(tag="div", class_="nm-grid"):
        Story(t, picture.story, t._("What happened, and why"))
        Chart("structure", picture.charts["structure"], picture.alts["structure"])
