"""Sweeps on a Dask cluster: the address checked, the connection bounded, lost workers noticed.

- A malformed address is refused before anything is tried (:func:`check_address`).
- Connecting is bounded as a whole: the TCP connection, Dask's handshake and the scheduler's
  identity must all answer within :data:`CONNECT_SECONDS` (Dask's own timeout covers only the
  first), so an HTTP server, a port that accepts and never answers, or anything else that is not
  a Dask scheduler is named within seconds instead of hanging.
- Runs are sent as plain tasks and their tables come back; when no worker is connected the sweep
  says so after :data:`REPORT_AFTER` seconds and gives up after ``give_up_after`` seconds
  (:data:`GIVE_UP_AFTER` by default) with a :class:`ClusterError`: the runs already saved stay,
  and rerunning the command later resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator

from normsim.errors import ClusterError

CONNECT_SECONDS = 10
REPORT_AFTER = 30
GIVE_UP_AFTER = 300
POLL_SECONDS = 1.0
IN_FLIGHT_PER_THREAD = 4

_ADDRESS = re.compile(r"^(?:(?P<scheme>tcp|tls)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)"
                      r":(?P<port>\d{1,5})/?$")


def check_address(address: str) -> str:
    """``address`` as ``tcp://HOST:PORT`` (or ``tls://``); ClusterError if it is not one."""
    match = _ADDRESS.match(address.strip()) if isinstance(address, str) else None
    if match is None or not 1 <= int(match["port"]) <= 65535:
        raise ClusterError(f"--scheduler {address!r} is not a Dask scheduler address: expected "
                           "tcp://HOST:PORT with a port from 1 to 65535, e.g. "
                           "tcp://127.0.0.1:8786.")
    return f"{match['scheme'] or 'tcp'}://{match['host']}:{int(match['port'])}"


#: the longest --give-up-after: a week without any worker is a cluster to look at, not to wait
#: for (a sweep resumes where it stopped, so giving up loses nothing)
MAX_GIVE_UP_AFTER = 7 * 24 * 3600


def check_give_up_after(seconds: float | None, scheduler: str | None) -> float | None:
    """``seconds`` if it is a wait --give-up-after allows: a finite number from 1 to a week, and
    only with a scheduler (local workers are never waited for). ClusterError otherwise."""
    if seconds is None:
        return None
    if scheduler is None:
        raise ClusterError(f"--give-up-after {seconds:g} is only for --scheduler: local workers "
                           "are started by the sweep and never waited for. Leave it out, or "
                           "add --scheduler tcp://HOST:PORT.")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or \
            not math.isfinite(seconds) or not 1 <= seconds <= MAX_GIVE_UP_AFTER:
        raise ClusterError(f"--give-up-after {seconds!r} is not allowed: expected a number of "
                           f"seconds from 1 to {MAX_GIVE_UP_AFTER} (a week)")
    return float(seconds)


def connect(address: str, seconds: float = CONNECT_SECONDS):
    """A Dask client of the scheduler at ``address``, or a ClusterError naming it within about
    ``seconds``."""
    address = check_address(address)
    # deferred: dask.distributed is heavy; only the Dask engine needs it
    import distributed.comm  # noqa: F401 -- imported first: the seconds are for the scheduler
    _bounded(lambda: _reach(address, seconds), seconds, address)
    _bounded(lambda: asyncio.run(asyncio.wait_for(_identify(address, seconds), seconds)),
             seconds, address)
    # deferred: dask.distributed is heavy; only the Dask engine needs it
    from distributed import Client
    return _bounded(lambda: Client(address, timeout=f"{seconds}s"), seconds + 5, address)


def _reach(address: str, seconds: float) -> None:
    """A plain TCP connection first: a refused or unresolvable address fails at once (Dask's
    connect would retry it until its timeout)."""
    host, port = address.split("://", 1)[1].rsplit(":", 1)
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except ConnectionRefusedError:
        raise ConnectionError(f"connection refused (nothing listens on port {port})") from None
    except socket.gaierror:
        raise ConnectionError(f"unknown host {host}") from None


