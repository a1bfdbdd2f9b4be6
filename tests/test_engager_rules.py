"""The engagers' own rules (normsim.engagers.base, dialogue, deed, peace_operation): whom an
engager engages, when it meets, how trust, information and persuasion move, what monitoring
reports, a dialogue's practical problem and conditions, what a deed holds after signature and
what a peace operation holds while it engages -- each
on a small real model whose state is set by hand, with the expected values worked out from the
formulas of docs/ODD.md section 7.4 (hypotheses switched off, so that every multiplier is 1,
except where a test names one)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from pydantic import ValidationError

from normsim import NormDiffusionModel
from normsim.engagers import KINDS, base, register
from normsim.engagers.deed import Deed, DeedSettings
from normsim.engagers.dialogue import PRACTICAL, Dialogue
from normsim.engagers.peace_operation import OBJECTION_RATE, PeaceOperation
from normsim.params import NEVER
from normsim.settings.scenario import validate

from conftest import SMALL

#: every hypothesis off: each multiplier of trust and persuasion is exactly 1
NEUTRAL = {f"h{i}_enabled": False for i in range(1, 7)}


def world(*engagers: dict, groups: int = 1, norms=("civilians",), **params):
    """A small model with the given engager tables (one dialogue when none is given), the
    hypotheses off, in calm (intensity 0) at week 0."""
    tables = list(engagers) or [{"kind": "dialogue"}]
    settings = validate({"engager": tables, "norms": list(norms), "group": {"count": groups}},
                        "test")
    m = NormDiffusionModel(rng=1, settings=settings, **{**SMALL, **NEUTRAL, **params})
    m.environment.intensity = 0.0
    return m


def kinds(m) -> list[str]:
    return m.events()["kind"].astype(str).tolist()


# -- base: settings, registry, record -----------------------------------------------------------

def test_an_engagement_must_end_after_it_starts():
    with pytest.raises(ValidationError, match="end_week = 10 is not later than start_week = 10"):
        DeedSettings(start_week=10, end_week=10)
    assert DeedSettings(start_week=10, end_week=NEVER).end_week == NEVER  # -1: never ends
    assert DeedSettings(start_week=10, end_week=11).end_week == 11


def test_a_kind_registered_twice_under_one_name_is_refused():
    class Impostor(Dialogue):
        pass

    with pytest.raises(ValueError, match="'dialogue' is registered twice"):
        register(Impostor)
    assert KINDS["dialogue"] is Dialogue
    assert register(Dialogue) is Dialogue  # registering the same class again is harmless


def test_each_kind_declares_the_capabilities_its_settings_use():
    assert Dialogue.capabilities() == ("meets", "offers commitments")
    assert Deed.capabilities() == ("meets", "monitors", "offers commitments")
    assert PeaceOperation.capabilities() == ("meets", "monitors", "offers commitments")


def test_a_record_grows_by_one_fresh_group():
    rec = base.Engagement(2, 3)
    rec.trust[:] = 0.5
    rec.commitments[:] = 1
    rec.last_meeting[:] = 7
    rec.grow()
    assert rec.trust.tolist() == [0.5, 0.5, 0.0]
    assert rec.commitments.shape == (3, 3) and rec.commitments[2].tolist() == [0, 0, 0]
    assert rec.last_meeting.tolist() == [7, 7, NEVER]  # never met
    assert rec.last_report[2] == -10**9  # never reported: the first report is not held back
    assert not rec.engaged[2]


# -- whom it engages --------------------------------------------------------------------------

def test_without_a_capacity_it_engages_the_groups_it_is_given_or_all():
    assert world(groups=3).engagers[0].engagement.engaged.tolist() == [True] * 3
    listed = world({"kind": "dialogue", "groups": [0, 2]}, groups=3).engagers[0]
    assert listed.engagement.engaged.tolist() == [True, False, True]
    assert not listed.takes_new_groups


@pytest.mark.parametrize("approach,chosen", [
    ("first", [1]),       # emerged first (start week 0)
    ("largest", [2]),     # most fighters
    ("most_open", [1]),   # highest people's war + aspiration (neither alone)
    ("random", [2]),      # highest of this week's draws
])
def test_with_a_capacity_it_approaches_groups_by_its_rule(approach, chosen):
    m = world({"kind": "dialogue", "capacity": 1, "approach": approach}, groups=3)
    g = m.groups
    g.start_week[:] = [5, 0, 9]
    g.fighters[:] = [60, 50, 90]
    g.people_war[:] = [0.6, 0.5, 0.1]
    g.aspiration[:] = [0.2, 0.4, 0.65]
    e = m.engagers[0]
    assert not e.engagement.engaged.any()  # nobody until it chooses
    e.choose(m, np.array([0.1, 0.2, 0.9]))
    assert np.flatnonzero(e.engagement.engaged).tolist() == chosen


def test_it_lets_go_of_an_ended_group_and_approaches_one_it_never_met():
    m = world({"kind": "dialogue", "capacity": 2, "approach": "first"}, groups=4)
    g, e = m.groups, m.engagers[0]
    g.start_week[:] = [0, 1, 2, 3]
    e.choose(m, np.zeros(4))
    assert np.flatnonzero(e.engagement.engaged).tolist() == [0, 1]
    g.alive[0] = False  # group 0 ended
    e.engagement.meetings[2] = 3  # it met group 2 before (under other settings): not approached
    e.choose(m, np.zeros(4))
    assert np.flatnonzero(e.engagement.engaged).tolist() == [1, 3]


def test_a_capacity_taken_away_mid_run_engages_every_group_it_is_given():
    m = world({"kind": "dialogue", "capacity": 1, "groups": [0, 1]}, groups=3)
    e = m.engagers[0]
    e.choose(m, np.zeros(3))
    assert e.engagement.engaged.sum() == 1
    e.change_settings(e.settings.model_copy(update={"capacity": 0}), week=20)
    assert e.engagement.engaged.tolist() == [True, True, False]


def test_a_capacity_set_mid_run_keeps_only_as_many_groups_as_it_has_room_for():
    """ODD 7.4: with a capacity of n it engages at most n living groups at a time -- also when
    the capacity comes with a change of conditions; it keeps those its rule ranks first."""
    m = world({"kind": "dialogue", "approach": "largest"}, groups=3)
    e = m.engagers[0]
    m.groups.fighters[:] = [50, 90, 70]
    e.change_settings(e.settings.model_copy(update={"capacity": 2}), week=20)
    e.choose(m, np.zeros(3))
    assert e.engagement.engaged.tolist() == [False, True, True]


def test_a_capacity_lowered_by_a_change_of_conditions_holds_from_the_next_week():
    m = world(groups=3)
    m.run_model(5)
    assert m.engagers[0].engagement.engaged.all()
    m.change_conditions({"dialogue_capacity": 1})
    m.run_model(3)
    assert m.engagers[0].engagement.engaged.sum() == 1


# -- meetings ---------------------------------------------------------------------------------

def run_engager(m, weeks: int) -> list[int]:
    """Step only the engager for ``weeks`` weeks; the weeks it met group 0."""
    met = []
    for week in range(weeks):
        m.steps = week
        m.engagers[0].step()
        if m.engagers[0].engagement.met[0]:
            met.append(week)
    return met


def test_meetings_fall_every_contact_interval_with_full_access():
    m = world({"kind": "deed", "norm": "civilians", "contact_interval": 3, "access": 1.0})
    assert run_engager(m, 10) == [0, 3, 6, 9]
    rec = m.engagers[0].engagement
    assert rec.meetings[0] == 4 and rec.last_meeting[0] == 9
    assert m.groups.contacts[0] == 4  # each meeting a contact for H6
    assert kinds(m).count(base.FIRST_CONTACT.kind) == 1


def test_no_access_no_meeting_and_no_meeting_outside_the_window():
    assert run_engager(world({"kind": "deed", "norm": "civilians", "access": 0.0}), 6) == []
    late = world({"kind": "deed", "norm": "civilians", "access": 1.0, "contact_interval": 1,
                  "start_week": 2, "end_week": 4})
    assert run_engager(late, 6) == [2, 3]


@pytest.mark.parametrize("intensity", [0.0, 0.6, 1.0])
def test_a_due_meeting_takes_place_when_the_weeks_draw_is_below_access_less_intensity(intensity):
    """One uniform draw per group and week from the meetings stream (ODD 7.4): the meeting
    takes place where it falls below access x (1 - 0.5 x intensity)."""
    m = world({"kind": "deed", "norm": "civilians", "access": 0.8}, groups=40)
    m.environment.intensity = intensity
    draws = copy.deepcopy(m.streams.meetings).random(40)
    m.engagers[0].step()
    expected = draws < 0.8 * (1.0 - 0.5 * intensity)
    np.testing.assert_array_equal(m.engagers[0].engagement.met, expected)
    assert 0 < expected.sum() < 40  # the draws fall on both sides: the test can tell


# -- trust, information and persuasion ------------------------------------------------------

def test_trust_erodes_without_a_meeting_and_grows_at_one_by_the_trust_rate():
    m = world({"kind": "deed", "norm": "civilians", "access": 0.0, "trust_rate": 0.1})
    rec = m.engagers[0].engagement
    rec.trust[:] = 0.5
    m.engagers[0].step()
    assert rec.trust[0] == pytest.approx(0.5 * (1 - 0.005))  # TRUST_EROSION
    m.engagers[0].build_trust(m, np.array([0]))
    assert rec.trust[0] == pytest.approx(0.4975 + 0.1 * (1 - 0.4975))


def test_trust_grows_faster_for_a_renowned_engager_and_slower_when_politicised():
    """H3 and H5 on, at strength 0.5: m3 = 1 + 0.5 (2 x reputation (0.5 + 0.5 aspiration) - 1),
    m5 = 1 + 0.5 (2 (1 - politicisation) - 1), politicisation = own + the host's objection."""
    m = world({"kind": "deed", "norm": "civilians", "trust_rate": 0.1, "reputation": 0.8,
               "politicisation": 0.1}, h3_enabled=True, h3_strength=0.5, h5_enabled=True,
              h5_strength=0.5, group_aspiration=0.5)
    m.groups.objection[:] = 0.3
    rec = m.engagers[0].engagement
    rec.trust[:] = 0.2
    m.engagers[0].build_trust(m, np.array([0]), bonus=2.0)
    m3 = 1 + 0.5 * (2 * 0.8 * 0.75 - 1)  # 1.1
    m5 = 1 + 0.5 * (2 * (1 - 0.4) - 1)   # 1.1
    assert rec.trust[0] == pytest.approx(0.2 + 0.1 * m3 * m5 * 2.0 * 0.8)


