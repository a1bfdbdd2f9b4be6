"""What the page shows of a run, built off the page's thread: charts, numbers, story, summary.

The worker draws a :class:`Picture` after each step (holding the session's lock only while it
copies from the model); the page then only swaps it in, so showing a new week is quick and a
click never waits for matplotlib. Everything in it is in the visitor's language.

Two views of a run: one group (the first) norm by norm -- its compliance, score card,
integration, trust and chain of command -- and, for a scenario with a population of groups,
the population: how many groups have committed, beside the observed counts, and compliance
pooled over the living groups. The numbers come from :mod:`normsim.app.live`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import pandas as pd

from normsim.app import live
from normsim.analysis.narrative import key_events, milestones
from normsim.analysis.replicates import SMOOTH
from normsim.app import charts
from normsim.app.controls import show
from normsim.app.engagers import describe
from normsim.app.i18n import N_, SOURCE, translator
from normsim.events import KINDS as EVENT_KINDS
from normsim.events import TEXTS as EVENT_TEXTS
from normsim.rules.norms import NORMS
from normsim.simulation.outcomes import FINAL_WEEKS, outcomes
from normsim.simulation.records import DIALOGUE_TRUST, STAGE_LEVEL, STAGES

STORY_LINES = 40


@dataclass(frozen=True)
class Crowd:
    """A population at the week shown."""

    committed: int  # groups that have committed to the first norm so far (as the data count)
    emerged: int  # groups that have taken up arms so far
    alive: int  # groups fighting now
    stages: tuple[int, ...]  # living groups at each stage of the score card (first norm)
    observed: live.Observed | None  # the counts a calibration sets beside the curve


@dataclass(frozen=True)
class Picture:
    serial: int  # the run it shows
    week: int
    weeks: int
    language: str
    norms: tuple[str, ...]  # in play, the first is the one outcomes report
    now: float | None  # compliance with the first norm, over the last weeks (None: nothing yet)
    stage: int  # the first group's stage on the first norm
    highest: int
    standing: tuple[live.Standing, ...]  # the first group on each norm
    crowd: Crowd | None  # a population's numbers (None: one group, or a few)
    story: tuple[str, ...]  # newest first
    charts: dict  # name -> data URI
    alts: dict  # name -> what the chart shows, in words
    summary: tuple[str, ...]  # the end-of-run summary (empty before the end)
    engaged_by: tuple[str, ...] = ()  # the run's engagers in words (none: the control)


def told_as(ev) -> str | None:
    """The declared sentence (:func:`normsim.events.sentence`) an event was logged with, if
    any: its words differ from its kind's, so a catalogue must translate them whole."""
    norm = NORMS[ev.norm].title if ev.norm in NORMS else "IHL"
    return next((words for words, kind in EVENT_TEXTS.items()
                 if kind == ev.kind and words.format(norm=norm) == ev.text), None)


def sentence(t, ev, many_groups: bool = False) -> str:
    """One event in the visitor's language: the model's words in English, else the catalogue's
    (with the event's value, detail, norm and engager), else the model's words."""
    if ev.kind == "conditions changed":
        changes = json.loads(ev.detail or "{}")
        text = t.pgettext("event", ev.kind, EVENT_KINDS[ev.kind].words).format(
            detail="; ".join(t._("“{label}”: {old} → {new}").format(
                label=t.label(name), old=show(name, old, t), new=show(name, new, t))
                for name, (old, new) in changes.items()))
    elif t.language != SOURCE and (told := told_as(ev)) is not None:
        text = t.pgettext("event text", told).format(norm=t.norm(ev.norm or ""))
    elif t.language != SOURCE and t.has("event", ev.kind):
        value = "" if pd.isna(ev.value) else t.number(ev.value, 0 if ev.value == int(ev.value) else 2)
        detail = t.pgettext("detail", ev.detail) if ev.detail else ""
        text = t.pgettext("event", ev.kind).format(value=value, detail=detail,
                                                   norm=t.norm(ev.norm or ""),
                                                   engager=t.engager(ev.engager or ""))
    else:
        text = ev.text
    if many_groups and ev.group >= 0:
        return t._("Week {week} (group {group}): {text}.").format(week=ev.step, group=ev.group,
                                                                 text=text)
    return t._("Week {week}: {text}.").format(week=ev.step, text=text)


