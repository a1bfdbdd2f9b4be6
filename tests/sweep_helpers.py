"""Helpers shared by the sweep tests: a small experiment file, the command in-process and as a
real process, its process tree, and a real Dask scheduler with workers on 127.0.0.1."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from normsim.cli import main

BIN = Path(sys.executable).parent
SMALL_EXPERIMENT = """
title = "test: principled or not"
question = "Does principled dialogue raise compliance? (a small test experiment)"
scenario = "baseline"
replicates = {replicates}
steps = {steps}
record_every = 5
root_seed = 7

[factors]
"dialogue.principled" = {{ values = [0.0, 1.0] }}

[fixed]
"group.fighters" = {fighters}
"group.units_per_commander" = 2
"""


def experiment_file(tmp_path, replicates=4, steps=40, fighters=40, name="exp.toml"):
    path = tmp_path / name
    path.write_text(SMALL_EXPERIMENT.format(replicates=replicates, steps=steps, fighters=fighters))
    return path


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def _as_in_a_terminal():
    # pytest-xdist workers ignore SIGINT, and children inherit that: restore the default so
    # the sweep sees Ctrl-C as it would in a terminal
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_sweep(path, out, workers=2):
    return subprocess.Popen([str(BIN / "normsim"), "sweep", str(path), "--workers", str(workers),
                             "--out", str(out), "--quiet"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_as_in_a_terminal)


def wait_for_runs(out, n, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = out / "runs"
        if runs.is_dir() and len(list(runs.glob("*.parquet"))) >= n:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the sweep made no progress")



def descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (children, their children ...), from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: the test scheduler drops a worker that stopped answering after this long (Dask's default, 5
#: minutes, is the worst case for noticing a worker killed outright; a loaded fresh clone hit it)
WORKER_TTL = "20s"


def spawn(*args):
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__WORKER_TTL": WORKER_TTL}
    return subprocess.Popen([str(BIN / "dask"), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True, env=env)


def wait_for_workers(address, n, timeout=60):
    from distributed import Client
    with Client(address, timeout="20s") as client:
        client.wait_for_workers(n, timeout=timeout)


@pytest.fixture
def cluster():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [spawn("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")]
    try:
        time.sleep(0.5)
        for _ in range(2):  # two worker processes, so that one can be killed
            procs.append(spawn("worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                               "--nthreads", "1", "--no-dashboard", "--no-nanny"))
        wait_for_workers(address, 2)
        yield address, procs
    finally:
        # workers first, while their scheduler still answers: a worker whose scheduler is gone
        # keeps trying to reconnect and ignored SIGTERM for the whole 10 s wait (20 s a teardown)
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


