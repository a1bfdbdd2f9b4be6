"""The settings drawer: a preset, the seed, changes waiting to apply, every control by bundle."""

from __future__ import annotations

import numpy as np
import solara

from normsim.app.controls import BUNDLES, CONTROLS, Control, show
from normsim.app.engagers import EngagerEditor
from normsim.app.runs import SEED_LIMIT, Refusal, in_story_order, presets
from normsim.app.session import Session
from normsim.settings.arguments import whole_text
from normsim.settings.scenario import load

v = solara.v


def explain(t, refusal: Refusal) -> str:
    """Why a change was refused, in the visitor's language."""
    if refusal.kind in ("peace_window", "engagement_window"):
        return t.pgettext("error", refusal.kind).format(**refusal.context)
    if refusal.kind == "seed":
        return t._("the seed “{value}” is not a whole number (0, 1, 2 ...).").format(
            **refusal.context)
    if refusal.kind == "seed_range":
        return t._("the seed {value} is too large: a seed goes from 0 to {limit}.").format(
            limit=SEED_LIMIT - 1, **refusal.context)
    if refusal.kind == "fixed":
        return t._("{names}: this can only be set when a run starts. Press “Restart with these "
                   "settings”.").format(names=", ".join(name(t, n)
                                                       for n in refusal.context["names"]))
    if refusal.kind == "handles":
        return t._("{kind} engages only on {norms}; bring one of them into play first.").format(
            kind=t.engager_kind(refusal.context["kind"]),
            norms=", ".join(t.norm_name(n) for n in refusal.context["norms"]))
    if refusal.kind == "norm_needed":
        return t._("An engager works on {norm}: remove it first.").format(
            norm=t.norm_name(refusal.context["norm"]))
    if refusal.kind == "address":
        return t._("the page's address holds values that do not fit, left out: {items}.").format(
            items="; ".join(refusal.context["items"]))
    if refusal.kind == "last_norm":
        return t._("At least one norm must be in play.")
    return refusal.text


def name(t, key: str) -> str:
    """A pending change in words: a parameter's label, or what makes up the run."""
    return {"engagers": t._("the engagers"), "norms": t._("the norms in play")}.get(key) or \
        t.label(key)


@solara.component
def RefusalNote(t, refusal: Refusal | None):
    if refusal is not None:
        v.Html(tag="div", class_="nm-card nm-error", attributes={"role": "alert"},
               children=[t._("Not applied: {why}").format(why=explain(t, refusal))])


@solara.component
def ControlRow(t, control: Control, value, on_value, changed: bool = False, preset: bool = False,
               pending: bool = False, key_prefix: str = ""):
    """One parameter: its label, a slider (or switch) bounded by the schema, its value.

    ``preset``: the chosen preset sets it (blue mark); ``changed``: the visitor changed it from
    the preset's value (orange mark); ``pending``: not yet applied to the run (dashed).
    """
    classes = ["nm-control", f"nm-c-{key_prefix}{control.name}"]
    classes += ["nm-changed"] if changed else ["nm-preset"] if preset else []
    classes += ["nm-pending"] if pending else []
    label = control.label(t)
    words = [t.label(control.name)]
    if control.hypothesis:
        words += [" ", v.Html(tag="span", class_="nm-h", children=[f"({control.hypothesis})"])]
    with v.Html(tag="div", class_=" ".join(classes), attributes={"title": control.meaning(t)}):
        if control.choice:
            v.Html(tag="div", class_="nm-label", children=words)
            v.Select(items=[{"text": show(control.name, o, t), "value": o}
                            for o in control.options],
                     v_model=value, on_v_model=lambda x: on_value(control.clamp(x)),
                     hide_details=True, dense=True, class_="nm-choice",
                     attributes={"aria-label": label})
            return
        if control.kind is bool:
            with v.Html(tag="div", class_="nm-row"):
                v.Html(tag="div", class_="nm-label", style_="flex: 1", children=words)
                v.Switch(v_model=bool(value), on_v_model=lambda x: on_value(bool(x)), inset=True,
                         hide_details=True, class_="mt-0", attributes={"aria-label": label})
                v.Html(tag="div", class_="nm-value", children=[show(control.name, value, t)])
            return
        lo, hi = control.bounds

        def slid(x):
            # a slider snaps a value between its steps (a calibrated 0.0838) and says so: that
            # is not the trainer's change
            if abs(float(x) - float(value)) >= control.step / 2:
                on_value(control.clamp(float(x)))

        v.Html(tag="div", class_="nm-label", children=words)
        with v.Html(tag="div", class_="nm-row"):
            v.Slider(v_model=value, min=lo, max=hi, step=control.step, hide_details=True,
                     on_v_model=slid, style_="flex: 1",
                     attributes={"aria-label": label})
            v.Html(tag="div", class_="nm-value", children=[show(control.name, value, t)])


