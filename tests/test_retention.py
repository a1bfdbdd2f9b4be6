"""The outcome retention (normsim.simulation.outcomes): the engagement's effect five years after
it ended, divided by the effect at the same date in the lasting twin (the same run, same seed,
whose engagement never ends). The lasting twin is forked from the run just before the first
engager stops (normsim.simulation.counterfactual): it must give exactly the rows of the lasting
run built and run on its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from normsim.settings.scenario import load, with_values
from normsim.simulation.counterfactual import (KEYS, LASTING_COLUMNS, TWIN_COLUMNS,
                                               lasting_settings, run_with_twin)
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.outcomes import outcomes
from normsim.analysis.summaries import mean_ci

CASES = [  # (scenario, values): one engager leaving, two leaving at different weeks, none leaving
    ("engager_peace_operation", {"engager.end_week": 30}),
    ("dialogue_then_deed", {"dialogue.end_week": 25, "deed.start_week": 30,
                            "deed.end_week": 60}),
    ("baseline", {"engager.start_week": 10}),
]


def run(scenario, values, seed, steps, lasting=True):
    settings = with_values(load(scenario), {"group.fighters": 30, **values}, "test")
    model = NormDiffusionModel(rng=seed, settings=settings)
    run_with_twin(model, steps, lasting=lasting)
    return model


@pytest.mark.parametrize("scenario,values", CASES, ids=[c[0] for c in CASES])
def test_the_forked_lasting_twin_gives_the_rows_of_the_lasting_run_on_its_own(scenario, values):
    steps, seed = 80, 3
    model = run(scenario, values, seed, steps)
    reference = NormDiffusionModel(rng=seed, settings=lasting_settings(model.settings))
    reference.run_model(steps)
    expected = model.records()[KEYS].merge(
        reference.records()[KEYS + list(LASTING_COLUMNS)].rename(columns=LASTING_COLUMNS),
        on=KEYS, how="left")
    got = model.records()[KEYS + list(LASTING_COLUMNS.values())].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
    # the run and its twin without engagement are the same as without the lasting twin
    plain = run(scenario, values, seed, steps, lasting=False)
    pd.testing.assert_frame_equal(
        model.records().drop(columns=list(LASTING_COLUMNS.values())), plain.records(),
        check_exact=True)


def table(run_gain: float, lasting_gain: float, end: int = 10, weeks: int = 280) -> pd.DataFrame:
    """One group, engaged in weeks 1 .. end - 1, compliance 0.5 without engagement; the run
    and the lasting twin 0.5 plus the given gains (as violations out of 1000 occasions)."""
    step = np.arange(1, weeks + 1)
    n = len(step)

    def violations(compliance):
        return np.full(n, round((1 - compliance) * 1000), dtype=float)
    return pd.DataFrame({
        "step": step, "group": 0, "norm": "civilians", "alive": True, "fighters": 100,
        "engaged": step < end, "occasions": 1000.0, "violations": violations(0.5 + run_gain),
        "compliance_rate": 0.5 + run_gain, "compliance_counterfactual": 0.5,
        "occasions_counterfactual": 1000.0, "violations_counterfactual": violations(0.5),
        "occasions_lasting": 1000.0, "violations_lasting": violations(0.5 + lasting_gain)})


def test_retention_by_hand():
    """Gains chosen so that the ratio is known: 0.1 kept of 0.2 lasting is 0.5; all kept is 1;
    none kept is 0; a lasting gain within 0.005 of nothing gives no ratio."""
    assert outcomes(table(0.1, 0.2), ["retention"])["retention"] == pytest.approx(0.5)
    assert outcomes(table(0.2, 0.2), ["retention"])["retention"] == pytest.approx(1.0)
    assert outcomes(table(0.0, 0.2), ["retention"])["retention"] == pytest.approx(0.0)
    assert np.isnan(outcomes(table(0.1, 0.004), ["retention"])["retention"])
    # the fifth year after the end (weeks 218 .. 269) is not in a run of 250 weeks
    assert np.isnan(outcomes(table(0.1, 0.2, weeks=250), ["retention"])["retention"])
    # no lasting twin: no retention
    no_lasting = table(0.1, 0.2).drop(columns=["occasions_lasting", "violations_lasting"])
    assert np.isnan(outcomes(no_lasting, ["retention"])["retention"])


def test_an_engagement_that_never_ends_has_no_retention_to_measure():
    model = run("engager_dialogue", {}, 1, 60)
    r = model.records()
    # its own lasting twin: the same violations, week by week
    assert (r["violations"].to_numpy() == r["violations_lasting"].to_numpy()).all()
    assert np.isnan(outcomes(r, ["retention"])["retention"])


@pytest.mark.statistical
def test_a_peace_operation_that_leaves_keeps_less_than_it_would_have_by_staying():
    """Over 8 replicates (60 fighters, five years after an engagement of 100 weeks), the mean
    retention of a peace operation's gain on a people's-war group is below 1 at 95%: its
    incentives and pressure stop when it leaves (docs/ODD.md)."""
    values = {"group.type": "peoples_war", "group.fighters": 60, "engager.end_week": 100,
              "record_every": 4}
    got = [outcomes(run("engager_peace_operation", values, seed, 360).records(),
                    ["retention"])["retention"] for seed in range(8)]
    got = [g for g in got if np.isfinite(g)]
    assert len(got) >= 6, got
    mean, low, high, _ = mean_ci(got)
    assert high < 1.0, (mean, low, high, got)
