"""Runs as a batch: one call advances many runs (replicates, design points, a run and its twin).

A sweep, a Dask cluster or a calibration hands a worker a batch of tasks (plain data: parameters,
a seed, a scenario as a dict) and gets one ``(meta, records, events)`` per task back. What the
runs of a batch share:

* **the batch engine** (:mod:`normsim.simulation.batch_engine`): the tasks that are runs of the
  same settings with different seeds -- a condition's replicates -- are advanced as one array
  program, and their twins as another (:func:`~normsim.simulation.batch_engine.run_runs`);
  scenarios it does not run yet (a population, an engager with a capacity or a list of groups, a
  mechanism switched on) run one after another as before;
* the worker process, its imports and its round trips: one submission per batch, not per run
  (on Dask, one future and one scheduler decision per batch);
* the validation of each distinct scenario (a design's conditions share a few);
* runs that differ only in their engagers and share a seed -- the conditions of a sweep over an
  engager's settings, replicate by replicate (common random numbers) -- share one twin, kept
  while the batch runs (a sweep lists its runs replicate by replicate,
  :meth:`normsim.sweeps.design.Plan.runs`, so a batch holds several conditions of each
  replicate);
* a run alone and its twin share every week before the first engager acts
  (:func:`normsim.simulation.counterfactual.run_with_twin`);
* no run builds its groups', commanders', fighters' and communities' Mesa agents
  (``agents=False``): only the tables come back.

Each run keeps its own seed and its own random streams (:class:`normsim.world.view.RandomStreams`),
and the only thing that crosses from one run to another is a shared twin's records, keyed by
everything the twin depends on, so a run's tables are the same to the bit alone or in a batch of
any size, in any order, on one or two workers or on Dask (``tests/test_batch.py``,
``tests/test_batch_engine.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from normsim.settings.scenario import from_flat, validate
from normsim.simulation.batch_engine import batchable, run_runs
from normsim.simulation.counterfactual import run_with_twin
from normsim.simulation.model import NormDiffusionModel

#: runs per batch at most: enough for the batch engine's gain (a batch of 32 default runs costs
#: about a third of them alone, of 64 little less), few enough that a lost worker loses little
MAX_BATCH = 64
BATCHES_PER_SLOT = 2  # batches per worker slot at least, so that slots finish together (few: the
#                       batch engine gains with the runs of a condition a batch holds)


def run_batch(tasks: Iterable[dict]) -> Iterator[tuple]:
    """Run each task of ``tasks``; yield its ``(meta, records, events)``. The tasks that are runs
    of the same settings (a condition's replicates) run as one batch of the batch engine where
    their scenario allows it, the others one after another; runs whose twins are the same (they
    differ only in their engagers and share a seed:
    :func:`normsim.simulation.counterfactual.twin_key`) run that twin once."""
    validated: dict[str, object] = {}
    for chunk in batches(list(tasks), MAX_BATCH):  # a long list in batches: bounded memory
        yield from _run_chunk(chunk, validated)


def _run_chunk(tasks: list[dict], validated: dict) -> Iterator[tuple]:
    """The results of ``tasks``, in their order: a task whose settings other tasks share is run
    with them, as one batch, when it comes first; the others wait their turn."""
    twins: dict = {}  # twin_key -> the twin's records, while this batch runs
    alike: dict[str, list[int]] = {}  # the tasks of each run's settings
    for i, task in enumerate(tasks):
        alike.setdefault(_same_runs(task), []).append(i)
    done: dict[int, tuple] = {}
    for i, task in enumerate(tasks):
        if i not in done:
            group = alike[_same_runs(task)]
            key = repr(task["scenario"])  # plain data: its repr identifies it
            if key not in validated:
                validated[key] = validate(task["scenario"], f"run {task['run_id']}")
            settings = validated[key]
            if len(group) > 1 and not task.get("lasting") and "drawn" not in task:
                resolved = from_flat(task["params"], base=settings)
                if batchable(resolved) is None:
                    models = run_runs(resolved, [tasks[j]["seed"] for j in group],
                                      task["steps"], twin=task.get("counterfactual", True),
                                      twins=twins)
                    done.update({j: (_meta(tasks[j]), m.records(), m.events())
                                 for j, m in zip(group, models)})
            if i not in done:
                done[i] = run_one(task, settings, twins)
        yield done.pop(i)


def _same_runs(task: dict) -> str:
    """What makes tasks runs of the same settings, but for their seeds."""
    return repr((task["scenario"], task["params"], task["steps"], task.get("counterfactual", True),
                 task.get("lasting", False), task.get("drawn")))


def _meta(task: dict) -> dict:
    meta = {k: task[k] for k in ("run_id", "condition", "replicate", "seed")}
    if "drawn" in task:  # a posterior design's draw, recorded in the run's table
        meta["drawn"] = task["drawn"]
    return meta


def run_batch_list(tasks: list[dict]) -> list[tuple]:
    """:func:`run_batch` as a list (what a Dask future returns)."""
    return list(run_batch(tasks))


def run_one(task: dict, settings, twins: dict | None = None) -> tuple:
    """One run of a sweep from its task and its validated scenario: (meta, records, events);
    ``twins``: twins already run (:func:`normsim.simulation.counterfactual.run_with_twin`)."""
    model = NormDiffusionModel(rng=task["seed"], settings=settings, agents=False,  # tables only
                               **task["params"])
    if task.get("counterfactual", True):
        run_with_twin(model, task["steps"], lasting=task.get("lasting", False), twins=twins)
    else:
        model.run_model(task["steps"])
    return _meta(task), model.records(), model.events()


def batch_size(runs: int, slots: int, largest: int = MAX_BATCH) -> int:
    """Runs per batch for ``runs`` runs on ``slots`` workers: as many as keep every slot fed
    with :data:`BATCHES_PER_SLOT` batches, at most ``largest``."""
    return max(1, min(largest, math.ceil(runs / (max(1, slots) * BATCHES_PER_SLOT))))


def batches(tasks: list[dict], size: int) -> list[list[dict]]:
    """``tasks`` in consecutive batches of ``size`` (the last may be smaller)."""
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


__all__ = ["run_batch", "run_batch_list", "run_one", "batch_size", "batches", "MAX_BATCH"]
