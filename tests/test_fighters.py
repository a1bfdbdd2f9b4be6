"""Fighters' and commanders' weekly rules, one mechanism at a time (unit level)."""

import numpy as np
import pytest

from normsim.world.commanders import OPERATIONAL, STRATEGIC, TACTICAL, CommanderCohort
from normsim.world.fighters import FighterCohort, FighterSettings
from normsim.world.groups import GroupSettings, GroupState
from normsim.rules.internalisation import Signals


def build(seed=0, fighters=4000, groups=1, **group):
    rng = np.random.default_rng(seed)
    settings = GroupSettings(fighters=fighters, operational_commanders=2, units_per_commander=4,
                             **group)
    g = GroupState([settings] * groups, 1, department_isolation=0.5)
    cc = CommanderCohort(g, 1, 2, rng)
    fc = FighterCohort(g, cc, [0], rng, groups * 2, FighterSettings(), community_restraint=1.0)
    return g, cc, fc, rng


def signals(g, openness=1.0, decay=0.01, forgetting=0.01, kappa=0.0):
    G = g.n
    return Signals(openness=np.full((G, 1), openness), decay=np.full(G, decay),
                   forgetting=np.full(G, forgetting), kappa=np.full((G, 1), kappa))


def set_factors(g, **levels):
    for name, value in levels.items():
        g.factors[:, :, ["doctrine", "training", "equipment", "sanctions"].index(name)] = value


def week(g, cc, fc, rng, s=None, emphasis=0.5, pressure=0.0, intensity=0.5):
    cc.emphasis[:] = emphasis
    return fc.week(s or signals(g), cc.emphasis, np.full(fc.n_communities, pressure), intensity,
                   rng)


def test_the_chain_of_command_has_one_top_commander_per_group():
    g, cc, fc, _ = build(groups=3)
    top, op, tac = (np.arange(cc.n)[sl] for sl in cc.at_level)
    assert (cc.level[top] == STRATEGIC).all() and (cc.superior[top] == -1).all()
    assert (cc.level[cc.superior[op]] == STRATEGIC).all()
    assert (cc.level[cc.superior[tac]] == OPERATIONAL).all()
    assert (cc.group[cc.superior[tac]] == cc.group[tac]).all()
    assert (cc.group[fc.commander] == fc.group).all()
    assert (cc.level[fc.commander] == TACTICAL).all()
    assert list(cc.leader) == [0, 1, 2]


