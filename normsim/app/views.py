"""The run on stage: compliance now, the score card, the charts, the story, the end, exports.

Everything here reads the session's :class:`~normsim.app.picture.Picture`, drawn off the page's
thread, so a render is quick. One norm in play: the score card is seed 002's ladder; several:
one row per norm; a population: how many groups have committed, and where the living groups
stand.
"""

from __future__ import annotations

import solara

from normsim.app import live
from normsim.analysis.replicates import SMOOTH
from normsim.app import exports
from normsim.app.i18n import N_
from normsim.app.picture import Picture
from normsim.app.session import Session
from normsim.simulation.records import STAGES

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
        if highest > stage:  # said in words too: the ladder's hollow mark alone was missed
            v.Html(tag="div", class_=f"nm-card-sub nm-highest{prefix}", children=[
                t._("Highest reached: {name} (stage {stage}); fallen back since, see the "
                    "story.").format(name=t.pgettext("stage", STAGES[highest]), stage=highest)])
        with v.Html(tag="ol", class_="nm-ladder"):
            for i, name in enumerate(STAGES):
                state = ("nm-current" if i == stage else "nm-reached" if i < stage
                         else "nm-lost" if i <= highest else "")
                v.Html(tag="li", class_=f"nm-stage {state}", children=[t.pgettext("stage", name)])


@solara.component
def NormCards(t, standing):
    """The score card norm by norm (several norms in play): a bar of the six stages after no
    contact, the stage reached, whether the group is committed, compliance now."""
    last = len(STAGES) - 1
    with v.Html(tag="div", class_="nm-card nm-scorecard nm-norms",
                attributes={"aria-label": t._("Score card, norm by norm")}):
        v.Html(tag="div", class_="nm-card-sub", children=[t._("Score card, norm by norm")])
        for s in standing:
            said = t._("{norm}: stage {stage} of {last}, {name}").format(
                norm=t.norm_name(s.norm), stage=s.stage, last=last,
                name=t.pgettext("stage", STAGES[s.stage]))
            if s.committed:
                said += "; " + t._("committed")
            with v.Html(tag="div", class_=f"nm-norm nm-norm-{s.norm}",
                        attributes={"role": "group", "aria-label": said}):
                v.Html(tag="div", class_="nm-norm-name", children=[t.norm_name(s.norm)])
                with v.Html(tag="div", class_="nm-segments", attributes={"aria-hidden": "true"}):
                    for i in range(1, last + 1):
                        state = ("nm-current" if i == s.stage else "nm-reached" if i < s.stage
                                 else "nm-lost" if i <= s.highest else "")
                        v.Html(tag="span", class_=f"nm-segment {state}",
                               attributes={"title": t.pgettext("stage", STAGES[i])})
                v.Html(tag="div", class_="nm-norm-stage", children=[
                    t.pgettext("stage", STAGES[s.stage]) + (" ✓" if s.committed else "")])
                v.Html(tag="div", class_="nm-norm-now", children=[
                    "—" if s.compliance is None else t.percent(s.compliance)])


@solara.component
def CrowdCard(t, crowd, norm: str):
    """A population: how many living groups hold each stage of the score card on the norm."""
    with v.Html(tag="div", class_="nm-card nm-scorecard nm-crowd",
                attributes={"aria-label": t._("Score card of the living groups")}):
        v.Html(tag="div", class_="nm-card-sub", children=[
            t._("Living groups at each stage ({norm})").format(norm=t.norm_name(norm))])
        with v.Html(tag="ol", class_="nm-ladder"):
            for name, n in zip(STAGES, crowd.stages):
                v.Html(tag="li", class_="nm-stage" + (" nm-reached" if n else ""),
                       children=[f"{t.pgettext('stage', name)}: {n}"])


