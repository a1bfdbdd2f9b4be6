"""Calibration (issue 18): a deterministic ABC-SMC -- the same posterior on one worker, two, a
Dask cluster, and after a kill and a resume -- whose forecasts continue each fitted simulation."""
import os
import signal
import subprocess
import time

import numpy as np
import pandas as pd
import pytest

from calibration_helpers import BIN, calibration_file, normsim
from normsim.calibration import driver, load_calibration


def _posterior(path, out, workers=1, client=None):
    spec, _ = load_calibration(path)
    with driver.Runner(workers, client) as runner:
        gens = driver.run_abc(spec, out, runner, "test", log=lambda s: None)
        post = driver.posterior(gens[-1], spec)
        draws = driver.forecast_draws(spec, post, len(gens) - 1, runner, "test")
    return post, draws


@pytest.mark.multiprocess
def test_the_posterior_is_the_same_on_one_and_two_workers_and_on_dask(tmp_path):
    from distributed import Client, LocalCluster

    path = calibration_file(tmp_path)
    one, one_draws = _posterior(path, tmp_path / "one")
    two, two_draws = _posterior(path, tmp_path / "two", workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        dask, dask_draws = _posterior(path, tmp_path / "dask", client=client)
    assert one["deed.persuasion_rate"].nunique() == len(one)  # a real sample, not one value
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, dask)
    pd.testing.assert_frame_equal(one_draws, two_draws)
    pd.testing.assert_frame_equal(one_draws, dask_draws)


@pytest.mark.multiprocess
def test_a_killed_calibration_resumes_to_the_posterior_of_an_uninterrupted_one(tmp_path):
    path = calibration_file(tmp_path, generations=3)
    whole = normsim("calibrate", path, "--out", tmp_path / "whole", "--workers", 1)
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / "killed"
    proc = subprocess.Popen([str(BIN / "normsim"), "calibrate", str(path), "--out", str(out),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    first = out / "generations" / "gen_000.csv"
    deadline = time.time() + 240
    while time.time() < deadline and not first.is_file():
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    saved = sorted(p.name for p in (out / "generations").glob("gen_*.csv"))
    assert 1 <= len(saved) < 3, saved  # killed part-way
    done = normsim("calibrate", path, "--out", out, "--workers", 1)
    assert done.returncode == 0, done.stderr
    assert "resuming" in done.stdout
    for name in ("posterior.csv", "forecast.csv", "scores.csv", "pit.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "whole" / name),
                                      pd.read_csv(out / name))


def test_a_damaged_generation_file_is_run_again_to_the_same_result(tmp_path):
    path = calibration_file(tmp_path)
    clean, _ = _posterior(path, tmp_path / "clean")
    out = tmp_path / "damaged"
    _posterior(path, out)
    (out / "generations" / "gen_001.csv").write_text("half a line,")  # a full disk, say
    (out / "generations" / ".gen_001.csv.x.tmp").write_text("left by a kill")
    again, _ = _posterior(path, out)
    pd.testing.assert_frame_equal(clean, again)
    assert not list((out / "generations").glob(".*.tmp"))


def test_a_forecast_continues_the_fitted_simulation_past_the_cutoff(tmp_path):
    spec, _ = load_calibration(calibration_file(tmp_path))
    sim, _ = driver.simulator(spec)
    theta = [0.1, 6]
    fitted = sim.curve(theta, seed=11)
    longer = sim.curve(theta, seed=11, steps=spec.weeks(spec.predict_until))
    assert longer["step"].max() > fitted["step"].max()
    up_to_cutoff = longer[longer["step"] <= fitted["step"].max()].reset_index(drop=True)
    pd.testing.assert_frame_equal(fitted, up_to_cutoff)


@pytest.mark.multiprocess
def test_forecast_and_scores_files_hold_draws_and_every_declared_forecaster(tmp_path):
    out = tmp_path / "out"
    done = normsim("calibrate", calibration_file(tmp_path), "--out", out, "--workers", 1)
    assert done.returncode == 0, done.stderr
    _same_on_a_dask_cluster_from_the_command_line(tmp_path, out)
    forecast = pd.read_csv(out / "forecast.csv")
    assert [c for c in forecast if c.startswith("draw_")] == [f"draw_{k}" for k in range(8)]
    held = forecast[forecast["role"] == "held_out"]
    assert held["as_of"].tolist() == ["2003-06", "2004-06"]
    q = forecast[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()
    scores = pd.read_csv(out / "scores.csv")
    assert set(scores["forecaster"]) == {"model", "loglinear_poisson", "logistic", "bass"}
    assert (scores.groupby("forecaster").size() == 2).all()  # both held-out dates, each
    pit = pd.read_csv(out / "pit.csv")
    assert pit["as_of"].tolist() == ["2001-06", "2002-06"]
    assert pit["pit"].between(0, 1).all()
    report = (out / "report.md").read_text()
    assert "Cutoff 2002-12-31" in report and "Mean over the held-out dates" in report


def _same_on_a_dask_cluster_from_the_command_line(tmp_path, local):
    from distributed import LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        done = normsim("calibrate", tmp_path / "cal.toml", "--out", out, "--scheduler",
                       cluster.scheduler_address)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    for name in ("posterior.csv", "forecast.csv", "scores.csv", "pit.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(local / name), pd.read_csv(out / name))


@pytest.mark.multiprocess
def test_a_runner_returns_results_in_task_order_whatever_order_they_finish_in():
    from calibration_helpers import first_task_slowest

    tasks = [{"index": i} for i in range(6)]
    with driver.Runner(2) as runner:
        assert runner.map(first_task_slowest, tasks, "order") == [(i, 10 * i) for i in range(6)]
