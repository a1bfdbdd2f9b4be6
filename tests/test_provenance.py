"""normsim.sweeps.provenance on its own: the input's hash, the commit (clean or dirty) of a real
git checkout made here, and the record's fields."""

from __future__ import annotations

import platform
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from normsim.sweeps import provenance as P

# SHA-256 of b"abc" (the FIPS 180-2 test vector) and of "é" in UTF-8 (b"\xc3\xa9"), from sha256sum
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
E_ACUTE = "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"


def test_content_hash_is_the_sha256_of_the_utf8_text_or_of_the_bytes():
    assert P.content_hash("abc") == "sha256:" + ABC
    assert P.content_hash(b"abc") == "sha256:" + ABC
    assert P.content_hash("é") == "sha256:" + E_ACUTE  # UTF-8, whatever the locale


def _git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                           *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A git checkout with a normsim/ folder and a file outside it, committed; provenance
    looks at it as if normsim ran from there."""
    (tmp_path / "normsim").mkdir()
    (tmp_path / "normsim" / "model.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("a\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "first")
    monkeypatch.setattr(P, "_ROOT", tmp_path)
    return tmp_path


def test_git_commit_is_head_and_dirty_only_when_the_package_changed(checkout):
    head = _git(checkout, "rev-parse", "HEAD")
    assert P.git_commit() == head
    (checkout / "notes.txt").write_text("b\n")  # outside the package: the code is unchanged
    assert P.git_commit() == head
    (checkout / "normsim" / "model.py").write_text("x = 2\n")
    assert P.git_commit() == head + "-dirty"


def test_git_commit_is_none_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(P, "_ROOT", tmp_path)  # tmp_path lies in no git checkout
    assert P.git_commit() is None


def test_provenance_records_versions_commit_and_utc_date_plus_what_the_caller_adds(checkout):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    meta = P.provenance(seed=7, input="sha256:x")
    after = datetime.now(timezone.utc)
    assert meta["seed"] == 7 and meta["input"] == "sha256:x"
    assert meta["git_commit"] == _git(checkout, "rev-parse", "HEAD")
    assert meta["python"] == platform.python_version()
    assert {"normsim", "mesa", "numpy"} <= set(meta)
    date = datetime.fromisoformat(meta["date"])
    assert date.utcoffset() == timedelta(0) and before <= date <= after