#: why a score card falls to a stage: the condition of the next stage that no longer holds
#: (normsim.simulation.records.stages)
FELL_BECAUSE = {
    0: N_("no meeting with the leadership has taken place"),
    1: N_("trust between the group and its engagers fell below {trust}, the level at which they "
          "speak openly (a dialogue)"),
    2: N_("the group no longer holds a public commitment"),
    3: N_("the norm's place in the group's doctrine fell below {level}"),
    4: N_("training or internal sanctions fell below {level}"),
    5: N_("a factor or the leadership's acceptance fell below what integration needs"),
}


def drop_sentence(t, drop: live.Drop, several: bool) -> str:
    """A fall of the score card in words, with its reason (why the card and the story agree)."""
    reason = t._(FELL_BECAUSE[drop.after]).format(trust=t.number(DIALOGUE_TRUST, 1),
                                                  level=t.number(STAGE_LEVEL, 1))
    said = t._("Week {week}: the score card fell from {before} to {after}, as {reason}; the "
               "highest stage reached stays on the card.").format(
        week=drop.week, before=t.pgettext("stage", STAGES[drop.before]),
        after=t.pgettext("stage", STAGES[drop.after]), reason=reason)
    return said if not several else f"{said} ({t.norm_name(drop.norm)})"


def story(t, events: pd.DataFrame, records: pd.DataFrame | None = None) -> list[str]:
    """Every key event in words, oldest first (with its group when several groups have some);
    with ``records`` (one group), also each week its score card fell back, and why."""
    told = key_events(events)
    many = told["group"].nunique() > 1
    lines = [(int(ev.step), sentence(t, ev, many)) for ev in told.itertuples()]
    if records is not None:
        norms = live.norms_of(records)
        lines += [(d.week, drop_sentence(t, d, len(norms) > 1))
                  for d in live.stage_drops(records)]
    return [line for _, line in sorted(lines, key=lambda x: x[0])]


def marks(t, events: pd.DataFrame, norms=(), group: int | None = 0) -> list[tuple[int, str]]:
    """Key events to mark on a chart: (week, short label); with several norms the label names
    the norm. ``group``: only that group's (and every group's) events."""
    shown = milestones(events)
    if group is not None:
        shown = shown[shown["group"].isin([group, -1])]
    several = len(norms) > 1
    return [(int(ev.step), t.marker(ev.kind) + (f" ({t.norm_name(ev.norm)})"
                                                if several and ev.norm else ""))
            for ev in shown.itertuples()]


def alt_text(t, name: str, week: int, picture_now: float | None, marked, norms,
             pooled: bool = False) -> str:
    """A time chart in words; ``pooled``: a population's, over all its living groups."""
    norm = t.norm(norms[0]) if len(norms) == 1 else t._("each norm")
    what = {"compliance": (t._("Line chart of compliance of all living groups with {norm}")
                           if pooled else t._("Line chart of compliance with {norm}")).format(
                norm=norm),
            "factors": t._("Line chart of the four integration factors"),
            "trust": t._("Line chart of trust and of acceptance of the norm")}[name]
    words = t._("{what}, from week 0 to week {week}.").format(what=what, week=week)
    if name == "compliance" and picture_now is not None:
        words += " " + t._("Now {share} ({n}-week average).").format(share=t.percent(picture_now),
                                                                     n=SMOOTH)
    if marked:
        words += " " + t._("Marked: {events}.").format(events=", ".join(
            t._("{event} (week {week})").format(event=m, week=w) for w, m in marked))
    return words


