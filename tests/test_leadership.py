"""The top command (normsim.rules.leadership): the ceiling a norm's cost sets, legitimacy and
payoff, and when the leadership commits, lets a commitment lapse or is replaced -- on a small
real model (the baseline: one principled persuader) whose state is set by hand."""

from __future__ import annotations

import numpy as np
import pytest

from normsim import NormDiffusionModel
from normsim.rules import leadership as L

from conftest import SMALL


def world(**params):
    return NormDiffusionModel(rng=1, **{**SMALL, **params})


def ready_to_commit(m, trust=0.9, met=True):
    """The persuader met the leadership this week and is trusted; no commitment yet."""
    rec = m.engagers[0].engagement
    rec.trust[:] = trust
    rec.met[:] = met
    m.groups.committed[:] = False


def test_the_ceiling_is_one_less_the_cost():
    m = world()
    m.groups.cost[0, 0] = 0.81
    assert L.ceiling(m.groups)[0, 0] == pytest.approx(0.19)


def test_no_engager_no_legitimacy_and_an_engager_gives_value_x_aspiration_x_standing():
    alone = world(persuader_count=0)
    assert (L.legitimacy(alone) == 0).all()
    m = world(group_aspiration=0.8, leadership_legitimacy_value=0.3, dialogue_reputation=0.9)
    rec = m.engagers[0].engagement
    rec.trust[:] = 0.5
    rec.engaged[:] = True
    assert L.legitimacy(m)[0, 0] == pytest.approx(0.3 * 0.8 * 0.9 * 0.5)
    rec.engaged[:] = False  # an engager that does not engage the group lends it no standing
    assert L.legitimacy(m)[0, 0] == 0


def test_payoff_is_leverage_and_legitimacy_less_the_cost_within_zero_and_one():
    m = world(persuader_count=0, state_reciprocity=0.0)  # reciprocity 0: values count as they are
    m.groups.cost[:] = 0.2
    np.testing.assert_allclose(L.payoff(m, np.full((1, 1), 0.5)), [[0.3]])
    assert L.payoff(m, np.full((1, 1), 0.1))[0, 0] == 0.0
    assert L.payoff(m, np.full((1, 1), 5.0))[0, 0] == 1.0


def test_willingness_is_conviction_or_payment_whichever_is_higher():
    np.testing.assert_array_equal(L.willingness(np.array([0.2, 0.7]), np.array([0.6, 0.1])),
                                  [0.6, 0.7])


@pytest.mark.parametrize("ready,trust,met,peace,commits", [
    (0.55, 0.9, True, False, True),
    (0.45, 0.9, True, False, False),   # below the threshold
    (0.45, 0.9, True, True, True),     # a peace process lowers it
    (0.55, 0.3, True, False, False),   # not trusted enough
    (0.55, 0.9, False, False, False),  # no meeting this week: no one to commit to
])
def test_the_leadership_commits_only_when_ready_trusting_and_met(ready, trust, met, peace,
                                                                 commits):
    m = world()
    ready_to_commit(m, trust, met)
    m.environment.peace = peace
    L._commit(m, np.full((1, 1), ready))
    assert bool(m.groups.committed[0, 0]) == commits
    assert m.groups.commitments[0, 0] == int(commits)
    assert m.engagers[0].engagement.commitments[0, 0] == int(commits)
    made = m.events()["kind"].astype(str).eq(L.COMMITMENT.kind).sum()
    assert made == int(commits)


def test_a_commitment_lapses_when_willingness_falls_below_the_lapse_level():
    m = world()
    ready_to_commit(m, met=False)
    m.groups.committed[:] = True
    L._commit(m, np.full((1, 1), L.LAPSE_ACCEPTANCE + 0.01))
    assert m.groups.committed[0, 0]
    L._commit(m, np.full((1, 1), L.LAPSE_ACCEPTANCE - 0.01))
    assert not m.groups.committed[0, 0]
    assert m.events()["kind"].astype(str).eq(L.LAPSED.kind).sum() == 1


