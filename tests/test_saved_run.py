"""normsim.analysis.saved_run on its own, on a small model run for a few weeks: the files a run
leaves, its scenario.toml replaying it to the bit, its provenance, the folders it refuses, and
the summary's lines."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from conftest import SMALL
from normsim.analysis.saved_run import (RUN_FILES, _year_or_week, check_run_folder, save_run,
                                        summary)
from normsim.errors import FolderError
from normsim.settings.scenario import ScenarioError, load
from normsim.simulation.model import NormDiffusionModel

WEEKS = 6


def _run(rng=1) -> NormDiffusionModel:
    model = NormDiffusionModel(rng=rng, **SMALL)
    for _ in range(WEEKS):
        model.step()
    return model


@pytest.fixture(scope="module")
def model():
    return _run()


def test_a_saved_run_holds_its_files_and_its_scenario_replays_it(model, tmp_path):
    out = tmp_path / "run"
    assert sorted(p.name for p in save_run(model, out)) == sorted(RUN_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(RUN_FILES)
    settings = load(out / "scenario.toml")
    assert (settings.run.seed, settings.run.steps) == (1, WEEKS)
    again = NormDiffusionModel(settings=settings, rng=settings.run.seed)
    for _ in range(settings.run.steps):
        again.step()
    pd.testing.assert_frame_equal(again.records(), model.records())
    saved = pd.read_parquet(out / "records.parquet")
    assert len(saved) == len(model.records()) and saved.columns.tolist() == \
        model.records().columns.tolist()


def test_the_provenance_names_the_seed_steps_and_the_scenarios_hash(model, tmp_path):
    save_run(model, tmp_path / "run", name="small")
    meta = json.loads((tmp_path / "run" / "provenance.json").read_text())
    text = (tmp_path / "run" / "scenario.toml").read_bytes()
    assert (meta["scenario"], meta["seed"], meta["steps"]) == ("small", 1, WEEKS)
    assert meta["scenario_hash"] == "sha256:" + hashlib.sha256(text).hexdigest()


def test_a_folder_of_a_run_is_replaced_and_one_holding_other_files_is_refused(model, tmp_path):
    out = tmp_path / "run"
    save_run(_run(rng=2), out)
    save_run(model, out)  # a run's folder: replaced by the new run
    assert json.loads((out / "provenance.json").read_text())["seed"] == 1
    check_run_folder(out)  # before running: a run's folder may be replaced
    (out / "notes.txt").write_text("mine")
    with pytest.raises(FolderError, match="notes.txt"):
        check_run_folder(out)
    before = (out / "records.csv").read_bytes()
    with pytest.raises(FolderError, match=r"holds files that are not results of this kind "
                                          r"\(notes.txt\); nothing was changed"):
        save_run(model, out)
    assert (out / "records.csv").read_bytes() == before


def test_a_model_without_a_whole_number_seed_cannot_be_saved(tmp_path):
    model = NormDiffusionModel(rng=np.random.default_rng(1), **SMALL)
    with pytest.raises(ScenarioError, match=r"save_run needs a model seeded with a whole number"):
        save_run(model, tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_the_summary_states_the_run_its_compliance_and_score_card(model):
    lines = summary(model).splitlines()
    records = model.records()
    # six weeks: the first year and the last are all of them (week 0 has no occasions)
    mean = records.loc[records["step"] >= 1, "compliance_rate"].mean()
    last = records[records["step"] == WEEKS]
    assert lines[0] == model.settings.title
    assert lines[1] == f"  seed 1, {WEEKS} weeks, 1 group(s) of 60 fighters; engagers: persuader"
    assert lines[2].endswith(f"(share of occasions that respect it): {mean:.2f} in the first "
                             f"year, {mean:.2f} in the last year")
    stage = int(last["stage"].iloc[0])
    assert lines[3].startswith(f"  score card at the end: stage {stage} of 6, ")
    assert lines[3].endswith(f"{int(last['violations'].sum())} violations in the last week")


@pytest.mark.parametrize("steps, words", [
    ([1, 2, 52], "year"),
    ([104], "recorded week (week 104)"),  # records further apart than a year
    ([], "year"),
])
def test_the_first_period_is_a_year_unless_records_are_further_apart(steps, words):
    assert _year_or_week(pd.DataFrame({"step": steps})) == words
