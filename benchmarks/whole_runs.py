"""Whole runs, measured side by side with another commit's code: a default run alone and with
its twin (``default_run_cpu_s``, ``twin_cost_ratio``), and calibration simulations on two
workers (``calibration_sims_per_min_2``).

Each measurement runs in a child process that puts one source tree first on ``sys.path``
(this checkout, or ``git archive`` of ``--against REF`` in a temporary folder), so the current
and the previous code are timed in interleaved rounds on the same machine state. Ratios are taken
per round, then the median over rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION = "mine_ban_2007"

_RUN_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from normsim.simulation.run import run_model
seed, steps = int(sys.argv[2]), (int(sys.argv[3]) or None)
run_model(seed=seed, steps=20).records()  # warm: first-call costs out of the figures
out = {}
for name, twin in (("plain", False), ("twin", True), ("plain2", False)):
    c, t = time.process_time(), time.perf_counter()
    model = run_model(seed=seed, steps=steps, counterfactual=twin)
    model.records()
    out[name] = time.process_time() - c
    out[name + "_wall"] = time.perf_counter() - t
out["fighters"], out["weeks"] = int(model.fighters.n), int(model.steps)
print(json.dumps(out))
"""

_BATCH_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from normsim.settings.scenario import load
from normsim.simulation.batch_engine import run_runs
seed, steps, size = int(sys.argv[2]), (int(sys.argv[3]) or None), int(sys.argv[4])
settings = load("baseline")
steps = steps or settings.run.steps
seeds = list(range(seed, seed + size))
run_runs(settings, seeds[:2], 20)  # warm: first-call costs out of the figures
out = {}
for name, twin in (("plain", False), ("twin", True)):
    c = time.process_time()
    models = run_runs(settings, seeds, steps, twin=twin)
    for m in models:
        m.records()
    out[name] = (time.process_time() - c) / size
print(json.dumps(out))
"""

_CALIBRATION_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
import numpy as np
from normsim.calibration.driver import simulator
from normsim.calibration.spec import load_calibration
spec, _ = load_calibration(sys.argv[2])
sims, workers = int(sys.argv[3]), int(sys.argv[4])
sim = simulator(spec)[0]  # (the simulator, then what it is fitted to)
rng = np.random.default_rng(2000)
# one task per simulation, as the driver hands them out: a parameter vector (in the order of
# spec.parameters) and one seed
thetas = [{"index": i, "theta": [float(rng.uniform(p.min, p.max))
                                 for p in spec.parameters.values()], "seeds": [1000 + i]}
          for i in range(sims)]
with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
    list(pool.map(sim, thetas[:workers]))  # warm every worker
    t = time.perf_counter()
    list(pool.map(sim, thetas))
    wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "sims": sims, "steps": sim.steps}))
"""


def previous_tree(ref: str) -> Path:
    """The source tree of commit ``ref`` in a temporary folder (``git archive``)."""
    commit = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    folder = Path(tempfile.gettempdir()) / f"normsim-bench-{commit}"
    if not (folder / "normsim").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _child(code: str, *args, all_cpus: bool = False) -> dict:
    def cpus():
        if all_cpus and hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, range(os.cpu_count() or 1))

    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                         text=True, cwd=tempfile.gettempdir(), preexec_fn=cpus)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_batch(size: int, rounds: int, steps: int | None, seed: int, log) -> dict:
    """CPU time per run of ``size`` default runs (and with their twins) run as one batch of the
    batch engine (this checkout only: earlier code has no batch engine), median of ``rounds``
    child processes."""
    xs = []
    for r in range(rounds):
        xs.append(_child(_BATCH_CHILD, ROOT, seed + 1000 * r, steps or 0, size))
        log(f"  batch of {size}: round {r + 1}/{rounds} (load {os.getloadavg()[0]:.1f})")
    plain = statistics.median(x["plain"] for x in xs)
    return {"size": size, "rounds": rounds, "batch_run_cpu_s": plain,
            "batch_twin_run_cpu_s": statistics.median(x["twin"] for x in xs),
            "batch_twin_cost_ratio": statistics.median(x["twin"] / x["plain"] for x in xs)}


def measure_runs(trees: dict[str, Path], rounds: int, steps: int | None, seed: int, log) -> dict:
    """CPU time of a default run alone and with its twin, per tree, in interleaved rounds (each
    child inherits this process's CPU pin)."""
    per = {name: [] for name in trees}
    for r in range(rounds):
        for name, tree in trees.items():
            per[name].append(_child(_RUN_CHILD, tree, seed + r, steps or 0))
        log(f"  whole runs: round {r + 1}/{rounds} (load {os.getloadavg()[0]:.1f})")
    out = {}
    for name, xs in per.items():
        plain = [min(x["plain"], x["plain2"]) for x in xs]
        out[name] = {"default_run_cpu_s": statistics.median(plain),
                     "twin_run_cpu_s": statistics.median(x["twin"] for x in xs),
                     "twin_cost_ratio": statistics.median(x["twin"] / p for x, p in zip(xs, plain)),
                     "fighters": xs[0]["fighters"], "weeks": xs[0]["weeks"], "rounds": rounds}
    if len(per) == 2:
        (a, xa), (b, xb) = per.items()
        pa = [min(x["plain"], x["plain2"]) for x in xa]
        pb = [min(x["plain"], x["plain2"]) for x in xb]
        out["speedup"] = statistics.median(y / x for x, y in zip(pa, pb))
    return out


def measure_calibration(trees: dict[str, Path], sims: int, rounds: int, log,
                        workers: int = 2) -> dict:
    """Calibration simulations per minute (``mine_ban`` to the calibration's cutoff) on
    ``workers`` forked processes with every CPU, per tree, in interleaved rounds."""
    spec = ROOT / "calibrations" / f"{CALIBRATION}.toml"
    per = {name: [] for name in trees}
    for r in range(rounds):
        for name, tree in trees.items():
            x = _child(_CALIBRATION_CHILD, tree, spec, sims, workers, all_cpus=True)
            per[name].append(60.0 * x["sims"] / x["wall"])
        log(f"  calibration: round {r + 1}/{rounds} (load {os.getloadavg()[0]:.1f})")
    return {name: {"sims_per_min": statistics.median(v), "rounds": rounds, "sims": sims}
            for name, v in per.items()}
