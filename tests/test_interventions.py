"""Changing a running model's conditions from this week on (normsim.app.interventions)."""

from __future__ import annotations

import json
from typing import Literal

import pandas as pd
import pytest
from annotated_types import Ge, Le
from hypothesis import HealthCheck, given, settings, strategies as st

from normsim.app.interventions import FIXED_AT_START, change
from normsim.simulation.model import NormDiffusionModel
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, ScenarioError, from_flat, validate
from normsim.world.typology import TYPES

from conftest import SMALL

#: read when the model is built and again each week (a change reaches recruits, not the start)
BUILT_FROM = ("group_baseline_knowledge", "group_baseline_acceptance")
CHANGEABLE = [n for n in PARAMETERS if n not in FIXED_AT_START and n not in BUILT_FROM]


def stepped(weeks: int, seed: int = 3, **values) -> NormDiffusionModel:
    model = NormDiffusionModel(rng=seed, **{**SMALL, **values})
    for _ in range(weeks):
        model.step()
    return model


def test_a_change_keeps_the_week_and_logs_what_changed_in_words():
    model = stepped(40)
    said = change(model, {"environment_conflict_intensity": 0.9, "persuader.principled": 0.0})
    assert model.steps == 40
    assert model.settings.environment.conflict_intensity == 0.9
    assert model.settings.engagers[0].principled == 0.0  # the old persuader name still works
    assert model.engager_agents[0].settings.principled == 0.0  # and reaches the engager
    assert said == ["conflict intensity: 0.5 → 0.9", "dialogue: argues from principles: 1 → 0"]
    event = model.events().iloc[-1]
    assert (event["step"], event["kind"]) == (40, "conditions changed")
    assert "conflict intensity: 0.5 → 0.9" in event["text"]
    assert json.loads(event["detail"]) == {"environment_conflict_intensity": [0.5, 0.9],
                                           "dialogue_principled": [1.0, 0.0]}
    model.step()
    assert model.steps == 41


def test_a_change_that_changes_nothing_logs_nothing():
    model = stepped(5)
    before = len(model.events())
    assert change(model, {"environment_conflict_intensity": 0.5}) == []
    assert len(model.events()) == before


@pytest.mark.parametrize("values, words", [
    ({"group_fighters": 90}, "group_fighters can only be set when a run starts"),
    ({"environment_peace_start_week": 311, "environment_peace_end_week": 155},
     "peace talks must end after they start: peace_end_week = 155 is not later than "
     "peace_start_week = 311"),
    ({"group_insecurity": 3.0}, "group.insecurity = 3.0 is not allowed: expected a number from 0 to 1"),
])
def test_a_refused_change_changes_nothing(values, words):
    model = stepped(10)
    settings, events = model.settings, len(model.events())
    with pytest.raises(ScenarioError, match=words.replace("(", r"\(").replace(")", r"\)")):
        change(model, values)
    assert model.settings is settings and len(model.events()) == events


def test_a_listing_moved_into_the_past_takes_effect_now():
    model = stepped(30)
    change(model, {"environment_listing_week": 10})
    assert model.environment.listed
    assert "group listed" in set(model.events()["kind"])
    change(model, {"environment_listing_week": -1})
    assert not model.environment.listed


def _value(name: str):
    section, field = PARAMETERS[name]
    info = ALL_SECTIONS[section].model_fields[field]
    if info.annotation is bool:
        return st.booleans()
    if info.annotation is str:
        return st.sampled_from(["", *TYPES])
    if getattr(info.annotation, "__origin__", None) is Literal:
        return st.sampled_from(info.annotation.__args__)
    lo = next(m.ge for m in info.metadata if isinstance(m, Ge))
    hi = next(m.le for m in info.metadata if isinstance(m, Le))
    if info.annotation is int:
        return st.integers(lo, min(hi, 200))
    return st.floats(lo, hi, allow_nan=False)


#: every engager kind on one group, so that every parameter of every kind can change
EVERY_KIND = validate({"engager": [{"kind": "dialogue"}, {"kind": "deed", "norm": "civilians"},
                                   {"kind": "peace_operation"}]}, "test")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_a_change_at_week_0_gives_the_run_built_with_those_settings(data, seed):
    """Every setting the model derived when built is refreshed: the same seed then gives the
    same table as a model built with the changed settings from the start."""
    names = data.draw(st.lists(st.sampled_from(CHANGEABLE), min_size=1, max_size=4, unique=True))
    values = {n: data.draw(_value(n), label=n) for n in names}
    try:
        from_flat({**SMALL, **values}, base=EVERY_KIND)
    except ScenarioError:
        return  # the drawn settings contradict each other (a peace window ending first)
    changed = NormDiffusionModel(rng=seed, settings=EVERY_KIND, **SMALL)
    change(changed, values)
    built = NormDiffusionModel(rng=seed, settings=EVERY_KIND, **SMALL, **values)
    for model in (changed, built):
        model.run_model(25)
    pd.testing.assert_frame_equal(changed.records().iloc[1:].reset_index(drop=True),
                                  built.records().iloc[1:].reset_index(drop=True))


def test_a_parameter_of_an_engager_the_model_lacks_is_refused_in_words():
    model = stepped(5)  # one dialogue engager, no deed
    with pytest.raises(ScenarioError, match="the scenario has no deed engager"):
        change(model, {"deed_monitoring": 0.9})
    with pytest.raises(ScenarioError, match="persuader_count can only be set when a run starts"):
        change(model, {"persuader_count": 2})


def test_an_engager_freed_of_its_capacity_engages_every_group_from_now_on():
    settings = validate({"engager": [{"kind": "dialogue", "capacity": 1}],
                         "group": {"count": 3, **{k.removeprefix("group_"): v for k, v in
                                                  SMALL.items() if k.startswith("group_")}}},
                        "test")
    model = NormDiffusionModel(rng=2, settings=settings)
    model.run_model(3)
    assert model.engager_agents[0].engagement.engaged.sum() == 1
    change(model, {"dialogue_capacity": 0})
    assert model.engager_agents[0].engagement.engaged.all()
    model.step()
    assert model.groups.engaged.all()


def test_the_app_changes_conditions_only_through_the_models_public_method():
    """State owns its rules (issue 21): the app's intervention reads and writes no private
    attribute (``model._watch``, ``env._level`` ...); the model's one public method does it."""
    import ast
    from pathlib import Path

    import normsim.app.interventions as app

    tree = ast.parse(Path(app.__file__).read_text(encoding="utf-8"))
    private = sorted({node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                      and node.attr.startswith("_") and not node.attr.startswith("__")})
    assert private == []
    model = stepped(20)
    assert model.change_conditions({"environment_conflict_intensity": 0.9}) == [
        "conflict intensity: 0.5 → 0.9"]
    assert model.settings.environment.conflict_intensity == 0.9