def crowd_alt(t, norm: str, week: int, crowd: Crowd) -> str:
    """The population chart in words: the curve now, and every observed point."""
    words = t._("Line chart of the groups that have committed to {norm}: {n} by week {week}, "
                "of {emerged} that took up arms.").format(norm=t.norm(norm), n=crowd.committed,
                                                          week=week, emerged=crowd.emerged)
    if crowd.observed is not None and len(crowd.observed.points):
        words += " " + t._("Observed: {points}.").format(points=", ".join(
            t._("{count} in {year}").format(count=int(p.count), year=int(p.year))
            for p in crowd.observed.points.itertuples()))
    return words


def reached(t, rows: pd.DataFrame, weeks: int, stage: int, highest: int) -> str:
    """Where the group stands at the end; when it has fallen back, the highest stage it reached
    first, and when (so that the summary says what the story told)."""
    last, name = len(STAGES) - 1, (lambda i: t.pgettext("stage", STAGES[i]))
    if highest <= stage:
        return t._("After {weeks} weeks the group is at stage {stage} of {last}: {name}.").format(
            weeks=weeks, stage=stage, last=last, name=name(stage))
    week = int(rows.loc[rows["stage"] == highest, "step"].iloc[0])
    return t._("After {weeks} weeks: the highest stage the group reached is {highest} of {last}, "
               "{high_name} (week {week}); it has since fallen back to stage {stage}, {name} "
               "(the story says when and why).").format(
        weeks=weeks, highest=highest, last=last, high_name=name(highest), week=week, stage=stage,
        name=name(stage))


def summary(t, records: pd.DataFrame, weeks: int, norms) -> tuple[str, ...]:
    """The end of a run in a few sentences: the first group's stage on the first norm, its
    compliance in the first and last years, its commitments, then its stage on each other
    norm."""
    rec = records[records["group"] == 0]
    out = outcomes(rec, ["final_compliance", "final_stage", "highest_stage", "commitments"])
    first = rec[(rec["step"] > 0) & (rec["step"] <= FINAL_WEEKS) & (rec["norm"] == norms[0])]
    stage, highest = int(out["final_stage"]), int(out["highest_stage"])
    lines = [
        reached(t, rec[rec["norm"] == norms[0]], weeks, stage, highest),
        t._("Compliance in the first year: {first}; in the last year: {last}.").format(
            first=t.percent(first["compliance_rate"].mean()),
            last=t.percent(out["final_compliance"])),
        t.ngettext("{n} public commitment made.", "{n} public commitments made.",
                   int(out["commitments"])).format(n=int(out["commitments"])),
    ]
    for s in live.standing(records)[1:]:
        lines.append(t._("On {norm}: stage {stage} of {last}, {name}.").format(
            norm=t.norm(s.norm), stage=s.stage, last=len(STAGES) - 1,
            name=t.pgettext("stage", STAGES[s.stage])))
    return tuple(lines)


def crowd_summary(t, records: pd.DataFrame, weeks: int, norms, crowd: Crowd) -> tuple[str, ...]:
    pooled = live.pooled(records)[norms[0]]
    first = pooled[(pooled["step"] > 0) & (pooled["step"] <= FINAL_WEEKS)]
    last = pooled[pooled["step"] > pooled["step"].max() - FINAL_WEEKS]
    rate = (lambda p: t.percent(1.0 - p["violations"].sum() / p["occasions"].sum())
            if p["occasions"].sum() else "—")
    return (
        t._("After {weeks} weeks, {n} of the {emerged} groups that took up arms have committed "
            "to {norm}; {alive} are still fighting.").format(
            weeks=weeks, n=crowd.committed, emerged=crowd.emerged, norm=t.norm(norms[0]),
            alive=crowd.alive),
        t._("Compliance of all living groups in the first year: {first}; in the last year: "
            "{last}.").format(first=rate(first), last=rate(last)),
    )


def population_charts(t, weeks: int, norms, observed):
    """The population view's charts: name -> builder."""
    return {"signatories": charts.signatories(t, weeks, norms[0], observed),
            "compliance": charts.compliance(t, weeks, tuple(norms), pooled=True)}


def group_charts(t, weeks: int, norms, control: bool = False):
    """The one-group view's time charts: name -> builder (``control``: with the run's)."""
    return {"compliance": charts.compliance(t, weeks, tuple(norms), control=control),
            "factors": charts.factors(t, weeks, norms[0]),
            "trust": charts.trust(t, weeks, norms[0])}


