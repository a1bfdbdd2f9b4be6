"""Runs as a batch: one call advances many runs (replicates, design points, a run and its twin).

A sweep, a Dask cluster or a calibration hands a worker a batch of tasks (plain data: parameters,
a seed, a scenario as a dict) and gets one ``(meta, records, events)`` per task back, in order.
What the runs of a batch share today:

* the worker process, its imports and its round trips: one submission per batch, not per run
  (on Dask, one future and one scheduler decision per batch);
* the validation of each distinct scenario (a design's conditions share a few);
* a run and its twin without engagement share every week before the first engager acts
  (:func:`normsim.simulation.counterfactual.run_with_twin`);
* runs that differ only in their engagers and share a seed -- the conditions of a sweep over an
  engager's settings, replicate by replicate (common random numbers) -- share one twin: a sweep
  lists its runs replicate by replicate (:meth:`normsim.sweeps.design.Plan.runs`), so a batch
  holds a replicate's conditions together and runs each twin once;
* no run builds its groups', commanders', fighters' and communities' Mesa agents
  (``agents=False``): only the tables come back.

Each run keeps its own seed and its own random streams (:class:`normsim.world.view.RandomStreams`),
and the only thing that crosses from one run to the next is a shared twin's records, keyed by
everything the twin depends on, so a run's tables are the same to the bit alone or in a batch of
any size, in any order, on one or two workers or on Dask (``tests/test_batch.py``).

What stands in the way of advancing the runs of a batch as one array program (runs as a leading
axis of every array, so that a week's few hundred numpy calls serve all runs at once): every
weekly process (:mod:`normsim.world`, :mod:`normsim.rules`, :mod:`normsim.engagers`) holds
per-model scalars (the environment's intensity, the state, the week) and per-model Python objects
(engagers, events, Mesa agents), and each run's draws must come from its own generators in the
order a run alone makes them -- numpy has no draw over many generators in one call, so a batched
engine still makes its random draws run by run. That is a rewrite of the weekly processes, not a
wrapper around them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from normsim.settings.scenario import validate
from normsim.simulation.counterfactual import run_with_twin
from normsim.simulation.model import NormDiffusionModel

MAX_BATCH = 8  # runs per batch at most: a lost worker loses little, progress stays visible
TWINS_KEPT = 16  # twins a batch keeps at most: a design whose every condition has its own twin
#                  (Sobol, Morris) would otherwise keep one per run of a replicate
BATCHES_PER_SLOT = 4  # batches per worker slot at least, so that slots finish together


def run_batch(tasks: Iterable[dict]) -> Iterator[tuple]:
    """Run each task of ``tasks``; yield its ``(meta, records, events)`` as it finishes. Runs of
    the batch whose twins are the same (they differ only in their engagers and share a seed:
    :func:`normsim.simulation.counterfactual.twin_key`) run that twin once."""
    validated: dict[str, object] = {}
    twins: dict = {}  # twin_key -> the twin's records, kept while the seed stays the same
    seed = None
    for task in tasks:
        if twins and task["seed"] != seed:
            twins.clear()  # a twin is only ever shared by runs with one seed
        while len(twins) >= TWINS_KEPT:
            del twins[next(iter(twins))]  # the oldest first
        seed = task["seed"]
        key = repr(task["scenario"])  # plain data: its repr identifies it
        if key not in validated:
            validated[key] = validate(task["scenario"], f"run {task['run_id']}")
        yield run_one(task, validated[key], twins)


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
    meta = {k: task[k] for k in ("run_id", "condition", "replicate", "seed")}
    if "drawn" in task:  # a posterior design's draw, recorded in the run's table
        meta["drawn"] = task["drawn"]
    return meta, model.records(), model.events()


def batch_size(runs: int, slots: int, largest: int = MAX_BATCH) -> int:
    """Runs per batch for ``runs`` runs on ``slots`` workers: as many as keep every slot fed
    with :data:`BATCHES_PER_SLOT` batches, at most ``largest``."""
    return max(1, min(largest, math.ceil(runs / (max(1, slots) * BATCHES_PER_SLOT))))


def batches(tasks: list[dict], size: int) -> list[list[dict]]:
    """``tasks`` in consecutive batches of ``size`` (the last may be smaller)."""
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


__all__ = ["run_batch", "run_batch_list", "run_one", "batch_size", "batches", "MAX_BATCH",
           "TWINS_KEPT"]
