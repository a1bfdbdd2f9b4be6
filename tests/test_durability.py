"""The science of issue 9, tested statistically over replicates: a stationary null, gains that
last when internalised and lapse when bought, H6 on the span of exposure, and outcomes measured
against each run's twin without engagement."""

import numpy as np
import pytest
from scipy import stats

from normsim import run
from normsim.world.groups import GroupSettings, GroupState
from normsim.rules.hypotheses import HypothesisSettings
from normsim.rules.internalisation import InternalisationSettings, consolidation
from normsim.simulation.outcomes import outcomes
from shared_runs import replicates

SMALL = {"group_fighters": 300}
NONE = {"persuader_count": 0}
ALPHA = 0.01


def runs(params=None, n=12, steps=520, twin=True):
    """Seeds 0 to n - 1 of a condition, each beside its twin (the shared store of runs)."""
    return replicates({**SMALL, **(params or {})}, n=n, steps=steps, twin=twin)


def outcome(tables, name):
    return np.array([outcomes(df)[name] for df in tables])


def equivalent(x, margin):
    """Two one-sided t-tests (TOST): the mean of ``x`` lies within +-margin (p < 0.05 each)."""
    low = stats.ttest_1samp(x, -margin, alternative="greater").pvalue
    high = stats.ttest_1samp(x, margin, alternative="less").pvalue
    return max(low, high) < 0.05


