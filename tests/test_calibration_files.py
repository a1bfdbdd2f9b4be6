"""Calibration files and folders (issue 23): every mistake one clear message and exit 2 before
any work; the folder locked, never one that holds something else; Ctrl-C and SIGTERM on two
workers end with one message and no traceback."""
import os
import signal
import subprocess
import time

import pytest

from calibration_helpers import BIN, calibration_file, normsim
from normsim.sweeps.lock import FolderLock


@pytest.mark.parametrize("change,words", [
    (lambda t: t + '[fixed]\n"deed.persuasion_rate" = 0.1\n',
     ["deed.persuasion_rate is both fixed", "fitted"]),
    (lambda t: t.replace("population_size = 5", "population_size = 100000").replace(
        "generations = 2", "generations = 100"), ["simulations at most", "budget"]),
    (lambda t: t + '[fixed]\n"deed.meeting_interval" = { value = 8, source = "a 2014 report", '
                   'dated = "2014" }\n', ["fixed.deed.meeting_interval", "2014",
                                          "after the cutoff"]),
    (lambda t: t + '[fixed]\n"deed.meeting_interval" = { value = 8, dated = "2001" }\n',
     ["fixed.deed.meeting_interval", "source"]),
    (lambda t: t.replace('cutoff = "2002-12-31"', 'cutoff = "2002-13-01"'), ["cutoff", "date"]),
    (lambda t: t.replace('min = 1, max = 12', 'min = 1, max = 20000'),
     ["deed.capacity", "outside the parameter's range"]),
    (lambda t: t.replace('"deed.persuasion_rate"', '"deed.persuasion"'),
     ["deed.persuasion", "not a model parameter"]),
    (lambda t: t.replace('cutoff = "2002-12-31"', 'cutoff = "2000-03-01"'),
     ["nothing to fit"]),
    (lambda t: t.replace('norm = "mines"', 'norm = "children"'),
     ["data.norm = 'children'", "not a norm of scenario"]),
])
def test_a_bad_calibration_file_gets_exit_2_and_one_clear_message(tmp_path, change, words):
    path = calibration_file(tmp_path)
    path.write_text(change(path.read_text()))
    done = normsim("calibrate", path, "--out", tmp_path / "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    for w in words:
        assert w in done.stderr, (w, done.stderr)
    assert done.stderr.count(str(path)) == 1, done.stderr  # the file named once
    assert not (tmp_path / "out").exists()


def test_a_fitted_count_of_zero_is_refused(tmp_path):
    from calibration_helpers import ROWS
    done = normsim("calibrate", calibration_file(tmp_path, rows={**ROWS, "2001-06": 0}),
                   "--out", tmp_path / "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "2001-06" in done.stderr and "is 0" in done.stderr


def test_a_whole_number_parameter_can_be_calibrated(tmp_path):
    from normsim.calibration import load_calibration

    spec, _ = load_calibration(calibration_file(tmp_path))  # "deed.capacity" = {1, 12}
    assert spec.parameters["deed.capacity"].min == 1


@pytest.mark.parametrize("prepare,words", [
    (lambda out: (out.mkdir(), (out / "notes.txt").write_text("mine")), ["holds something else",
                                                                        "notes.txt"]),
    (lambda out: (out.mkdir(), (out / "calibration.json").write_text('{"other": 1}')),
     ["another calibration"]),
    (lambda out: out.write_text("a file"), ["is a file"]),
])
def test_a_folder_that_holds_something_else_is_refused_untouched(tmp_path, prepare, words):
    out = tmp_path / "out"
    prepare(out)
    before = sorted(p.name for p in out.iterdir()) if out.is_dir() else None
    done = normsim("calibrate", calibration_file(tmp_path), "--out", out)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    for w in words:
        assert w in done.stderr
    assert (sorted(p.name for p in out.iterdir()) if out.is_dir() else None) == before


def test_an_empty_out_is_refused(tmp_path):
    done = normsim("calibrate", calibration_file(tmp_path), "--out", "", cwd=tmp_path)
    assert done.returncode == 2 and "--out '' is empty" in done.stderr, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal.toml", "counts.csv", "mines.toml",
                                                           "pop.toml"]


def test_a_calibration_takes_the_folders_lock(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with FolderLock(out):
        done = normsim("calibrate", calibration_file(tmp_path), "--out", out)
    assert done.returncode == 2 and "in use" in done.stderr, done.stderr
    assert not (out / "generations").exists() and not (out / "calibration.json").exists()


def test_a_bad_scheduler_address_is_refused_before_the_folder_is_touched(tmp_path):
    done = normsim("calibrate", calibration_file(tmp_path), "--out", tmp_path / "out",
                   "--scheduler", "not an address")
    assert done.returncode == 2 and "not a Dask scheduler address" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def _as_in_a_terminal():
    # pytest-xdist workers ignore SIGINT, and children inherit that: restore the default so the
    # calibration sees Ctrl-C as it would in a terminal
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.multiprocess
@pytest.mark.parametrize("sig,status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_on_two_workers_end_with_one_message(tmp_path, sig, status):
    path, out = calibration_file(tmp_path, generations=6), tmp_path / "out"
    proc = subprocess.Popen([str(BIN / "normsim"), "calibrate", str(path), "--out", str(out),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=_as_in_a_terminal)
    deadline = time.time() + 240
    while time.time() < deadline and not (out / "generations" / "gen_000.csv").is_file():
        time.sleep(0.2)
    time.sleep(1.0)  # the workers are busy with the next generation
    os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C does: the whole process group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == status, (stdout, stderr)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.count("interrupted") == 1, stderr
    assert "rerun the same command to resume" in stdout