def test_groups_of_different_sizes_keep_their_own_fighters_and_units():
    rng = np.random.default_rng(1)
    settings = [GroupSettings(fighters=n, operational_commanders=o, units_per_commander=u)
                for n, o, u in ((10, 1, 2), (50, 3, 1), (7, 2, 2))]
    g = GroupState(settings, 1, 0.5)
    cc = CommanderCohort(g, 1, 3, rng)
    fc = FighterCohort(g, cc, [0], rng, 9, FighterSettings(), 1.0)
    assert list(np.bincount(fc.group)) == [10, 50, 7]
    assert list(np.bincount(cc.group[cc.tactical])) == [2, 3, 4]
    assert (cc.group[fc.commander] == fc.group).all()
    assert (fc.community // 3 == fc.group).all()


@pytest.mark.parametrize("low,high", [(0.1, 0.9)])
def test_stronger_orders_raise_acceptance_and_knowledge(low, high):
    results = []
    for emphasis in (low, high):
        g, cc, fc, rng = build(seed=1)
        for _ in range(10):
            week(g, cc, fc, rng, emphasis=emphasis)
        results.append((fc.acceptance.mean(), fc.knowledge.mean()))
    assert results[1][0] > results[0][0] and results[1][1] > results[0][1]


def test_openness_h2_speeds_uptake():
    out = []
    for openness in (0.5, 1.5):
        g, cc, fc, rng = build(seed=2)
        for _ in range(10):
            week(g, cc, fc, rng, s=signals(g, openness=openness))
        out.append(fc.acceptance.mean())
    assert out[1] > out[0]


def test_without_orders_no_one_moves_from_where_he_started():
    """The stationary null at the level of one fighter: no orders, no training, no instruction:
    acceptance, what is internalised and knowledge stay exactly at each fighter's origin (only
    recruits replace people, at new origins)."""
    g, cc, fc, rng = build(seed=3, fighter_turnover=0.0)
    for _ in range(100):
        week(g, cc, fc, rng, emphasis=0.0, s=signals(g, kappa=0.05))
    np.testing.assert_array_equal(fc.acceptance, fc.origin)
    np.testing.assert_array_equal(fc.baseline, fc.origin)
    np.testing.assert_array_equal(fc.knowledge, fc.people.knowledge_origin)


def test_without_orders_acceptance_drifts_back_to_what_was_internalised():
    g, cc, fc, rng = build(seed=4, fighter_turnover=0.0)
    fc.people.baseline[:] = np.minimum(1.0, fc.origin + 0.3)  # internalised gains
    fc.people.acceptance[:] = 0.95
    for _ in range(400):
        week(g, cc, fc, rng, emphasis=0.0, s=signals(g, decay=0.05))
    np.testing.assert_allclose(fc.acceptance, fc.baseline, atol=0.02)
    assert fc.acceptance.mean() > fc.origin.mean() + 0.2


def test_internalisation_moves_the_baseline_only_for_those_who_gained():
    g, cc, fc, rng = build(seed=5, fighter_turnover=0.0)
    gained = fc.unit == 0
    fc.people.acceptance[0, gained] = 0.9
    before = fc.baseline.copy()
    week(g, cc, fc, rng, emphasis=0.0, s=signals(g, kappa=0.1))
    assert (fc.baseline[0, gained] > before[0, gained]).all()
    np.testing.assert_array_equal(fc.baseline[0, ~gained], before[0, ~gained])


def test_knowledge_is_forgotten_back_to_its_origin():
    g, cc, fc, rng = build(seed=6, fighter_turnover=0.0)
    fc.people.knowledge[:] = 1.0
    for _ in range(300):
        week(g, cc, fc, rng, emphasis=0.0, s=signals(g, forgetting=0.05))
    np.testing.assert_allclose(fc.knowledge, fc.people.knowledge_origin, atol=0.01)


def test_peers_pull_a_fighters_gain_towards_his_units():
    g, cc, fc, rng = build(seed=7, fighter_turnover=0.0)
    unit0 = fc.unit == 0
    fc.people.acceptance[0, unit0] = np.minimum(1.0, fc.origin[0, unit0] + 0.6)
    lone = np.flatnonzero(unit0)[0]
    fc.people.acceptance[0, lone] = fc.origin[0, lone]
    week(g, cc, fc, rng, emphasis=0.0, s=signals(g, decay=0.0))
    assert fc.acceptance[0, lone] > fc.origin[0, lone] + 0.01
    others = ~unit0
    np.testing.assert_array_equal(fc.acceptance[0, others], fc.origin[0, others])


def test_each_restraint_reduces_violations():
    """Acceptance, knowledge, sanctions, equipment, instructions and community pressure each
    lower the share of encounters that violate the norm."""
    def share(pressure=0.0, instruction=0.0, **kw):
        g, cc, fc, rng = build(seed=8, fighters=20000)
        for name in ("acceptance", "knowledge"):
            if name in kw:
                getattr(fc.people, name)[:] = kw.pop(name)
        set_factors(g, **kw)
        g.orders[:] = instruction  # the orders the units are under (leadership.give_orders)
        out = week(g, cc, fc, rng, emphasis=0.0, pressure=pressure, s=signals(g, decay=0.0))
        return out.violations.sum() / out.encounters.sum()
    base = dict(acceptance=0.2, knowledge=0.1, sanctions=0.0, equipment=0.0)
    reference = share(**base)
    for key, value in [("acceptance", 0.9), ("knowledge", 0.9), ("sanctions", 1.0),
                       ("equipment", 1.0), ("instruction", 1.0), ("pressure", 1.0)]:
        assert share(**{**base, key: value}) < reference - 0.02, key


def test_intensity_raises_encounters_and_the_odds_of_violating():
    out = {}
    for intensity in (0.1, 0.9):
        g, cc, fc, rng = build(seed=9, fighters=20000)
        o = week(g, cc, fc, rng, intensity=intensity)
        out[intensity] = (o.encounters.sum(), o.violations.sum() / o.encounters.sum())
    assert out[0.9][0] > out[0.1][0] and out[0.9][1] > out[0.1][1]


def test_fighters_of_a_group_not_in_the_field_meet_no_one():
    g, cc, fc, rng = build(seed=10, groups=2, fighters=500)
    g.alive[:] = [True, False]
    o = week(g, cc, fc, rng)
    assert o.encounters[0, 0] > 0 and o.encounters[0, 1] == 0 and o.violations[0, 1] == 0


def test_enforced_sanctions_deter_the_sanctioned():
    g, cc, fc, rng = build(seed=11, fighters=20000, fighter_turnover=0.0)
    set_factors(g, sanctions=1.0)
    g.transmission[:] = 1.0
    o = week(g, cc, fc, rng, emphasis=1.0)
    assert o.sanctions.sum() > 0
    assert (fc.deterred > 0).sum() == o.sanctions.sum()
    assert (fc.fear[fc.deterred > 0] >= fc.fear[fc.deterred == 0].max() - 1e-12).all()


def test_turnover_replaces_fighters_in_place():
    g, cc, fc, rng = build(seed=12, fighters=5000, fighter_turnover=0.1)
    fc.people.knowledge[:] = 1.0
    o = week(g, cc, fc, rng, s=signals(g, forgetting=0.0))
    assert fc.knowledge.shape == (1, 5000)
    recruits = int(o.community_recruits.sum())
    assert 350 < recruits < 650  # about Binomial(5000, 0.1), less the few drawn twice
    assert (fc.knowledge < 1.0).sum() == recruits


def test_a_drill_closes_part_of_the_knowledge_gap():
    g, cc, fc, rng = build(seed=13)
    before = fc.knowledge.copy()
    fc.drill(np.array([[0.5]]))
    np.testing.assert_allclose(fc.knowledge, before + 0.5 * (1 - before))


def test_commanders_take_up_their_superiors_emphasis_level_by_level():
    def run(top_emphasis):
        g, cc, fc, rng = build(seed=14)
        before = cc.acceptance.copy()
        s = signals(g)
        for _ in range(100):
            cc.emphasis[:, cc.leader] = top_emphasis
            cc.update(g, s.openness, s.decay, s.forgetting, s.kappa, g.command_learning)
        return before, cc
    before, cc = run(0.9)
    op, tac = cc.at_level[OPERATIONAL], cc.at_level[TACTICAL]
    assert (cc.acceptance[0, op] > before[0, op]).all()
    assert (cc.acceptance[0, tac] > before[0, tac]).all()
    _, silent = run(0.0)
    np.testing.assert_array_equal(silent.acceptance[0, tac], before[0, tac])  # nothing moves


def test_a_new_commander_keeps_what_the_doctrine_holds():
    g, cc, fc, rng = build(seed=15)
    cc.people.acceptance[:] = 0.9
    cc.replace(np.array([1]), np.array([1.0]), rng, g)
    assert cc.acceptance[0, 1] == pytest.approx(0.9)
    cc.replace(np.array([2]), np.array([0.0]), rng, g)
    assert cc.acceptance[0, 2] == cc.origin[0, 2] == cc.baseline[0, 2]
