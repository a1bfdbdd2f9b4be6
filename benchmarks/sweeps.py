"""Sweep throughput (runs per minute) on 1 and 2 local workers and on a 2-worker Dask cluster on
127.0.0.1, and whether the sweep's memory stays flat as the number of runs grows.

Every measurement runs ``normsim sweep`` (or a small script) in a child process with the
machine's full CPU affinity: the benchmark process itself is pinned to one CPU.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
EXPERIMENT = "h4_principles"  # the default experiment: 3 conditions, 520 weeks


def _all_cpus():
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def _run(cmd, **kw):
    return subprocess.run(cmd, preexec_fn=_all_cpus, capture_output=True, text=True, check=True,
                          **kw)


def _sweep_wall(out: Path, replicates: int, *extra) -> tuple[float, float]:
    """Wall time of the whole command, and the steady rate: runs finished per second between the
    first and the last run file written (start-up excluded)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    _run([str(BIN / "normsim"), "sweep", EXPERIMENT, "--replicates", str(replicates), "--out",
          str(out), "--quiet", *extra])
    wall = time.perf_counter() - start
    stamps = sorted(p.stat().st_mtime for p in (out / "runs").glob("*.parquet"))
    return wall, (len(stamps) - 1) / (stamps[-1] - stamps[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cluster(workers: int):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], preexec_fn=_all_cpus,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)]
    procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--host", "127.0.0.1",
                                   "--nworkers", str(workers), "--nthreads", "1",
                                   "--no-dashboard"], preexec_fn=_all_cpus,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True))
    _run([sys.executable, "-c", "import sys; from distributed import Client; "
          f"c = Client('{address}', timeout='30s'); c.wait_for_workers({workers}, timeout=60)"])
    return address, procs


_MEMORY_SCRIPT = """
import sys
from normsim.sweeps.engines import sweep
from normsim.sweeps.experiment import load_experiment
from normsim.sweeps.design import plan
exp, text = load_experiment(sys.argv[1], replicates=int(sys.argv[2]), steps=100)
sweep(plan(exp), sys.argv[3], text, workers=1, progress=False)
hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))
print(int(hwm.split()[1]) / 1024)
"""


def measure_sweeps(replicates: int, log) -> dict:
    """Runs per minute on 1 and 2 workers and on Dask; peak memory at few and many runs."""
    tmp = Path(tempfile.mkdtemp(prefix="normsim-bench-"))
    runs = 3 * replicates
    out: dict = {"runs": runs}
    try:
        log(f"  sweeps: {EXPERIMENT}, {runs} runs of 520 weeks, on 1 and 2 local workers ...")
        out["wall_1"], out["steady_1"] = _sweep_wall(tmp / "one", replicates, "--workers", "1")
        out["wall_2"], out["steady_2"] = _sweep_wall(tmp / "two", replicates, "--workers", "2")
        log("  sweeps: on a 2-worker Dask cluster on 127.0.0.1 ...")
        address, procs = _dask_cluster(2)
        try:
            out["wall_dask"], out["steady_dask"] = _sweep_wall(tmp / "dask", replicates,
                                                               "--scheduler", address)
        finally:
            for p in procs:
                os.killpg(p.pid, signal.SIGTERM)
            for p in procs:
                p.wait(timeout=20)
        log("  sweeps: memory at 12 and 120 runs (in-process, 100 weeks each) ...")
        for n in (4, 40):
            res = _run([sys.executable, "-c", _MEMORY_SCRIPT, EXPERIMENT, str(n),
                        str(tmp / f"mem{n}")])
            out[f"peak_mb_{3 * n}"] = float(res.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for key in ("1", "2", "dask"):
        out[f"runs_per_min_{key}"] = 60.0 * runs / out[f"wall_{key}"]
        out[f"steady_runs_per_min_{key}"] = 60.0 * out[f"steady_{key}"]
    out["speedup_2"] = out["wall_1"] / out["wall_2"]
    out["steady_speedup_2"] = out["steady_2"] / out["steady_1"]
    return out
