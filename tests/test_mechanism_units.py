"""Unit tests of the competing mechanisms' modules, each on its own (the statistical claims are
in tests/test_mechanisms.py): expected values are written by hand from the modules' formulas."""

from __future__ import annotations

import numpy as np
import pytest

from normsim.rules import (below_top, habit, mechanisms, military_value, presence, reciprocity,
                           splinter_causes)
from normsim.simulation.model import NormDiffusionModel
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