def test_persuasion_informs_then_closes_the_acceptance_gap_up_to_the_cost_ceiling():
    m = world({"kind": "deed", "norm": "civilians", "persuasion_rate": 0.5},
              emulation_strength=0.0)
    e, cc = m.engagers[0], m.commanders
    leader = cc.leader[0]
    e.engagement.trust[:] = 0.8
    cc.knowledge[0, leader] = 0.5
    cc.acceptance[0, leader] = 0.2
    m.groups.cost[0, 0] = 0.3
    e.persuade(m, np.array([0]), principled=1.0, framing=1.0, rate=0.5)
    k = 0.5 + 0.2 * (1 - 0.5)  # INFORMATION_PER_MEETING closes a fifth of the knowledge gap
    assert cc.knowledge[0, leader] == pytest.approx(k)
    assert cc.acceptance[0, leader] == pytest.approx(0.2 + 0.5 * 0.8 * k * (1 - 0.3 - 0.2))
    cc.acceptance[0, leader] = 0.9  # above the ceiling 1 - cost: never pushed back, never up
    e.persuade(m, np.array([0]), principled=1.0, framing=1.0, rate=0.5)
    assert cc.acceptance[0, leader] == 0.9
    others = np.arange(cc.acceptance.shape[1]) != leader
    before = cc.acceptance[0, others].copy()
    e.persuade(m, np.array([0]), principled=1.0, framing=1.0, rate=0.5)
    np.testing.assert_array_equal(cc.acceptance[0, others], before)  # the top commander only