@solara.component
def Pending(t, session: Session, on_change, version: int = 0):
    """Changes waiting: apply them from this week on, restart with them, or take them back."""
    # a new engager's own settings come with it: they are not changes of their own
    have = session.run.values
    pending = [*session.make_up_pending, *(k for k in session.pending if k in have)]
    if not pending or session.week == 0:
        return
    with v.Html(tag="div", class_="nm-card nm-apply", attributes={"role": "region",
                                                                  "aria-label": t._("Changes")}):
        v.Html(tag="div", class_="nm-card-sub", children=[t.ngettext(
            "{n} change not applied yet:", "{n} changes not applied yet:", len(pending)).format(
            n=len(pending)) + " " + ", ".join(name(t, n) for n in pending)])
        with v.Html(tag="div", class_="nm-row nm-wrap"):
            solara.Button(t._("From week {week} on").format(week=session.week), color="primary",
                          on_click=lambda: on_change(session.apply_now), classes=["nm-apply-now"],
                          disabled=bool(session.fixed_pending))
            solara.Button(t._("Restart with these settings"), outlined=True,
                          on_click=lambda: on_change(session.restart), classes=["nm-restart"])
            solara.Button(t._("Undo"), text=True, on_click=lambda: on_change(session.discard),
                          classes=["nm-discard"])


@solara.component
def PresetPicker(t, session: Session, on_change, version: int = 0):
    shipped = presets()
    if session.preset not in shipped:  # a scenario file given with --preset
        own = load(session.preset)
        shipped[session.preset] = (own.title, " ".join(own.description.split()))
    shipped = {name: t.scenario(name, *words) for name, words in shipped.items()}
    items = []
    for part, names in in_story_order(shipped):
        items.append({"header": t._(part)})
        items += [{"text": shipped[name][0], "value": name} for name in names]
    with v.Html(tag="div", class_="nm-card nm-presets"):
        v.Select(items=items, v_model=session.preset, label=t._("Start from a preset"),
                 hide_details=True, on_v_model=lambda name: on_change(
                     lambda: session.choose_preset(name)),
                 class_="nm-preset-select", menu_props={"maxHeight": 520})
        title, description = shipped.get(session.preset, (session.preset, ""))
        v.Html(tag="div", class_="nm-desc nm-preset-desc mt-2", children=[description],
               attributes={"lang": t.language if t.translated_scenario(session.preset)
                           else "en"})  # a scenario file of one's own is in its own words
        sets, changed = session.preset_sets(), session.preset_changes()
        notes = []
        if sets:
            notes.append(t.ngettext("It sets {n} setting (marked in blue).",
                                    "It sets {n} settings (marked in blue).", len(sets))
                         .format(n=len(sets)))
        if changed:
            notes.append(t.ngettext("You changed {n} setting (marked in orange).",
                                    "You changed {n} settings (marked in orange).", len(changed))
                         .format(n=len(changed)))
        for note in notes:
            v.Html(tag="div", class_="nm-desc nm-preset-note mt-1", children=[note])
        hidden = {k: value for k, value in sets.items() if k not in CONTROLS
                  or not CONTROLS[k].shown(session.draft, session.many_groups)}
        if hidden:
            v.Html(tag="div", class_="nm-desc nm-preset-note mt-1", children=[
                t._("Also set, without a control here: {list}.").format(list=", ".join(
                    f"{t.label(k)} {show(k, value, t)}" for k, value in hidden.items()))])


