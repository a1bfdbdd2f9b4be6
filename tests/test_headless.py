"""A run built without its Mesa agents (``agents=False``, what sweeps, calibrations and
comparisons use): the same records and events to the bit as the run with them, agents made only
when asked for, with the ids they would have had."""

from __future__ import annotations

import pandas as pd
import pytest

from normsim import NormDiffusionModel, UserError, run, run_model
from normsim.settings.scenario import load
from normsim.simulation.counterfactual import run_with_twin
from normsim.world.agents import ArmedGroup, Commander, Community, Fighter

SPLINTERS = ("faction splintered", "faction broke away")


def both(name: str, seed: int, weeks: int):
    full = NormDiffusionModel(rng=seed, settings=load(name))
    bare = NormDiffusionModel(rng=seed, settings=load(name), agents=False)
    for m in (full, bare):
        m.run_model(weeks)
    return full, bare


@pytest.mark.parametrize("name, weeks", [("baseline", 260), ("two_engagers", 200),
                                         ("mine_ban_calibrated", 300)])
def test_the_tables_are_the_same_to_the_bit_without_the_agents(name, weeks):
    full, bare = both(name, 3, weeks)
    pd.testing.assert_frame_equal(full.records(), bare.records(), check_exact=True)
    events = full.events()
    pd.testing.assert_frame_equal(events, bare.events(), check_exact=True)
    assert (events["agent"] >= 0).sum() > 10  # events that name an agent were compared
    if name == "mine_ban_calibrated":  # groups appeared mid-run, with ids given after the others
        assert events["kind"].isin(SPLINTERS).any()
        assert bare.groups.n > 100  # a population
        assert bare.agent_id_counter == full.agent_id_counter


def test_only_the_engagers_and_the_state_are_registered_and_the_rest_come_when_asked():
    full, bare = both("baseline", 5, 30)
    assert {type(a).__name__ for a in bare.agents} == {"Dialogue", "State"}
    assert len(full.agents) == len(bare.agents) + full.groups.n + full.commanders.n \
        + full.fighters.n + full.communities.n
    for kind, population in ((ArmedGroup, "group_agents"), (Commander, "commander_agents"),
                             (Fighter, "fighter_agents"), (Community, "community_agents")):
        made, asked = getattr(full, population), getattr(bare, population)
        assert len(made) == len(asked)
        for i in (0, len(made) // 2, len(made) - 1):
            a, b = made[i], asked[i]
            assert type(b) is kind and b.unique_id == a.unique_id and b.index == a.index
            assert b not in bare.agents
            assert asked[i] is b  # asked again: the same view
    f, g = bare.fighter_agents[7], full.fighter_agents[7]
    assert (f.acceptance, f.knowledge, f.commander.unique_id, f.group.unique_id) == \
        (g.acceptance, g.knowledge, g.commander.unique_id, g.group.unique_id)
    assert [c.unique_id for c in bare.group_agents[0].communities] == \
        [c.unique_id for c in full.group_agents[0].communities]


def test_run_returns_the_table_of_a_run_with_its_agents_and_run_model_builds_them():
    table = run(seed=4, steps=40, counterfactual=True)
    model = NormDiffusionModel(rng=4)
    run_with_twin(model, 40)
    pd.testing.assert_frame_equal(table, model.records(), check_exact=True)
    assert len(run_model(seed=4, steps=2).agents) == len(model.agents)


@pytest.mark.parametrize("bad", ["no", 0, None])
def test_agents_must_be_true_or_false(bad):
    with pytest.raises(UserError, match=r"agents = .* is not allowed: expected True or False"):
        NormDiffusionModel(rng=1, agents=bad)
    with pytest.raises(UserError, match=r"agents = .* is not allowed"):
        run_model(seed=1, steps=1, agents=bad)


def test_run_refuses_agents_and_an_unbuilt_model_has_no_agent_set_of_groups():
    with pytest.raises(UserError, match=r"run\(\) returns only the table .* agents = True is "
                                        r"not allowed here"):
        run(seed=1, steps=1, agents=True)
    bare = NormDiffusionModel(rng=1, agents=False)
    with pytest.raises(UserError, match="built with agents=False"):
        bare.armed_groups
    assert len(NormDiffusionModel(rng=1).armed_groups) == 1
    assert bare.group_agents[-1] is bare.group_agents[0]  # one group: -1 is row 0
    with pytest.raises(IndexError):
        bare.fighter_agents[bare.fighters.n]
