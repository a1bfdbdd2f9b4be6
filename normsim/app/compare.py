"""Compare two settings of one factor over several seeds: bands, and the difference in a sentence.

The runs go in a thread of their own (:meth:`normsim.app.comparison.Comparer.start`); this
view shows their progress, then the library's result
(:func:`normsim.analysis.replicates.compare`) in words.
"""

from __future__ import annotations

import solara

from normsim.app.controls import BUNDLES, CONTROLS, declared, show, side_name
from normsim.app.panel import ControlRow, RefusalNote
from normsim.app.runs import in_story_order, presets
from normsim.analysis.replicates import Lineup
from normsim.app.comparison import MAX_PRESETS
from normsim.app.session import Session

v = solara.v
SEED_CHOICES = (5, 10, 20)


def verdict(t, result, names: tuple[str, str], spec: tuple | None = None) -> list[str]:
    """The comparison in plain sentences: both sides, then the difference and its uncertainty.

    Sides with a word of their own ("a principled persuader") are named by it; others by the
    factor, said once, and then each side's value alone (a question inside a sentence lost the
    room)."""
    a, b, d = result.left.estimate, result.right.estimate, result.difference
    pct, pts = t.percent, (lambda x: t.number(100 * x, 1))
    plain = spec is not None and not all(declared(spec[0], x, t) for x in spec[1:])
    template = (t._("Over the last year of the runs, compliance was {a} with {left} (95% interval "
                    "{a_lo} to {a_hi}) and {b} with {right} ({b_lo} to {b_hi}), over {n} seeds "
                    "each.") if not plain else
                t._("Over the last year of the runs, compliance was {a} at {left} (95% interval "
                    "{a_lo} to {a_hi}) and {b} at {right} ({b_lo} to {b_hi}), over {n} seeds "
                    "each."))
    if plain:
        names = tuple(show(spec[0], x, t) for x in spec[1:])
    lines = [t._("The factor: {label}").format(label=CONTROLS[spec[0]].label(t))] if plain else []
    return lines + [
        template.format(
            a=pct(a.mean), left=names[0], a_lo=pct(a.low), a_hi=pct(a.high), b=pct(b.mean),
            right=names[1], b_lo=pct(b.low), b_hi=pct(b.high), n=a.n),
        t._("The difference is {d} percentage points (95% interval {lo} to {hi}).").format(
            d=pts(d.mean), lo=pts(d.low), hi=pts(d.high)) + " " + (
            t._("Chance alone would rarely give a difference this large.") if d.excludes_zero
            else t._("With these seeds, chance alone could explain it.")),
    ]


def lineup_verdict(t, result: Lineup, names: tuple[str, ...]) -> list[str]:
    """Several presets in plain sentences: each one's compliance, then the settings' against
    each other one, with its interval and whether chance alone could explain it."""
    pct, pts = t.percent, (lambda x: t.number(100 * x, 1))
    lines = [t._("Over the last year of the runs, over {n} seeds each, compliance was:").format(
        n=result.sides[0].estimate.n)]
    lines += [t._("{name}: {a} (95% interval {lo} to {hi})").format(
        name=name, a=pct(s.estimate.mean), lo=pct(s.estimate.low), hi=pct(s.estimate.high))
        for name, s in zip(names, result.sides)]
    for name, d in zip(names[1:], result.differences):
        lines.append(t._("{first} against {other}: {d} percentage points (95% interval {lo} to "
                         "{hi}).").format(first=names[0], other=name, d=pts(d.mean),
                                          lo=pts(d.low), hi=pts(d.high)) + " " + (
            t._("Chance alone would rarely give a difference this large.") if d.excludes_zero
            else t._("With these seeds, chance alone could explain it.")))
    return lines


