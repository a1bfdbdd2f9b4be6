"""Civilian communities (normsim.world.communities): memory of harm, pressure, support that
leaves an abusive group, the start at equilibrium, and the shortfall of recruits -- by hand."""

from __future__ import annotations

import numpy as np
import pytest

from normsim.world.communities import (HARM_MEMORY, SUPPORT_RATE, CommunitySettings,
                                       CommunityState)


def communities(groups=1, **settings):
    c = CommunityState(groups, CommunitySettings(**{"per_group": 2, **settings}))
    units = np.arange(groups * 2)
    c.attach(units // 2, units)  # one unit among each community
    return c


def test_harm_remembers_and_only_where_fighters_met_civilians():
    c = communities()
    c.harm[:] = 0.1
    c.week(np.array([10.0, 0.0]), np.array([5.0, 0.0]), np.zeros(2))
    np.testing.assert_allclose(c.harm, [HARM_MEMORY * 0.1 + (1 - HARM_MEMORY) * 0.5, 0.1])


def test_organised_communities_press_in_proportion_to_harm_up_to_full():
    c = communities(organisation=0.6)
    c.harm[:] = [0.2, 0.8]
    c.press()
    np.testing.assert_allclose(c.pressure, [0.6 * 0.4, 0.6])
    assert (communities(organisation=0.0).pressure == 0).all()


def test_support_moves_towards_the_usual_level_less_the_harm_above_the_usual():
    c = communities(initial_support=0.6, support_sensitivity=2.0)
    c.usual_harm[:] = 0.1
    c.harm[:] = 0.1
    c.week(np.array([10.0, 10.0]), np.array([1.0, 6.0]), np.zeros(2))
    harm = HARM_MEMORY * 0.1 + (1 - HARM_MEMORY) * np.array([0.1, 0.6])
    target = np.clip(0.6 + 2.0 * (0.1 - harm), 0, 1)
    np.testing.assert_allclose(c.support, 0.6 + SUPPORT_RATE * (target - 0.6))
    assert c.support[0] == pytest.approx(0.6) and c.support[1] < 0.6


def test_recruits_add_up():
    c = communities()
    for _ in range(3):
        c.week(np.zeros(2), np.zeros(2), np.array([1, 2]))
    np.testing.assert_array_equal(c.recruits, [3, 6])


def test_the_start_is_the_fixed_point_of_harm_and_pressure():
    """Fighters' expected harm falls with pressure: harm = 0.4 - 0.2 x pressure, pressure =
    organisation x min(1, 2 harm) = 2 x 0.5 x harm: harm = 0.4 / 1.2."""
    c = communities(organisation=0.5)
    c.settle_harm(lambda pressure: 0.4 - 0.2 * pressure)
    np.testing.assert_allclose(c.harm, 0.4 / 1.2, rtol=1e-9)
    np.testing.assert_allclose(c.usual_harm, c.harm)
    np.testing.assert_allclose(c.pressure, 0.5 * 2 * 0.4 / 1.2, rtol=1e-9)


def test_lost_support_widens_the_shortfall_of_recruits_per_group():
    c = communities(groups=2, initial_support=0.5)
    c.support[:] = [0.5, 0.5, 0.25, 0.25]  # the second group's communities lost half
    np.testing.assert_allclose(c.shortfall(np.array([0.1, 0.1]), 2), [0.1, 0.6])
    c.support[:] = 0.0
    np.testing.assert_allclose(c.shortfall(np.array([0.3, 0.3]), 2), [1.0, 1.0])  # capped
