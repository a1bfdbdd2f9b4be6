"""A results folder that someone else can write into cannot be turned against the user who
sweeps into it: the lock and the results are never written through a symbolic or hard link, and
a refused folder is left as it was (with the file a link points to)."""

from __future__ import annotations

import os

import pytest

from normsim.errors import FolderError
from normsim.sweeps.files import write_text_atomically
from normsim.sweeps.lock import FolderLock
from sweep_helpers import experiment_file, invoke

VICTIM = "a file the sweeping user owns and must not lose\n"


@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "victim.txt"
    path.write_text(VICTIM)
    return path


def test_a_sweep_refuses_a_lock_that_is_a_symbolic_link_and_leaves_its_target_alone(tmp_path,
                                                                                   victim):
    out = tmp_path / "shared"
    out.mkdir()
    os.symlink(victim, out / ".lock")
    result = invoke("sweep", experiment_file(tmp_path, replicates=1, steps=3, fighters=10),
                    "--out", out, "--quiet")
    assert result.exit_code == 2, result.output
    assert f"{out / '.lock'} is a symbolic link" in result.stderr
    assert victim.read_text() == VICTIM
    assert sorted(p.name for p in out.iterdir()) == [".lock"]  # nothing else was written


def test_the_lock_refuses_a_symbolic_link_even_to_a_missing_file(tmp_path):
    out = tmp_path / "shared"
    out.mkdir()
    os.symlink(tmp_path / "would-be-created", out / ".lock")
    with pytest.raises(FolderError, match="is a symbolic link"):
        FolderLock(out).acquire()
    assert not (tmp_path / "would-be-created").exists()


def test_the_lock_refuses_a_hard_link_to_another_file(tmp_path, victim):
    out = tmp_path / "shared"
    out.mkdir()
    os.link(victim, out / ".lock")
    with pytest.raises(FolderError, match="hard link"):
        FolderLock(out).acquire()
    assert victim.read_text() == VICTIM


def test_the_lock_refuses_a_folder_in_its_place(tmp_path):
    out = tmp_path / "shared"
    (out / ".lock").mkdir(parents=True)
    with pytest.raises(FolderError, match="cannot be opened as a lock file"):
        FolderLock(out).acquire()


def test_a_sweep_refuses_a_results_subfolder_that_links_elsewhere(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text(VICTIM)
    out = tmp_path / "shared"
    exp = experiment_file(tmp_path, replicates=1, steps=3, fighters=10)
    assert invoke("sweep", exp, "--out", out, "--quiet").exit_code == 0
    for p in (out / "runs").iterdir():
        p.unlink()
    (out / "runs").rmdir()
    os.symlink(elsewhere, out / "runs")  # the runs would go, and stale ones be deleted, there
    result = invoke("sweep", exp, "--out", out, "--quiet", "--replicates", "2")
    assert result.exit_code == 2, result.output
    assert f"{out / 'runs'} is a symbolic link" in result.stderr
    assert [p.name for p in elsewhere.iterdir()] == ["mine.txt"]
    assert (elsewhere / "mine.txt").read_text() == VICTIM


def test_a_lock_of_another_kind_names_it(tmp_path):
    out = tmp_path / "shared"
    out.mkdir()
    with FolderLock(out, holder="calibration"):
        with pytest.raises(FolderError, match="in use by another calibration"):
            FolderLock(out, holder="calibration").acquire()


def test_a_result_file_replaces_a_link_in_its_place_and_not_what_it_points_to(tmp_path, victim):
    link = tmp_path / "report.md"
    os.symlink(victim, link)
    write_text_atomically(link, "the report\n")
    assert not link.is_symlink() and link.read_text() == "the report\n"
    assert victim.read_text() == VICTIM