def test_peers_commitments_speed_persuasion_and_the_pull_is_capped_at_the_whole_gap():
    m = world({"kind": "deed", "norm": "civilians"}, emulation_strength=0.5)
    e, cc = m.engagers[0], m.commanders
    leader = cc.leader[0]
    e.engagement.trust[:] = 1.0
    cc.knowledge[0, leader] = 1.0
    cc.acceptance[0, leader] = 0.0
    m.groups.cost[:] = 0.0
    m.emulation[0, 0] = 0.4
    e.persuade(m, np.array([0]), principled=1.0, framing=1.0, rate=0.1)
    assert cc.acceptance[0, leader] == pytest.approx(0.1 * (1 + 0.5 * 0.4))
    cc.acceptance[0, leader] = 0.0
    e.persuade(m, np.array([0]), principled=1.0, framing=1.0, rate=1.0)  # pull 1.2: capped at 1
    assert cc.acceptance[0, leader] == pytest.approx(1.0)


def test_it_persuades_only_on_the_norms_it_engages_on():
    m = world({"kind": "peace_operation"}, norms=("civilians", "mines"))
    e, cc = m.engagers[0], m.commanders
    assert e.on.tolist() == [True, False]  # a mission does not handle mines
    leader = cc.leader[0]
    before = cc.knowledge[1, leader], cc.acceptance[1, leader]
    e.engagement.trust[:] = 1.0
    e.persuade(m, np.array([0]), principled=1.0, framing=1.0, rate=1.0)
    assert (cc.knowledge[1, leader], cc.acceptance[1, leader]) == before


