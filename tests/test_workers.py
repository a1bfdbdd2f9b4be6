"""normsim.sweeps.workers on its own: how many tasks LocalPool.map keeps queued (on a thread
executor, in-process), and two tests on real worker processes: results come back, a worker
ignores Ctrl-C and ``stop`` ends it while it runs. (That workers die with a killed main process
is tested on whole sweeps in tests/test_faults.py.)"""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from normsim.sweeps.workers import IN_FLIGHT_PER_WORKER, LocalPool


class Counted:
    """Tasks handed out one by one, counting how many map has taken so far."""

    def __init__(self, n: int):
        self.n, self.taken = n, 0

    def __iter__(self):
        for i in range(self.n):
            self.taken += 1
            yield i


def test_map_returns_every_result_once_with_at_most_workers_times_in_flight_queued():
    workers, tasks = 2, Counted(11)
    pool = LocalPool(workers)  # no process starts before a task is submitted
    pool.executor.shutdown()
    pool.executor = ThreadPoolExecutor(max_workers=workers)  # the same map, on threads
    results, queued = [], []
    for result in pool.map(lambda i: i * i, tasks):
        queued.append(tasks.taken - len(results))  # taken but not yet returned
        results.append(result)
    pool.executor.shutdown()
    assert sorted(results) == [i * i for i in range(11)]
    assert max(queued) == workers * IN_FLIGHT_PER_WORKER


def test_map_of_no_task_returns_nothing():
    pool = LocalPool(1)
    assert list(pool.map(abs, [])) == []
    pool.executor.shutdown()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (ended, not yet reaped) counts as ended
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.multiprocess
def test_real_workers_return_every_result():
    with LocalPool(2) as pool:
        assert sorted(pool.map(abs, [-3, -1, 4, -1, -5, 9, -2])) == [1, 1, 2, 3, 4, 5, 9]


@pytest.mark.multiprocess
def test_a_worker_ignores_ctrl_c_and_stop_ends_it_while_it_runs():
    pool = LocalPool(1)
    assert pool.executor.submit(abs, -1).result(timeout=60) == 1  # the worker is up
    (pid,) = list(pool.executor._processes)
    busy = pool.executor.submit(time.sleep, 60)
    os.kill(pid, signal.SIGINT)
    time.sleep(0.5)
    # Ctrl-C would interrupt the task (its future done with KeyboardInterrupt) or the worker
    assert _alive(pid) and not busy.done(), "a worker must leave Ctrl-C to the main process"
    start = time.monotonic()
    pool.stop()
    assert time.monotonic() - start < 10 and not _alive(pid)
    assert busy.done()
