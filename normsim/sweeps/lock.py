"""One writer per sweep folder: a lock that names its holder and dies with it.

The lock is ``OUT/.lock``, held with ``flock`` for as long as the sweep runs. The operating
system releases it when the holding process ends in any way (``kill -9`` and a machine stop
included), so a lock left by a dead process is never in the way: the next sweep takes it over.
The file also says who holds it (process id, host, start time, command), which is what a second
sweep on the same folder is told when it is refused.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path

from normsim.errors import FolderLocked

LOCK_NAME = ".lock"


class FolderLock:
    """``with FolderLock(out):`` -- hold the lock of ``out`` (which must exist) or raise
    :class:`FolderLocked` naming the holder."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / LOCK_NAME
        self._fd: int | None = None
        #: the holder a lock file still named when this process took the lock (a process that
        #: ended without releasing it), in words; None if the lock was free and clean
        self.taken_over: str | None = None

    def acquire(self) -> FolderLock:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                raise FolderLocked(f"{self.path.parent} is in use by another sweep ({holder}); "
                                   "nothing was changed. Wait for it to finish, or stop it, or "
                                   "use another --out folder.") from None
            except OSError:  # a file system without locks: go on unlocked rather than refuse
                os.close(fd)
                return self
            try:  # the holder we waited on may have removed the file: lock the one in place
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        if os.fstat(fd).st_size:
            self.taken_over = _read(fd)
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:300]}
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, (json.dumps(holder) + "\n").encode())
        except OSError:  # a full disk: the lock holds all the same, it just cannot say by whom
            pass
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        self.path.unlink(missing_ok=True)  # before unlocking: a waiter then retries on a new file
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read(fd: int) -> str:
    """The holder, in words, from the lock file's content."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, 4096).decode() or "{}")
        return (f"process {info['pid']} on {info['host']}, started {info['started']}: "
                f"{info['command']}")
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not yet said who it is"


__all__ = ["FolderLock", "LOCK_NAME"]
