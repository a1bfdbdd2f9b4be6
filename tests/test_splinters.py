"""Splinters (normsim.rules.splinters): who may break away, with what weekly chance, and what a
week of splinters does to the model -- on a small real model whose state is set by hand."""

from __future__ import annotations

import numpy as np
import pytest

from normsim import NormDiffusionModel
from normsim.rules import splinters
from normsim.world.commanders import OPERATIONAL

from conftest import SMALL


def world(rate=0.5, structure=0.2, **params):
    """A small model (2 operational branches) committed to civilians, whose leader accepts the
    norm fully and whose operational commanders accept it not at all."""
    m = NormDiffusionModel(rng=1, **{**SMALL, "persuader_count": 0, **params})
    g, cc = m.groups, m.commanders
    g.splinter_rate[:] = rate
    g.structure[:] = structure
    g.committed[0, 0] = True
    cc.acceptance[0, :] = 0.0
    cc.acceptance[0, cc.leader[0]] = 1.0
    return m


def operational(m):
    return np.flatnonzero(m.commanders.level == OPERATIONAL)


def test_the_chance_is_rate_times_weakness_times_the_gap_below_the_leader():
    m = world(rate=0.5, structure=0.2)
    ops = operational(m)
    m.commanders.acceptance[0, ops] = [0.25, 0.75]
    who, chance = splinters.candidates(m)
    np.testing.assert_array_equal(who, ops)
    np.testing.assert_allclose(chance, [0.5 * 0.8 * 0.75, 0.5 * 0.8 * 0.25])


@pytest.mark.parametrize("change", ["uncommitted", "agrees", "above", "no rate", "strong", "dead"])
def test_no_chance_without_every_condition(change):
    m = world()
    ops = operational(m)
    if change == "uncommitted":
        m.groups.committed[0, 0] = False
    elif change == "agrees":
        m.commanders.acceptance[0, ops] = 1.0
    elif change == "above":  # accepting more than the leader is no reason to leave
        m.commanders.acceptance[0, m.commanders.leader[0]] = 0.2
        m.commanders.acceptance[0, ops] = 0.9
    elif change == "no rate":
        m.groups.splinter_rate[:] = 0.0
    elif change == "strong":
        m.groups.structure[:] = 1.0
    elif change == "dead":
        m.groups.alive[:] = False
    _, chance = splinters.candidates(m)
    assert (chance == 0).all(), change
    assert (splinters.candidates(world())[1] > 0).all()  # the unchanged world has a chance


def test_the_last_branch_never_leaves():
    m = world(group_operational_commanders=1)
    _, chance = splinters.candidates(m)
    assert len(chance) == 1 and chance[0] == 0


def test_a_certain_splinter_makes_one_new_group_per_week_and_logs_it():
    """Chance 1 for both branches: one faction leaves this week (at most one per group), a
    new group of the same type with its commander, logged with the committed norm."""
    m = world(rate=1.0, structure=0.0)
    groups_before, fighters_before = m.groups.n, len(m.fighters.group)
    new = splinters.week(m)
    assert new == [groups_before] and m.groups.n == groups_before + 1
    assert not m.groups.committed[new[0]].any()  # uncommitted: it rejected the commitment
    assert len(m.fighters.group) == fighters_before  # it keeps its people
    assert (m.fighters.group == new[0]).sum() > 0
    assert splinters.candidates(m)[1].max() == 0  # each group is down to one branch now
    ev = m.events()
    logged = ev[ev["kind"] == splinters.SPLINTERED.kind]
    assert len(logged) == 1 and logged["norm"].iloc[0] == m.norms[0].key


def test_no_faction_leaves_when_the_chance_is_nil_though_draws_are_made():
    m = world(rate=0.0)
    state = m.streams.groups.bit_generator.state
    assert splinters.week(m) == [] and m.groups.n == 1
    assert m.streams.groups.bit_generator.state != state  # drawn weekly: streams stay in step
