"""Posterior designs (normsim.sweeps.posterior): an experiment's replicates draw their shared
parameters from a calibration's posterior, by weight, the same draws for the same root seed
on one worker or two, recorded in each run's table and applied to the runs they belong to."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import normsim
from normsim.sweeps.engines import sweep
from normsim.sweeps.experiment import load_experiment
from normsim.sweeps.design import plan
from normsim.sweeps.readers import read_manifest, read_runs
from sweep_helpers import cluster  # noqa: F401  (a real Dask scheduler and workers on 127.0.0.1)

#: a posterior as 'normsim calibrate' writes it: parameters, distance, index, weight. Particle 1
#: has no weight: it must never be drawn.
POSTERIOR = """dialogue.persuasion_rate,dialogue.trust_rate,distance,index,weight
0.01,0.02,0.3,0,0.6
0.50,0.90,0.1,1,0.0
0.20,0.10,0.2,2,0.3
0.40,0.30,0.4,3,0.1
"""

EXPERIMENT = """title = "posterior design test"
question = "Are a posterior's draws reproduced and applied?"
scenario = "{scenario}"
replicates = {replicates}
steps = 12
record_every = 4
root_seed = {seed}

[factors]
"group.centralisation" = {{ values = [0.2, 0.8] }}

[fixed]
"group.fighters" = 20
"group.units_per_commander" = 2

