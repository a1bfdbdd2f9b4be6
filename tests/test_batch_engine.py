"""The batch engine (normsim.simulation.batch_engine): runs of one scenario advanced as one array
program give each run the records and events it has alone, to the bit -- for every shipped
scenario it runs, in a batch of any size and order, with twins, and when a faction breaks away."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from normsim.errors import UserError
from normsim.settings.scenario import SCENARIO_DIR, load
from normsim.simulation.batch_engine import BatchModel, batchable, run_outcomes, run_runs
from normsim.simulation.counterfactual import twin_settings
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.run import run_model

SMALL = {"group_fighters": 120, "group_units_per_commander": 2}


def alone(settings, seed: int, steps: int, twin: bool = False) -> NormDiffusionModel:
    return run_model(scenario=settings, seed=seed, steps=steps, counterfactual=twin, agents=False)


def assert_same(a: NormDiffusionModel, b: NormDiffusionModel) -> None:
    pd.testing.assert_frame_equal(a.records(), b.records(), check_exact=True)
    pd.testing.assert_frame_equal(a.events(), b.events(), check_exact=True)


SHIPPED = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
RUN_IN_BATCHES = [n for n in SHIPPED if batchable(load(n)) is None]


def test_the_engine_runs_most_shipped_scenarios_and_says_why_not_the_others():
    assert len(RUN_IN_BATCHES) >= 18, RUN_IN_BATCHES
    for name in set(SHIPPED) - set(RUN_IN_BATCHES):
        assert "population" in batchable(load(name)), name
    with pytest.raises(UserError, match="does not run scenarios with a population"):
        BatchModel(load("mine_ban"), [1, 2])


@pytest.mark.parametrize("name", RUN_IN_BATCHES)
def test_each_run_of_a_batch_is_the_run_alone_with_its_twin(name):
    settings = load(name, SMALL)
    seeds, steps = [3, 41, 7], 130
    batch = run_runs(settings, seeds, steps, twin=True)
    for seed, model in zip(seeds, batch):
        assert_same(alone(settings, seed, steps, twin=True), model)
    # the runs differ: the batch does not repeat one run
    assert not batch[0].records()["compliance_rate"].equals(batch[1].records()["compliance_rate"])


def test_a_run_is_the_same_in_a_batch_of_one_two_or_five_in_any_order():
    settings = load("baseline", SMALL)
    steps = 104
    five = [11, 12, 13, 14, 15]
    reference = {seed: alone(settings, seed, steps) for seed in five}
    for seeds in ([12, 14], five, five[::-1], [13, 13, 11]):
        model = BatchModel(settings, seeds)
        model.run_model(steps)
        for seed, part in zip(seeds, model.parts):
            assert_same(reference[seed], part)


def test_runs_whose_factions_break_away_stay_exact_and_so_do_the_others():
    # a weak structure and a high splinter rate: within two years some runs have split once,
    # some several times, some not at all; those that stay whole keep their sums made as alone
    settings = load("baseline", {**SMALL, "group_centralisation": 0.1, "group_splinter_rate": 0.2,
                                 "group_operational_commanders": 5})
    seeds, steps = list(range(20, 28)), 104
    model = BatchModel(settings, seeds)
    model.run_model(steps)
    groups = np.bincount(model.groups.run)
    assert groups.min() == 1 and groups.max() > 2, groups
    for seed, part in zip(seeds, model.parts):
        assert_same(alone(settings, seed, steps), part)


def test_twins_run_as_a_batch_are_the_twins_of_runs_alone():
    settings = load("engagement_ends", SMALL)
    seeds, steps = [5, 6, 9], 120
    rows = run_outcomes(twin_settings(settings), seeds, steps)
    for seed, twin in zip(seeds, rows):
        model = NormDiffusionModel(rng=seed, settings=twin_settings(settings), agents=False)
        model.outcomes_only = True
        model.run_model(steps)
        pd.testing.assert_frame_equal(model.twin_records(), twin, check_exact=True)


def test_twins_already_run_are_attached_not_run_again():
    settings = load("baseline", SMALL)
    twins: dict = {}
    first = run_runs(settings, [1, 2], 60, twin=True, twins=twins)
    assert len(twins) == 2
    marked = {k: v.assign(compliance_rate=-1.0) for k, v in twins.items()}
    again = run_runs(settings, [1, 2], 60, twin=True, twins=marked)
    assert all((m.records()["compliance_counterfactual"] == -1.0).all() for m in again)
    assert not (first[0].records()["compliance_counterfactual"] == -1.0).any()


def test_scenarios_the_engine_does_not_run_are_run_one_after_another_to_the_same_tables():
    settings = load("mine_ban", {"record_every": 4})
    seeds, steps = [8, 9], 40
    for seed, model in zip(seeds, run_runs(settings, seeds, steps, twin=True)):
        assert_same(alone(settings, seed, steps, twin=True), model)


def test_large_runs_are_batched_by_the_fighters_a_batch_holds(monkeypatch):
    """A batch's memory is its runs' together: at most BATCH_FIGHTERS fighters a batch, so
    large runs run in smaller batches (one alone when a run is that large), same tables."""
    from normsim.simulation import batch_engine

    settings = load("baseline", SMALL)  # 120 fighters a run
    assert batch_engine.size_of_batches(settings) == batch_engine.BATCH_FIGHTERS // 120
    monkeypatch.setattr(batch_engine, "BATCH_FIGHTERS", 250)  # two runs a batch
    made, original = [], BatchModel.__init__

    def counted(self, settings, seeds, outcomes_only=False):
        made.append(len(seeds))
        original(self, settings, seeds, outcomes_only)
    monkeypatch.setattr(BatchModel, "__init__", counted)
    seeds = [1, 2, 3, 4, 5]
    runs = run_runs(settings, seeds, 30)
    assert made == [2, 2, 1]
    for seed, model in zip(seeds, runs):
        assert_same(alone(settings, seed, 30), model)
    monkeypatch.setattr(batch_engine, "BATCH_FIGHTERS", 100)  # a run is larger: each alone
    made.clear()
    run_runs(settings, seeds[:2], 30)
    assert made == []


def test_a_runs_weeks_are_its_part_of_the_batchs_weeks_typed_as_alone():
    """batch_records: each array is stacked over the weeks once; a run reads its groups' part,
    its one-per-week values as a run alone records them, and a closed segment ends where it
    was closed."""
    from normsim.simulation.batch_records import BatchWeeks, RunWeeks

    weeks = BatchWeeks()
    for step in range(3):  # two runs of two groups; intensity is one value per group
        weeks.add({"step": step, "occasions": np.arange(4.0)[:, None] + 10 * step,
                   "fighter_means": np.full((2, 4, 1), float(step)),
                   "intensity": np.array([0.1, 0.1, 0.7, 0.7]) + step})
    second = RunWeeks(weeks, slice(2, 4), 0)
    assert second.stacked("occasions")[:, :, 0].tolist() == [[2, 3], [12, 13], [22, 23]]
    assert second.stacked("fighter_means").shape == (3, 2, 2, 1)  # its groups on axis 2
    assert second.each("intensity").tolist() == [0.7, 1.7, 2.7]
    assert second.each("step").tolist() == [0, 1, 2]
    first = RunWeeks(weeks, np.array([0, 1]), 1)
    first.close(2)
    assert len(first) == 1 and first.each("step").tolist() == [1]
