"""The Chromium that the app's browser tests drive: found, or installed, in this one place.

``make test`` runs ``python tests/browser.py --ensure`` before the suite; the tests call
:func:`executable`. The order is the one a newcomer's machine calls for:

1. ``NORMSIM_CHROMIUM``, if set: the browser you chose;
2. a browser that Playwright installed (``playwright install chromium``);
3. a Chromium or Chrome on PATH, under its usual names;
4. otherwise ``--ensure`` installs one: ``playwright install chromium`` (needs the internet),
   then the system's package manager (``apt-get install chromium``, as root);
5. when none works, one message says what to install.

Run with no argument it only prints the path it finds (exit 1 and the message if none).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: a browser chosen by hand wins over any found
OVERRIDE = "NORMSIM_CHROMIUM"
#: names a system Chromium or Chrome goes by on PATH (Debian, Ubuntu, Google's packages)
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: headless and quiet: no sandbox (containers, root), no GPU, no calls home
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_TIMEOUT = 600  # seconds for one install attempt (a download, or apt-get)

ADVICE = (f"Install one of these, then run 'make test' again:\n"
          f"  .venv/bin/python -m playwright install chromium   (downloads Playwright's Chromium)\n"
          f"  sudo apt-get install chromium                     (Debian, Ubuntu)\n"
          f"  or any Chromium or Chrome on PATH as {', '.join(NAMES)},\n"
          f"  or set {OVERRIDE}=/path/to/chrome")


def playwright_browser() -> str | None:
    """The Chromium that ``playwright install chromium`` put in place, if it did."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as pw:
        path = pw.chromium.executable_path
    return path if path and os.access(path, os.X_OK) else None


def system_browser() -> str | None:
    """A Chromium or Chrome on PATH, under one of its usual :data:`NAMES`."""
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def find() -> str | None:
    """The browser to drive, or None when this machine has none."""
    chosen = os.environ.get(OVERRIDE)
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    return playwright_browser() or system_browser()


def executable() -> str:
    """The browser the tests launch; fails the test with :data:`ADVICE` when there is none."""
    path = find()
    if path is None:
        import pytest

        pytest.fail(f"no Chromium or Chrome for the app's browser tests. {ADVICE}")
    return path


def _attempt(command: list[str], env: dict | None = None) -> str | None:
    """Run an install command; None if it worked, else the last line it printed."""
    print("  trying:", " ".join(command), flush=True)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
                              env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return str(err)
    if done.returncode == 0:
        return None
    lines = [ln.strip() for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("Error", "E:"))]  # the cause, not a stack
    return (errors or lines or [f"exit status {done.returncode}"])[0]


def install() -> tuple[str | None, list[str]]:
    """Try each way of installing a browser until one gives a path.

    Returns the path (None if every way failed) and why each failed attempt failed."""
    failures = []
    reason = _attempt([sys.executable, "-m", "playwright", "install", "chromium"])
    path = playwright_browser() if reason is None else None
    if path:
        return path, failures
    failures.append(f"playwright install chromium: {reason or 'installed nothing usable'}")
    apt = shutil.which("apt-get")
    if apt is None:
        failures.append("apt-get: not on this system")
    elif os.geteuid() != 0:
        failures.append("apt-get: needs root (run 'sudo apt-get install chromium' yourself)")
    else:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        reason = (_attempt([apt, "update", "-q"], env)
                  or _attempt([apt, "install", "-y", "-q", "chromium"], env))
        path = system_browser() if reason is None else None
        if path:
            return path, failures
        failures.append(f"apt-get: {reason or 'installed nothing on PATH'}")
    return None, failures


def main(argv: list[str]) -> int:
    chosen = os.environ.get(OVERRIDE)
    if chosen and not os.access(chosen, os.X_OK):
        print(f"{OVERRIDE}={chosen} is not an executable browser. {ADVICE}", file=sys.stderr)
        return 1
    path = find()
    if path is None and "--ensure" in argv:
        print("No Chromium or Chrome found for the app's browser tests; installing one.")
        path, failures = install()
        if path is None:
            print("Could not install a browser for the app's tests:\n  "
                  + "\n  ".join(failures) + "\n" + ADVICE, file=sys.stderr)
            return 1
    if path is None:
        print(f"No Chromium or Chrome found. {ADVICE}", file=sys.stderr)
        return 1
    print(f"browser for the app's tests: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
