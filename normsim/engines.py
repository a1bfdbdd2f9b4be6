"""Run a sweep's runs on local processes or on a Dask cluster, streaming results to the store.

Engines receive plain data (a task: parameters, a seed, a scenario as a dict) and return plain
tables; no model object crosses a process boundary. The same experiment and root seed give the
same result table with one worker, several, or Dask: each run depends only on its task.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from normsim.experiment import Plan
from normsim.counterfactual import run_twin
from normsim.model import NormDiffusionModel
from normsim.provenance import content_hash, provenance
from normsim.scenario import ScenarioError, validate
from normsim.store import Store

IN_FLIGHT_PER_WORKER = 2  # tasks queued per worker: keeps workers busy and memory flat


def run_task(task: dict):
    """One run of a sweep: (meta, records, events). Runs anywhere normsim is installed."""
    settings = validate(task["scenario"], f"run {task['run_id']}")
    model = NormDiffusionModel(rng=task["seed"], settings=settings, **task["params"])
    model.run_model(task["steps"])
    if task.get("counterfactual", True):
        model.attach_twin(run_twin(NormDiffusionModel, model.settings, task["seed"], model.steps))
    meta = {k: task[k] for k in ("run_id", "condition", "replicate", "seed")}
    return meta, model.records(), model.events()


def run_and_store(task: dict, out: Path, meta: dict) -> str:
    """Run one task and write it to the store at ``out`` (on a machine that shares that disk)."""
    Store(out).write_run(*run_task(task), meta)
    return task["run_id"]


@dataclass
class SweepReport:
    total: int
    skipped: int
    ran: int
    removed_partials: int


def sweep(plan: Plan, out: str | Path, experiment_text: str = "", *, workers: int | None = None,
          scheduler: str | None = None, progress: bool = True) -> SweepReport:
    """Run every run of ``plan`` not yet in ``out``; write each as it finishes.

    ``workers``: local processes (default: all cores); ``scheduler``: the address of a Dask
    distributed scheduler (``tcp://host:port``) to run on instead. Interrupting loses nothing
    finished; rerunning the same call resumes.
    """
    store = Store(out)
    meta = provenance(experiment=plan.experiment.title, experiment_hash=content_hash(experiment_text),
                      identity=plan.identity, root_seed=plan.experiment.root_seed)
    client = _connect(scheduler) if scheduler else None  # fail fast, before touching the folder
    store.prepare(plan, experiment_text, meta)
    removed = store.remove_partial_files()
    done = store.done()
    all_runs = plan.runs()
    pending = [plan.task(c, r) for rid, c, r, _ in all_runs if rid not in done]
    bar = _progress(len(all_runs), len(all_runs) - len(pending), progress)
    try:
        if client is not None:  # Dask workers may not share our disk: they send tables back
            for run_meta, records, events in _on_dask(client, pending):
                store.write_run(run_meta, records, events, meta)
                bar.update(1)
        elif (workers or os.cpu_count() or 1) <= 1 or len(pending) <= 1:
            for task in pending:
                run_and_store(task, store.out, meta)
                bar.update(1)
        else:  # local workers write their own runs, so this process stays light
            for _ in _on_processes(pending, workers or os.cpu_count() or 1, store.out, meta):
                bar.update(1)
    finally:
        bar.close()
        if client is not None:
            client.close()
    return SweepReport(len(all_runs), len(all_runs) - len(pending), len(pending), removed)


def _progress(total: int, initial: int, enabled: bool):
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit="run", desc="runs", dynamic_ncols=True,
                disable=not enabled or not sys.stderr.isatty())


def _bounded(submit, tasks: list[dict], window: int, done_iter) -> Iterator:
    """Submit at most ``window`` tasks at a time; yield results as they complete."""
    queue = iter(tasks)
    running = set()
    for task in queue:
        running.add(submit(task))
        if len(running) >= window:
            break
    while running:
        finished, running = done_iter(running)
        for fut in finished:
            yield fut.result()
            nxt = next(queue, None)
            if nxt is not None:
                running.add(submit(nxt))


def _on_processes(tasks: list[dict], workers: int, out: Path, meta: dict) -> Iterator:
    if sys.platform == "linux":  # workers fork from a server that has imported normsim once
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["normsim.engines"])
    else:
        ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        try:
            yield from _bounded(lambda t: pool.submit(run_and_store, t, out, meta), tasks,
                                workers * IN_FLIGHT_PER_WORKER,
                                lambda fs: wait(fs, return_when=FIRST_COMPLETED))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _connect(address: str):
    """A Dask client, or a clear error naming the address within seconds."""
    from distributed import Client
    try:
        return Client(address, timeout="5s")
    except (OSError, TimeoutError) as err:
        raise ScenarioError(f"cannot reach the Dask scheduler at {address}: {err}. Start one with "
                            "'dask scheduler' (see README) or run without --scheduler.") from None


def _submit(client, task: dict):
    return client.submit(run_task, task, key=f"normsim-{task['run_id']}-{task['seed']}", pure=False)


def _on_dask(client, tasks: list[dict]) -> Iterator:
    """Dask reschedules the runs of a worker that dies; keys make resubmission idempotent."""
    from distributed import as_completed

    n_workers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
    window = n_workers * IN_FLIGHT_PER_WORKER * 2
    queue = iter(tasks)
    ac = as_completed()
    for task in queue:
        ac.add(_submit(client, task))
        if ac.count() >= window:
            break
    for fut in ac:
        result = fut.result()
        fut.release()
        yield result
        nxt = next(queue, None)
        if nxt is not None:
            ac.add(_submit(client, nxt))


__all__ = ["sweep", "run_task", "SweepReport"]
