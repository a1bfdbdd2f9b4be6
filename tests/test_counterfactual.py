"""The twin without engagement that a run carries (normsim.simulation.counterfactual): forked
from the run just before the first engager acts, it must give exactly the rows of a twin built
and run on its own."""

from __future__ import annotations

import pandas as pd
import pytest

from normsim.simulation.counterfactual import KEYS, TWIN_COLUMNS, run_twin
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.run import run_model

CASES = [  # (scenario, keywords): engagement from the start, late, mixed, none; a population
    ("baseline", {}),
    ("baseline", {"engager_start_week": 40}),
    ("baseline", {"engager_start_week": 40, "engager_end_week": 70}),
    ("dialogue_then_deed", {}),
    ("baseline", {"engager_start_week": 500}),  # starts after the run has ended
]


def twin_columns(table: pd.DataFrame) -> pd.DataFrame:
    return table[KEYS + list(TWIN_COLUMNS.values())].reset_index(drop=True)


@pytest.mark.parametrize("scenario,keywords", CASES, ids=[f"{s}-{k}" for s, k in CASES])
def test_the_forked_twin_gives_the_rows_of_a_twin_run_on_its_own(scenario, keywords):
    steps, seed = 90, 7
    model = run_model(seed=seed, steps=steps, scenario=scenario, counterfactual=True, **keywords)
    exact_twin(model, seed, steps)


def test_the_run_itself_is_the_same_with_or_without_its_twin():
    alone = run_model(seed=3, steps=80, engager_start_week=30)
    paired = run_model(seed=3, steps=80, engager_start_week=30, counterfactual=True)
    pd.testing.assert_frame_equal(paired.records().drop(columns=list(TWIN_COLUMNS.values())),
                                  alone.records(), check_exact=True)
    pd.testing.assert_frame_equal(paired.events(), alone.events(), check_exact=True)


def exact_twin(model, seed: int, steps: int) -> None:
    reference = run_twin(NormDiffusionModel, model.settings, seed, steps)
    expected = model.records()[KEYS].merge(
        reference[KEYS + list(TWIN_COLUMNS)].rename(columns=TWIN_COLUMNS), on=KEYS, how="left")
    pd.testing.assert_frame_equal(twin_columns(model.records()), expected, check_exact=True)


def test_a_population_with_groups_emerging_keeps_an_exact_twin():
    model = run_model(seed=5, steps=60, scenario="mine_ban", counterfactual=True,
                      deed_start_week=30)
    assert (model.events()["kind"] == "group emerged").any()
    exact_twin(model, 5, 60)


def test_a_run_whose_factions_break_away_keeps_an_exact_twin():
    keywords = {"engager_start_week": 10, "group_count": 3, "group_splinter_rate": 1.0,
                "group_centralisation": 0.0, "group_operational_commanders": 6}
    model = run_model(seed=5, steps=150, counterfactual=True, **keywords)
    assert (model.events()["kind"] == "faction splintered").sum() >= 5
    exact_twin(model, 5, 150)