@solara.component
def Readout(t, picture: Picture):
    """The big number: compliance now (one group), or how many groups have committed."""
    crowd, norm = picture.crowd, picture.norms[0]
    with v.Html(tag="div", class_="nm-readout"):
        if crowd is not None:
            v.Html(tag="div", class_="nm-readout-label", children=[t._("Groups committed")])
            v.Html(tag="div", class_="nm-readout-value", children=[t.number(crowd.committed, 0)])
            v.Html(tag="div", class_="nm-readout-sub", children=[
                t._("to {norm} so far, of {emerged} that took up arms").format(
                    norm=t.norm(norm), emerged=crowd.emerged)])
            return
        v.Html(tag="div", class_="nm-readout-label", children=[t._("Compliance now")])
        v.Html(tag="div", class_="nm-readout-value", children=[
            "—" if picture.now is None else t.percent(picture.now)])
        v.Html(tag="div", class_="nm-readout-sub", children=[
            t._("of occasions respect {norm} ({n}-week average)").format(norm=t.norm(norm),
                                                                         n=SMOOTH)])


@solara.component
def Engaged(t, picture: Picture):
    """Who engages the group in this run (the settings may hold others, not applied yet)."""
    if picture.engaged_by:
        words = t._("Engagers in this run: {engagers}.").format(
            engagers="; ".join(picture.engaged_by))
    else:
        words = t._("No engager in this run: the control.")
    v.Html(tag="div", class_="nm-desc nm-engaged-by mt-2", children=[words])


@solara.component
def DataNote(t, crowd):
    """Whether the observed points beside a population's curve were fitted by this preset."""
    observed = crowd.observed if crowd is not None else None
    if observed is None:
        return
    if observed.fitted:
        words = t._("Calibrated: these settings were fitted to the observed counts up to {year} "
                    "(filled points); the later ones (hollow) are held out, to check the model."
                    ).format(year=observed.fit_until)
    else:
        words = t._("Illustrative settings, not fitted: the points are the observed counts, for "
                    "comparison. The preset marked “(calibrated)” is fitted to them up to {year}."
                    ).format(year=observed.fit_until)
    v.Html(tag="div", class_="nm-desc nm-data-note mt-1", children=[words])


@solara.component
def Story(t, lines: tuple[str, ...], title: str, class_: str = "nm-story", week: int = 0):
    with v.Html(tag="div", class_=f"nm-card {class_}"):
        v.Html(tag="div", class_="nm-card-title", children=[title])
        with v.Html(tag="div", class_="nm-story-lines", attributes={"aria-live": "polite"}):
            if not lines:
                v.Html(tag="div", children=[
                    t._("Nothing yet: press Play or Step.") if week == 0 else
                    t.ngettext("No key event in {n} week.", "No key event in {n} weeks.",
                               week).format(n=week)])
            for line in lines:
                v.Html(tag="div", children=[line])


@solara.component
def Exports(t, session: Session, picture: Picture):
    """Downloads: the charts (PNG), the run's table (CSV) and the story (text).

    Each file is made when its button is pressed, from the run as it then stands. The makers are
    kept from one render to the next (a new one would cancel a download under way, and a widget
    made anew each week would leave a click on last week's button with nowhere to go)."""
    base = exports.file_stem(session)

    def makers():
        return {"png": lambda: exports.charts_png(session, t),
                "csv": lambda: exports.run_csv(session),
                "txt": lambda: exports.story_text(session, t)}
    make = solara.use_memo(makers, [session, picture.language])
    items = ((t._("Charts (PNG)"), "image/png", "png"),
             (t._("Run (CSV)"), "text/csv", "csv"),
             (t._("Story (text)"), "text/plain", "txt"))
    with v.Html(tag="div", class_="nm-exports"):
        v.Html(tag="span", class_="nm-card-sub", children=[t._("Save:")])
        for words, mime, kind in items:
            solara.FileDownload(make[kind], filename=f"{base}.{kind}", mime_type=mime, children=[
                solara.Button(words, outlined=True, small=True, classes=[f"nm-export-{kind}"])
            ]).key(kind)


@solara.component
def Summary(t, picture: Picture):
    with v.Html(tag="div", class_="nm-card nm-summary", attributes={"role": "status"}):
        v.Html(tag="div", class_="nm-card-title", children=[t._("The run is over")])
        for line in picture.summary:
            v.Html(tag="div", class_="nm-desc", children=[line])