# -- monitoring and reporting ---------------------------------------------------------------

def committed_deed(monitoring=1.0, observability=1.0, violations=5):
    """A deed on civilians signed by group 0, which violated it ``violations`` times this week."""
    m = world({"kind": "deed", "norm": "civilians", "monitoring": monitoring},
              civilians_observability=observability)
    rec = m.engagers[0].engagement
    rec.commitments[0, 0] = 1
    m.groups.committed[0, 0] = True
    m.groups.violations[0, 0] = violations
    rec.trust[:] = 0.5
    return m


def test_certain_monitoring_reports_every_violation_costs_trust_and_tells_once_a_quarter():
    m = committed_deed()
    e, rec = m.engagers[0], m.engagers[0].engagement
    e.monitor(m, 1.0)
    assert rec.reported[0, 0] == 5
    assert rec.trust[0] == pytest.approx(0.5 * (1 - 0.1))  # DETECTION_TRUST_LOSS
    assert kinds(m).count(base.REPORTED.kind) == 1
    m.steps = 12  # within REPORT_GAP (13 weeks) of the last report: counted, not told
    e.monitor(m, 1.0)
    assert rec.reported[0, 0] == 10 and kinds(m).count(base.REPORTED.kind) == 1
    m.steps = 13
    e.monitor(m, 1.0)
    assert kinds(m).count(base.REPORTED.kind) == 2


@pytest.mark.parametrize("monitoring,observability", [(0.0, 1.0), (1.0, 0.0)])
def test_no_monitoring_or_unseen_violations_report_nothing(monitoring, observability):
    m = committed_deed(monitoring, observability)
    m.engagers[0].monitor(m, monitoring)
    assert m.engagers[0].engagement.reported.sum() == 0
    assert m.engagers[0].engagement.trust[0] == 0.5


def test_violations_of_a_norm_not_committed_to_through_it_are_not_reported():
    m = committed_deed()
    m.groups.committed[0, 0] = False  # the commitment lapsed
    m.engagers[0].monitor(m, 1.0)
    assert m.engagers[0].engagement.reported.sum() == 0


def test_reports_follow_the_binomial_law_of_monitoring_times_observability():
    """Each of 200 violations is reported with chance 0.5 x 0.6 = 0.3 (within 4 sd)."""
    m = committed_deed(monitoring=0.5, observability=0.6, violations=200)
    m.engagers[0].monitor(m, 0.5)
    found = m.engagers[0].engagement.reported[0, 0]
    assert abs(found - 200 * 0.3) <= 4 * np.sqrt(200 * 0.3 * 0.7)


# -- leaving --------------------------------------------------------------------------------