async def _identify(address: str, seconds: float) -> None:
    # deferred: dask.distributed is heavy; only the Dask engine needs it
    from distributed.comm import connect as open_comm

    comm = await open_comm(address, timeout=seconds)
    try:
        await comm.write({"op": "identity", "reply": True})
        reply = await comm.read()
    finally:
        comm.abort()
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        kind = reply.get("type") if isinstance(reply, dict) else "something else"
        raise ConnectionError(f"it answers, but as {kind}, not as a Dask scheduler")


def _bounded(call: Callable, seconds: float, address: str):
    """``call()`` in a thread, given ``seconds``; its error, or the wait, as a ClusterError."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = call()
        except BaseException as err:  # noqa: BLE001 -- any failure means: not a usable scheduler
            outcome["error"] = err

    thread = threading.Thread(target=target, daemon=True, name="normsim-connect")
    thread.start()
    thread.join(seconds + 1)
    if thread.is_alive() or isinstance(outcome.get("error"), (TimeoutError, asyncio.TimeoutError)):
        reason = f"no answer within {seconds:g} seconds"
    elif "error" in outcome:
        err = outcome["error"]
        reason = _first_line(err)
        if isinstance(err, MemoryError):  # a non-Dask reply read as a frame length
            reason = "it answers, but not as a Dask scheduler"
    else:
        return outcome["value"]
    raise ClusterError(f"cannot reach a Dask scheduler at {address}: {reason}. Start one with "
                       "'dask scheduler' (see README), check the address, or run without "
                       "--scheduler.")


def run_on(client, tasks: list[dict], fn: Callable, key: Callable[[dict], str],
           give_up_after: float = GIVE_UP_AFTER, say: Callable[[str], None] = print) -> Iterator:
    """Run ``fn(task)`` for every task on the cluster; yield results as they complete.

    A worker that dies has its tasks rerun elsewhere by Dask (keys make resubmission
    idempotent). With no worker at all for ``REPORT_AFTER`` seconds, ``say`` so; after
    ``give_up_after`` seconds, ClusterError."""
    # deferred: dask.distributed is heavy; only the Dask engine needs it
    from distributed import wait as dask_wait

    address = client.scheduler.address
    threads = max(1, sum(client.nthreads().values()))
    queue = iter(tasks)
    running = set()
    for task in queue:
        running.add(client.submit(fn, task, key=key(task), pure=False))
        if len(running) >= threads * IN_FLIGHT_PER_THREAD:
            break
    alone = _Alone(client, address, give_up_after, say)
    while running:
        try:
            done, running = dask_wait(list(running), timeout=POLL_SECONDS,
                                      return_when="FIRST_COMPLETED")
            running = set(running)
        except TimeoutError:
            done = ()
        except Exception:  # noqa: BLE001 -- the futures were cancelled: the scheduler is gone
            raise _lost(address) from None
        for fut in done:
            yield _result(fut, address, alone)
            fut.release()
            nxt = next(queue, None)
            if nxt is not None:
                running.add(client.submit(fn, nxt, key=key(nxt), pure=False))
        if done:
            alone.reset()
        else:
            alone.check()


class _Alone:
    """How long the cluster has had no worker: says so once, gives up after ``give_up_after``."""

    def __init__(self, client, address: str, give_up_after: float, say: Callable[[str], None]):
        self.client, self.address, self.give_up_after, self.say = (client, address,
                                                                   give_up_after, say)
        self.reset()

    def reset(self) -> None:
        self.since, self.reported = None, False

    def check(self) -> None:
        """Call when nothing came back for a while: ClusterError once it has been too long."""
        if _workers(self.client, self.address):
            self.reset()
            return
        self.since = self.since or time.monotonic()
        waited = time.monotonic() - self.since
        if waited >= min(REPORT_AFTER, self.give_up_after / 2) and not self.reported:
            self.say(f"no Dask worker is connected to {self.address} (for {waited:.0f} s); "
                     f"waiting for one, and giving up after {self.give_up_after:g} s. Start "
                     f"workers with 'dask worker {self.address}'.")
            self.reported = True
        if waited >= self.give_up_after:
            raise ClusterError(f"no Dask worker was connected to {self.address} for "
                               f"{self.give_up_after:g} seconds; gave up.")


def _orphan_gather(record: logging.LogRecord) -> bool:
    """False for asyncio's "Task exception was never retrieved" about Dask's ``AllExit``.

    Each bounded wait for a result (:func:`_result`) that times out leaves one of Dask's inner
    gather tasks behind; when the futures are released or the client closes, the task ends in
    ``AllExit``, Dask's own signal to stop waiting, and asyncio logs it with a traceback
    whenever the task is garbage-collected -- possibly after the sweep has ended (a fresh-clone
    CI printed one between our two messages). Nothing is lost: the result is fetched again.
    Every other record passes."""
    exc = record.exc_info[0] if record.exc_info else None
    return not (exc is not None and exc.__name__ == "AllExit"
                and exc.__module__.startswith("distributed"))


@contextlib.contextmanager
def quiet():
    """Dask's own logging off while a sweep talks to it: what goes wrong is said once, by us.

    The filter of :func:`_orphan_gather` stays on the ``asyncio`` logger for the rest of the
    process: the tasks it is about may be collected at any later time."""
    # deferred: dask.distributed is heavy; only the Dask engine needs it
    import distributed  # noqa: F401 -- it sets its loggers' levels when imported: set ours after
    asyncio_logger = logging.getLogger("asyncio")
    if _orphan_gather not in asyncio_logger.filters:
        asyncio_logger.addFilter(_orphan_gather)
    names = [n for n in logging.root.manager.loggerDict
             if n.split(".")[0] in ("distributed", "tornado")]
    loggers = [logging.getLogger(n) for n in ("distributed", "tornado", *names)]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def close(client) -> None:
    try:
        client.close(timeout=5)
    except Exception:  # noqa: BLE001 -- the scheduler is gone already: nothing to close
        pass


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:200]


def _workers(client, address: str) -> int:
    try:  # bounded: a scheduler that does not answer counts as one without workers
        return len(client.sync(client.scheduler.ncores, callback_timeout=POLL_SECONDS * 5))
    except TimeoutError:
        return 0
    except Exception:  # noqa: BLE001 -- the scheduler itself is gone
        raise _lost(address) from None


def _lost(address: str) -> ClusterError:
    return ClusterError(f"lost the Dask scheduler at {address} (the connection to it closed).")


def _result(fut, address: str, alone: _Alone):
    """A finished future's result. It is fetched in bounded waits: a result whose only copy was
    on a worker that died after the future finished is lost, and the future waits for it to be
    computed again -- forever, with no worker left, unless the wait gives up as
    :func:`run_on`'s does (a fresh-clone suite hung here for its 360 s limit)."""
    # deferred: dask.distributed is heavy; only the Dask engine needs it
    from distributed.client import FutureCancelledError
    while True:
        try:
            return fut.result(timeout=POLL_SECONDS)
        except TimeoutError:  # before OSError, of which it is a subclass: nothing came yet
            alone.check()
        except (FutureCancelledError, asyncio.CancelledError, OSError):
            raise _lost(address) from None
        except Exception as err:
            if type(err).__name__ == "KilledWorker":  # a run that killed several workers in turn
                raise ClusterError(f"Dask workers at {address} died several times while running "
                                   f"{err.args[0] if err.args else 'a run'} (out of memory?)."
                                   ) from None
            raise


__all__ = ["check_address", "connect", "run_on", "quiet", "close", "CONNECT_SECONDS", "REPORT_AFTER",
           "GIVE_UP_AFTER"]
