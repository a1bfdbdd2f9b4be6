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
    for name in ("instruction", "orders", "factors", "cost"):
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


@pytest.mark.parametrize("restraint", ["acceptance", "knowledge", "orders", "sanctions",
                                       "equipment", "organised community"])
def test_each_restraint_lowers_violations_and_cost_raises_them(restraint):
    base = world()
    _, free = weeks_of(base, recruits=2)
    m = world(**({"community_organisation": 1.0} if restraint == "organised community" else {}))
    if restraint in ("acceptance", "knowledge"):
        getattr(m.commanders, restraint)[:] = 1.0
    elif restraint == "orders":  # what the chain is ordered (instruction, or a commitment's)
        m.groups.orders[:] = 1.0
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


@pytest.mark.parametrize("orders_on", [True, False])
def test_a_standing_commitment_orders_the_units_and_lowers_their_odds_by_the_order_effect(
        orders_on):
    """A signatory's units are under the full order (the deed's clause on orders to commanders
    and fighters): their log-odds of laying a mine fall by order_effect x transmission, with no
    instruction from leverage. With the switch off, a commitment orders nothing."""
    from normsim.rules.leadership import give_orders
    m = world(mines_occasion_rate=5.0)
    m.groups.committed[:] = True  # standing commitments, no leverage: instruction stays 0
    give_orders(m.groups, orders_on)
    occasions, violations = weeks_of(m, weeks=100)
    base = m.settings.mines.base_use
    cut = m.settings.fighters.order_effect * m.groups.transmission[0] if orders_on else 0.0
    p = 1.0 / (1.0 + np.exp(-(np.log(base / (1.0 - base)) - cut)))
    assert occasions[1] > 2000
    assert within_binomial(violations[1], occasions[1], p)
    if orders_on:  # and the cut is large enough to tell apart from the unordered rate
        assert not within_binomial(violations[1], occasions[1], base)
