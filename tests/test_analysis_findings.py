"""normsim.analysis.findings on its own: the report's sentences from hand-made tables of a sweep
(a :class:`Results` built here, no run): numbers in their unit, the ranking and whether its top
two are apart, what remained after engagement, declared expectations held, reversed or not
shown, the small-n warning, and the opening section of a factorial and of a sampled design.
Expected sentences are worked out by hand from the tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from normsim.analysis.findings import (GLOSSARY, after_engagement, expectations, fmt, glossary,
                                       key_findings, main_outcome, ranking, small_n)
from normsim.analysis.results import Results

C = "group_centralisation"  # words: "centralisation of the group"; 0.2 reads "0.2"
EMPTY = pd.DataFrame()


def _results(tmp_path, effects=None, outcomes=None, design="factorial", manifest=None,
             sensitivity=None, levels=(0.2, 0.8)) -> Results:
    conditions = pd.DataFrame({C: list(levels)}, index=pd.RangeIndex(len(levels),
                                                                      name="condition"))
    if effects is None:
        effects = pd.DataFrame({C: list(levels), "replicates": 12})
    if outcomes is None:
        outcomes = pd.DataFrame({"condition": [0], "replicate": [0], C: [levels[0]],
                                 "final_compliance": [0.5]})
    return Results(out=tmp_path, manifest={"factors": [C], "design": design,
                                           **(manifest or {})},
                   conditions=conditions, records=EMPTY, runs=EMPTY, outcomes=outcomes,
                   effects=effects, events=EMPTY, threshold=0.8, sensitivity=sensitivity)


# -- numbers in their unit -----------------------------------------------------------------------
@pytest.mark.parametrize("args, text", [
    (("final_compliance", 0.8, 0.7, 0.9), "80.0% [70.0, 90.0]"),         # a share: percent
    (("final_compliance", 0.5, np.nan, np.nan), "50.0%"),                 # no interval
    (("engagement_effect", 0.05, -0.01, 0.11), "+5.0 points [-1.0, 11.0]"),  # a difference
    (("engagement_effect", -0.0001, -0.0002, 0.0), "0.0 points [0.0, 0.0]"),  # no "-0.0"
    (("final_compliance", 0.1, 0.05, 0.2, True), "+10.0 points [5.0, 20.0]"),  # asked signed
    (("weeks_to_threshold", 40.4, 30.2, 50.6), "40 weeks [30, 51]"),      # whole weeks
    (("commitments", 1.234, 0.5, 2.0), "1.23 [0.50, 2.00]"),              # a count
    (("final_compliance", np.nan, np.nan, np.nan), "not measured"),
])
def test_fmt_gives_a_mean_and_interval_in_the_outcomes_unit(args, text):
    assert fmt(*args) == text


# -- which outcome ------------------------------------------------------------------------------
def test_the_main_outcome_is_the_declared_one_if_measured_else_final_compliance(tmp_path):
    outcomes = pd.DataFrame({"final_compliance": [0.5], "engagement_effect": [0.1],
                             "retention": [np.nan]})
    def main(declared):
        manifest = {} if declared is None else {"outcome": declared}
        return main_outcome(_results(tmp_path, outcomes=outcomes, manifest=manifest))
    assert main("engagement_effect") == "engagement_effect"
    assert main("retention") == "final_compliance"   # declared but never measured
    assert main("durability") == "final_compliance"  # declared but not a column here
    assert main(None) == "final_compliance"


# -- the ranking ----------------------------------------------------------------------------------
def _effects(col, rows, replicates=12):
    """rows: (level, mean, low, high) per condition."""
    levels, m, lo, hi = zip(*rows)
    return pd.DataFrame({C: levels, col: m, f"{col}_ci_low": lo, f"{col}_ci_high": hi,
                         "replicates": replicates})


def test_ranking_names_the_top_three_the_smallest_and_counts_intervals_off_zero(tmp_path):
    col = "engagement_effect_during"
    levels = (0.2, 0.4, 0.6, 0.8)
    eff = _effects(col, [(0.2, 0.10, -0.01, 0.21), (0.4, 0.30, 0.25, 0.35),
                         (0.6, -0.05, -0.08, -0.02), (0.8, 0.20, 0.15, 0.24)])
    said = ranking(_results(tmp_path, effects=eff, levels=levels), col)
    assert said == [
        "**Ranking.** The largest engagement effect while engaged came with "
        "centralisation of the group: 0.4: +30.0 points [25.0, 35.0]; then "
        "centralisation of the group: 0.8: +20.0 points [15.0, 24.0]; then "
        "centralisation of the group: 0.2: +10.0 points [-1.0, 21.0].",
        "The first is ahead of the second beyond both 95% intervals.",
        "The smallest: centralisation of the group: 0.6: -5.0 points [-8.0, -2.0].",
        "Its 95% interval lies above zero in 2 of 4 conditions and below zero in 1; in the "
        "other 1 it includes zero (no effect shown).",
    ]


def test_ranking_says_when_the_top_two_overlap_and_nothing_when_unmeasured(tmp_path):
    col = "final_compliance"
    eff = _effects(col, [(0.2, 0.70, 0.60, 0.80), (0.8, 0.75, 0.65, 0.85)])
    said = ranking(_results(tmp_path, effects=eff), col)
    assert said[1] == "The first two cannot be told apart: their 95% intervals overlap."
    assert len(said) == 2  # two conditions: no 'smallest'; a share: no count around zero
    unmeasured = eff.assign(final_compliance=np.nan)
    assert ranking(_results(tmp_path, effects=unmeasured), col) == []


# -- after engagement -------------------------------------------------------------------------------
def test_after_engagement_counts_gains_kept_and_names_gains_lost(tmp_path):
    eff = _effects("engagement_effect_after", [(0.2, 0.01, -0.02, 0.04),
                                               (0.8, 0.10, 0.05, 0.15)])
    eff["engagement_effect_during_ci_low"] = [0.03, 0.2]  # both gained while engaged
    said = after_engagement(_results(tmp_path, effects=eff))
    assert said == [
        "**After engagement.** Five years after the engager left, a gain remained (95% interval "
        "above zero) in 1 of 2 conditions: centralisation of the group: 0.8 (+10.0 points "
        "[5.0, 15.0]).",
        "In 1 condition(s) a gain shown while engaged (interval above zero) is not shown five "
        "years later: centralisation of the group: 0.2.",
    ]
    assert after_engagement(_results(tmp_path)) == []  # no such outcome: no sentence


# -- declared expectations ------------------------------------------------------------------------
def _paired(tmp_path, low, high, direction="rises"):
    (tmp_path / "experiment.toml").write_text(
        f'[[expect]]\nfactor = "group.centralisation"\ndirection = "{direction}"\n'
        f'says = "structure helps"\n')
    n = len(low)
    outcomes = pd.DataFrame({"condition": [0] * n + [1] * n, "replicate": [*range(n)] * 2,
                             C: [0.2] * n + [0.8] * n, "final_compliance": [*low, *high]})
    return _results(tmp_path, outcomes=outcomes)


@pytest.mark.parametrize("low, high, direction, verdict", [
    ([0.5, 0.6, 0.7], [0.7, 0.8, 0.9], "rises", "held"),       # every pair +0.2
    ([0.5, 0.6, 0.7], [0.7, 0.8, 0.9], "falls", "reversed"),
    ([0.5, 0.6, 0.7], [0.7, 0.5, 0.75], "rises",                # pairs +0.2, -0.1, +0.05
     "not shown (the interval includes no difference)"),
    ([0.5], [0.7], "rises", "not testable (fewer than two pairs of runs)"),
])
def test_an_expectation_is_checked_on_runs_paired_by_seed(tmp_path, low, high, direction,
                                                          verdict):
    ((says, estimate, got),) = expectations(_paired(tmp_path, low, high, direction))
    assert (says, got) == ("structure helps", verdict)
    assert estimate.startswith("final compliance at centralisation of the group 0.8 minus at "
                               "0.2: ")
    assert estimate.endswith(f"({len(low)} paired runs)")


def test_the_paired_estimate_is_the_mean_difference_with_its_t_interval(tmp_path):
    # pairs +0.1, +0.2, +0.3: mean 0.2, sd 0.1, t(0.975, 2) = 4.303: half-width 0.2484
    (_, estimate, _), = expectations(_paired(tmp_path, [0.5, 0.5, 0.5], [0.6, 0.7, 0.8]))
    assert estimate.endswith(": +20.0 points [-4.8, 44.8] (3 paired runs)")


def test_expectations_without_a_file_or_on_another_factor_say_nothing(tmp_path):
    res = _paired(tmp_path, [0.5, 0.6], [0.7, 0.8])
    (tmp_path / "experiment.toml").write_text(
        '[[expect]]\nfactor = "group.fighters"\ndirection = "rises"\n')
    assert expectations(res) == []
    (tmp_path / "experiment.toml").unlink()
    assert expectations(res) == []


# -- few runs ----------------------------------------------------------------------------------------
def test_few_runs_are_warned_about_with_the_replicates_to_ask_for(tmp_path):
    def warning(replicates):
        eff = pd.DataFrame({C: [0.2, 0.8], "replicates": replicates})
        return small_n(_results(tmp_path, effects=eff))
    (same,) = warning([3, 3])
    assert same.startswith("**Few runs.** 3 runs per condition:")
    assert same.endswith("(`normsim sweep ... --replicates 10`).")  # at least SMALL_N
    (ranged,) = warning([3, 8])
    assert "3 to 8 runs per condition" in ranged and "--replicates 16`" in ranged  # twice 8
    assert warning([10, 12]) == []
    # one condition short of runs is enough: its intervals are wide whatever the others'
    (uneven,) = warning([3, 12])
    assert "3 to 12 runs per condition" in uneven and "--replicates 24`" in uneven


# -- the opening section --------------------------------------------------------------------------
def test_key_findings_of_a_factorial_design_rank_and_table_the_expectations(tmp_path):
    res = _paired(tmp_path, [0.5, 0.6, 0.7], [0.7, 0.8, 0.9])
    res.effects = _effects("final_compliance", [(0.2, 0.6, 0.5, 0.7), (0.8, 0.8, 0.7, 0.9)],
                           replicates=3)
    lines = key_findings(res)
    assert lines[:2] == ["## Key findings", ""]
    assert lines[2].startswith("**Ranking.** The largest final compliance came with "
                               "centralisation of the group: 0.8: 80.0% [70.0, 90.0]")
    assert any(line.startswith("**Few runs.** 3 runs") for line in lines)
    assert "| expectation | estimate [95% CI] | verdict |" in lines
    assert any(line.startswith("| structure helps | final compliance at") and
               line.endswith("| **held** |") for line in lines)


def test_key_findings_of_a_sampled_design_give_the_spread_and_what_matters_most(tmp_path):
    values = np.linspace(0, 1, 11)  # 0, 0.1 ... 1: quantiles 5%, 50%, 95% (linear): 0.05, 0.5, 0.95
    outcomes = pd.DataFrame({"condition": range(11), "replicate": 0, C: values,
                             "final_compliance": values})
    sens = pd.DataFrame({"parameter": [C, "group_fighters"], "outcome": "final_compliance",
                         "ST": [0.1, 0.6], "ST_conf": [0.02, 0.05]})
    res = _results(tmp_path, outcomes=outcomes, design="sobol", sensitivity=sens)
    text = "\n".join(key_findings(res))
    assert ("Over the 11 sampled runs, the median final compliance is 50.0%; 90% of runs lie "
            "within 5.0% to 95.0%.") in text
    assert ("The outcome final compliance depends most on fighters per group (ST 0.60 ± 0.05); "
            "then centralisation of the group (ST 0.10 ± 0.02).") in text
    assert "**Ranking.**" not in text


def test_the_glossary_is_a_section_with_one_bullet_per_word():
    lines = glossary()
    assert lines[:2] == ["## Words used", ""] and lines[-1] == ""
    assert lines[2].startswith("- **compliance**: the share of a group's occasions")
    assert len(lines) == 3 + len(GLOSSARY)
    assert all(line.startswith("- **") for line in lines[2:-1])