def test_a_new_top_commander_halves_trust_and_keeps_what_the_doctrine_holds():
    m = world()
    m.groups.leadership_turnover[:] = 1.0  # certain this week (settings allow at most 0.5)
    rec = m.engagers[0].engagement
    rec.trust[:] = 0.8
    old = m.commanders.leader[0]
    m.groups.doctrine[:] = 0.0
    m.commanders.acceptance[:, old] = 1.0
    m.groups.committed[:] = True
    m.groups.instruction[:] = 0.0
    L._turn_over(m)
    assert rec.trust[0] == pytest.approx(0.8 * L.LEADER_TRUST_KEPT)
    new = m.commanders.leader[0]
    assert m.commanders.acceptance[0, new] < 1.0  # nothing kept without a doctrine
    kinds = m.events()["kind"].astype(str)
    assert kinds.eq(L.REPLACED.kind).sum() == 1
    # an origin below the lapse level (drawn around the group's mean) drops the commitment
    if m.commanders.acceptance[0, new] < L.LAPSE_ACCEPTANCE:
        assert not m.groups.committed[0, 0] and kinds.eq(L.LAPSED.kind).sum() == 1


def test_without_turnover_no_one_is_replaced_though_the_draw_is_made():
    m = world(group_leadership_turnover=0.0)
    leader, state = m.commanders.leader.copy(), m.streams.groups.bit_generator.state
    L._turn_over(m)
    np.testing.assert_array_equal(m.commanders.leader, leader)
    assert m.streams.groups.bit_generator.state != state



def test_the_story_is_told_once_when_persuasion_meets_the_ceiling_and_says_why():
    """Defect 6 of issue 22: a leader pressed against a norm's military cost is told once per
    group and norm, with the norm's own reason; a leader below the ceiling is not told."""
    m = world()
    held = lambda: m.events().query("kind == 'held back by the cost'")  # noqa: E731
    L._tell_held_back(m, np.array([[False]]))
    assert held().empty
    for _ in range(3):  # pressed three weeks running: told once
        L._tell_held_back(m, np.array([[True]]))
    told = held()
    assert len(told) == 1
    assert told["text"].iloc[0] == ("the top commander will go no further on the protection of "
                                    "civilians: the group's core goal is to harm civilians")


def test_a_weak_group_holding_ground_is_held_back_on_mines_and_not_on_civilians():
    """The whole week: mines_essential's persuader presses the leader up to the mines' ceiling
    (cost (1 - 0.1) x 0.9 = 0.81), while civilians cost it nothing."""
    from normsim.simulation.run import run_model
    told = run_model(scenario="mines_essential", seed=1).events().query(
        "kind == 'held back by the cost' and group == 0")
    assert told["norm"].tolist() == ["mines"]


def test_a_standing_commitment_is_a_full_order_and_otherwise_orders_follow_instruction():
    m = world()
    g = m.groups
    g.instruction[:] = 0.2
    g.committed[:] = True
    L.give_orders(g, True)
    assert g.orders[0, 0] == 1.0
    L.give_orders(g, False)  # switched off: a commitment moves only the leader's emphasis
    assert g.orders[0, 0] == 0.2
    g.committed[:] = False
    L.give_orders(g, True)
    assert g.orders[0, 0] == 0.2


def test_the_week_gives_orders_after_commitments_and_successions_are_settled():
    """Switched on, a standing commitment orders the chain this week (the units act after the
    leadership); one that lapsed this week orders nothing more."""
    m = world(persuader_count=0, group_leadership_turnover=0.0, leadership_commitment_orders=True)
    g = m.groups
    g.committed[:] = True
    g.instruction[:] = 1.0  # paid enough to stand by it (instruction decays towards 0)
    m.step()
    assert g.committed[0, 0] and g.instruction[0, 0] < 1.0 and g.orders[0, 0] == 1.0
    p = m.commanders.people
    g.instruction[:] = 0.0  # the leadership no longer stands by it: it lapses this week
    p.acceptance[:] = 0.0
    p.baseline[:] = 0.0
    m.step()
    assert not g.committed[0, 0] and g.orders[0, 0] == g.instruction[0, 0] < 0.3
