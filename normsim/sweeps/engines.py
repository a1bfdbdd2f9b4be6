"""Run a sweep's runs on local processes or on a Dask cluster, streaming results to the store.

Engines receive plain data (a task: parameters, a seed, a scenario as a dict) and return plain
tables; no model object crosses a process boundary. The same experiment and root seed give the
same result table with one worker, several, or Dask: each run depends only on its task.

What a sweep guarantees whatever happens to it (README, "Errors and interruptions"): the folder
is claimed by writing its manifest first, atomically, under a lock that refuses a second sweep
(:mod:`normsim.sweeps.store`, :mod:`normsim.sweeps.lock`); local workers die with the main process
(:mod:`normsim.sweeps.workers`); run files are verified before a resume counts them, and damaged ones
are redone; a full disk stops the sweep with the number of runs saved.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from normsim.errors import BudgetError, ClusterError, DiskFull
from normsim.settings import budget
from normsim.sweeps import cluster
from normsim.sweeps.batch import batch_size, batches, run_batch, run_batch_list
from normsim.sweeps.design import Plan
from normsim.sweeps.lock import FolderLock
from normsim.sweeps.provenance import content_hash, provenance
from normsim.sweeps.store import Store
from normsim.sweeps.workers import LocalPool

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def run_task(task: dict):
    """One run of a sweep: (meta, records, events). Runs anywhere normsim is installed."""
    return next(run_batch([task]))


class _RunAndStore:
    """Run a batch of tasks (:mod:`normsim.sweeps.batch`) and write each run to the store at
    ``out`` as it finishes, with the provenance ``meta`` (picklable, unlike a lambda)."""

    def __init__(self, out: Path, meta: dict):
        self.out, self.meta = out, meta

    def __call__(self, tasks: list[dict]) -> list[str]:
        store = Store(self.out)
        done = []
        for result in run_batch(tasks):
            store.write_run(*result, self.meta)
            done.append(result[0]["run_id"])
        return done


@dataclass
class SweepReport:
    total: int
    skipped: int
    ran: int
    removed_partials: int
    redone: dict[str, str] = field(default_factory=dict)  #: damaged runs found and redone
    notes: list[str] = field(default_factory=list)  #: what the caller should be told


def local_workers(plan: Plan, workers: int | None) -> int:
    """Local processes for ``plan``: ``workers``, or all cores; never more runs side by side
    than fit in the memory budget (BudgetError if ``workers`` asks for more)."""
    fit = budget.workers_that_fit_bytes(plan.largest_run_bytes)
    if workers is None:
        return max(1, min(os.cpu_count() or 1, fit))
    if workers > fit:
        limit, where = budget.memory_limit()
        raise BudgetError(f"--workers {workers}: {workers} runs side by side would need about "
                          f"{budget.gb(workers * plan.largest_run_bytes)} of memory; the budget "
                          f"is {budget.gb(limit)} ({where}). Use --workers {fit} or fewer.")
    return workers


def sweep(plan: Plan, out: str | Path, experiment_text: str = "", *, workers: int | None = None,
          scheduler: str | None = None, progress: bool = True,
          give_up_after: float | None = None,
          say: Callable[[str], None] | None = None, batch: int | None = None) -> SweepReport:
    """Run every run of ``plan`` not yet in ``out``; write each as it finishes.

    ``workers``: local processes (default: all cores that fit in memory); ``scheduler``: the
    address of a Dask distributed scheduler (``tcp://host:port``) to run on instead, and
    ``give_up_after``: seconds without any Dask worker before giving up (default
    :data:`normsim.sweeps.cluster.GIVE_UP_AFTER`). ``say``: where notices go (default: stderr).
    ``batch``: runs handed to a worker at a time (default :func:`normsim.sweeps.batch.batch_size`;
    the tables do not depend on it). Interrupting loses nothing finished; rerunning the same call
    resumes.
    """
    say = say or _stderr
    store = Store(out)
    meta = provenance(experiment=plan.experiment.title, experiment_hash=content_hash(experiment_text),
                      identity=plan.identity, root_seed=plan.experiment.root_seed)
    cluster.check_give_up_after(give_up_after, scheduler)
    store.check(plan)  # fail fast, before touching the folder or the cluster
    n_local = None if scheduler else local_workers(plan, workers)
    with cluster.quiet() if scheduler else contextlib.nullcontext():
        client = cluster.connect(scheduler) if scheduler else None
        return _sweep_in(plan, store, experiment_text, meta, n_local, client, progress,
                         give_up_after or cluster.GIVE_UP_AFTER, say, batch)


def _sweep_in(plan, store, experiment_text, meta, n_local, client, progress, give_up_after,
              say, batch) -> SweepReport:
    """Claim the folder (created if need be) under its lock, run, and let go of everything."""
    out = store.out
    existed = store.out.exists()
    try:
        store.out.mkdir(parents=True, exist_ok=True)
        with FolderLock(store.out) as lock:
            report = _sweep_locked(plan, store, experiment_text, meta, n_local, client,
                                   progress, give_up_after, say, batch)
            if lock.taken_over:
                report.notes.insert(0, f"took over {out} from an earlier sweep that ended without "
                                       f"releasing it ({lock.taken_over})")
            return report
    except OSError as err:
        if err.errno not in DISK_FULL:
            raise
        saved = saved_runs(plan, store.out) if store.manifest_path.is_file() else 0
        raise DiskFull(f"no space left on the device of {store.out} (writing "
                       f"{err.filename or 'results'}): {saved} of {len(plan.runs())} runs are saved "
                       "there. Free some space and rerun the same command to resume.") from None
    finally:
        if client is not None:
            cluster.close(client)
        if not existed and store.is_unused():  # refused or stopped before the manifest
            _remove_empty(store.out)


def _sweep_locked(plan, store, experiment_text, meta, n_local, client, progress, give_up_after,
                  say, batch) -> SweepReport:
    all_runs = plan.runs()
    manifest = store.prepare(plan, experiment_text, meta)
    removed = store.remove_partial_files()
    done, damaged = store.scan(plan.identity)
    ids = {rid for rid, *_ in all_runs}
    damaged = {run: problem for run, problem in damaged.items() if run in ids}
    store.remove_damaged(damaged)
    pending = [plan.task(c, r) for rid, c, r, _ in all_runs if rid not in done]
    report = SweepReport(len(all_runs), len(all_runs) - len(pending), len(pending), removed,
                         redone=damaged)
    if manifest["replicates"] > plan.experiment.replicates:
        report.notes.append(f"{store.out} holds {manifest['replicates']} replicates; this sweep "
                            f"asked for {plan.experiment.replicates}, so the manifest keeps "
                            f"{manifest['replicates']} (summaries use every finished run)")
    if damaged:
        say(f"{len(damaged)} damaged run(s) in {store.out} will be run again: "
            + "; ".join(list(damaged.values())[:5]) + ("; ..." if len(damaged) > 5 else ""))
    bar = _progress(len(all_runs), len(all_runs) - len(pending), progress)
    try:
        slots = n_local if client is None else max(1, sum(client.nthreads().values()))
        size = batch or batch_size(len(pending), slots)
        if client is not None:  # Dask workers may not share our disk: they send tables back
            key = (lambda tasks: f"normsim-{plan.identity[7:23]}-{tasks[0]['run_id']}-{len(tasks)}")
            for results in cluster.run_on(client, batches(pending, size), run_batch_list, key,
                                          give_up_after, say):
                for run_meta, records, events in results:
                    store.write_run(run_meta, records, events, meta)
                    bar.update(1)
        elif n_local <= 1 or len(pending) <= 1:  # here, batch after batch
            for tasks in batches(pending, size):
                for result in run_batch(tasks):
                    store.write_run(*result, meta)
                    bar.update(1)
        else:  # local workers write their own runs, so this process stays light
            with LocalPool(n_local) as pool:
                for done in pool.map(_RunAndStore(store.out, meta), batches(pending, size)):
                    bar.update(len(done))
    except ClusterError as err:  # lost the scheduler or every worker: say what is saved
        store.remove_partial_files()
        saved = saved_runs(plan, store.out)
        raise ClusterError(f"{err} {saved} of {len(all_runs)} runs are saved in {store.out}; rerun "
                           "the same command to resume.") from None
    except BaseException:  # interrupted, a full disk: leave only finished runs behind
        store.remove_partial_files()
        raise
    finally:
        bar.close()
    return report


def saved_runs(plan: Plan, out: str | Path) -> int:
    """How many of ``plan``'s runs are complete in ``out`` (after an interruption, say)."""
    return len(Store(out).scan(plan.identity)[0] & {rid for rid, *_ in plan.runs()})


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # not empty (a leftover we do not own), or gone: leave it
        pass


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _progress(total: int, initial: int, enabled: bool):
    return tqdm(total=total, initial=initial, unit="run", desc="runs", dynamic_ncols=True,
                disable=not enabled or not sys.stderr.isatty())


__all__ = ["sweep", "run_task", "SweepReport", "local_workers", "saved_runs"]
