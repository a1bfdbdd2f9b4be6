"""`normsim calibrate --check N`: a referee's check of a calibration's committed outputs, by
simulating saved particles again with their recorded seeds (normsim/calibration/audit.py)."""
import hashlib
import shutil

import pandas as pd
import pytest

from calibration_helpers import calibration_file, normsim
from normsim.calibration.audit import chosen


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A small calibration run to the end on one worker: (its file, its folder)."""
    tmp = tmp_path_factory.mktemp("audit")
    path = calibration_file(tmp, particles=5, generations=2)
    out = tmp / "out"
    done = normsim("calibrate", path, "--out", out, "--workers", 1)
    assert done.returncode == 0, done.stderr
    return path, out


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_saved_particle_is_simulated_again_to_the_last_bit_and_nothing_is_written(finished):
    path, out = finished
    before = _hashes(out)
    done = normsim("calibrate", path, "--out", out, "--check", 5, "--workers", 1)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stdout.splitlines() if "particle" in line and "->" in line]
    assert len(lines) == 10 and all(line.endswith("-> same") for line in lines)  # 2 gens x 5
    assert "10 of 10 particles reproduced to the last bit; 0 inconsistencies" in done.stdout
    # the saved distance printed is the one in the file, for each particle
    gen1 = pd.read_csv(out / "generations" / "gen_001.csv")
    for index, distance in zip(gen1["index"], gen1["distance"]):
        assert f"generation 1, particle {index}: saved distance {distance!r}" in done.stdout
    assert _hashes(out) == before


def _changed_copy(out, tmp_path, change):
    """A copy of the calibration folder whose last generation's table ``change`` edited in
    place, written back as the calibration writes it."""
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    gen = copy / "generations" / "gen_001.csv"
    table = pd.read_csv(gen)
    change(table)
    table.to_csv(gen, index=False, float_format="%.17g")
    return copy


def test_a_distance_changed_in_its_last_digits_is_found_and_named(finished, tmp_path):
    path, out = finished
    # the last row's particle: a check of 2 per generation reads the first and the last
    index = int(pd.read_csv(out / "generations" / "gen_001.csv")["index"].iloc[-1])

    def nudge(table):
        table.loc[table.index[-1], "distance"] *= 1 - 1e-12  # still inside epsilon

    copy = _changed_copy(out, tmp_path, nudge)
    done = normsim("calibrate", path, "--out", copy, "--check", 2, "--workers", 1)
    assert done.returncode == 1
    different = [line for line in done.stdout.splitlines() if line.endswith("DIFFERENT")]
    assert different == [next(line for line in done.stdout.splitlines()
                              if f"generation 1, particle {index}:" in line)]
    assert "3 of 4 particles reproduced" in done.stdout
    assert "is not what this code computes from this file" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_epsilon_that_is_not_the_previous_median_is_reported(finished, tmp_path):
    path, out = finished

    def widen(table):
        table["epsilon"] = table["distance"].max() * 2  # wider than the schedule: too lenient

    copy = _changed_copy(out, tmp_path, widen)
    done = normsim("calibrate", path, "--out", copy, "--check", 1, "--workers", 1)
    assert done.returncode == 1
    assert "inconsistent: generation 1: epsilon" in done.stdout
    assert "but the median distance of generation 0 is" in done.stdout


def test_a_folder_of_another_calibration_or_of_none_is_refused_in_one_message(finished,
                                                                              tmp_path):
    path, out = finished
    other = tmp_path / "other.toml"
    other.write_text(path.read_text().replace("root_seed = 3", "root_seed = 4"))
    done = normsim("calibrate", other, "--out", out, "--check", 1)
    assert done.returncode == 2
    assert "holds another calibration's work" in done.stderr and "Traceback" not in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    done = normsim("calibrate", path, "--out", empty, "--check", 1)
    assert done.returncode == 2
    assert "holds no calibration's work" in done.stderr and "Traceback" not in done.stderr
    assert list(empty.iterdir()) == []  # nothing written into it
    done = normsim("calibrate", path, "--out", out, "--check", 0)
    assert done.returncode == 2 and "--check" in done.stderr


def test_the_particles_checked_are_spread_over_the_generation():
    assert chosen(100, 3) == [0, 50, 99]  # first, middle (49.5 rounds to even: 50), last
    assert chosen(10, 1) == [0]
    assert chosen(4, 9) == [0, 1, 2, 3]  # asked for more than there are: all
    assert chosen(5, 5) == [0, 1, 2, 3, 4]
