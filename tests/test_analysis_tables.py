"""normsim.analysis.tables on its own: Markdown tables, the report's effects table from a
hand-made Results (the experiment's outcome first, intervals, the share reaching the threshold,
stages as median and range, runs), the long-table fallback, and the stages table's file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from normsim.analysis.results import Results
from normsim.analysis.tables import effects_section, md_table, stages_section, words_of

C = "group_centralisation"  # words: "centralisation of the group"; 0.2 reads "0.2"
EMPTY = pd.DataFrame()


def test_md_table_drops_the_index_and_keeps_cells_from_breaking_the_table():
    table = pd.DataFrame({"a": [1, 2], "b": ["x|y", 0.5]}, index=[7, 8])
    assert md_table(table) == ["| a | b |", "|---|---|", "| 1 | x/y |", "| 2 | 0.5 |", ""]


@pytest.mark.parametrize("outcome, words", [
    ("final_compliance", "final compliance"),                      # "... (share of ...)"
    ("engagement_effect_during", "engagement effect while engaged"),
    ("durability", "durability"),                                 # "durability: share of ..."
])
def test_words_of_an_outcome_are_its_label_before_brackets_or_colon(outcome, words):
    assert words_of(outcome) == words


def _effects(n=2, **extra):
    levels = np.round(np.linspace(0.2, 0.8, n), 3)
    eff = pd.DataFrame({
        C: levels, "final_compliance": 0.8, "final_compliance_ci_low": 0.7,
        "final_compliance_ci_high": 0.9, "share_reaching_threshold": 0.5,
        "share_reaching_threshold_ci_low": 0.25, "share_reaching_threshold_ci_high": 0.75,
        "final_stage_median": 3.0, "final_stage_min": 1.0, "final_stage_max": 4.0,
        "highest_stage_median": 4.0, "highest_stage_min": 4.0, "highest_stage_max": 4.0,
        "replicates": 12, **extra}, index=pd.RangeIndex(n, name="condition"))
    return eff


def _results(tmp_path, effects, manifest=None):
    conditions = effects[[C]]
    outcomes = pd.DataFrame({"final_compliance": [0.5],
                             **{c: [0.1] for c in effects if c.startswith("engagement")}})
    return Results(out=tmp_path, manifest={"factors": [C], "design": "factorial",
                                           **(manifest or {})}, conditions=conditions,
                   records=EMPTY, runs=EMPTY, outcomes=outcomes, effects=effects,
                   events=EMPTY, threshold=0.8)


def test_the_effects_table_has_a_column_per_factor_outcome_share_stage_and_runs(tmp_path):
    eff = _effects(engagement_effect_during=0.05, engagement_effect_during_ci_low=-0.01,
                   engagement_effect_during_ci_high=0.11, engagement_effect_after=np.nan,
                   engagement_effect_after_ci_low=np.nan, engagement_effect_after_ci_high=np.nan)
    lines = effects_section(_results(tmp_path, eff, {"outcome": "engagement_effect_during"}),
                            tmp_path)
    head = lines.index("| centralisation of the group | engagement effect while engaged [95% "
                       "CI] | final compliance [95% CI] | reached 0.8 | stage at the end "
                       "(median, range) | highest stage reached (median, range) | runs |")
    # the declared outcome first (and once), an outcome never measured (after) left out
    assert lines[head + 2] == ("| 0.2 | +5.0 points [-1.0, 11.0] | 80.0% [70.0, 90.0] | "
                               "50% [25%, 75%] | 3: commitment (1–4) | 4: doctrine | 12 |")
    assert "'Reached 0.8': the share of runs" in " ".join(lines)
    assert (tmp_path / "effects.csv").exists() and (tmp_path / "columns.md").exists()
    written = pd.read_csv(tmp_path / "effects.csv")
    assert written["condition"].tolist() == [0, 1]  # the index is kept in the file


def test_few_runs_are_warned_about_above_the_table(tmp_path):
    lines = effects_section(_results(tmp_path, _effects(replicates=3)), tmp_path)
    warning = next(i for i, line in enumerate(lines) if line.startswith("**Few runs.**"))
    assert warning < next(i for i, line in enumerate(lines) if line.startswith("| "))


def test_more_than_40_conditions_point_to_the_file_instead(tmp_path):
    lines = effects_section(_results(tmp_path, _effects(41)), tmp_path)
    assert lines[-2:] == ["41 conditions: see [effects.csv](effects.csv).", ""]
    assert not any(line.startswith("| ") for line in lines)
    assert len(pd.read_csv(tmp_path / "effects.csv")) == 41


@pytest.mark.parametrize("median, low, high, text", [
    (3.0, 1.0, 4.0, "3: commitment (1–4)"),
    (6.0, 6.0, 6.0, "6: integrated"),                      # no range when every run agrees
    (3.5, 3.0, 4.0, "3.5: between commitment and doctrine (3–4)"),  # an even number of runs
    (np.nan, np.nan, np.nan, "–"),                          # no run measured it
])
def test_a_stage_reads_as_its_number_and_name_with_the_range(tmp_path, median, low, high, text):
    eff = _effects(1, final_stage_median=median, final_stage_min=low, final_stage_max=high)
    lines = effects_section(_results(tmp_path, eff), tmp_path)
    row = next(line for line in lines if line.startswith("| 0.2 |"))
    assert row.split(" | ")[3] == text


def test_the_stages_section_writes_the_share_of_groups_at_each_stage(tmp_path):
    # one condition, two runs of one group: stages 0 then 2, and 0 then 3 (at the end)
    records = pd.DataFrame({"condition": 0, "replicate": [0, 0, 1, 1], "group": 0,
                            "step": [0, 52, 0, 52], "stage": [0, 2, 0, 3]})
    res = Results(out=tmp_path, manifest={"factors": [C], "design": "factorial"},
                  conditions=pd.DataFrame({C: [0.2]}, index=pd.RangeIndex(1, name="condition")),
                  records=records, runs=EMPTY, outcomes=EMPTY, effects=EMPTY, events=EMPTY,
                  threshold=0.8)
    lines = stages_section(res, tmp_path)
    assert lines[0] == "## Score-card stages" and "[stages.csv](stages.csv)" in " ".join(lines)
    table = pd.read_csv(tmp_path / "stages.csv")
    end = table[table["measure"] == "stage at the end"].set_index("stage")
    assert end[C].eq(0.2).all() and end["groups"].eq(2).all()
    assert end["share"].tolist() == [0, 0, 0.5, 0.5, 0, 0, 0]
