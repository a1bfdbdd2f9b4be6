"""Unit tests of the competing mechanisms' modules, each on its own (the statistical claims are
in tests/test_mechanisms.py): expected values are written by hand from the modules' formulas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from normsim.rules import (below_top, habit, mechanisms, military_value, presence, reciprocity,
                           splinter_causes)
from normsim.simulation.model import NormDiffusionModel
from normsim.sweeps.experiment import load_experiment
from normsim.world.arrays import clip

SMALL = {"group_fighters": 40, "group_operational_commanders": 2, "group_units_per_commander": 2,
         "community_per_group": 2}


def test_clip_is_numpys_clip_to_the_bit():
    x = np.random.default_rng(3).normal(0.5, 1.0, 1000)
    np.testing.assert_array_equal(clip(x, 0.0, 1.0), np.clip(x, 0.0, 1.0))
    assert clip(np.array([-2.0, 0.3, 7.0]), 0.0, 1.0).tolist() == [0.0, 0.3, 1.0]


def test_presence_saturates_with_the_deployment():
    s = presence.PresenceSettings(troops=1000.0, half_troops=1000.0, deterrence=2.0)
    assert presence.saturation(s) == pytest.approx(0.5)  # half the deterrence at half_troops
    assert presence.dose(s) == pytest.approx(1.0)
    big = presence.PresenceSettings(troops=3000.0, half_troops=1000.0, deterrence=2.0)
    assert presence.dose(big) == pytest.approx(1.5)  # three times the troops, 1.5 times the dose


def model(**params):
    return NormDiffusionModel(rng=4, **{**SMALL, **params})


def test_military_value_adds_cost_with_intensity_and_weakness():
    m = model(military_value_enabled=True, military_value_civilians=0.4, group_strength=0.25,
              environment_conflict_intensity=0.5)
    cost = military_value.added_cost(m)
    intensity = float(m.environment.intensity)
    assert cost.shape == (1, 1)
    assert cost[0, 0] == pytest.approx(0.4 * intensity * (1 - 0.25))


def test_reciprocity_mirror_scales_and_contrast_adds():
    reasons = np.array([[0.2]])
    mirror = model()
    assert reciprocity.value(mirror, reasons)[0, 0] == pytest.approx(
        0.2 * mirror.state.value_of_compliance())
    contrast = model(reciprocity_story="contrast", reciprocity_contrast_value=0.3,
                     group_people_war=0.8, state_compliance=0.4)
    assert reciprocity.value(contrast, reasons)[0, 0] == pytest.approx(0.2 + 0.3 * 0.8 * 0.6)


def test_mechanisms_switched_off_leave_the_week_alone():
    m = model()
    before = m.fighters.adjust if hasattr(m.fighters, "adjust") else None
    mechanisms.week(m)
    assert m.fighters.adjust is None and before is None
    assert "presence" not in m.__dict__.get("_mechanisms", {})
    assert splinter_causes.added(m, np.array([0, 1])) == 0.0


def test_every_mechanism_section_is_off_by_default():
    for key, section in mechanisms.SECTIONS.items():
        if "enabled" in section.model_fields:
            assert section().enabled is False, key
    assert reciprocity.ReciprocitySettings().story == "mirror"
    assert habit.HabitSettings().enabled is False and below_top.BelowTopSettings().enabled is False


def test_the_mechanism_variants_of_which_engager_differ_from_it_only_as_they_say():
    """experiments/mechanisms/ (docs/which_engager.md): each file is which_engager with 8
    replicates, the same seeds, steps and fixed settings, factor levels taken from its own, and
    its mechanism switched on (all off: nothing more); one file per mechanism of ODD 7.17."""
    root = Path(__file__).resolve().parents[1] / "experiments"
    base = load_experiment(root / "which_engager.toml")[0]
    switches = {"off": {}, "presence": {"presence.enabled": True},
                "military_value": {"military_value.enabled": True},
                "contrast": {"reciprocity.story": "contrast"}, "habit": {"habit.enabled": True},
                "below_top": {"below_top.enabled": True},
                "below_top_goal_ceiling": {"below_top.enabled": True,
                                           "below_top.goal_ceiling": True},
                "splinter_causes": {"splinter_causes.enabled": True},
                "ownership": {"ownership.enabled": True}}
    found = {p.stem.removeprefix("which_engager_")
             for p in (root / "mechanisms").glob("which_engager_*.toml")}
    assert found == set(switches)
    for name, switch in switches.items():
        exp = load_experiment(root / "mechanisms" / f"which_engager_{name}.toml")[0]
        assert (exp.replicates, exp.root_seed, exp.steps, exp.record_every) == (
            8, base.root_seed, base.steps, base.record_every), name
        assert exp.fixed == {**base.fixed, **switch}, name
        assert exp.factors.keys() == base.factors.keys(), name
        for key, factor in exp.factors.items():
            assert set(factor.values) <= set(base.factors[key].values), (name, key)
