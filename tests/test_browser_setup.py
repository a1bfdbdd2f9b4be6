"""``tests/browser.py --ensure`` (what ``make test`` runs first) on machines of every kind.

Each case runs the finder in a clean environment whose PATH holds only a temporary folder, so
the machine's own browser is hidden; Playwright's browser folder is an empty one and its
download host a closed port on 127.0.0.1, so ``playwright install`` fails at once and honestly
(as it does on a machine with no internet). ``apt-get`` is a stand-in script in that folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

FINDER = Path(__file__).parent / "browser.py"
pytestmark = pytest.mark.multiprocess  # each case runs the finder as a real process


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def finder(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    clean = {"HOME": str(tmp_path), "PATH": str(bin_dir), "LANG": "C.UTF-8",
             "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "playwright-browsers"),
             "PLAYWRIGHT_DOWNLOAD_HOST": f"http://127.0.0.1:{closed_port()}", **env}
    return subprocess.run([sys.executable, str(FINDER), *args], capture_output=True, text=True,
                          env=clean, timeout=120)


def test_no_browser_and_no_way_to_install_one_says_what_to_install(tmp_path):
    (tmp_path / "bin").mkdir()
    script(tmp_path / "bin" / "apt-get", '[ "$1" = update ] && exit 0\n'
                                         'echo "E: Unable to locate package chromium" >&2\nexit 100\n')
    done = finder(tmp_path, "--ensure")
    assert done.returncode == 1
    err = done.stderr
    assert "Could not install a browser" in err
    assert "playwright install chromium: Error: connect ECONNREFUSED 127.0.0.1" in err
    if os.geteuid() == 0:
        assert "apt-get: E: Unable to locate package chromium" in err
    else:
        assert "apt-get: needs root" in err
    for advice in ("python -m playwright install chromium", "sudo apt-get install chromium",
                   "google-chrome-stable", "NORMSIM_CHROMIUM"):
        assert advice in err
    assert "Traceback" not in err


def test_without_apt_get_the_message_says_so(tmp_path):
    done = finder(tmp_path, "--ensure")
    assert done.returncode == 1
    assert "apt-get: not on this system" in done.stderr


def test_a_chrome_on_path_under_a_usual_name_is_used_and_nothing_installed(tmp_path):
    (tmp_path / "bin").mkdir()
    chrome = script(tmp_path / "bin" / "google-chrome-stable", "exit 0\n")
    script(tmp_path / "bin" / "apt-get", f'touch "{tmp_path}/apt-was-called"\nexit 1\n')
    done = finder(tmp_path, "--ensure")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"browser for the app's tests: {chrome}"
    assert not (tmp_path / "apt-was-called").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="the finder uses apt-get only as root")
def test_the_package_manager_installs_one_when_playwright_cannot(tmp_path):
    (tmp_path / "bin").mkdir()
    # a package manager that puts a 'chromium' on PATH when asked to install it
    (tmp_path / "bin" / "apt-get").write_text(
        f"#!{sys.executable}\nimport sys\nfrom pathlib import Path\n"
        f"with open({str(tmp_path / 'apt.log')!r}, 'a') as log:\n"
        f"    print(*sys.argv[1:], file=log)\n"
        f"if sys.argv[1] == 'install':\n"
        f"    Path({str(tmp_path / 'bin' / 'chromium')!r}).write_text('#!/bin/sh\\n')\n"
        f"    Path({str(tmp_path / 'bin' / 'chromium')!r}).chmod(0o755)\n")
    (tmp_path / "bin" / "apt-get").chmod(0o755)
    done = finder(tmp_path, "--ensure")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(f"browser for the app's tests: {tmp_path}/bin/chromium")
    assert (tmp_path / "apt.log").read_text().splitlines() == ["update -q",
                                                               "install -y -q chromium"]


def test_a_chosen_browser_that_is_not_there_is_named(tmp_path):
    done = finder(tmp_path, "--ensure", NORMSIM_CHROMIUM=str(tmp_path / "nowhere" / "chrome"))
    assert done.returncode == 1
    assert f"NORMSIM_CHROMIUM={tmp_path}/nowhere/chrome is not an executable browser" in done.stderr