[posterior]
file = "posterior.csv"
{more}
"""


def write(tmp_path, replicates=4, seed=11, more="", scenario="baseline", posterior=POSTERIOR):
    (tmp_path / "posterior.csv").write_text(posterior)
    path = tmp_path / f"e{seed}.toml"
    path.write_text(EXPERIMENT.format(replicates=replicates, seed=seed, more=more,
                                      scenario=scenario))
    return path


def drawn(folder) -> pd.DataFrame:
    runs = read_runs(folder)
    cols = ["condition", "replicate", "posterior_draw", "posterior_particle",
            "drawn_dialogue_persuasion_rate", "drawn_dialogue_trust_rate"]
    return runs[cols].drop_duplicates().reset_index(drop=True)


def test_a_posterior_design_reproduces_its_draws_per_seed_on_one_worker_and_two(tmp_path):
    path = write(tmp_path)
    exp, text = load_experiment(path)
    sweep(plan(exp), tmp_path / "one", text, workers=1, progress=False)
    sweep(plan(exp), tmp_path / "two", text, workers=2, progress=False)
    one, two = read_runs(tmp_path / "one"), read_runs(tmp_path / "two")
    pd.testing.assert_frame_equal(one, two, check_exact=True)
    d = drawn(tmp_path / "one")
    assert len(d) == 2 * 4  # one draw per run, no run without one
    # common to the conditions: replicate r draws the same particle in every condition
    assert (d.groupby("replicate")["posterior_particle"].nunique() == 1).all()
    assert list(d.groupby("replicate")["posterior_draw"].first()) == [0, 1, 2, 3]
    # each recorded value is the recorded particle's row of the file, read here by hand
    rows = pd.read_csv(tmp_path / "posterior.csv")
    for _, r in d.iterrows():
        row = rows.iloc[int(r["posterior_particle"])]
        assert r["drawn_dialogue_persuasion_rate"] == row["dialogue.persuasion_rate"]
        assert r["drawn_dialogue_trust_rate"] == row["dialogue.trust_rate"]
    # the same seed gives the same draws; more replicates keep the first ones
    again, _ = load_experiment(write(tmp_path, replicates=9))
    p9 = plan(again)
    assert [p9.draws.record(r) for r in range(4)] == [
        plan(exp).draws.record(r) for r in range(4)]
    # another root seed draws otherwise (over 40 draws, a different sequence of particles)
    a = [plan(load_experiment(write(tmp_path, 40, seed=s))[0]).draws.record(r)["posterior_particle"]
         for s in (11, 12) for r in range(40)]
    assert a[:40] != a[40:]
    manifest = read_manifest(tmp_path / "one")["posterior"]
    assert manifest["drawn"] == ["dialogue_persuasion_rate", "dialogue_trust_rate"]
    assert manifest["content"].startswith("sha256:")


@pytest.mark.multiprocess
def test_a_posterior_design_on_dask_gives_the_local_table(tmp_path, cluster):  # noqa: F811
    address, _ = cluster
    exp, text = load_experiment(write(tmp_path, replicates=3))
    sweep(plan(exp), tmp_path / "dask", text, scheduler=address, progress=False)
    sweep(plan(exp), tmp_path / "local", text, workers=1, progress=False)
    dask, local = read_runs(tmp_path / "dask"), read_runs(tmp_path / "local")
    assert "drawn_dialogue_trust_rate" in dask
    pd.testing.assert_frame_equal(dask, local, check_exact=True)


def test_each_run_is_the_run_of_its_drawn_values(tmp_path):
    """The draw is applied: a run equals the plain run with its drawn values set by hand."""
    exp, text = load_experiment(write(tmp_path, replicates=2))
    sweep(plan(exp), tmp_path / "o", text, workers=1, progress=False)
    runs = read_runs(tmp_path / "o")
    r = runs[(runs["condition"] == 1) & (runs["replicate"] == 1)]
    first = r.iloc[0]
    alone = normsim.run({"group.fighters": 20, "group.units_per_commander": 2,
                         "group.centralisation": 0.8, "record_every": 4,
                         "dialogue.persuasion_rate": first["drawn_dialogue_persuasion_rate"],
                         "dialogue.trust_rate": first["drawn_dialogue_trust_rate"]},
                        seed=int(first["seed"]), steps=12, counterfactual=True)
    keep = [c for c in alone.columns]
    pd.testing.assert_frame_equal(r[keep].reset_index(drop=True), alone, check_exact=True,
                                  check_dtype=False)


def test_draws_respect_the_weights(tmp_path):
    """Over 3000 draws, each particle's share is its weight (binomial tests, 99.9% level, and
    a chi-square test over the three); the particle without weight is never drawn."""
    p = plan(load_experiment(write(tmp_path, replicates=2))[0])
    n = 3000
    counts = np.bincount([p.draws.particle(d) for d in range(n)], minlength=4)
    assert counts[1] == 0
    weights = np.array([0.6, 0.0, 0.3, 0.1])  # as written in POSTERIOR above
    for k, w in ((0, 0.6), (2, 0.3), (3, 0.1)):
        low, high = stats.binomtest(int(counts[k]), n, w).proportion_ci(0.999)
        assert low <= w <= high, (k, counts[k] / n, w)
    chi = stats.chisquare(counts[[0, 2, 3]], n * weights[[0, 2, 3]])
    assert chi.pvalue > 0.001, counts


def test_a_fixed_number_of_draws_is_shared_by_replicates_in_turn(tmp_path):
    p = plan(load_experiment(write(tmp_path, replicates=6, more="draws = 2"))[0])
    assert [p.draws.draw_of(r) for r in range(6)] == [0, 1, 0, 1, 0, 1]
    assert p.draws.record(0) == p.draws.record(2) == p.draws.record(4)
    assert p.seeds[0] != p.seeds[2]  # the same draw, another seed


def test_an_engager_kinds_parameter_applies_only_where_the_kind_is(tmp_path):
    posterior = "deed.persuasion_rate,weight\n0.3,1.0\n"
    text = EXPERIMENT.format(replicates=1, seed=1, more="", scenario="baseline").replace(
        '[factors]\n"group.centralisation" = { values = [0.2, 0.8] }',
        '[factors]\n"scenario" = { values = ["engager_dialogue", "engager_deed"] }')
    (tmp_path / "posterior.csv").write_text(posterior)
    (tmp_path / "e.toml").write_text(text)
    p = plan(load_experiment(tmp_path / "e.toml")[0])
    dialogue, deed = p.task(0, 0), p.task(1, 0)
    assert "deed_persuasion_rate" not in dialogue["params"]
    assert deed["params"]["deed_persuasion_rate"] == 0.3
    assert dialogue["drawn"] == deed["drawn"]  # the replicate's draw is recorded in both


def test_the_posterior_s_content_is_part_of_the_experiment_s_identity(tmp_path):
    first = plan(load_experiment(write(tmp_path))[0]).identity
    changed = POSTERIOR.replace("0.01,0.02", "0.02,0.02")
    assert plan(load_experiment(write(tmp_path, posterior=changed))[0]).identity != first
    assert plan(load_experiment(write(tmp_path))[0]).identity == first


def test_the_posterior_option_sets_the_file(tmp_path):
    path = write(tmp_path)
    other = tmp_path / "elsewhere.csv"
    other.write_text("dialogue.persuasion_rate,weight\n0.07,1\n")
    exp, _ = load_experiment(path, posterior=str(other))
    assert plan(exp).draws.record(3)["drawn_dialogue_persuasion_rate"] == 0.07


@pytest.mark.parametrize("name", ["which_engager_posterior"])
def test_the_shipped_posterior_experiment_draws_the_deed_s_rates_and_the_order_s_effect(name):
    p = plan(load_experiment(name, replicates=3, steps=20)[0])
    assert p.draws.names == ("deed_persuasion_rate", "deed_trust_rate", "fighters_order_effect")
    assert set(p.draws.unused) == {"emulation.strength", "deed.capacity", "population.groups"}
    assert p.experiment.lasting
    assert p.experiment.fixed["leadership.commitment_orders"] is True  # as in the calibration


def test_adding_replicates_to_a_posterior_design_gives_the_table_of_one_sweep(tmp_path):
    """A sweep resumed with more replicates draws for the new ones what one sweep of them all
    draws, and keeps the old ones."""
    exp2, text = load_experiment(write(tmp_path), replicates=2)
    sweep(plan(exp2), tmp_path / "grown", text, workers=1, progress=False)
    exp4, _ = load_experiment(write(tmp_path), replicates=4)
    sweep(plan(exp4), tmp_path / "grown", text, workers=1, progress=False)
    sweep(plan(exp4), tmp_path / "whole", text, workers=1, progress=False)
    pd.testing.assert_frame_equal(read_runs(tmp_path / "grown"), read_runs(tmp_path / "whole"),
                                  check_exact=True)
