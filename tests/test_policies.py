"""Norms the command decides (normsim.rules.policies): each unit's occasions to lay mines or
recruit, and its tactical commander's choice -- on a small real model whose state is set by
hand, with expectations from the settings and the binomial law, not from the code."""

from __future__ import annotations

import numpy as np
import pytest

from normsim import NormDiffusionModel
from normsim.rules import policies
from normsim.world.integration import EQUIPMENT, SANCTIONS

from conftest import SMALL

WEEKS = 400
NORMS = ["civilians", "mines", "children"]


def world(**params):
    """Nothing restrains anyone: no acceptance, knowledge, orders, sanctions, equipment, cost
    or organised community; the group holds all its territory."""
    m = NormDiffusionModel(rng=2, **{**SMALL, "persuader_count": 0, "norms": NORMS,
                                     "group_territorial": 1.0, "community_organisation": 0.0,
                                     **params})
    m.commanders.acceptance[:] = 0.0
    m.commanders.knowledge[:] = 0.0
    for name in ("instruction", "factors", "cost"):
        getattr(m.groups, name)[:] = 0.0
    return m


def weeks_of(m, recruits=0, intensity=0.5, weeks=WEEKS):
    """Occasions and violations summed over ``weeks`` calls, per norm (civilians, mines,
    children) of group 0."""
    units = len(m.commanders.tactical)
    occasions, violations = np.zeros(3), np.zeros(3)
    m.groups.occasions[:] = -1.0  # whatever the rule does not write stays at -1
    for _ in range(weeks):
        policies.week(m, np.full(units, recruits), intensity)
        occasions += m.groups.occasions[0]
        violations += m.groups.violations[0]
    return occasions, violations


def within_binomial(violations, occasions, p):
    """The count lies within 4 standard deviations of its binomial expectation."""
    return abs(violations - occasions * p) <= 4 * np.sqrt(occasions * p * (1 - p))


def test_unrestrained_units_violate_at_the_norms_base_rates():
    m = world()
    occasions, violations = weeks_of(m, recruits=2)
    mines, children = m.settings.mines, m.settings.children
    assert within_binomial(violations[1], occasions[1], mines.base_use)
    assert within_binomial(violations[2], occasions[2], children.base_recruitment)


def test_mine_occasions_follow_the_rate_the_intensity_and_the_territory():
    """Poisson per unit and week: rate x (0.5 + intensity) x territorial."""
    for territorial, intensity in ((1.0, 0.5), (0.5, 0.9)):
        m = world(group_territorial=territorial)
        occasions, _ = weeks_of(m, intensity=intensity, weeks=10 * WEEKS)
        expected = (m.settings.mines.occasion_rate * (0.5 + intensity) * territorial
                    * len(m.commanders.tactical) * 10 * WEEKS)
        assert abs(occasions[1] - expected) <= 4 * np.sqrt(expected), (territorial, intensity)
    assert weeks_of(world(group_territorial=0.0))[0][1] == 0  # no ground to defend


def test_recruits_are_the_child_occasions_and_civilians_are_left_to_the_fighters():
    m = world()
    occasions, _ = weeks_of(m, recruits=3, weeks=5)
    assert occasions[2] == 3 * len(m.commanders.tactical) * 5
    assert occasions[0] == -5.0  # not written here: the fighters decide on civilians


def test_a_dead_group_meets_no_occasion():
    m = world()
    m.groups.alive[:] = False
    occasions, violations = weeks_of(m, recruits=3, weeks=20)
    assert occasions[1] == occasions[2] == 0 and violations[1] == violations[2] == 0


@pytest.mark.parametrize("restraint", ["acceptance", "knowledge", "instruction", "sanctions",
                                       "equipment", "organised community"])
def test_each_restraint_lowers_violations_and_cost_raises_them(restraint):
    base = world()
    _, free = weeks_of(base, recruits=2)
    m = world(**({"community_organisation": 1.0} if restraint == "organised community" else {}))
    if restraint in ("acceptance", "knowledge"):
        getattr(m.commanders, restraint)[:] = 1.0
    elif restraint == "instruction":
        m.groups.instruction[:] = 1.0
    elif restraint == "sanctions":
        m.groups.factors[:, :, SANCTIONS] = 1.0
    elif restraint == "equipment":
        m.groups.factors[:, :, EQUIPMENT] = 1.0
    occasions, restrained = weeks_of(m, recruits=2)
    if restraint == "organised community":  # children only (seed 004)
        assert restrained[2] < 0.8 * free[2]
        assert within_binomial(restrained[1], occasions[1], m.settings.mines.base_use)
    else:
        assert restrained[1] < 0.8 * free[1] and restrained[2] < 0.8 * free[2], restraint
    costly = world()
    costly.groups.cost[:] = 1.0
    _, more = weeks_of(costly, recruits=2)
    assert more[1] > free[1] and more[2] > free[2]
