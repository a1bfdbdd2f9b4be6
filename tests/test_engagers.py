"""Engagers as plug-ins and the norms they engage on: the registry, each kind's mechanism, two
engagers on one group, and a group that commits to one norm and not another -- unit tests and
statistics over replicates."""

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from normsim import NormDiffusionModel, load
from normsim.engagers import KINDS
from normsim.rules.norms import NORMS
from normsim.simulation.outcomes import outcomes
from normsim.settings.scenario import ScenarioError
from shared_runs import replicates

SMALL = {"group_fighters": 300}
ALPHA = 0.01


def runs(scenario="baseline", params=None, n=10, steps=260):
    """Seeds 0 to n - 1 of a condition, each beside its twin (the shared store of runs)."""
    return replicates({**SMALL, **(params or {})}, n=n, steps=steps, scenario=scenario, twin=True)


def model(scenario, steps, seed=1, **params):
    m = NormDiffusionModel(rng=seed, settings=load(scenario), **{**SMALL, **params})
    m.run_model(steps)
    return m


def test_the_registry_finds_every_kind_with_its_settings_norms_and_words():
    assert {"dialogue", "deed", "peace_operation"} <= set(KINDS)
    for kind, cls in KINDS.items():
        assert cls.kind == kind and cls.Settings().kind == kind
        assert isinstance(cls.summary, str) and cls.summary.strip(), kind  # 'normsim engagers'
        assert "\n" not in cls.summary, kind  # one line
        assert cls.handles and set(cls.handles) <= set(NORMS), (kind, cls.handles)


@pytest.mark.parametrize("text,words", [
    ('[[engager]]\nkind = "ngo"\n', ["engager 1", '"ngo"', "dialogue", "deed", "peace_operation"]),
    ('norms = ["civilians", "landmines"]\n', ["'landmines'", "civilians", "mines", "children"]),
    ('norms = ["civilians", "mines"]\n[[engager]]\nkind = "peace_operation"\nnorms = ["mines"]\n',
     ["peace_operation", "'mines'", "handles", "civilians, children"]),
    ('[[engager]]\nkind = "deed"\nnorm = "children"\n', ["'children'", "not in play"]),
    ('[[engager]]\nkind = "dialogue"\nprincipled = 2\n', ["engager 1", "principled = 2",
                                                         "from 0 to 1"]),
    ('[[engager]]\nkind = "deed"\nnorm = "civilians"\ngroups = [3]\n', ["groups [3]", "0 to 0"]),
    ('[group]\ntype = "rebels"\n', ['"rebels"', "peoples_war", "predatory"]),
])
def test_bad_engagers_and_norms_get_one_clear_message(tmp_path, text, words):
    path = Path(tmp_path) / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load(path)
    message = str(err.value)
    assert str(path) in message
    for w in words:
        assert w in message, (w, message)


def test_two_engagers_engage_one_group_at_once():
    m = model("two_engagers", 200)
    dialogue, mission = m.engager_agents
    assert dialogue.engagement.meetings[0] > 0 and mission.engagement.meetings[0] > 0
    assert mission.engagement.leverage[0].sum() > 0 and dialogue.engagement.leverage[0].sum() == 0


def test_a_group_commits_to_one_norm_and_not_another_because_mines_are_essential_to_it():
    """A weak group defending territory: mines are worth so much to it (military cost 0.81)
    that its leadership cannot be persuaded past 0.19 on mines (nor past where a leader
    started, if higher: the cost never pushes anyone back), and commits to protecting civilians
    but not to the mine ban -- in every run."""
    for seed in range(4):
        m = model("mines_essential", 520, seed=seed)
        mines, civ = m.norm_index("mines"), m.norm_index("civilians")
        cost = m.groups.cost[0]
        assert cost[mines] == pytest.approx(0.9 * 0.9) and cost[civ] == 0.0
        leader = m.commanders.leader[0]
        start = m.commanders.people.origin[mines, leader]
        assert m.commanders.acceptance[mines, leader] <= max(1 - cost[mines], start) + 1e-12
        assert m.groups.commitments[0, civ] >= 1 and m.groups.commitments[0, mines] == 0


def signed_deed(scenario="deed_mines", steps=520, **params):
    """The first of ten seeds whose deed is signed within ``steps`` weeks (a deed is signed in
    most runs, not all: the leadership weighs the mines' military cost), as a finished model."""
    for seed in range(10):
        m = model(scenario, steps, seed=seed, **params)
        if m.groups.committed[0, m.norm_index("mines")]:
            return m
    raise AssertionError(f"no deed signed in ten runs of {steps} weeks of {scenario}")


def test_a_deed_is_signed_then_supported_and_monitored():
    m = signed_deed()
    deed, = m.engager_agents
    mines = m.norm_index("mines")
    assert deed.engagement.commitments[0, mines] == 1 and m.groups.committed[0, mines]
    assert m.groups.owned[0, mines] > 0  # support the group owns: its own code of conduct
    assert deed.engagement.leverage[0, mines] > 0  # the standing at stake after signature
    assert deed.engagement.leverage[0, m.norm_index("civilians")] == 0  # one norm only
    ev = m.events()
    signed = ev[(ev["kind"] == "commitment made") & (ev["norm"] == "mines")]
    assert len(signed) == 1 and signed["engager"].iloc[0] == deed.name