def read_seed(text: str) -> int | Refusal:
    """A seed typed into the box: a whole number from 0 to below 2**63, else why not."""
    seed = whole_text(text)
    text = str(text).strip().replace(" ", "")
    if seed is None:
        return Refusal("seed", {"value": text[:30]})
    return seed if seed < SEED_LIMIT else Refusal("seed_range", {"value": text[:30]})


@solara.component
def SeedPicker(t, session: Session, on_change, refusals: int, version: int = 0):
    """The seed in use, always: a refused entry goes back to it. A new seed discards the run,
    so past week 0 the page asks first."""
    asked = solara.use_reactive(None)  # a seed waiting for the trainer's yes

    def take(seed):
        asked.set(None)
        on_change(lambda: session.set_seed(seed))

    def offer(seed):
        if isinstance(seed, Refusal):
            on_change(lambda: session.refuse(seed))
        elif seed == session.seed:
            return
        elif session.week > 0:
            asked.set(seed)
        else:
            take(seed)

    def new_seed():
        offer(int(np.random.default_rng().integers(0, 10_000)))

    with v.Html(tag="div", class_="nm-card nm-seed"):
        with v.Html(tag="div", class_="nm-row"):
            # keyed by the seed and the refusals: the box always shows the seed in use
            solara.InputText(t._("Seed"), value=str(session.seed), continuous_update=False,
                             on_value=lambda text: offer(read_seed(text)),
                             classes=["nm-seed-input"]).key(
                f"seed-{refusals}-{session.seed}-{asked.value}")
            solara.Button(t._("New seed"), on_click=new_seed, outlined=True,
                          classes=["nm-new-seed"])
        if asked.value is not None:
            with v.Html(tag="div", class_="nm-card nm-confirm", attributes={"role": "alert"}):
                v.Html(tag="div", class_="nm-desc", children=[t._(
                    "Seed {seed} starts a new run from week 0: the run at week {week} is "
                    "discarded.").format(seed=asked.value, week=session.week)])
                with v.Html(tag="div", class_="nm-row nm-wrap"):
                    solara.Button(t._("Start again with seed {seed}").format(seed=asked.value),
                                  color="primary", on_click=lambda: take(asked.value),
                                  classes=["nm-confirm-yes"])
                    solara.Button(t._("Keep this run"), text=True,
                                  on_click=lambda: asked.set(None), classes=["nm-confirm-no"])
        v.Html(tag="div", class_="nm-card-sub", children=[
            t._("The same seed and settings give the same run, every time.")])


@solara.component
def SettingsPanel(t, session: Session, on_change, on_close, refusals: int = 0,
                  version: int = 0):
    """Everything a trainer sets, top to bottom."""
    with v.Html(tag="div", class_="nm-drawer-head"):
        v.Html(tag="h2", class_="nm-title", children=[t._("Settings")])
        solara.Button(t._("Hide settings"), text=True, on_click=on_close,
                      classes=["nm-close-settings"])
    Pending(t, session, on_change, version=version)  # (version: redraw when settings change)
    RefusalNote(t, session.refusal)
    PresetPicker(t, session, on_change, version=version)
    SeedPicker(t, session, on_change, refusals, version=version)
    sets, changed, pending = session.preset_sets(), session.preset_changes(), session.pending
    for bundle in BUNDLES:
        shown = [c for c in bundle.controls if c.shown(session.draft, session.many_groups)]
        if not shown and bundle.key != "persuader":
            continue  # (the interaction with no engager)
        with v.Html(tag="div", class_=f"nm-card nm-bundle nm-bundle-{bundle.key}"):
            v.Html(tag="h3", class_="nm-card-title", children=[t._(bundle.title)])
            v.Html(tag="div", class_="nm-card-sub", children=[t._(bundle.hypotheses)])
            if bundle.key == "persuader":
                EngagerEditor(t, session, on_change, version=version)
            for kind in bundle.kinds(session.draft):
                if kind is not None:
                    v.Html(tag="h4", class_=f"nm-kind-title nm-kind-{kind}",
                           children=[t.engager_kind(kind)])
                for control in (c for c in shown if c.engager == kind):
                    ControlRow(t, control, session.draft[control.name],
                               lambda x, n=control.name: on_change(
                                   lambda: session.set_value(n, x)),
                               changed=control.name in changed, preset=control.name in sets,
                               pending=control.name in pending)
