"""Two settings compared over several seeds (normsim.analysis.replicates)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from scipy import stats

from normsim.analysis.replicates import Cancelled, compare, line_up
from normsim.sweeps.design import seeds as replicate_seeds
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.outcomes import outcomes
from normsim.settings.scenario import from_flat

from conftest import SMALL

WEEKS = 70


def left_right():
    return (from_flat({**SMALL, "dialogue_principled": 1.0}),
            from_flat({**SMALL, "dialogue_principled": 0.0}))


def library_runs(settings, seeds):
    out = []
    for seed in seeds:
        model = NormDiffusionModel(rng=seed, settings=settings)
        model.run_model(WEEKS)
        out.append(model.records())
    return out


def t_interval(x):
    x = np.asarray(x, float)
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return x.mean(), x.mean() - half, x.mean() + half


def test_band_and_difference_agree_with_runs_made_seed_by_seed():
    left, right = left_right()
    result = compare(left, right, seeds=5, weeks=WEEKS, root=11, smooth=4)
    seeds = replicate_seeds(11, 5)
    assert result.seeds == seeds and len(set(seeds)) == 5
    runs = {side: library_runs(s, seeds) for side, s in (("left", left), ("right", right))}
    week = 50
    smoothed = [r["compliance_rate"].rolling(4, min_periods=1).mean().iloc[week]
                for r in runs["left"]]
    row = result.left.band.set_index("step").loc[week]
    assert row["n"] == 5
    np.testing.assert_allclose([row["mean"], row["ci_low"], row["ci_high"]], t_interval(smoothed))
    finals = {side: [outcomes(r)["final_compliance"] for r in rs] for side, rs in runs.items()}
    np.testing.assert_allclose(result.left.outcomes, finals["left"])
    diff = np.subtract(finals["left"], finals["right"])
    d = result.difference
    np.testing.assert_allclose([d.mean, d.low, d.high], t_interval(diff))
    assert d.n == 5


def test_the_same_settings_on_both_sides_differ_by_exactly_nothing():
    left, _ = left_right()
    result = compare(left, left, seeds=5, weeks=30)
    assert result.difference.mean == 0 and result.difference.low == result.difference.high == 0
    assert not result.difference.excludes_zero


def test_a_comparison_can_be_called_off_between_runs():
    left, right = left_right()
    cancel, done = threading.Event(), []

    def on_run():
        done.append(1)
        cancel.set()

    with pytest.raises(Cancelled):
        compare(left, right, seeds=5, weeks=20, on_run=on_run, cancel=cancel)
    assert len(done) == 1


def test_a_line_up_of_three_gives_each_side_and_the_first_against_each_other():
    """Issue 22, feature 1 (presets side by side): three settings over the same seeds; each
    side's outcomes are those of runs made seed by seed, and each difference is the first minus
    that side, paired, with its t-interval."""
    left, right = left_right()
    third = from_flat({**SMALL, "dialogue_principled": 0.5, "environment_conflict_intensity": 0.9})
    result = line_up([left, right, third], seeds=4, weeks=WEEKS, root=5)
    seeds = replicate_seeds(5, 4)
    assert result.seeds == seeds and len(result.sides) == 3 and len(result.differences) == 2
    finals = [[outcomes(r)["final_compliance"] for r in library_runs(s, seeds)]
              for s in (left, right, third)]
    for got, want in zip(result.sides, finals):
        np.testing.assert_allclose(got.outcomes, want)
    for d, other in zip(result.differences, finals[1:]):
        np.testing.assert_allclose([d.mean, d.low, d.high],
                                   t_interval(np.subtract(finals[0], other)))
