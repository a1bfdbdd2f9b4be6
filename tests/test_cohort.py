"""Fighters' and commanders' weekly rules, one mechanism at a time (unit level)."""

import numpy as np
import pytest

from normsim.cohort import (OPERATIONAL, STRATEGIC, TACTICAL, CommanderCohort, FighterCohort,
                            GroupSignals)
from normsim.schema import FighterSettings


def build(seed=0, fighters=4000, groups=1):
    rng = np.random.default_rng(seed)
    cc = CommanderCohort(groups, 2, 4, 2, rng, 0.1, 0.2)
    fc = FighterCohort(cc, fighters, rng, 0.1, 0.2, groups * 2)
    return cc, fc, rng


def signals(groups=1, **kw):
    base = dict(transmission=0.7, doctrine=0.5, training=0.5, equipment=0.5, sanctions=0.5,
                openness=1.0, decay=0.01, contrary=0.3, people_war=0.7)
    base.update(kw)
    return GroupSignals(**{k: np.full(groups, float(v)) for k, v in base.items()})


def week(fc, rng, s=None, emphasis=0.5, pressure=0.0, intensity=0.5, turnover=0.0,
         f=FighterSettings(), cc=None):
    n_comm = fc.n_communities
    emph = np.full(fc.commander.max() + 1, emphasis)
    return fc.week(s or signals(), emph, np.full(n_comm, pressure), intensity, f, 0.02, turnover,
                   0.1, 0.2, rng)


def test_the_chain_of_command_has_one_top_commander_per_group():
    cc, fc, _ = build(groups=3)
    assert (cc.level[cc.slices[STRATEGIC]] == STRATEGIC).all()
    assert (cc.superior[cc.slices[STRATEGIC]] == -1).all()
    op = cc.slices[OPERATIONAL]
    assert (cc.level[cc.superior[op]] == STRATEGIC).all()
    tac = cc.slices[TACTICAL]
    assert (cc.level[cc.superior[tac]] == OPERATIONAL).all()
    assert (cc.group[cc.superior[tac]] == cc.group[tac]).all()
    assert (cc.group[fc.commander] == fc.group).all()
    assert (cc.level[fc.commander] == TACTICAL).all()


@pytest.mark.parametrize("low,high", [(0.1, 0.9)])
def test_stronger_orders_raise_acceptance_and_knowledge(low, high):
    results = []
    for emphasis in (low, high):
        cc, fc, rng = build(seed=1)
        for _ in range(10):
            week(fc, rng, emphasis=emphasis)
        results.append((fc.acceptance.mean(), fc.knowledge.mean()))
    assert results[1][0] > results[0][0] and results[1][1] > results[0][1]


def test_openness_h2_speeds_uptake():
    out = []
    for openness in (0.5, 1.5):
        cc, fc, rng = build(seed=2)
        for _ in range(10):
            week(fc, rng, s=signals(openness=openness))
        out.append(fc.acceptance.mean())
    assert out[1] > out[0]


def test_community_pressure_raises_acceptance_of_a_people_war_group():
    out = []
    for pressure in (0.0, 1.0):
        cc, fc, rng = build(seed=3)
        for _ in range(10):
            week(fc, rng, emphasis=0.0, pressure=pressure)
        out.append(fc.acceptance.mean())
    assert out[1] > out[0]


def test_without_orders_acceptance_drifts_back_to_each_baseline():
    cc, fc, rng = build(seed=4)
    fc.acceptance[:] = 0.9
    for _ in range(300):
        week(fc, rng, emphasis=0.0, s=signals(decay=0.05))
    assert abs(fc.acceptance.mean() - fc.baseline.mean()) < 0.03


def test_peers_pull_a_fighter_towards_his_unit():
    cc, fc, rng = build(seed=5)
    unit0 = fc.unit == 0
    fc.acceptance[unit0] = 0.9
    lone = np.flatnonzero(unit0)[0]
    fc.acceptance[lone] = 0.0
    week(fc, rng, emphasis=0.0, s=signals(decay=0.0))
    assert fc.acceptance[lone] > 0.03
    assert fc.acceptance[np.flatnonzero(~unit0)].mean() < 0.3