def yearly(df, column="compliance_rate"):
    live = df[df["step"] >= 1]
    return live.groupby((live["step"] - 1) // 52)[column].mean().to_numpy()


@pytest.mark.statistical
def test_with_no_engager_the_group_stays_where_it_started_for_twenty_years():
    """The null is stationary: over 20 replicates of 20 years (1,040 weeks) without engagement,
    the last five years' compliance differs from the first five years' by less than 0.01
    (equivalence test; the old model drifted by +0.04), and no one's knowledge, acceptance or
    doctrine moves at all."""
    tables = runs(NONE, n=20, steps=1040, twin=False)
    drift = np.array([yearly(df)[-5:].mean() - yearly(df)[:5].mean() for df in tables])
    assert equivalent(drift, 0.01), f"drift {drift.mean():+.4f} (sd {drift.std(ddof=1):.4f})"
    for df in tables:
        for col in ("doctrine", "training", "equipment", "sanctions", "emphasis_strategic",
                    "internalised_fighters", "instruction"):
            assert (df[col] == 0).all(), col
    for col in ("acceptance_fighters", "knowledge_fighters"):  # turnover only resamples them
        change = np.array([yearly(df, col)[-5:].mean() - yearly(df, col)[:5].mean()
                           for df in tables])
        assert equivalent(change, 0.01), col


def test_the_engagement_effect_of_a_scenario_without_engagers_is_exactly_zero():
    df = run({**SMALL, **NONE}, seed=3, steps=200, counterfactual=True)
    assert (df["compliance_rate"].fillna(-1) == df["compliance_counterfactual"].fillna(-1)).all()
    out = outcomes(df)
    assert out["engagement_effect"] == 0.0 and out["engagement_effect_final_year"] == 0.0
    assert out["violations_averted"] == 0.0


def test_a_twin_shares_the_runs_environment_and_starts_from_the_same_state():
    df = run(SMALL, seed=4, steps=100, counterfactual=True)
    twin = run({**SMALL, **NONE}, seed=4, steps=100)
    np.testing.assert_array_equal(df["compliance_counterfactual"].to_numpy()[1:],
                                  twin["compliance_rate"].to_numpy()[1:])
    np.testing.assert_array_equal(df["intensity"], twin["intensity"])
    # week 0, before anyone acts: the same state (NaN on both sides where nothing is at stake)
    np.testing.assert_array_equal(df["compliance_rate"].iloc[:1], twin["compliance_rate"].iloc[:1])


@pytest.mark.statistical
def test_internalised_gains_outlast_bought_ones_after_engagement_ends():
    """Five years of engagement, then five without: a principled engagement keeps a larger
    share of its gain over the twin than a conditional one (Mann-Whitney, p < 0.01)."""
    end = {"dialogue_end_week": 260}
    principled = outcome(runs(end), "durability")
    conditional = outcome(runs({**end, "dialogue_principled": 0.0}), "durability")
    principled, conditional = principled[np.isfinite(principled)], conditional[np.isfinite(conditional)]
    assert len(principled) >= 8 and len(conditional) >= 8
    test = stats.mannwhitneyu(principled, conditional, alternative="greater")
    assert test.pvalue < ALPHA, (np.median(principled), np.median(conditional), test.pvalue)


@pytest.mark.statistical
def test_what_was_never_internalised_is_lost():
    """With internalisation switched off, a principled engagement's gain has mostly gone five
    years after it ends: the fifth year's gain over the twin is under half of its gain in the
    engagement's last year (paired, one-sided t-test). Measured: 0.007 left of 0.043 (16%),
    carried by the integration cycle's slow decay (doctrine, training), not by conviction; with
    internalisation the gain left is larger (below)."""
    tables = runs({"dialogue_end_week": 260, "internalisation_enabled": False})

    def gain(df, year):
        return yearly(df)[year] - yearly(df, "compliance_counterfactual")[year]
    late = np.array([gain(df, -1) for df in tables])
    at_end = np.array([gain(df, 4) for df in tables])
    assert at_end.mean() > 0.02, at_end.mean()
    assert stats.ttest_1samp(late - 0.5 * at_end, 0.0, alternative="less").pvalue < ALPHA, \
        (late.mean(), at_end.mean())
    kept = runs({"dialogue_end_week": 260})
    late_kept = np.array([gain(df, -1) for df in kept])
    assert stats.ttest_ind(late_kept, late, alternative="greater").pvalue < ALPHA


@pytest.mark.statistical
def test_bought_compliance_lasts_while_the_leverage_lasts():
    """A conditional persuader's instructions are in force while it engages and lapse within
    months after it leaves."""
    for df in runs({"dialogue_end_week": 260, "dialogue_principled": 0.0}, n=4):
        during = df.loc[(df["step"] > 104) & (df["step"] < 260), "instruction"].mean()
        after = df.loc[df["step"] > 312, "instruction"].max()
        assert during > 0.1 and after < 0.01


def _exposure(weeks):
    g = GroupState([GroupSettings()], 1, 0.5)
    g.engaged[:] = True
    for w in weeks:
        g.contact(np.array([0]), w)
    return g


def test_h6_reads_the_span_and_regularity_of_contact_not_their_number():
    """Twelve contacts: crammed into twelve weeks, spread over three years, or spread with a
    long silence at the end -- the same count, different consolidation."""
    h, s = HypothesisSettings(), InternalisationSettings()
    crammed = _exposure(range(0, 12))
    spread = _exposure(range(0, 156, 13))
    k_crammed = consolidation(crammed, 12, s, h)[0, 0]
    k_spread = consolidation(spread, 156, s, h)[0, 0]
    assert crammed.contacts[0] == spread.contacts[0] == 12
    assert k_spread > k_crammed
    silent = consolidation(spread, 156 + 104, s, h)[0, 0]  # two years without contact
    assert silent < k_spread
    spread.engaged[:] = False  # the engagement ended: the span and rhythm it had are kept
    assert consolidation(spread, 156 + 104, s, h)[0, 0] == pytest.approx(
        consolidation(spread, 143, s, h)[0, 0])
    off = HypothesisSettings(h6_enabled=False)
    assert consolidation(crammed, 12, s, off)[0, 0] == consolidation(spread, 156, s, off)[0, 0]


def test_h6_changes_nothing_for_a_group_that_gained_nothing():
    """Meetings without persuasion and without legitimacy to gain (so no instructions either):
    the group gains nothing, so consolidation has nothing to work on -- H6 on or off, the runs
    are identical (H6 never slows anyone's drift back)."""
    deaf = {**SMALL, "dialogue_persuasion_rate": 0.0, "leadership_legitimacy_value": 0.0}
    for seed in (1, 2):
        on = run(deaf, seed=seed, steps=260)
        off = run({**deaf, "h6_enabled": False}, seed=seed, steps=260)
        assert on.equals(off)


@pytest.mark.statistical
def test_h6_consolidates_a_long_engagement_more():
    """A long, regular engagement consolidates more of what it gained with H6 than without:
    the internalised gain of the fighters five years after it ends is higher."""
    end = {"dialogue_end_week": 260}
    on = outcome(runs(end), "final_internalised")
    off = outcome(runs({**end, "h6_enabled": False}), "final_internalised")
    assert stats.ttest_rel(on, off, alternative="greater").pvalue < ALPHA


@pytest.mark.statistical
def test_an_incompatible_core_goal_leaves_next_to_nothing_to_consolidate():
    """Talking to a leader whose core goal is incompatible with the norm: the engagement effect
    is within 0.005 of none, and H6 adds nothing measurable."""
    blocked = {"group_core_goal_incompatible": True}
    effect = outcome(runs(blocked, steps=260), "engagement_effect")
    assert equivalent(effect, 0.005), effect.mean()
    h6_off = outcome(runs({**blocked, "h6_enabled": False}, steps=260), "engagement_effect")
    assert equivalent(effect - h6_off, 0.003)


@pytest.mark.parametrize("name", ["engagement_effect", "engagement_effect_final_year",
                                  "weeks_to_commitment", "weeks_to_doctrine", "durability",
                                  "violations_per_fighter_year", "violations_averted"])
def test_the_named_outcomes_exist(name):
    df, = replicates({**SMALL, "dialogue_end_week": 52}, seeds=[1], steps=420, twin=True)
    assert name in outcomes(df)  # the seven cases share one run and its twin
