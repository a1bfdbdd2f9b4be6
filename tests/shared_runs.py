"""One store of replicate runs for every statistical test, on disk and shared by pytest-xdist's
workers and by successive sessions.

A run is stored once under a key made of its resolved settings (the scenario file's contents and
every override, as the model sees them), its seed, its weeks and a fingerprint of the code (every
``normsim/**/*.py`` file and the versions of Python, numpy, pandas and Mesa), so editing the
model invalidates what was stored. Two tests that ask for the same condition share its runs,
whatever the spelling of their parameters (an override equal to a default is the default), and a
run's twin without engagement is stored as the plain run of the twin's settings, so a condition
without engagers and the twins of the same condition with engagers are the same runs.

Workers that need the same run take a lock on its key: one computes it and writes it with an
atomic rename, the others wait and read it. A cold store (CI) gives the same tables as a warm
one, and the same as :func:`normsim.run` (``tests/test_shared_runs.py``).

The store lives in ``.pytest_cache/normsim-runs/`` (ignored by git, removed by ``make clean``),
or in the folder named by ``NORMSIM_TEST_RUNS``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import platform
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

import normsim
from normsim.settings.scenario import from_flat, load
from normsim.settings.schema import Scenario
from normsim.simulation.batch_engine import batchable, run_runs
from normsim.simulation.counterfactual import twin_settings, with_twin
from normsim.simulation.model import NormDiffusionModel

FORMAT = 1  # bump when what is stored changes shape
STALE_DAYS = 1  # another code's folder untouched this long is removed
_memory: dict[str, pd.DataFrame] = {}


PACKAGE = Path(normsim.__file__).parent


def fingerprint_of(package: Path) -> str:
    """A hash of every module's path and text in ``package`` and of the libraries that decide
    the numbers."""
    digest = hashlib.sha256(f"{FORMAT} {platform.python_version()} {np.__version__} "
                            f"{pd.__version__} {mesa.__version__}".encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@cache
def code_fingerprint() -> str:
    return fingerprint_of(PACKAGE)


@cache
def folder() -> Path:
    """This code's folder in the store (created); other codes' stale folders are removed."""
    root = Path(os.environ.get("NORMSIM_TEST_RUNS")
                or Path(__file__).resolve().parent.parent / ".pytest_cache" / "normsim-runs")
    here = root / code_fingerprint()
    here.mkdir(parents=True, exist_ok=True)
    for other in root.iterdir():
        if other != here and other.is_dir() and \
                time.time() - other.stat().st_mtime > STALE_DAYS * 86400:
            shutil.rmtree(other, ignore_errors=True)
    return here


#: what names and describes a scenario, read by no rule: left out of the key so that the same
#: conditions reached from a shipped file and from the defaults share their runs
WORDS = {"title", "description"}


def run_key(settings: Scenario, seed: int, steps: int) -> str:
    text = f"{settings.model_dump_json(exclude=WORDS)}|seed={seed}|steps={steps}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@contextmanager
def _locked(path: Path):
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def plain_run(settings: Scenario, seed: int, steps: int) -> pd.DataFrame:
    """The records of one run without its twin: from memory, from the store, or computed (and
    stored) under the key's lock."""
    def compute():
        model = NormDiffusionModel(rng=seed, settings=settings, agents=False)  # tables only
        model.run_model(steps)
        return model.records()
    return _stored(run_key(settings, seed, steps), compute)


def stored_table(name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A table other than a run's (e.g. the runs of a clean sweep a fault test compares with),
    stored under ``name`` like a run: computed once, under its lock, for every worker and
    session of this code; ``name`` must say everything the table depends on."""
    return _stored("table-" + hashlib.sha256(name.encode()).hexdigest()[:32], compute)


def _stored(key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The table stored under ``key``: from memory, from disk, or computed under the key's lock
    by one worker (the others wait, then read it) and written with an atomic rename."""
    if key in _memory:
        return _memory[key]
    path = folder() / f"{key}.pkl"
    if not path.exists():
        with _locked(folder() / f"{key}.lock"):
            if not path.exists():  # another worker may have written it while we waited
                partial = path.with_suffix(f".{os.getpid()}.part")
                compute().to_pickle(partial)
                os.replace(partial, path)  # readers see the whole file or none
    _memory[key] = pd.read_pickle(path)
    return _memory[key]


def _run_missing_as_a_batch(settings: Scenario, seeds: list[int], steps: int) -> None:
    """Compute the runs of ``settings`` not stored yet as one batch of the batch engine
    (:func:`normsim.simulation.batch_engine.run_runs`: each run's records are those it has
    alone, to the bit), each then stored under its own key; under a lock on the whole set, so
    that another worker asking for the same runs waits and reads them."""
    if len(seeds) < 2 or batchable(settings) is not None:
        return
    paths = {s: folder() / f"{run_key(settings, s, steps)}.pkl" for s in seeds}
    if sum(not p.exists() for p in paths.values()) < 2:
        return
    name = hashlib.sha256(f"{run_key(settings, 0, steps)} {seeds}".encode()).hexdigest()[:32]
    with _locked(folder() / f"batch-{name}.lock"):
        missing = [s for s, p in paths.items() if not p.exists()]  # another may have run them
        if len(missing) < 2:
            return
        for seed, model in zip(missing, run_runs(settings, missing, steps)):
            partial = paths[seed].with_suffix(f".{os.getpid()}.part")
            model.records().to_pickle(partial)
            os.replace(partial, paths[seed])


def settings_of(params: Mapping[str, Any] | None = None,
                scenario: str | Path | Scenario | None = None) -> Scenario:
    base = scenario if isinstance(scenario, Scenario) or scenario is None else load(scenario)
    return from_flat(dict(params or {}), base=base)


def replicates(params: Mapping[str, Any] | None = None, *, n: int | None = None, steps: int,
               scenario: str | Path | Scenario | None = None, twin: bool = False,
               seeds: Iterable[int] | None = None) -> tuple[pd.DataFrame, ...]:
    """The records of ``run(params, seed=s, steps=steps, scenario=scenario,
    counterfactual=twin)`` for each seed in ``seeds`` (``range(n)`` by default), shared."""
    settings = settings_of(params, scenario)
    seeds = [int(s) for s in (range(n) if seeds is None else seeds)]
    _run_missing_as_a_batch(settings, seeds, steps)
    if twin:
        _run_missing_as_a_batch(twin_settings(settings), seeds, steps)
    out = []
    for seed in seeds:
        records = plain_run(settings, int(seed), steps)
        if twin:
            records = with_twin(records, plain_run(twin_settings(settings), int(seed), steps))
        out.append(records)
    return tuple(out)