def test_outside_its_window_it_holds_nothing_its_trust_erodes_and_it_says_so_once():
    m = world({"kind": "deed", "norm": "civilians", "access": 1.0, "end_week": 2}, groups=2)
    e, rec = m.engagers[0], m.engagers[0].engagement
    run_engager(m, 2)
    rec.trust[:] = 0.6
    rec.meetings[1] = 0  # it never met group 1: no ending to tell there
    rec.leverage[:], rec.support_owned[:], rec.support_imposed[:] = 0.3, 0.2, 0.1
    m.steps = 2
    e.step()
    assert not rec.leverage.any() and not rec.support_owned.any()
    assert not rec.support_imposed.any()
    assert rec.trust.tolist() == pytest.approx([0.6 * 0.995] * 2)
    ended = m.events()
    ended = ended[ended["kind"].astype(str) == base.ENGAGEMENT_ENDED.kind]
    assert ended["group"].tolist() == [0]
    m.steps = 3
    e.step()
    assert kinds(m).count(base.ENGAGEMENT_ENDED.kind) == 1


# -- a deed ---------------------------------------------------------------------------------

def test_a_deed_commits_to_its_one_norm():
    with pytest.raises(ValidationError, match="a deed commits to one norm"):
        DeedSettings(norm="mines", norms=["mines", "civilians"])
    m = world({"kind": "deed", "norm": "mines"}, norms=("civilians", "mines", "children"))
    assert m.engagers[0].on.tolist() == [False, True, False]
    assert m.engagers[0].commits_to.tolist() == [False, True, False]


def test_after_signature_a_deed_holds_an_audience_cost_and_owned_support():
    m = committed_deed(monitoring=0.4, observability=0.5, violations=0)
    m.groups.aspiration[:] = 0.7
    e, rec = m.engagers[0], m.engagers[0].engagement
    e.hold(m)
    assert rec.leverage[0, 0] == pytest.approx(0.5 * 0.7 * 0.4 * 0.5)  # cost x asp x mon x obs
    assert rec.support_owned[0, 0] == pytest.approx(0.5 * 0.5)  # implementation x trust
    assert rec.support_imposed[0, 0] == 0
    m.groups.committed[0, 0] = False  # not signed (or no longer kept): nothing held
    e.hold(m)
    assert rec.leverage[0, 0] == 0 and rec.support_owned[0, 0] == 0


def test_a_deed_argues_from_principles():
    """H4 on at strength 0.5 with practical framing 0.6: m4 = 1 + 0.5 (2 x 1 x 0.8 - 1) = 1.3
    for a deed (principled = 1), whatever else it is set to."""
    m = world({"kind": "deed", "norm": "civilians", "practical_framing": 0.6,
               "persuasion_rate": 0.1}, h4_enabled=True, h4_strength=0.5, emulation_strength=0.0)
    cc, e = m.commanders, m.engagers[0]
    leader = cc.leader[0]
    e.engagement.trust[:] = 1.0
    cc.knowledge[0, leader] = 1.0
    cc.acceptance[0, leader] = 0.0
    m.groups.cost[:] = 0.0
    e.meet(m, np.array([0]))
    assert e.engagement.trust[0] == 1.0  # full trust stays full
    assert cc.acceptance[0, leader] == pytest.approx(0.1 * 1.3)


# -- a peace operation ----------------------------------------------------------------------

def test_intermediaries_open_access_up_to_certainty():
    m = world({"kind": "peace_operation", "access": 0.6, "intermediaries": 0.5})
    assert m.engagers[0].access(m) == pytest.approx(0.6 * 1.25)
    full = world({"kind": "peace_operation", "access": 0.9, "intermediaries": 1.0})
    assert full.engagers[0].access(full) == 1.0


def test_a_missions_leverage_is_incentives_as_far_as_trusted_and_pressure_as_far_as_seen():
    m = world({"kind": "peace_operation", "incentives": 0.4, "pressure": 0.2,
               "action_plan": False}, groups=2, civilians_observability=0.5)
    e, rec = m.engagers[0], m.engagers[0].engagement
    rec.trust[:] = [0.5, 0.0]
    e.hold(m)
    assert rec.leverage[:, 0].tolist() == pytest.approx([0.4 * 0.5 + 0.2 * 0.5, 0.2 * 0.5])
    rec.engaged[1] = False  # a group it does not engage feels none of it
    e.hold(m)
    assert rec.leverage[1, 0] == 0


def test_a_missions_host_state_objects_more_each_week_it_engages():
    m = world({"kind": "peace_operation", "legitimacy_risk": 0.5}, groups=2)
    e = m.engagers[0]
    e.engagement.engaged[1] = False
    m.groups.objection[:] = 0.2
    e.hold(m)
    assert m.groups.objection.tolist() == pytest.approx([0.2 + OBJECTION_RATE * 0.5 * 0.8, 0.2])


