"""Sweeps: designs, the streaming store, resume after a real kill, determinism across engines,
and real Dask scheduler and worker processes on 127.0.0.1."""

import os
import re
import signal
import subprocess
import time

import pandas as pd
import pytest

from normsim.sweeps.engines import sweep
from normsim.sweeps.experiment import EXPERIMENT_DIR, load_experiment
from normsim.sweeps.design import plan
from normsim.sweeps.files import table_metadata
from normsim.sweeps.readers import read_conditions, read_events, read_manifest, read_runs
from sweep_helpers import (BIN, cluster, experiment_file, free_port, invoke, start_sweep,  # noqa: F401
                           wait_for_runs)

# -- every shipped experiment ----------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(EXPERIMENT_DIR.glob("*.toml")), ids=lambda p: p.stem)
@pytest.mark.multiprocess
def test_every_shipped_experiment_runs_small_and_summarizes(tmp_path, path):
    out = tmp_path / path.stem
    text = path.read_text()
    sampled = "kind =" in text and 'kind = "factorial"' not in text
    # a Sobol design of N = 256 is 3072 runs; 2 Morris trajectories still give every factor
    # elementary effects to summarize (8 were 136 conditions of the screening's 16 factors)
    morris = 'kind = "morris"' in text
    small = ["--samples", 2 if morris else 8] if sampled else []
    result = invoke("sweep", path, "--replicates", 2, "--steps", 20, "--workers", 2,
                    "--out", out, "--quiet", *small)
    assert result.exit_code == 0, result.output
    manifest = read_manifest(out)
    runs = read_runs(out)
    assert runs["run_id"].nunique() == manifest["runs"] == manifest["conditions"] * 2
    if sampled:
        assert len(read_conditions(out)) == manifest["conditions"] < 300
    assert text.lstrip().startswith("title") and "question" in text  # opens in words
    result = invoke("summarize", out)
    assert result.exit_code == 0, result.output
    assert (out / "summary" / "effects.csv").is_file()
    if manifest["design"] in ("sobol", "morris"):
        sens = pd.read_csv(out / "summary" / "sensitivity.csv")
        assert set(sens["parameter"]) == set(manifest["factors"])


def test_hypothesis_experiments_exist_for_h1_to_h6():
    stems = [p.stem for p in EXPERIMENT_DIR.glob("*.toml")]
    for i in range(1, 7):
        assert any(s.startswith(f"h{i}_") for s in stems), i
    assert "sensitivity" in stems and "integration_cycle" in stems


# -- seeds, provenance, determinism ------------------------------------------------------------
def test_seeds_are_spawned_from_the_root_and_recorded_with_each_run(tmp_path):
    import numpy as np
    exp, text = load_experiment(experiment_file(tmp_path))
    p = plan(exp)
    children = np.random.SeedSequence(7).spawn(4)
    expected = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    assert list(p.seeds) == expected
    sweep(p, tmp_path / "out", text, workers=1, progress=False)
    runs = read_runs(tmp_path / "out")
    for (cond, rep), g in runs.groupby(["condition", "replicate"]):
        assert (g["seed"] == expected[rep]).all()
    # more replicates keep the seeds of those already run
    more, _ = load_experiment(experiment_file(tmp_path), replicates=6)
    assert plan(more).seeds[:4] == p.seeds


def test_every_output_carries_provenance(tmp_path):
    path = experiment_file(tmp_path)
    invoke("sweep", path, "--workers", 1, "--out", tmp_path / "o", "--quiet")
    prov = read_manifest(tmp_path / "o")["provenance"]
    for key in ("normsim", "mesa", "python", "numpy", "experiment_hash", "git_commit",
                "root_seed", "date"):
        assert key in prov, key
    assert prov["root_seed"] == 7 and prov["experiment_hash"].startswith("sha256:")
    one = next((tmp_path / "o" / "runs").glob("*.parquet"))
    meta = table_metadata(one)
    assert meta["mesa"] == prov["mesa"] and meta["run_id"] == one.stem


@pytest.mark.multiprocess
def test_one_worker_two_workers_same_table(tmp_path):
    exp, text = load_experiment(experiment_file(tmp_path, replicates=3))
    p = plan(exp)
    sweep(p, tmp_path / "one", text, workers=1, progress=False)
    sweep(p, tmp_path / "two", text, workers=2, progress=False)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "one"), read_runs(tmp_path / "two"))
    pd.testing.assert_frame_equal(read_events(tmp_path / "one"), read_events(tmp_path / "two"))


def test_rerunning_skips_finished_runs_and_more_replicates_adds_only_new_ones(tmp_path):
    path = experiment_file(tmp_path, replicates=2)
    out = tmp_path / "o"
    invoke("sweep", path, "--workers", 1, "--out", out, "--quiet")
    first = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    result = invoke("sweep", path, "--workers", 1, "--out", out, "--quiet")
    assert "0 runs now, 4 already there" in result.output
    result = invoke("sweep", path, "--workers", 1, "--out", out, "--replicates", 3, "--quiet")
    assert "2 runs now, 4 already there" in result.output
    for name, mtime in first.items():
        assert (out / "runs" / name).stat().st_mtime_ns == mtime  # untouched
    assert read_runs(out)["run_id"].nunique() == 6


