"""The shortcuts of the weekly step that keep results the same (issue 19): what they keep between
weeks is recomputed when what it depends on changes. (That the numbers are unchanged to the bit is
``tests/test_bit_identical.py``'s guard.)"""

from __future__ import annotations

import numpy as np
import pytest

from normsim.rules.emulation import EmulationSettings, Watch, emulation, watch_weights
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.records import EVENT_COLUMNS
from normsim.world.groups import GroupSettings, GroupState


def test_watch_follows_groups_entering_and_leaving_the_field():
    g = GroupState([GroupSettings()] * 4, 1, 0.5)
    g.committed[[0, 3], 0] = True
    weights = watch_weights(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), EmulationSettings())
    watch = Watch(weights)
    for alive in ([True] * 4, [True, True, True, False], [False, True, True, False], [True] * 4):
        g.alive[:] = alive
        # the reference: the weights of the living groups computed afresh
        w = weights * np.array(alive)[None, :]
        total = w.sum(axis=1)
        expected = np.where(total > 0, (w @ g.committed[:, 0]) / np.where(total > 0, total, 1), 0)
        np.testing.assert_allclose(watch.emulation(g)[:, 0], expected, rtol=0, atol=1e-15)
        np.testing.assert_array_equal(watch.emulation(g), emulation(g, weights))


def test_events_logged_at_once_are_the_rows_logged_one_by_one():
    one, many = NormDiffusionModel(rng=1), NormDiffusionModel(rng=1)
    agents = one.commander_agents[3:6]
    for a in agents:
        one.log("commander replaced", int(a.group.index), agent=a, detail=a.level)
    from normsim.rules.leadership import REPLACED
    mine = many.commander_agents[3:6]
    many._log_each(REPLACED, np.array([a.group.index for a in mine]), mine, [a.level for a in mine])
    left, right = one.events(), many.events()
    assert len(left) == 3
    assert left.drop(columns="agent").equals(right.drop(columns="agent"))
    assert list(right["agent"]) == [a.unique_id for a in mine]


def test_rows_for_the_wrong_columns_are_refused():
    model = NormDiffusionModel(rng=1)
    with pytest.raises(ValueError, match="need columns"):
        model.datacollector.add_table_rows("events", {c: [] for c in EVENT_COLUMNS[:-1]})


def _means_level_by_level(model, values):
    """The reference: each level's group means computed on their own, as the records did before
    (a reduceat per level while the levels are ordered slices, a bincount per level and row after
    a splinter)."""
    cc, G = model.commanders, model.groups.n
    out = []
    for sl in cc.at_level:
        groups = cc.group[sl]
        sizes = np.bincount(groups, minlength=G).astype(float)
        if isinstance(sl, slice) and (sizes > 0).all():
            starts = np.concatenate([[0], np.cumsum(sizes.astype(int))[:-1]])
            out.append(np.add.reduceat(values[:, sl], starts, axis=1) / sizes)
        else:
            sums = np.stack([np.bincount(groups, weights=row, minlength=G) for row in values[:, sl]])
            with np.errstate(invalid="ignore", divide="ignore"):
                out.append(sums / sizes)
    return np.stack(out)


def test_every_levels_means_at_once_equal_each_levels_to_the_bit():
    from normsim.simulation.records import Layout
    model = NormDiffusionModel(rng=1)  # its group splinters in week 131
    for weeks in (3, 140):
        model.run_model(weeks - model.steps)
        cc = model.commanders
        values = np.concatenate([cc.knowledge, cc.acceptance])
        layout = Layout(model)
        assert layout.all_ordered == (weeks == 3)  # both ways of summing are exercised
        np.testing.assert_array_equal(layout.by_levels(values), _means_level_by_level(model, values))
