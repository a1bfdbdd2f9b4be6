"""What the page shows of a run, built off the page's thread: charts, numbers, story, summary.

The worker draws a :class:`Picture` after each step (holding the session's lock only while it
copies from the model); the page then only swaps it in, so showing a new week is quick and a
click never waits for matplotlib. Everything in it is in the visitor's language.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import pandas as pd

from normsim.analysis.narrative import key_events, milestones
from normsim.analysis.replicates import SMOOTH
from normsim.app import charts
from normsim.app.controls import show
from normsim.app.i18n import SOURCE, translator
from normsim.outcomes import FINAL_WEEKS, outcomes
from normsim.records import STAGES

STORY_LINES = 40
TIME_CHARTS = {"compliance": charts.compliance, "factors": charts.factors, "trust": charts.trust}


@dataclass(frozen=True)
class Picture:
    serial: int  # the run it shows
    week: int
    weeks: int
    language: str
    now: float | None  # compliance, running mean over the last weeks (None before week 1)
    stage: int
    highest: int
    story: tuple[str, ...]  # newest first
    charts: dict  # name -> data URI
    alts: dict  # name -> what the chart shows, in words
    summary: tuple[str, ...]  # the end-of-run summary (empty before the end)


def sentence(t, ev) -> str:
    """One event in the visitor's language: the model's words in English, else the catalogue's
    (with the event's value and detail), else the model's words."""
    if ev.kind == "conditions changed":
        changes = json.loads(ev.detail or "{}")
        text = t.pgettext("event", ev.kind).format(detail="; ".join(
            t._("“{label}”: {old} → {new}").format(label=t.label(name), old=show(name, old, t),
                                                    new=show(name, new, t))
            for name, (old, new) in changes.items()))
    elif t.language != SOURCE and t.has("event", ev.kind):
        value = "" if pd.isna(ev.value) else t.number(ev.value, 0 if ev.value == int(ev.value) else 2)
        detail = t.pgettext("detail", ev.detail) if ev.detail else ""
        text = t.pgettext("event", ev.kind).format(value=value, detail=detail)
    else:
        text = ev.text
    return t._("Week {week}: {text}.").format(week=ev.step, text=text)


def marks(t, events: pd.DataFrame) -> list[tuple[int, str]]:
    return [(int(ev.step), t.marker(ev.kind)) for ev in milestones(events).itertuples()]


def alt_text(t, name: str, week: int, now: float | None, marked) -> str:
    what = {"compliance": t._("Line chart of compliance, the share of encounters that respect IHL"),
            "factors": t._("Line chart of the four integration factors"),
            "trust": t._("Line chart of trust and of acceptance of IHL")}[name]
    words = t._("{what}, from week 0 to week {week}.").format(what=what, week=week)
    if name == "compliance" and now is not None:
        words += " " + t._("Now {share} ({n}-week average).").format(share=t.percent(now), n=SMOOTH)
    if marked:
        words += " " + t._("Marked: {events}.").format(events=", ".join(
            t._("{event} (week {week})").format(event=m, week=w) for w, m in marked))
    return words


def summary(t, records: pd.DataFrame, weeks: int) -> tuple[str, ...]:
    """The end of a run in three sentences."""
    rec = records[records["group"] == 0]
    out = outcomes(rec, ["final_compliance", "final_stage", "highest_stage", "commitments"])
    first = rec[(rec["step"] > 0) & (rec["step"] <= FINAL_WEEKS)]["compliance_rate"].mean()
    stage, highest = int(out["final_stage"]), int(out["highest_stage"])
    return (
        t._("After {weeks} weeks the group is at stage {stage} of {last}: {name} "
            "(the highest it reached: {highest}).").format(
            weeks=weeks, stage=stage, last=len(STAGES) - 1, name=t.pgettext("stage", STAGES[stage]),
            highest=t.pgettext("stage", STAGES[highest])),
        t._("Compliance in the first year: {first}; in the last year: {last}.").format(
            first=t.percent(first), last=t.percent(out["final_compliance"])),
        t.ngettext("{n} public commitment made.", "{n} public commitments made.",
                   int(out["commitments"])).format(n=int(out["commitments"])),
    )


class Painter:
    """Draws one session's pictures; keeps its figures between weeks (per language and run)."""

    def __init__(self):
        self._live: dict = {}
        self._lock = threading.Lock()  # the worker and the comparison may draw at once

    def _figure(self, key, build):
        if key not in self._live:
            if key[0] == "structure":  # one run's structure at a time: forget the last run's
                self._live = {k: v for k, v in self._live.items() if k[0] != "structure"}
            self._live[key] = charts.Live(build)
        return self._live[key]

    def draw(self, session) -> None:
        """Build the picture of the session's run now, in its language; put it in place."""
        with self._lock:
            t = translator(session.language)
            with session.lock:
                run, weeks = session.run, session.weeks
                records, events = run.model.records(), run.model.events()
                structure = self._figure(("structure", t.language, run.serial),
                                         charts.structure(t, run.model)).svg(run.model)
                week = run.week
            rec = records[records["group"] == 0]
            now = (rec["compliance_rate"].tail(SMOOTH).mean() if week else None)
            marked = marks(t, events)
            images = {name: self._figure((name, t.language, weeks), make(t, weeks)).svg(
                records, marked) for name, make in TIME_CHARTS.items()}
            images["structure"] = structure
            alts = {name: alt_text(t, name, week, now, marked) for name in TIME_CHARTS}
            alts["structure"] = t._("The chain of command from the top commander to the units "
                                    "and communities, coloured by acceptance of IHL.")
            story = [sentence(t, ev) for ev in key_events(events).itertuples()]
            session.view = Picture(
                serial=run.serial, week=week, weeks=weeks, language=t.language, now=now,
                stage=int(rec["stage"].iloc[-1]), highest=int(rec["stage"].max()),
                story=tuple(story[::-1][:STORY_LINES]), charts=images, alts=alts,
                summary=summary(t, records, week) if week >= weeks else ())

    def draw_compare(self, session) -> str | None:
        """The comparison's chart (a data URI), or None while there is no comparison."""
        result = session.comparison
        if result is None:
            return None
        with self._lock:
            t = translator(session.language)
            names = session.compared_names(t)
            return self._figure(("bands", t.language, result.weeks, names),
                                charts.bands(t, result.weeks, names)).svg(
                result.left.band, result.right.band)