@solara.component
def Handout(t, session: Session, picture: Picture):
    """What a printed page adds to the stage (shown only in print): the run's title, settings
    and address, whether its numbers are calibrated or illustrative, and the whole story."""
    observed = live.observed_for(session.preset) if picture.crowd is not None else None
    status = (t._("Calibrated numbers: these settings were fitted to observed counts ({title})."
                  ).format(title=observed.title) if observed is not None and observed.fitted
              else t._("Illustrative numbers: the model is not calibrated to observed data for "
                       "these settings; read the sizes as relative, the directions as the "
                       "model's argument."))
    head, settings, replay = exports.context(session, t)
    with v.Html(tag="section", class_="nm-handout"):
        v.Html(tag="h1", class_="nm-handout-title", children=[head])
        for line in (settings, status, replay):
            v.Html(tag="div", class_="nm-desc", children=[line])


@solara.component
def Veil(t, picture: Picture):
    """Predict, then reveal: the clock runs, the result stays hidden until the trainer says."""
    with v.Html(tag="div", class_="nm-card nm-veil", attributes={"role": "status"}):
        v.Html(tag="div", class_="nm-card-title", children=[t._("The result is hidden")])
        v.Html(tag="div", class_="nm-desc", children=[t._(
            "Ask the room: by week {weeks}, will compliance rise, hold or fall? Which stage will "
            "the group reach? Take a vote, run the weeks, then press Reveal.").format(
            weeks=picture.weeks)])


#: presenter mode's charts, one at a time: (name, its button's words)
PRESENTED = (("compliance", N_("Compliance")), ("factors", N_("Integration")),
             ("trust", N_("Trust and acceptance")), ("structure", N_("The group")))
PRESENTED_CROWD = (("signatories", N_("Groups committed")), ("compliance", N_("Compliance")))


@solara.component
def RunView(t, session: Session, picture: Picture, version: int = 0, veiled: bool = False,
            presenting: bool = False, shown=None):
    """The run on stage. ``veiled``: the result hidden (predict, then reveal); ``presenting``:
    one chart at a time, large enough for the back of a room, with the readout beside it."""
    if veiled:
        Veil(t, picture)
        return
    Handout(t, session, picture)
    if picture.summary:
        Summary(t, picture)
    crowd = picture.crowd
    main = "signatories" if crowd is not None else "compliance"
    choices = PRESENTED_CROWD if crowd is not None else PRESENTED
    if presenting and shown is not None and shown.value in dict(choices):
        main = shown.value
    if presenting:
        with v.Html(tag="div", class_="nm-row nm-wrap nm-chart-choice", attributes={
                "role": "group", "aria-label": t._("The chart shown")}):
            for name, words in choices:
                solara.Button(t._(words), small=True, outlined=name != main, color="primary",
                              on_click=lambda name=name: shown.set(name),
                              classes=[f"nm-show-{name}"])
    with v.Html(tag="div", class_="nm-run"):
        with v.Html(tag="div", class_="nm-run-chart"):
            Chart(main, picture.charts[main], picture.alts[main])
            DataNote(t, crowd)
            Engaged(t, picture)
        with v.Html(tag="div", class_="nm-run-side"):
            Readout(t, picture)
            if crowd is not None:
                CrowdCard(t, crowd, picture.norms[0])
            elif len(picture.norms) > 1:
                NormCards(t, picture.standing)
            else:
                ScoreCard(t, picture.stage, picture.highest)
            Story(t, picture.story[:LATEST_LINES], t._("Latest"), "nm-latest", week=picture.week)
            if presenting:
                return
            Exports(t, session, picture)
            v.Html(tag="a", class_="nm-print", attributes={"href": "javascript:window.print()"},
                   children=[t._("Print a handout (one page: title, settings, charts, summary, "
                                 "story)")])
            v.Html(tag="div", class_="nm-keys", children=[
                t._("Keys: space bar = Play or Pause, → = Step")])
    below = ([("compliance", "story")] if crowd is not None
             else [("factors", "trust"), ("story", "structure")])
    for row in below:
        with v.Html(tag="div", class_="nm-grid"):
            for name in row:
                if name == "story":
                    Story(t, picture.story, t._("What happened, and why"), week=picture.week)
                else:
                    Chart(name, picture.charts[name], picture.alts[name])
