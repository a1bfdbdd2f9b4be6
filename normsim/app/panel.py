"""The control panel: a preset, the seed, and every control in plain words, by bundle."""

from __future__ import annotations

import numpy as np
import solara

from normsim.app.controls import BUNDLES, CONTROLS, HYPOTHESES, Control
from normsim.app.session import Session, presets
from normsim.scenario import load

v = solara.v


@solara.component
def ControlRow(control: Control, value, on_value, changed: bool = False, preset: bool = False,
               key_prefix: str = ""):
    """One parameter: its question, a slider (or switch) bounded by the schema, its value.

    ``preset``: the chosen preset sets it (blue mark); ``changed``: the visitor changed it from
    the preset's value (orange mark).
    """
    classes = ["nm-control", f"nm-c-{key_prefix}{control.name}"]
    classes += ["nm-changed"] if changed else ["nm-preset"] if preset else []
    label = [control.question]
    if control.hypothesis:
        label += [" ", v.Html(tag="span", class_="nm-h", children=[f"({control.hypothesis})"])]
    with v.Html(tag="div", class_=" ".join(classes), attributes={"title": control.meaning}):
        if control.kind is bool:
            with v.Html(tag="div", class_="nm-row"):
                v.Html(tag="div", class_="nm-label", style_="flex: 1", children=label)
                v.Switch(v_model=bool(value), on_v_model=lambda x: on_value(bool(x)), inset=True,
                         hide_details=True, class_="mt-0")
                v.Html(tag="div", class_="nm-value", children=[control.show(value)])
            return
        lo, hi = control.bounds
        v.Html(tag="div", class_="nm-label", children=label)
        with v.Html(tag="div", class_="nm-row"):
            v.Slider(v_model=value, min=lo, max=hi, step=control.step, hide_details=True,
                     on_v_model=lambda x: on_value(control.clamp(float(x))), style_="flex: 1")
            v.Html(tag="div", class_="nm-value", children=[control.show(value)])


@solara.component
def PresetPicker(session: Session, on_change, version: int = 0):
    shipped = presets()
    if session.preset not in shipped:  # a scenario file given with --preset
        own = load(session.preset)
        shipped[session.preset] = (own.title, " ".join(own.description.split()))
    items = [{"text": f"{name} — {title}", "value": name} for name, (title, _) in shipped.items()]
    with v.Html(tag="div", class_="nm-card nm-presets"):
        v.Html(tag="div", class_="nm-card-title", children=["Start from a preset"])
        v.Select(items=items, v_model=session.preset, label="Scenario", hide_details=True,
                 on_v_model=lambda name: on_change(lambda: session.choose_preset(name)),
                 class_="nm-preset-select", menu_props={"maxHeight": 520})
        title, description = shipped.get(session.preset, (session.preset, ""))
        v.Html(tag="div", class_="nm-desc nm-preset-desc mt-2", children=[description])
        sets, changed = session.preset_sets(), session.preset_changes()
        notes = []
        if sets:
            notes.append(f"It sets {_count(len(sets))} (marked in blue).")
        if changed:
            notes.append(f"You changed {_count(len(changed))} (marked in orange).")
        hidden = {k: value for k, value in sets.items() if k not in CONTROLS}
        if hidden:
            notes.append("Also set, without a control here: "
                         + ", ".join(f"{k} = {value}" for k, value in hidden.items()) + ".")
        for note in notes:
            v.Html(tag="div", class_="nm-desc nm-preset-note mt-1", children=[note])


def _count(n: int) -> str:
    return f"{n} setting{'s' if n != 1 else ''}"


@solara.component
def SeedPicker(session: Session, on_change, version: int = 0):
    def set_seed(seed):
        if seed is not None and 0 <= seed < 2**63:
            on_change(lambda: session.set_seed(seed))
        else:
            on_change(lambda: session.refuse("the seed must be a whole number, 0 or more."))

    def new_seed():
        on_change(lambda: session.set_seed(int(np.random.default_rng().integers(0, 10_000))))

    with v.Html(tag="div", class_="nm-card nm-seed"):
        v.Html(tag="div", class_="nm-card-title", children=["Seed"])
        v.Html(tag="div", class_="nm-card-sub", children=[
            "The same seed and settings give the same run, every time."])
        with v.Html(tag="div", class_="nm-row"):
            solara.InputInt("Seed (a whole number, 0 or more)", value=session.seed,
                            on_value=set_seed, classes=["nm-seed-input"])
            solara.Button("New seed", on_click=new_seed, outlined=True, classes=["nm-new-seed"])


@solara.component
def Refusal(error: str):
    """Why the last change was not applied (settings that contradict each other, a bad seed)."""
    if error:
        v.Html(tag="div", class_="nm-card nm-error", children=["Not applied: " + error])


@solara.component
def ControlPanel(session: Session, on_change, version: int = 0):
    """Everything a trainer sets, top to bottom; any change starts again from week 0."""
    PresetPicker(session, on_change, version=version)
    SeedPicker(session, on_change, version=version)
    Refusal(session.error)
    sets, changed = session.preset_sets(), session.preset_changes()
    for bundle in BUNDLES + HYPOTHESES:
        with v.Html(tag="div", class_=f"nm-card nm-bundle nm-bundle-{bundle.key}"):
            v.Html(tag="div", class_="nm-card-title", children=[bundle.title])
            v.Html(tag="div", class_="nm-card-sub", children=[bundle.hypotheses])
            for control in bundle.controls:
                ControlRow(control, session.values[control.name],
                           lambda x, n=control.name: on_change(lambda: session.set_value(n, x)),
                           changed=control.name in changed, preset=control.name in sets)