# -- bad input ---------------------------------------------------------------------------------
BAD = {
    "unknown factor": ('"group.nope" = { values = [1, 2] }', "factors.group.nope is not a model parameter"),
    "empty range": ('"group.insecurity" = { min = 0.5, max = 0.5 }', "empty range"),
    "empty values": ('"group.insecurity" = { values = [] }', "values is empty"),
    "bad value": ('"group.insecurity" = { values = [0.5, 7] }', "group.insecurity = 7 is not allowed"),
    "needs bounds": ('"group.insecurity" = { values = [0.1, 0.9] }\n[design]\nkind = "sobol"',
                     "a sobol design needs min and max"),
    "range outside": ('"group.insecurity" = { min = 0.0, max = 2.0 }\n[design]\nkind = "lhs"',
                      "takes a number from 0 to 1"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_experiment_gets_exit_2_and_a_clear_message(tmp_path, case):
    factor, words = BAD[case]
    path = tmp_path / "bad.toml"
    path.write_text(f'title = "t"\nquestion = "q"\nreplicates = 2\nsteps = 5\n[factors]\n{factor}\n')
    result = invoke("sweep", path, "--out", tmp_path / "o", "--quiet")
    assert result.exit_code == 2
    assert str(path) in result.output and words in result.output, result.output
    assert not (tmp_path / "o").exists()


def test_a_folder_of_another_experiment_is_refused_and_untouched(tmp_path):
    out = tmp_path / "o"
    invoke("sweep", experiment_file(tmp_path), "--workers", 1, "--out", out, "--quiet")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    other = experiment_file(tmp_path, steps=30, name="other.toml")
    result = invoke("sweep", other, "--workers", 1, "--out", out, "--quiet")
    assert result.exit_code == 2 and "another experiment" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_summarize_refuses_a_folder_that_is_not_a_sweep(tmp_path):
    result = invoke("summarize", tmp_path)
    assert result.exit_code == 2 and "not a sweep output folder" in result.output


def test_an_unreachable_scheduler_is_named_within_seconds(tmp_path):
    port = free_port()
    start = time.monotonic()
    result = invoke("sweep", experiment_file(tmp_path), "--scheduler", f"tcp://127.0.0.1:{port}",
                    "--out", tmp_path / "o", "--quiet")
    assert time.monotonic() - start < 20
    assert result.exit_code == 2
    assert f"cannot reach a Dask scheduler at tcp://127.0.0.1:{port}" in result.output
    assert not (tmp_path / "o").exists()


# -- killed and resumed: real signals to real processes ------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
@pytest.mark.multiprocess
def test_a_killed_sweep_resumes_to_the_uninterrupted_result(tmp_path, sig):
    path = experiment_file(tmp_path, replicates=15, steps=300, fighters=200)
    out = tmp_path / "killed"
    proc = start_sweep(path, out)
    wait_for_runs(out, 4, proc)
    pd.read_parquet(out / "runs")  # readable while it runs
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes, no warning
    else:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole group
    _, stderr = proc.communicate(timeout=30)
    done = len(list((out / "runs").glob("*.parquet")))
    assert 0 < done < 30, "kill it part-way"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "run the same command again" in stderr
        said = int(re.search(r"interrupted: (\d+) of 30 runs are saved", stderr)[1])
        time.sleep(1)  # no worker may still be finishing a run behind the count
        assert said == done == len(list((out / "runs").glob("*.parquet")))
    resumed = invoke("sweep", path, "--workers", 2, "--out", out, "--quiet")
    assert resumed.exit_code == 0 and f"{done} already there" in resumed.output
    exp, text = load_experiment(path)
    sweep(plan(exp), tmp_path / "clean", text, workers=2, progress=False)
    a, b = read_runs(out), read_runs(tmp_path / "clean")
    assert a["run_id"].nunique() == 30 and not a.duplicated(["run_id", "step", "group"]).any()
    pd.testing.assert_frame_equal(a, b)
    assert not list(out.rglob(".*.tmp"))


# -- Dask: a real scheduler and real workers on 127.0.0.1 ------------------------------------------
def test_dask_gives_the_local_result(tmp_path, cluster):
    address, _ = cluster
    exp, text = load_experiment(experiment_file(tmp_path, replicates=3))
    p = plan(exp)
    sweep(p, tmp_path / "dask", text, scheduler=address, progress=False)
    sweep(p, tmp_path / "local", text, workers=1, progress=False)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "dask"), read_runs(tmp_path / "local"))


def test_a_dask_worker_dying_mid_sweep_has_its_runs_redone(tmp_path, cluster):
    address, procs = cluster
    path = experiment_file(tmp_path, replicates=12, steps=150, fighters=200)
    out = tmp_path / "dask"
    proc = subprocess.Popen([str(BIN / "normsim"), "sweep", str(path), "--scheduler", address,
                             "--out", str(out), "--quiet"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_for_runs(out, 3, proc)
    os.killpg(procs[1].pid, signal.SIGKILL)  # one worker dies with runs in hand
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    exp, text = load_experiment(path)
    sweep(plan(exp), tmp_path / "local", text, workers=2, progress=False)
    a = read_runs(out)
    assert a["run_id"].nunique() == 24
    pd.testing.assert_frame_equal(a, read_runs(tmp_path / "local"))


def test_unquoted_dotted_keys_mean_what_toml_says(tmp_path):
    """`group.fighters = 40` under [fixed] is the table {group = {fighters = 40}} in TOML: the
    same experiment as the quoted key."""
    quoted = experiment_file(tmp_path)
    unquoted = tmp_path / "unquoted.toml"
    unquoted.write_text(quoted.read_text().replace('"dialogue.principled"', "dialogue.principled")
                        .replace('"group.fighters"', "group.fighters")
                        .replace('"group.units_per_commander"', "group.units_per_commander"))
    assert '"' not in unquoted.read_text().split("[factors]")[1]
    assert plan(load_experiment(unquoted)[0]).identity == plan(load_experiment(quoted)[0]).identity
