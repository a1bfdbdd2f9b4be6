"""Changing a running model's conditions (normsim.simulation.conditions and the model's one
public method for it, ``change_conditions``): names in any spelling, only real changes, what
may not change in a running model, every population refreshed, and the change said in words
and logged once per group -- on a small model, against docs/ODD.md section 4 (Interventions)."""

from __future__ import annotations

import json

import pytest

from normsim import NormDiffusionModel
from normsim.settings.scenario import ScenarioError
from normsim.simulation import conditions as C

from conftest import SMALL


def stepped(weeks=10, **params):
    m = NormDiffusionModel(rng=5, **{**SMALL, "group_count": 2, **params})
    for _ in range(weeks):
        m.step()
    return m


def changed_events(m):
    ev = m.events()
    return ev[ev["kind"].astype(str) == C.CHANGED.kind]


@pytest.mark.parametrize("key,name", [
    ("group_centralisation", "group_centralisation"),
    ("group.centralisation", "group_centralisation"),
    ("persuader.principled", "dialogue_principled"),  # the old persuader is the dialogue
    ("persuader_principled", "dialogue_principled"),
    ("persuader.count", "persuader_count"),
    ("h2_strength", "h2_strength"),
])
def test_a_parameter_is_named_flat_from_any_spelling(key, name):
    assert C.flat(key) == name


def test_an_unknown_name_is_refused_in_words():
    with pytest.raises(ScenarioError, match="'group.centralization' is not a parameter. See "
                                            "'normsim parameters' for the list."):
        C.flat("group.centralization")


def test_only_values_that_differ_are_changes_and_a_missing_engager_counts_as_one():
    m = stepped(0)
    assert C.changes(m, {"group.centralisation": 0.7, "environment_conflict_intensity": 0.2,
                         "deed_monitoring": 0.9}) == {
        "environment_conflict_intensity": (0.5, 0.2),  # the default 0.5 changes
        "deed_monitoring": (None, 0.9)}                 # no deed: the change will say so


def test_a_change_is_said_in_words_and_logged_once_per_group_with_its_values():
    m = stepped(12)
    said = m.change_conditions({"group.centralisation": 0.4, "h1_enabled": False})
    assert said == ["centralisation of the group: 0.7 → 0.4", "H1 switched on: yes → no"]
    ev = changed_events(m)
    assert ev["group"].tolist() == [0, 1] and (ev["step"] == 12).all()
    assert json.loads(ev["detail"].iloc[0]) == {"group_centralisation": [0.7, 0.4],
                                                "h1_enabled": [True, False]}
    assert ev["text"].iloc[1] == ("conditions changed: centralisation of the group: 0.7 → 0.4; "
                                  "H1 switched on: yes → no")
    assert m.steps == 12 and m.settings.hypotheses.h1_enabled is False


def test_no_real_change_changes_and_logs_nothing():
    m = stepped(3)
    settings = m.settings
    assert m.change_conditions({"group_centralisation": 0.7}) == []
    assert m.settings is settings and changed_events(m).empty


def test_asking_for_as_many_dialogue_engagers_as_the_run_has_is_no_change():
    m = stepped(3)  # the baseline: one dialogue engager
    settings = m.settings
    assert [e.kind for e in settings.engagers] == ["dialogue"]
    assert m.change_conditions({"persuader_count": 1}) == []
    assert m.change_conditions({"persuader.count": 1, "group_centralisation": 0.7}) == []
    assert m.settings is settings and changed_events(m).empty


@pytest.mark.parametrize("values", [
    {"group_count": 3}, {"group_fighters": 61}, {"group_operational_commanders": 3},
    {"group_units_per_commander": 3}, {"community_per_group": 3}, {"persuader_count": 2},
    {"community_initial_support": 0.1}, {"record_every": 2}, {"group_type": "predatory"},
])
def test_what_fixes_the_models_make_up_is_refused_and_nothing_changes(values):
    m = stepped(2)
    settings = m.settings
    name = C.flat(next(iter(values)))
    with pytest.raises(ScenarioError, match=f"workshop: {name} can only be set when a run "
                                            "starts; start a new run"):
        m.change_conditions({"environment_conflict_intensity": 0.1, **values}, "workshop")
    assert m.settings is settings and changed_events(m).empty


def test_every_fixed_name_is_refused_together_in_one_message():
    m = stepped(2)
    with pytest.raises(ScenarioError, match="group_fighters, record_every can only be set"):
        m.change_conditions({"group_fighters": 61, "record_every": 2})


def test_a_value_not_allowed_is_refused_with_nothing_changed():
    m = stepped(2)
    settings = m.settings
    with pytest.raises(ScenarioError, match="group.centralisation = 1.5 is not allowed"):
        m.change_conditions({"group_centralisation": 1.5})
    assert m.settings is settings


def test_a_group_setting_reaches_every_group_and_what_they_derive_from_it():
    """Structure = centralisation x (1 - 0.5 wing split) / sqrt(factions) (ODD 7.1)."""
    m = stepped(6)
    m.change_conditions({"group_centralisation": 0.4, "group_factions": 4})
    assert m.groups.centralisation.tolist() == [0.4, 0.4]
    assert m.groups.structure.tolist() == pytest.approx([0.4 / 2, 0.4 / 2])


def test_an_engagers_new_settings_reach_it_from_this_week_on():
    m = stepped(6)
    m.change_conditions({"dialogue_contact_interval": 9, "engager.end_week": 20})
    agent = m.engager_agents[0]
    assert agent.settings.contact_interval == 9 and agent.settings.end_week == 20
    assert agent.active(19) and not agent.active(20)


def test_a_listing_moved_into_the_past_lists_every_group_now():
    m = stepped(8)
    m.change_conditions({"environment_listing_week": 3})
    assert m.environment.listed
    ev = m.events()
    assert ev[ev["kind"].astype(str) == "group listed"]["group"].tolist() == [0, 1]


def test_at_week_0_the_start_is_settled_again_from_the_new_settings():
    m = stepped(0, environment_intensity_volatility=0.0)
    m.change_conditions({"environment_conflict_intensity": 0.2, "group_start_week": 5})
    assert m.environment.intensity == pytest.approx(0.2)  # no shock: the base itself
    assert m.groups.alive.tolist() == [False, False]  # they emerge at week 5 now


def test_later_the_week_and_the_groups_carry_on_and_the_new_intensity_comes_next_week():
    m = stepped(4, environment_intensity_volatility=0.0)
    m.change_conditions({"environment_conflict_intensity": 0.2, "group_start_week": 50})
    assert m.groups.alive.tolist() == [True, True]  # emerged already: they do not vanish
    assert m.environment.intensity == pytest.approx(0.5)
    m.step()
    assert m.environment.intensity == pytest.approx(0.2)


def test_the_fighters_communities_and_state_take_their_new_settings():
    m = stepped(4)
    compliance = m.state.compliance
    m.change_conditions({"fighters_intensity_effect": 0.3, "community_restraint": 0.8,
                         "community_organisation": 0.1, "state_compliance": 0.9})
    assert m.fighters.settings.intensity_effect == 0.3 and m.fighters.community_restraint == 0.8
    assert m.communities.settings.organisation == 0.1
    assert m.state.settings.compliance == 0.9
    assert m.state.compliance == compliance  # its conduct so far carries on: only at week 0 reset
    fresh = stepped(0)
    fresh.change_conditions({"state_compliance": 0.9})
    assert fresh.state.compliance == 0.9
