"""Local worker processes that never outlive the sweep that started them.

A sweep's main process can end in any way: Ctrl-C, ``kill``, ``kill -9``, the out-of-memory
killer. Its workers must end with it, or they keep computing (and holding memory) for nobody.
So each worker watches the main process from a thread and exits the moment it is gone (on
Linux with a ``pidfd``, which sees the death at once; elsewhere by polling once a second), and
ignores Ctrl-C, which the main process handles by stopping them itself (:meth:`LocalPool.stop`)
before it counts what was saved. The forkserver exits by itself when the main process ends, and
the resource tracker once no process holds it.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

IN_FLIGHT_PER_WORKER = 2  # tasks queued per worker: keeps workers busy and memory flat


def _context():
    if sys.platform == "linux":  # workers fork from a server that has imported normsim once
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["normsim.sweeps.engines"])
        return ctx
    return multiprocessing.get_context("spawn")


def _guard(main_pid: int) -> None:
    """Each worker's initializer: leave Ctrl-C to the main process; die with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(main_pid, os.getppid()), daemon=True,
                     name="normsim-watch-main").start()


def _exit_with(main_pid: int, parent: int) -> None:
    if hasattr(os, "pidfd_open"):
        try:
            fd = os.pidfd_open(main_pid)
        except ProcessLookupError:  # gone before we looked
            os._exit(1)
        except OSError:  # a kernel without pidfd: poll below
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable once the process has ended
            os._exit(1)
    while True:
        time.sleep(1.0)
        try:
            os.kill(main_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        if os.getppid() != parent:  # reparented: whoever started us is gone
            os._exit(1)


class LocalPool:
    """``with LocalPool(n) as pool: for result in pool.map(fn, tasks): ...`` -- results as they
    complete, at most ``n * IN_FLIGHT_PER_WORKER`` tasks queued at a time."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                            initializer=_guard, initargs=(os.getpid(),))

    def map(self, fn: Callable, tasks: list) -> Iterator:
        queue = iter(tasks)
        running = set()
        for task in queue:
            running.add(self.executor.submit(fn, task))
            if len(running) >= self.workers * IN_FLIGHT_PER_WORKER:
                break
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                yield fut.result()
                nxt = next(queue, None)
                if nxt is not None:
                    running.add(self.executor.submit(fn, nxt))

    def stop(self) -> None:
        """Stop every worker now (runs in progress are lost; finished ones are on disk) and wait
        until they have exited, so that what is on disk no longer changes."""
        # Python 3.14 has executor.terminate_workers(); before it, the pool's own process table
        procs = list((getattr(self.executor, "_processes", None) or {}).values())
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join(5)
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, kind, err, tb) -> None:
        if kind is None:
            self.executor.shutdown(wait=True)
        else:
            self.stop()


__all__ = ["LocalPool", "IN_FLIGHT_PER_WORKER"]