@solara.component
def CompareView(t, session: Session, on_change, version: int = 0, settings: int = 0):
    """Two settings side by side over the same seeds: the difference one factor makes.

    ``settings`` is bumped by every change of the comparison's factor, sides or seeds: without it
    the view would keep showing the previous choice while Run compared the new one."""
    comparer = session.comparer
    name, left, right = comparer.spec
    control = CONTROLS[name]
    options = [{"text": c.label(t), "value": c.name} for b in BUNDLES for c in b.controls
               if c.shown(session.draft, session.many_groups) and not c.choice]
    names = (side_name(name, left, t), side_name(name, right, t))

    def choose(new):
        a, b = CONTROLS[new].sides(session.draft[new])
        on_change(lambda: comparer.set_factor(new, a, b))

    against = comparer.against
    by_factor = against == "factor"
    targets = [{"text": t._("one factor, set two ways"), "value": "factor"},
               {"text": t._("its control: the same runs without any engager"),
                "value": "control"}]
    shipped = presets()
    targets += [{"text": t._("other presets, side by side (up to {n})").format(n=MAX_PRESETS),
                 "value": "presets"}]
    targets += [{"text": t._("another preset: {title}").format(
                    title=t.scenario(key, *shipped[key])[0]), "value": f"preset:{key}"}
                for _, names in in_story_order(shipped) for key in names
                if key != session.preset]
    with v.Html(tag="div", class_="nm-card nm-compare-setup").key("setup"):
        v.Html(tag="div", class_="nm-card-sub", children=[
            t._("Both sides run the same seeds with every other setting as in the settings "
                "panel, so a difference comes from this factor and not from luck.") if by_factor
            else t._("Both sides run the same seeds: luck that does not depend on the settings "
                     "is the same on both, so the difference is what the settings change.")])
        v.Select(items=targets, v_model=against, label=t._("Set the settings against"),
                 hide_details=True, class_="nm-compare-against", menu_props={"maxHeight": 520},
                 on_v_model=lambda x: on_change(lambda: comparer.set_against(x))
                 ).key("against")
        with v.Html(tag="div", class_="nm-compare-row mt-2").key("row"):
            if by_factor:
                v.Select(items=options, v_model=name, label=t._("The factor to vary"),
                         hide_details=True, on_v_model=choose, class_="nm-compare-factor",
                         menu_props={"maxHeight": 520}).key("factor")
            if against == "presets":
                others = [{"text": t.scenario(key, *shipped[key])[0], "value": key}
                          for _, names in in_story_order(shipped) for key in names
                          if key != session.preset]
                v.Select(items=others, v_model=comparer.presets, multiple=True,
                         label=t._("Presets beside the settings (up to {n})").format(
                             n=MAX_PRESETS), hide_details=True, class_="nm-compare-presets",
                         menu_props={"maxHeight": 520}, on_v_model=lambda names: on_change(
                             lambda: comparer.set_presets(names))).key("presets")
            v.Select(items=[{"text": str(n), "value": n} for n in SEED_CHOICES],
                     v_model=comparer.seeds, label=t._("Seeds per side"),
                     hide_details=True, class_="nm-compare-seeds",
                     on_v_model=lambda n: on_change(lambda: comparer.set_seeds(int(n)))
                     ).key("seeds")
            running = comparer.running
            solara.Button(t._("Run the comparison"), color="primary",
                          disabled=running or (against == "presets"
                                               and not comparer.presets),
                          on_click=lambda: on_change(comparer.start),
                          classes=["nm-compare-run"]).key("run")
            if running:
                v.Html(tag="div", class_="nm-compare-progress", attributes={"role": "status"},
                       children=[t._("{done} of {total} runs done").format(
                           done=comparer.done, total=comparer.total)]
                       ).key("progress")
        RefusalNote(t, session.refusal).key("refusal")
        if by_factor:
            Sides(t, session, on_change, control, name, left, right, names).key("sides")
    Result(t, session, version=version, settings=settings).key("result")


@solara.component
def Sides(t, session: Session, on_change, control, name, left, right, names):
    """The factor's two values, each under a slider of its own."""
    with v.Html(tag="div", class_="nm-grid"):
        with v.Html(tag="div", class_="nm-left"):
            ControlRow(t, control, left, lambda x: on_change(
                lambda: session.comparer.set_factor(name, x, right)), key_prefix="left-")
            v.Html(tag="div", class_="nm-card-sub", children=[
                t._("Solid blue line: {name}").format(name=names[0])])
        with v.Html(tag="div", class_="nm-right"):
            ControlRow(t, control, right, lambda x: on_change(
                lambda: session.comparer.set_factor(name, left, x)), key_prefix="right-")
            v.Html(tag="div", class_="nm-card-sub", children=[
                t._("Dashed orange line: {name}").format(name=names[1])])


@solara.component
def Result(t, session: Session, version: int = 0, settings: int = 0):
    """The comparison's chart and its verdict in words, or how to start one."""
    comparer = session.comparer
    result, chart = comparer.result, comparer.chart
    if result is None or chart is None:
        if not comparer.running:
            v.Html(tag="div", class_="nm-desc nm-compare-empty", children=[
                t._("Press “Run the comparison”: each side runs {n} times, one run per seed.")
                .format(n=comparer.seeds)])
        return
    with v.Html(tag="div", class_="nm-run"):
        with v.Html(tag="div", class_="nm-run-chart nm-chart nm-chart-compare"):
            v.Html(tag="img", attributes={"src": chart, "role": "img", "alt": t._(
                "Line chart of the mean compliance of each side over the seeds, with bands "
                "showing the 95% interval.")}, style_="width: 100%")
        with v.Html(tag="div", class_="nm-card nm-compare-verdict", attributes={"role": "status"}):
            if comparer.shown_against == "control":
                v.Html(tag="div", class_="nm-desc nm-effect", children=[t._(
                    "The engagement's effect: each run against its twin, the same run without "
                    "any engager (the same seed, the same luck).")])
            spec = comparer.shown_spec if comparer.shown_against == "factor" else None
            lines = (lineup_verdict(t, result, comparer.names(t))
                     if isinstance(result, Lineup)
                     else verdict(t, result, comparer.names(t), spec))
            for line in lines:
                v.Html(tag="div", class_="nm-desc", children=[line])