def test_a_deeds_monitoring_reports_violations_of_the_signed_norm():
    m = signed_deed(deed_monitoring=1.0)
    assert m.engager_agents[0].engagement.reported.sum() > 0
    assert (m.events()["kind"] == "violation reported").any()


@pytest.mark.statistical
def test_a_deed_lowers_mine_laying_against_its_twin():
    """Over fifteen years: a small group signs late or not at all (in 4 of 10 runs within ten
    years, measured), so the effect is small and needs time to show."""
    effect = np.array([outcomes(df)["engagement_effect"]
                       for df in runs("deed_mines", n=16, steps=780)])
    assert stats.ttest_1samp(effect, 0.0, alternative="greater").pvalue < ALPHA


def test_a_peace_operations_leverage_buys_instructions_that_lapse_when_it_leaves():
    m = NormDiffusionModel(rng=3, settings=load("engager_peace_operation"),
                           **{**SMALL, "peace_operation_end_week": 156})
    m.run_model(150)
    assert m.groups.instruction[0, 0] > 0.05
    m.run_model(120)
    assert m.engager_agents[0].engagement.leverage.sum() == 0
    assert m.groups.instruction[0, 0] < 0.01


def test_pressure_works_without_trust_and_incentives_need_it():
    pressure = NormDiffusionModel(rng=1, settings=load("peace_operation_pressure"), **SMALL)
    incentives = NormDiffusionModel(rng=1, settings=load("peace_operation_incentives"), **SMALL)
    for m in (pressure, incentives):
        m.run_model(3)
        m.engager_agents[0].engagement.trust[:] = 0.0
        m.engager_agents[0].hold(m)
    assert pressure.engager_agents[0].engagement.leverage[0, 0] > 0
    assert incentives.engager_agents[0].engagement.leverage[0, 0] == 0


def test_a_peace_operation_politicises_the_persuaders_engagement_too():
    m = model("two_engagers", 300)
    assert m.groups.objection[0] > 0.1
    alone = model("baseline", 300)
    assert alone.groups.objection[0] == 0.0


@pytest.mark.statistical
def test_bought_and_argued_compliance_compare_as_kelman_says():
    """A peace operation's incentives move compliance sooner than dialogue (instruments work at
    once); dialogue's gain over the twin is more internalised at the end."""
    mission = runs("engager_peace_operation")
    talk = runs("engager_dialogue")

    def first_two_years(df):
        sel = df[(df["step"] >= 1) & (df["step"] <= 104)]
        return (sel["compliance_rate"] - sel["compliance_counterfactual"]).mean()
    a = [first_two_years(df) for df in mission]
    b = [first_two_years(df) for df in talk]
    assert stats.ttest_ind(a, b, alternative="greater").pvalue < ALPHA
    internal_talk = [outcomes(df)["final_internalised"] for df in talk]
    internal_mission = [outcomes(df)["final_internalised"] for df in mission]
    assert stats.ttest_ind(internal_talk, internal_mission, alternative="greater").pvalue < ALPHA


@pytest.mark.statistical
def test_legitimacy_seeking_groups_comply_more_where_an_engager_watches():
    """Jo 2015: with H3 switched off (no in-group persuasion), a group that aspires to the
    international community still complies more under the same engagement: legitimacy."""
    off = {"h3_enabled": False}
    keen = runs("engager_peace_operation", {**off, "group_aspiration": 0.9})
    cool = runs("engager_peace_operation", {**off, "group_aspiration": 0.1})
    a = [outcomes(df)["engagement_effect"] for df in keen]
    b = [outcomes(df)["engagement_effect"] for df in cool]
    assert stats.ttest_ind(a, b, alternative="greater").pvalue < ALPHA


@pytest.mark.statistical
def test_constituencies_restrain_without_any_engager():
    """Stanton 2016: organised communities restrain a group that depends on them, with no
    engager at all (the twin's compliance)."""
    none = {"persuader_count": 0}
    organised = runs("baseline", {**none, "community_organisation": 0.9}, n=6)
    loose = runs("baseline", {**none, "community_organisation": 0.0}, n=6)
    a = [df["compliance_rate"].iloc[1:].mean() for df in organised]
    b = [df["compliance_rate"].iloc[1:].mean() for df in loose]
    assert stats.ttest_ind(a, b, alternative="greater").pvalue < ALPHA


@pytest.mark.statistical
def test_a_state_that_respects_ihl_makes_compliance_worth_more():
    fair = runs("engager_peace_operation", {"state_compliance": 0.9})
    brutal = runs("engager_peace_operation", {"state_compliance": 0.1})
    a = [outcomes(df)["engagement_effect"] for df in fair]
    b = [outcomes(df)["engagement_effect"] for df in brutal]
    assert stats.ttest_ind(a, b, alternative="greater").pvalue < ALPHA
