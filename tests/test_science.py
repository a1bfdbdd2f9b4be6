"""Scientific claims, tested statistically over replicates: each hypothesis moves compliance in
the direction of seed 002, switching each off changes the default trajectory, and the model
reproduces the limits in MODEL.md."""

import numpy as np
import pytest
from scipy import stats

from shared_runs import replicates

pytestmark = pytest.mark.statistical

N = 12  # replicates per condition
ALPHA = 0.01


def original(df):
    return df[df["group"] == 0].reset_index(drop=True)


def runs(params=None, n=N, steps=260):
    """The rows of the group engaged from the start (a faction that splinters from it is
    another group, with rows of its own from the week it breaks away), seeds 0 to n - 1."""
    return tuple(original(df) for df in replicates(params, n=n, steps=steps))


def mean_compliance(df, start=1, end=None):
    sel = df[(df["step"] >= start) & (df["step"] <= (end or df["step"].max()))]
    return sel["compliance_rate"].mean()


def assert_greater(better, worse, stat=mean_compliance, label=""):
    a = np.array([stat(df) for df in better])
    b = np.array([stat(df) for df in worse])
    test = stats.ttest_ind(a, b, equal_var=False, alternative="greater")
    assert test.pvalue < ALPHA, f"{label}: {a.mean():.3f} vs {b.mean():.3f}, p={test.pvalue:.3g}"


SMALLER = {"group_fighters": 300}
STEPS = {"H4": 520, "H6": 520}  # the others: 260 weeks
LATE = ("H4", "H6")  # read in the years after the engagement has ended


def late_compliance(df):
    """Mean compliance over the last two years of the run."""
    return mean_compliance(df, df["step"].max() - 103)
DIRECTIONS = {  # hypothesis: (favourable, unfavourable) conditions, all else at defaults
    "H1": ({"group_age_weeks": 0, "group_insecurity": 0.9},
           {"group_age_weeks": 520, "group_insecurity": 0.1}),
    # contrary practice also raises violations directly; switch that path off to see H2's
    "H2": ({"group_people_war": 0.9, "group_contrary_practice": 0.1, "fighters_contrary_effect": 0.0},
           {"group_people_war": 0.1, "group_contrary_practice": 0.8, "fighters_contrary_effect": 0.0}),
    "H3": ({"dialogue_reputation": 1.0, "group_aspiration": 1.0},
           {"dialogue_reputation": 0.2, "group_aspiration": 0.2}),
    # H4 acts on what each meeting convinces (internalisation); a conditional persuader's
    # leverage buys compliance while it lasts (during engagement it buys more: measured 0.759 vs
    # 0.744 over five years), so H4 shows in what is left after the engagement ends
    "H4": ({"dialogue_principled": 1.0, "dialogue_end_week": 260},
           {"dialogue_principled": 0.0, "dialogue_end_week": 260}),
    "H5": ({"dialogue_politicisation": 0.0}, {"dialogue_politicisation": 0.8}),
    # H6 consolidates what was gained: it shows after the engagement ends, so compare a long,
    # regular engagement with a short one over the years after both have ended
    "H6": ({"dialogue_end_week": 208}, {"dialogue_end_week": 52}),
}


@pytest.mark.parametrize("hypothesis", list(DIRECTIONS))
def test_each_hypothesis_moves_compliance_in_its_direction(hypothesis):
    good, bad = DIRECTIONS[hypothesis]
    stat = late_compliance if hypothesis in LATE else mean_compliance
    steps = STEPS.get(hypothesis, 260)
    assert_greater(runs({**SMALLER, **good}, steps=steps),
                   runs({**SMALLER, **bad}, steps=steps), stat=stat, label=hypothesis)


@pytest.mark.parametrize("hypothesis", [f"h{i}" for i in range(1, 7)])
def test_the_hypothesis_itself_carries_the_effect(hypothesis):
    """With the hypothesis switched off, its favourable and unfavourable conditions differ less
    (H2 and H6 also act through other paths: contrary practice on conduct, meetings themselves)."""
    h = hypothesis.upper()
    good, bad = DIRECTIONS[h]
    off = {f"{hypothesis}_enabled": False}
    stat = late_compliance if h in LATE else mean_compliance
    steps = STEPS.get(h, 260)

    def gap(extra):
        g = np.mean([stat(df) for df in runs({**SMALLER, **good, **extra}, steps=steps)])
        b = np.mean([stat(df) for df in runs({**SMALLER, **bad, **extra}, steps=steps)])
        return g - b
    assert gap({}) > gap(off), h


