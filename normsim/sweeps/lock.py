"""One writer per sweep folder: a lock that names its holder and dies with it.

The lock is ``OUT/.lock``, held with ``flock`` for as long as the sweep runs. The operating
system releases it when the holding process ends in any way (``kill -9`` and a machine stop
included), so a lock left by a dead process is never in the way: the next sweep takes it over.
The file also says who holds it (process id, host, start time, command), which is what a second
sweep on the same folder is told when it is refused.

A results folder may be shared, so the lock cannot be turned against its user: ``.lock`` is
opened without following a symbolic link (``O_NOFOLLOW``), must be a plain file with no other
name (a hard link to another file is refused), and a folder that holds a symbolic link of any
kind is refused before anything is written (normsim never makes links; one there was put by
someone else, and writing through it would write elsewhere). ``calibrate`` takes the same lock
(``FolderLock(out, holder="calibration")``).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import stat
import sys
from datetime import datetime, timezone
from pathlib import Path

from normsim.errors import FolderError, FolderLocked

LOCK_NAME = ".lock"


class FolderLock:
    """``with FolderLock(out):`` -- hold the lock of ``out`` (which must exist) or raise
    :class:`FolderLocked` naming the holder."""

    def __init__(self, folder: str | Path, holder: str = "sweep"):
        self.path = Path(folder) / LOCK_NAME
        self.holder = holder  # what takes the lock, in the message another one gets
        self._fd: int | None = None
        #: the holder a lock file still named when this process took the lock (a process that
        #: ended without releasing it), in words; None if the lock was free and clean
        self.taken_over: str | None = None

    def acquire(self) -> FolderLock:
        check_no_links(self.path.parent)
        while True:
            fd = _open(self.path)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                raise FolderLocked(f"{self.path.parent} is in use by another {self.holder} ({holder}); "
                                   "nothing was changed. Wait for it to finish, or stop it, or "
                                   "use another --out folder.") from None
            except OSError:  # a file system without locks: go on unlocked rather than refuse
                os.close(fd)
                return self
            try:  # the holder we waited on may have removed the file: lock the one in place
                same = os.fstat(fd).st_ino == os.lstat(self.path).st_ino
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


def _open(path: Path) -> int:
    """``path`` opened for reading and writing, created if missing, never through a link."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as err:
        if os.path.islink(path):
            raise FolderError(f"{path} is a symbolic link (to {os.readlink(path)}); normsim does "
                              "not write through links in a results folder. Nothing was changed: "
                              "delete the link, or use another --out folder.") from None
        raise FolderError(f"{path} cannot be opened as a lock file ({err.strerror}); nothing was "
                          "changed: remove it, or use another --out folder.") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(fd)
        what = "not a plain file" if not stat.S_ISREG(info.st_mode) else \
            f"a hard link to a file with {info.st_nlink} names"
        raise FolderError(f"{path} is {what}; normsim writes its lock only into a file of its "
                          "own. Nothing was changed: remove it, or use another --out folder.")
    return fd


def check_no_links(folder: str | Path) -> None:
    """FolderError if ``folder`` holds a symbolic link, at any depth: a results folder's files
    and subfolders are normsim's own, and a link would make it write or delete elsewhere."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                raise FolderError(f"{entry.path} is a symbolic link (to {os.readlink(entry.path)});"
                                  " normsim does not write through links in a results folder. "
                                  "Nothing was changed: delete the link, or use another --out "
                                  "folder.")
            if entry.is_dir(follow_symlinks=False):
                check_no_links(entry.path)


def _read(fd: int) -> str:
    """The holder, in words, from the lock file's content."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, 4096).decode() or "{}")
        return (f"process {info['pid']} on {info['host']}, started {info['started']}: "
                f"{info['command']}")
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not yet said who it is"


__all__ = ["FolderLock", "LOCK_NAME", "check_no_links"]
