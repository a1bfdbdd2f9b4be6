"""Runs as a batch (normsim.sweeps.batch): a run's tables are the same to the bit alone, in a
batch of 2 or of many, in any order, on one or two local workers and on a real Dask cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from normsim.settings.scenario import load
from normsim.settings.scenario import validate
from normsim.simulation.counterfactual import TWIN_COLUMNS
from normsim.simulation import batch_engine, counterfactual
from normsim.sweeps import batch
from normsim.sweeps.batch import batch_size, batches, run_batch, run_one
from normsim.sweeps.engines import run_task, sweep
from normsim.sweeps.experiment import load_experiment
from normsim.sweeps.design import plan
from normsim.sweeps.readers import read_events, read_runs
from sweep_helpers import cluster, experiment_file  # noqa: F401


def small_plan(tmp_path, replicates):
    exp, text = load_experiment(experiment_file(tmp_path, replicates=replicates, steps=20,
                                                fighters=30))
    return plan(exp), text


def tasks_of(p):
    return [p.task(c, r) for _, c, r, _ in p.runs()]


def same(a, b):
    assert a[0] == b[0]
    pd.testing.assert_frame_equal(a[1], b[1], check_exact=True)
    pd.testing.assert_frame_equal(a[2], b[2], check_exact=True)


def test_a_run_is_the_same_alone_in_a_batch_of_two_and_of_many_in_any_order(tmp_path):
    p, _ = small_plan(tmp_path, replicates=12)  # 2 conditions x 12 replicates
    tasks = tasks_of(p)
    alone = [run_task(t) for t in tasks[:3]] + [run_task(tasks[-1])]
    pair = list(run_batch(tasks[:2]))
    many = list(run_batch(tasks))
    backwards = list(run_batch(tasks[::-1]))[::-1]
    for i, a in zip((0, 1, 2, -1), alone):
        same(a, many[i])
        same(a, backwards[i])
    for a, b in zip(alone[:2], pair):
        same(a, b)
    # the batch does not simply repeat one run: replicates differ
    assert not many[0][1]["compliance_rate"].equals(many[1][1]["compliance_rate"])


def forks(monkeypatch) -> list:
    """Count the twins run from now on: forked from their run (a run alone), or run as a batch
    of twins (the batch engine: one per seed)."""
    made, fork, twins = [], counterfactual.fork_twin, batch_engine.run_outcomes
    monkeypatch.setattr(counterfactual, "fork_twin", lambda m: made.append(1) or fork(m))
    monkeypatch.setattr(batch_engine, "run_outcomes",
                        lambda s, seeds, steps: made.extend([1] * len(seeds)) or twins(s, seeds, steps))
    return made


def test_conditions_that_differ_only_in_their_engager_share_one_twin_and_the_same_tables(
        tmp_path, monkeypatch):
    p, _ = small_plan(tmp_path, replicates=3)  # dialogue.principled 0 or 1: the twins are equal
    tasks = tasks_of(p)
    # a sweep lists its runs replicate by replicate: a batch holds a replicate's conditions
    assert [(t["replicate"], t["condition"]) for t in tasks] == \
        [(r, c) for r in range(3) for c in range(2)]
    made = forks(monkeypatch)
    shared = list(run_batch(tasks))
    assert len(made) == 3  # one twin per replicate, not per run (the first condition's
    #                        replicates run as a batch, with their twins as another)
    monkeypatch.undo()
    for task, result in zip(tasks, shared):
        same(run_task(task), result)  # each run alone: its own twin
    # the two conditions of a replicate carry the same twin, and the replicates differ
    twin = [r[1][list(TWIN_COLUMNS.values())] for r in shared]
    pd.testing.assert_frame_equal(twin[0], twin[1], check_exact=True)
    assert not twin[0].equals(twin[2])
    # with the lasting twin too (engagement ends at week 8): the twin is shared, the lasting
    # twin is each run's own
    lasting = [{**t, "lasting": True, "params": {**t["params"], "dialogue_end_week": 8}}
               for t in tasks]
    for task, result in zip(lasting, run_batch(lasting)):
        same(run_task(task), result)
        assert "violations_lasting" in result[1]


def test_a_twin_already_run_is_used_not_run_again(tmp_path):
    p, _ = small_plan(tmp_path, replicates=1)
    first, second = tasks_of(p)
    settings = validate(first["scenario"], "test")  # as run_batch validates it
    twins: dict = {}
    meta, records, _ = run_one(first, settings, twins)
    assert len(twins) == 1
    (key, kept), = twins.items()
    # a marked copy of the stored twin: the second run must attach it as it is
    twins[key] = kept.assign(compliance_rate=-1.0)
    _, again, _ = run_one(second, settings, twins)
    assert (again["compliance_counterfactual"] == -1.0).all()
    _, alone, _ = run_one(second, settings)
    pd.testing.assert_frame_equal(again.drop(columns=list(TWIN_COLUMNS.values())),
                                  alone.drop(columns=list(TWIN_COLUMNS.values())), check_exact=True)


def test_the_arms_of_one_scenario_per_kind_of_engager_share_their_twin():
    """which_engager's arms are scenarios that differ in their engager (and their words)."""
    twins: dict = {}
    for i, name in enumerate(["engager_dialogue", "engager_deed", "engager_peace_operation"]):
        scenario = load(name)
        task = {"run_id": f"c{i}-r0", "condition": i, "replicate": 0, "seed": 5, "steps": 30,
                "params": {"group_fighters": 30, "record_every": 5}, "counterfactual": True,
                "scenario": scenario.model_dump(by_alias=True)}
        shared = run_one(task, scenario, twins)
        assert len(twins) == 1, name  # the first arm's twin serves the others
        same(run_one(task, scenario), shared)  # as with its own twin