def chart_data(session, records: pd.DataFrame, events: pd.DataFrame, t, population: bool):
    """Each time chart's data (what its update takes), and the marks of the story."""
    norms = tuple(live.norms_of(records))
    if population:
        curve = live.commitment_curve(records, norms[0])
        return {"signatories": (curve,), "compliance": (live.pooled(records), marks(
            t, events[events["kind"] == "conditions changed"], norms, group=None))}
    rows, marked = live.norm_rows(records, 0), marks(t, events, norms)
    out = {name: (rows, marked) for name in ("compliance", "factors", "trust")}
    twin = session.run.twin
    if twin is not None:
        out["compliance"] = (rows, marked, live.norm_rows(twin.records(), 0))
    return out


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
                control = run.twin is not None
                population = bool(run.model.settings.population)
                engagers = [e.model_dump() for e in run.model.settings.engagers]
                preset = session.preset
                structure = None if population else self._figure(
                    ("structure", t.language, run.serial),
                    charts.structure(t, run.model)).svg(run.model)
                week = run.week
            norms = tuple(live.norms_of(records))
            standing = tuple(live.standing(records)) if not population else ()
            crowd = self._crowd(records, preset) if population else None
            builders = (population_charts(t, weeks, norms, crowd.observed) if population
                        else group_charts(t, weeks, norms, control))
            with session.lock:
                data = chart_data(session, records, events, t, population)
            key = (t.language, weeks, norms, preset, control)
            images = {name: self._figure((name, *key), build).svg(*data[name])
                      for name, build in builders.items()}
            if population:
                now = live.recent(live.pooled(records)[norms[0]])
                alts = {"signatories": crowd_alt(t, norms[0], week, crowd),
                        "compliance": alt_text(t, "compliance", week, now, (), norms,
                                             pooled=True)}
            else:
                now = standing[0].compliance
                marked = data["compliance"][1]
                alts = {name: alt_text(t, name, week, now, marked, norms) for name in builders}
                images["structure"] = structure
                alts["structure"] = t._("The chain of command from the top commander to the "
                                        "units and communities, coloured by acceptance of the "
                                        "norm.")
            lines = story(t, events, None if population else records)
            finished = week >= weeks
            session.view = Picture(
                serial=run.serial, week=week, weeks=weeks, language=t.language, norms=norms,
                now=now, stage=standing[0].stage if standing else 0,
                highest=standing[0].highest if standing else 0, standing=standing, crowd=crowd,
                story=tuple(lines[::-1][:STORY_LINES]), charts=images, alts=alts,
                summary=(() if not finished else crowd_summary(t, records, week, norms, crowd)
                         if population else summary(t, records, week, norms)),
                engaged_by=tuple(describe(t, table) for table in engagers))

    @staticmethod
    def _crowd(records: pd.DataFrame, preset: str) -> Crowd:
        norm = live.norms_of(records)[0]
        curve = live.commitment_curve(records, norm)
        last = records[records["step"] == records["step"].max()]
        observed = live.observed_for(preset)
        return Crowd(committed=int(curve["signatories"].iloc[-1]) if len(curve) else 0,
                     emerged=live.emerged(records),
                     alive=int(last.loc[last["norm"] == norm, "alive"].sum()),
                     stages=tuple(live.stage_counts(records)[norm]),
                     observed=observed if observed is not None and observed.norm == norm
                     else None)

    def draw_compare(self, comparer, language: str) -> str | None:
        """The chart of a comparison's result (a data URI; ``comparer``: a
        :class:`~normsim.app.comparison.Comparer`), or None while it has none."""
        result = comparer.result
        if result is None:
            return None
        with self._lock:
            t = translator(language)
            names = comparer.names(t)
            effect = comparer.shown_against == "control"
            sides = result.sides if hasattr(result, "sides") else (result.left, result.right)
            return self._figure(("bands", t.language, result.weeks, names, effect),
                                charts.bands(t, result.weeks, names, effect)).svg(
                *(s.band for s in sides))