def test_an_action_plan_is_a_commitment_it_requires_implementation_of_and_monitors():
    m = world({"kind": "peace_operation", "plan_support": 0.3, "monitoring": 1.0},
              civilians_observability=1.0)
    e, rec = m.engagers[0], m.engagers[0].engagement
    assert e.offers_commitment
    rec.commitments[0, 0] = 1
    m.groups.committed[0, 0] = True
    m.groups.violations[0, 0] = 3
    e.hold(m)
    assert rec.support_imposed[0, 0] == pytest.approx(0.3) and rec.support_owned[0, 0] == 0
    assert rec.reported[0, 0] == 3
    plan_off = world({"kind": "peace_operation", "action_plan": False, "monitoring": 1.0},
                     civilians_observability=1.0)
    e = plan_off.engagers[0]
    assert not e.offers_commitment and not e.commits_to.any()
    e.engagement.commitments[0, 0] = 1
    plan_off.groups.committed[0, 0] = True
    plan_off.groups.violations[0, 0] = 3
    e.hold(plan_off)
    assert e.engagement.reported.sum() == 0  # no plan, nothing monitored


def test_a_mission_offers_incentives_at_the_first_meeting_and_trust_with_intermediaries():
    m = world({"kind": "peace_operation", "trust_rate": 0.1, "intermediaries": 0.8,
               "access": 1.0, "contact_interval": 1})
    rec = m.engagers[0].engagement
    rec.trust[:] = 0.5
    run_engager(m, 1)  # met: its trust does not erode this week
    assert rec.trust[0] == pytest.approx(0.5 + 0.1 * (1 + 0.5 * 0.8) * 0.5)
    run_engager(m, 3)
    assert kinds(m).count("incentives offered") == 1


# -- a dialogue --------------------------------------------------------------------------------

def test_a_dialogue_opens_with_a_practical_problem_solved_by_chance_rising_with_trust():
    """One draw per meeting: solved below 0.25 + 0.5 x trust; solving closes a tenth of the
    trust gap, and trust then grows 1.5 times faster (ODD 7.4, the practical problem). Each
    group's trust puts its threshold just above or just below its draw."""
    m = world({"kind": "dialogue", "trust_rate": 0.04}, groups=40, emulation_strength=0.0)
    e, rec = m.engagers[0], m.engagers[0].engagement
    rolls = copy.deepcopy(m.streams.meetings).random(40)
    side = np.where(np.arange(40) % 2 == 0, 0.01, -0.01)
    trust = np.clip((rolls + side - 0.25) / 0.5, 0.0, 1.0)
    rec.trust[:] = trust
    rec.practical_agreement[:2] = True  # solved before: no second solution, the faster trust
    e.meet(m, np.arange(40))
    solved = rolls < 0.25 + 0.5 * trust
    solved[:2] = False
    assert 5 < solved.sum() < 35  # both sides: the test can tell
    after = trust + 0.1 * (1 - trust)
    expected = np.where(solved, after + 0.04 * 1.5 * (1 - after), trust + 0.04 * (1 - trust))
    expected[:2] = trust[:2] + 0.04 * 1.5 * (1 - trust[:2])
    np.testing.assert_allclose(rec.trust, expected)
    assert rec.practical_agreement.sum() == 2 + solved.sum()
    assert kinds(m).count(PRACTICAL.kind) == solved.sum()


def test_a_dialogues_conditions_are_leverage_as_far_as_it_is_conditional_and_trusted():
    m = world({"kind": "dialogue", "principled": 0.25, "conditions_leverage": 0.4}, groups=2)
    e, rec = m.engagers[0], m.engagers[0].engagement
    rec.trust[:] = [0.5, 0.5]
    rec.engaged[1] = False
    e.hold(m)
    assert rec.leverage[:, 0].tolist() == pytest.approx([0.75 * 0.4 * 0.5, 0.0])
    principled = world({"kind": "dialogue", "principled": 1.0})
    principled.engagers[0].engagement.trust[:] = 1.0
    principled.engagers[0].hold(principled)
    assert not principled.engagers[0].engagement.leverage.any()  # argument only