def test_acceptance_knowledge_sanctions_and_equipment_each_reduce_violations():
    def violations(**kw):
        cc, fc, rng = build(seed=6, fighters=20000)
        if "acceptance" in kw:
            fc.acceptance[:] = kw.pop("acceptance")
        if "knowledge" in kw:
            fc.knowledge[:] = kw.pop("knowledge")
        out = week(fc, rng, emphasis=0.0, s=signals(decay=0.0, **kw))
        return out.violations.sum() / out.encounters.sum()
    base = dict(acceptance=0.2, knowledge=0.1, sanctions=0.0, equipment=0.0)
    reference = violations(**base)
    for key, value in [("acceptance", 0.9), ("knowledge", 0.9), ("sanctions", 1.0),
                       ("equipment", 1.0)]:
        assert violations(**{**base, key: value}) < reference - 0.02, key


def test_intensity_raises_encounters_and_the_odds_of_violating():
    out = {}
    for intensity in (0.1, 0.9):
        cc, fc, rng = build(seed=7, fighters=20000)
        o = week(fc, rng, intensity=intensity)
        out[intensity] = (o.encounters.sum(), o.violations.sum() / o.encounters.sum())
    assert out[0.9][0] > out[0.1][0] and out[0.9][1] > out[0.1][1]


def test_enforced_sanctions_deter_the_sanctioned():
    cc, fc, rng = build(seed=8, fighters=20000)
    o = week(fc, rng, s=signals(sanctions=1.0, transmission=1.0), emphasis=1.0)
    assert o.sanctions.sum() > 0
    assert (fc.deterred > 0).sum() == o.sanctions.sum()
    assert (fc.fear[fc.deterred > 0] >= fc.fear[fc.deterred == 0].max() - 1e-12).all()


def test_turnover_replaces_fighters_in_place():
    cc, fc, rng = build(seed=9, fighters=5000)
    fc.knowledge[:] = 1.0
    o = week(fc, rng, turnover=0.1)
    assert len(fc.knowledge) == 5000
    recruits = int(o.community_recruits.sum())
    assert 350 < recruits < 650  # Binomial(5000, 0.1)
    assert (fc.knowledge < 1.0).sum() == recruits


def test_a_drill_closes_part_of_the_knowledge_gap():
    cc, fc, rng = build(seed=10)
    before = fc.knowledge.copy()
    fc.drill(np.array([0.5]))
    np.testing.assert_allclose(fc.knowledge, before + 0.5 * (1 - before))


def test_commanders_take_up_their_superiors_emphasis_level_by_level():
    rng = np.random.default_rng(11)
    cc = CommanderCohort(1, 2, 3, 2, rng, 0.1, 0.2)
    before = cc.acceptance.copy()
    cc.emphasis[0] = 0.9  # a committed top commander
    for _ in range(100):
        cc.update(signals(), learning=0.08)
    op, tac = cc.slices[OPERATIONAL], cc.slices[TACTICAL]
    assert (cc.acceptance[op] > before[op]).all() and (cc.acceptance[tac] > before[tac]).all()
    silent = CommanderCohort(1, 2, 3, 2, np.random.default_rng(11), 0.1, 0.2)
    for _ in range(100):
        silent.update(signals(), learning=0.08)
    assert cc.acceptance[tac].mean() > silent.acceptance[tac].mean() + 0.05


def test_a_new_commander_keeps_what_the_doctrine_holds():
    rng = np.random.default_rng(12)
    cc = CommanderCohort(1, 1, 1, 1, rng, 0.1, 0.2)
    cc.acceptance[:] = 0.9
    cc.replace(np.array([1]), np.array([1.0]), rng, 0.1, 0.2)
    assert cc.acceptance[1] == pytest.approx(0.9)
    cc.replace(np.array([2]), np.array([0.0]), rng, 0.1, 0.2)
    assert cc.acceptance[2] == cc.baseline[2]
