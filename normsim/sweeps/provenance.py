"""Where a result came from: versions, the git commit, the seed, the input's hash, the date."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[2]


def git_commit() -> str | None:
    """The commit of the working tree normsim runs from, if it is a git checkout."""
    try:
        out = subprocess.run(["git", "-C", str(_ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True)
        dirty = subprocess.run(["git", "-C", str(_ROOT), "status", "--porcelain", "--", "normsim"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def content_hash(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return "sha256:" + hashlib.sha256(data).hexdigest()


def provenance(**extra) -> dict:
    """Versions, commit and date, plus whatever the caller adds (seed, input hash...)."""
    return {
        "normsim": version("normsim"), "mesa": version("mesa"), "numpy": np.__version__,
        "python": platform.python_version(), "git_commit": git_commit(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), **extra,
    }