@pytest.mark.parametrize("hypothesis", [f"h{i}" for i in range(1, 7)])
def test_switching_a_hypothesis_off_changes_the_trajectory_where_its_condition_holds(hypothesis):
    """Paired seeds (common random numbers: the model keeps one random stream per process);
    yearly mean compliance over ten years, in the hypothesis's favourable condition (at the
    defaults some conditions are neutral, e.g. H1's middling age and insecurity, and a neutral
    condition leaves the hypothesis's multiplier at 1: nothing to switch off); some year must
    differ at p < 0.05 / 10 (Bonferroni over the years)."""
    h = hypothesis.upper()
    good = DIRECTIONS[h][0]
    base = runs(good, steps=520)
    off = runs({f"{hypothesis}_enabled": False, **good}, steps=520)

    def yearly(df):
        return df["compliance_rate"].iloc[1:].to_numpy().reshape(10, 52).mean(axis=1)
    diff = np.array([yearly(o) - yearly(b) for o, b in zip(off, base)])
    p = np.nan_to_num(stats.ttest_1samp(diff, 0.0, axis=0).pvalue, nan=1.0)  # nan: no change
    assert p.min() < 0.05 / 10, f"{hypothesis}: smallest yearly p = {p.min():.3g}"


# -- the limits of MODEL.md ----------------------------------------------------------------
def test_an_incompatible_core_goal_blocks_integration():
    blocked = runs({**SMALLER, "group_core_goal_incompatible": True})
    control = runs({**SMALLER, "persuader_count": 0})
    assert all(df["commitments"].max() == 0 for df in blocked)
    assert all(df["doctrine"].max() < 0.2 for df in blocked)
    gain = np.mean([mean_compliance(b) - mean_compliance(c) for b, c in zip(blocked, control)])
    assert gain < 0.03  # next to nothing over no engagement at all
    assert_greater(runs(SMALLER), blocked, label="baseline > incompatible goal")


def test_everything_hinges_on_the_leadership():
    """Meetings, trust and information at the top, but no acceptance there (no persuasion):
    nothing reaches the fighters."""
    unconvinced = runs({**SMALLER, "dialogue_persuasion_rate": 0.0})
    control = runs({**SMALLER, "persuader_count": 0})
    assert np.mean([df["trust"].iloc[-1] for df in unconvinced]) > 0.5

    def final_acceptance(runs_):
        return np.mean([df["acceptance_fighters"].iloc[-1] for df in runs_])
    assert final_acceptance(unconvinced) - final_acceptance(control) < 0.01
    engaged = [df["acceptance_fighters"].iloc[-1] for df in runs(SMALLER)]
    alone = [df["acceptance_fighters"].iloc[-1] for df in control]
    assert stats.ttest_ind(engaged, alone, alternative="greater").pvalue < ALPHA
    assert_greater(runs(SMALLER), unconvinced, label="baseline > unpersuadable leadership")


def test_a_weak_structure_stalls_integration():
    weak = runs({**SMALLER, "group_centralisation": 0.2, "group_factions": 3})
    assert np.mean([df["doctrine"].iloc[-1] for df in weak]) < 0.15
    assert_greater(runs(SMALLER), weak, label="baseline > weak structure")


def test_a_separate_ihl_department_hinders():
    assert_greater(runs(SMALLER), runs({**SMALLER, "group_ihl_department": True}),
                   label="baseline > IHL department")


def test_leadership_turnover_threatens_continuity():
    churn = runs({**SMALLER, "group_leadership_turnover": 0.03})
    assert_greater(runs(SMALLER), churn, label="baseline > frequent leadership changes")


def test_trust_grows_faster_when_talks_open_with_a_practical_problem():
    def early_trust(df):
        return df.loc[df["step"] <= 52, "trust"].mean()
    assert_greater(runs(SMALLER), runs({**SMALLER, "dialogue_practical_first": False}),
                   stat=early_trust, label="practical first > straight to principles")


def test_a_peace_process_helps_and_high_intensity_hurts():
    talks = {"environment_peace_start_week": 26, "environment_peace_calming": 0.6}
    assert_greater(runs({**SMALLER, **talks}), runs(SMALLER), label="peace talks > none")
    assert_greater(runs(SMALLER), runs({**SMALLER, "environment_conflict_intensity": 0.9}),
                   label="moderate > high intensity")
