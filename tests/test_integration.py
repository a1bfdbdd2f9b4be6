"""The integration cycle: mutual reinforcement, gating by doctrine, setbacks that propagate,
structure and the IHL department (seed 002, "The integration concept")."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from normsim.world import integration as I

KW = dict(growth=0.03, reinforcement=1.0, decay=0.004)


def run(levels, weeks, **kw):
    args = {"drive": 0.8, "structure": 0.7, **KW, **kw}
    for _ in range(weeks):
        levels = I.advance(levels, **args)
    return levels


levels4 = st.lists(st.floats(0, 1), min_size=4, max_size=4).map(np.array)


@given(levels4, st.floats(0, 1), st.floats(0, 1))
def test_levels_stay_within_unit_interval(levels, drive, structure):
    out = I.advance(levels, drive=drive, structure=structure, **KW)
    assert ((out >= 0) & (out <= 1)).all()


def test_progress_in_the_others_pulls_each_factor():
    weak = I.advance(np.array([0.5, 0.1, 0.1, 0.1]), drive=0.8, structure=0.7, **KW)
    strong = I.advance(np.array([0.5, 0.6, 0.6, 0.6]), drive=0.8, structure=0.7, **KW)
    assert strong[I.DOCTRINE] - 0.5 > weak[I.DOCTRINE] - 0.5


def test_without_reinforcement_the_others_do_not_matter():
    kw = {**KW, "reinforcement": 0.0}
    a = I.advance(np.array([0.5, 0.1, 0.1, 0.1]), drive=0.8, structure=0.7, **kw)
    b = I.advance(np.array([0.5, 0.6, 0.6, 0.6]), drive=0.8, structure=0.7, **kw)
    assert a[I.DOCTRINE] == b[I.DOCTRINE]


def test_training_equipment_and_sanctions_wait_for_doctrine():
    out = I.advance(np.zeros(4), drive=1.0, structure=1.0, **KW)
    assert out[I.DOCTRINE] > 0 and (out[1:] == 0).all()


def test_without_a_committed_leadership_the_cycle_erodes():
    out = run(np.full(4, 0.6), 100, drive=0.0)
    assert (out < 0.6).all()


def test_a_setback_in_one_factor_propagates_to_the_others():
    start = run(np.zeros(4), 150)
    hit = I.setback(start, I.TRAINING, 0.4)
    assert hit[I.TRAINING] == start[I.TRAINING] * 0.6
    others = [I.DOCTRINE, I.EQUIPMENT, I.SANCTIONS]
    assert (hit[others] < start[others]).all() and (hit[others] > start[others] * 0.6).all()
    # and the dent persists in every factor for months under the same drive
    later_hit, later_clean = run(hit, 26), run(start, 26)
    assert (later_hit < later_clean).all()


def test_a_weak_structure_slows_integration_and_can_stall_it():
    solid = run(np.zeros(4), 260, structure=0.9)
    weak = run(np.zeros(4), 260, structure=0.2)
    assert solid.mean() > 0.4 and weak.mean() < solid.mean() / 3


def test_structure_falls_with_factions_and_a_split_between_wings():
    base = I.structure_strength(0.7, 1, 0.0)
    assert I.structure_strength(0.7, 4, 0.0) == base / 2
    assert I.structure_strength(0.7, 1, 1.0) == base / 2


def test_a_separate_ihl_department_hinders_integration():
    kw = dict(department=True, department_isolation=0.5)
    assert run(np.zeros(4), 30, **kw)[I.DOCTRINE] > run(np.zeros(4), 30)[I.DOCTRINE]  # fast texts
    plain, dept = run(np.zeros(4), 300), run(np.zeros(4), 300, **kw)
    assert (dept[1:] < plain[1:]).all()  # but training, equipment, sanctions lag behind
    assert dept.mean() < plain.mean()  # and the cycle as a whole with them
