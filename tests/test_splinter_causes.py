"""Splinters with causes of their own (normsim.rules.splinter_causes): the weekly chance each
cause adds to an operational commander's breaking away, times the structure's weakness, and the
cause a split is told with -- on a small real model whose groups are set by hand, with the
chances worked out from ODD section 7.17 ("Splinters with their own causes")."""

from __future__ import annotations

import numpy as np
import pytest

from normsim import NormDiffusionModel
from normsim.rules import splinter_causes as sc

from conftest import SMALL

#: the causes' rates, distinct so that each one's share is seen
RATES = {"splinter_causes_succession": 0.04, "splinter_causes_succession_weeks": 10,
         "splinter_causes_resources": 0.02, "splinter_causes_rival_offer": 0.01}


def world(groups=1, enabled=True, **params):
    """Groups of structure 0.6 (weakness 0.4), no shortfall, each in a country of its own."""
    m = NormDiffusionModel(rng=1, **{**SMALL, "group_count": groups,
                                     "splinter_causes_enabled": enabled, **RATES, **params})
    m.groups.structure[:] = 0.6
    m.groups.shortfall[:] = 0.0
    m.country[:] = np.arange(groups)
    return m


def test_off_it_adds_nothing_records_nothing_and_tells_no_cause():
    m = world(enabled=False)
    m.steps = 5
    sc.note_succession(m, np.array([0]))
    assert sc.added(m, np.array([1, 2])) == 0.0
    assert sc.why(m, 1, 0) is None
    assert "splinter_causes" not in m.__dict__.get("_mechanisms", {})


def test_without_a_cause_nothing_is_added():
    m = world()
    m.steps = 50
    np.testing.assert_array_equal(sc.added(m, np.array([1, 2])), [0.0, 0.0])


def test_a_succession_adds_its_rate_for_the_weeks_it_is_contested():
    m = world()
    m.steps = 20
    sc.note_succession(m, np.array([0]))
    for week, expected in ((20, 0.04 * 0.4), (29, 0.04 * 0.4), (30, 0.0)):
        m.steps = week
        assert sc.added(m, np.array([1]))[0] == pytest.approx(expected), week


def test_resources_add_their_rate_times_the_shortfall():
    m = world()
    m.groups.shortfall[:] = 0.5
    assert sc.added(m, np.array([1]))[0] == pytest.approx(0.02 * 0.5 * 0.4)


def test_a_rival_offers_only_when_another_living_group_fights_in_the_country():
    m = world(groups=3)
    m.country[:] = [0, 0, 1]  # groups 0 and 1 share a country; group 2 is alone
    ops = np.array([3, 5, 7])  # an operational commander of each of groups 0, 1, 2
    assert m.commanders.group[ops].tolist() == [0, 1, 2]
    np.testing.assert_allclose(sc.added(m, ops), [0.01 * 0.4, 0.01 * 0.4, 0.0])
    m.groups.alive[1] = False  # the rival ended
    np.testing.assert_allclose(sc.added(m, ops[:1]), [0.0])


def test_the_causes_add_up_and_a_strong_structure_holds_against_them():
    m = world(groups=2)
    m.country[:] = 0
    m.steps = 3
    sc.note_succession(m, np.array([0]))
    m.groups.shortfall[:] = 1.0
    total = 0.04 + 0.02 + 0.01
    assert sc.added(m, np.array([2]))[0] == pytest.approx(total * 0.4)
    m.groups.structure[:] = 1.5  # beyond full strength: nothing, never a negative chance
    assert sc.added(m, np.array([2]))[0] == 0.0
    m.groups.structure[:] = -0.5  # below none: the full rates
    assert sc.added(m, np.array([2]))[0] == pytest.approx(total)


def test_a_split_is_told_by_its_main_cause_unless_the_group_holds_a_commitment():
    m = world(groups=2)
    m.country[:] = 0
    m.groups.shortfall[:] = [1.0, 0.0]  # group 0: resources (0.02) beat the rival (0.01)
    m.groups.committed[:] = False
    assert m.commanders.group[[2, 4]].tolist() == [0, 1]  # an operational commander of each
    sc.added(m, np.array([2, 4]))
    assert sc.why(m, 2, 0) == "over resources"
    assert sc.why(m, 4, 1) == "at a rival's offer"
    m.steps = 8
    sc.note_succession(m, np.array([1]))
    sc.added(m, np.array([4]))
    assert sc.why(m, 4, 1) == "after a contested succession"
    m.groups.committed[1, 0] = True  # a split while it holds a commitment: over the commitment
    assert sc.why(m, 4, 1) is None


def test_a_faction_that_broke_away_starts_with_no_succession():
    m = world()
    m.steps = 4
    sc.note_succession(m, np.array([0]))
    record = sc.causes(m)
    record.succession(np.array([2]), 6)  # group 2 came later (a faction): the record grows
    assert record.last_succession.tolist() == [4, -10**6, 6]
    assert sc.causes(m) is record  # one record per run