def test_twins_are_kept_for_one_batch_of_at_most_max_batch_runs(tmp_path, monkeypatch):
    p, _ = small_plan(tmp_path, replicates=1)
    task = tasks_of(p)[0]
    # three runs with twins of their own (a group setting differs), then one that differs from
    # the first only in its engager: its twin is still kept in a batch of 64, not across two
    # batches of 2 (a long list of tasks is run in batches: memory stays bounded)
    sizes = [{"group_fighters": n} for n in (30, 31, 32)] + [{"group_fighters": 30,
                                                               "dialogue_principled": 0.5}]
    tasks = [{**task, "run_id": f"r{i}", "params": {**task["params"], **extra}}
             for i, extra in enumerate(sizes)]
    for largest, twins_run in ((batch.MAX_BATCH, 3), (2, 4)):
        monkeypatch.setattr(batch, "MAX_BATCH", largest)
        made = forks(monkeypatch)
        results = list(run_batch(tasks))
        assert len(made) == twins_run, largest
        same(run_task(tasks[-1]), results[-1])


def test_batch_size_feeds_every_slot_and_is_bounded():
    assert batch_size(6, 2) == 2
    assert batch_size(150, 2) == 38
    assert batch_size(10_000, 2) == 64
    assert batch_size(40, 2) == 10
    assert batch_size(10_000, 2, largest=3) == 3
    assert [len(b) for b in batches(list(range(7)), 3)] == [3, 3, 1]


def test_runs_of_different_scenarios_in_one_batch_keep_their_own_scenario(tmp_path):
    p, _ = small_plan(tmp_path, replicates=2)
    base = tasks_of(p)[:2]
    other = [{**t, "run_id": t["run_id"] + "-x",
              "scenario": load("politicised").model_dump(by_alias=True)} for t in base]
    mixed = list(run_batch([base[0], other[0], base[1], other[1]]))
    for task, result in zip([base[0], other[0], base[1], other[1]], mixed):
        same(run_task(task), result)
    assert not mixed[0][1]["trust"].equals(mixed[1][1]["trust"])  # the scenarios differ


@pytest.mark.parametrize("workers", [1, 2])
def test_a_sweep_in_batches_gives_the_table_of_one_run_at_a_time(tmp_path, workers):
    p, text = small_plan(tmp_path, replicates=5)
    sweep(p, tmp_path / "single", text, workers=1, progress=False, batch=1)
    sweep(p, tmp_path / "batched", text, workers=workers, progress=False, batch=4)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "single"), read_runs(tmp_path / "batched"))
    pd.testing.assert_frame_equal(read_events(tmp_path / "single"),
                                  read_events(tmp_path / "batched"))


def test_dask_in_batches_gives_the_local_table(tmp_path, cluster):  # noqa: F811
    address, _ = cluster
    p, text = small_plan(tmp_path, replicates=5)
    sweep(p, tmp_path / "dask", text, scheduler=address, progress=False, batch=3)
    sweep(p, tmp_path / "local", text, workers=1, progress=False, batch=1)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "dask"), read_runs(tmp_path / "local"))
    pd.testing.assert_frame_equal(read_events(tmp_path / "dask"), read_events(tmp_path / "local"))
