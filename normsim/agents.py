"""The five kinds of agent: Persuader, ArmedGroup, Commander, Fighter, Community.

``Persuader``, ``ArmedGroup`` and ``Community`` hold their own state and have a ``step`` that
reads like seed 002. ``Commander`` and ``Fighter`` are real Mesa agents whose state lives in the
arrays of :mod:`normsim.cohort` (their properties read it); the model updates all of them at
once with array operations, because a Python ``step`` per fighter is ~100x slower.
"""

from __future__ import annotations

import math
from statistics import fmean
from typing import TYPE_CHECKING

import mesa
import numpy as np

from normsim import integration
from normsim.cohort import LEVELS, STRATEGIC
from normsim.hypotheses import (decay_multiplier, h1_new_or_insecure, h2_current_views,
                                h3_renowned_in_group, h4_principled_dialogue, h5_depoliticised,
                                h6_long_exposure)

if TYPE_CHECKING:
    from normsim.model import NormDiffusionModel

# Thresholds and sizes below are assumptions, documented in docs/ODD.md (Submodels).
INFORMATION_PER_MEETING = 0.2  # share of the top commander's knowledge gap a meeting closes
PRACTICAL_SUCCESS = (0.25, 0.5)  # chance to solve the practical problem: a + b * trust
PRACTICAL_TRUST_GAIN = 0.1  # share of the trust gap closed by solving it
PRACTICAL_TRUST_BONUS = 1.5  # trust then grows this much faster ("build trust upon prior success")
INCOMPATIBLE_CEILING = 0.15  # the leadership's acceptance ceiling when the core goal is incompatible
COMMIT_ACCEPTANCE, COMMIT_ACCEPTANCE_IN_PEACE, COMMIT_TRUST = 0.5, 0.4, 0.4
LAPSE_ACCEPTANCE = 0.3  # a commitment lapses when the top commander's acceptance falls below this
UNCOMMITTED_SIGNAL = 0.5  # top commander's emphasis before a commitment, relative to after
INTENSITY_CROWDING = 0.6  # share of integration drive lost at full intensity ("other priorities")
ACCESS_INTENSITY_LOSS = 0.5  # share of access lost at full intensity
LEADER_TRUST_KEPT = 0.5  # share of trust that survives a new top commander (trust is personal)
TRUST_EROSION = 0.005  # weekly share of trust lost without contact (relationships need upkeep)
SETBACK_FLOOR = 0.05  # a factor below this level has nothing a setback could take
DOCTRINE_ADOPTED, DOCTRINE_SLIPPED = 0.5, 0.4  # doctrine levels of the two events (hysteresis)
SPIKE_MEMORY, SPIKE_RATIO, SPIKE_MIN = 0.9, 1.5, 5  # violation-spike detection (EWMA)
SANCTION_REPORT_GAP = 13  # weeks between 'sanction enforced' events of one group
HARM_MEMORY, SUPPORT_RATE = 0.9, 0.02  # communities' memory of harm; pace of support change


class Persuader(mesa.Agent):
    """An ICRC-style norm diffuser: no leverage but argument (seed 002).

    Each week it meets the leadership of each group it engages once ``contact_interval`` weeks
    have passed since the last meeting, if the security situation grants access.
    """

    def __init__(self, model: NormDiffusionModel, index: int):
        super().__init__(model)
        self.index = index
        self.groups: list[ArmedGroup] = []

    @property
    def engaged(self) -> bool:
        p, week = self.model.settings.persuader, self.model.steps
        return week >= p.start_week and (p.end_week < 0 or week < p.end_week)

    def step(self) -> None:
        p, week, env = self.model.settings.persuader, self.model.steps, self.model.environment
        if week == p.end_week and week > p.start_week:
            for group in self.groups:
                self.model.log("engagement ended", group, self, "the persuader ended the engagement")
        if not self.engaged:
            return
        for group in self.groups:
            due = group.last_meeting is None or week - group.last_meeting >= p.contact_interval
            access = p.access * (1.0 - ACCESS_INTENSITY_LOSS * env.intensity)
            if due and self.model.streams.meetings.random() < access:
                self.meet(group)

    def meet(self, group: ArmedGroup) -> None:
        """One meeting with the top commander: trust first, then information and persuasion.

        Seed 002: "Both parties need to win each other's trust to speak openly about difficult
        issues"; "initiating talks with a practical problem with a relatively simple solution
        seems to be an approach that usually promises success"; "Information and familiarisation
        are, therefore, a fundamental first step."
        """
        model, s = self.model, self.model.settings
        p, h, g = s.persuader, s.hypotheses, s.group
        group.meetings += 1
        group.last_meeting = model.steps
        if group.meetings == 1:
            model.log("first contact", group, self, "the persuader met the top commander for the first time")
        h3 = h3_renowned_in_group(p.reputation, g.aspiration, strength=h.h3_strength,
                                  enabled=h.h3_enabled)
        h5 = h5_depoliticised(model.environment.politicisation(p.politicisation),
                              strength=h.h5_strength, enabled=h.h5_enabled)
        bonus = 1.0
        roll = model.streams.meetings.random()  # drawn at every meeting: keeps the stream in step
        if p.practical_first:
            a, b = PRACTICAL_SUCCESS
            if not group.practical_agreement and roll < a + b * group.trust:
                group.practical_agreement = True
                group.trust += PRACTICAL_TRUST_GAIN * (1.0 - group.trust)
                model.log("practical agreement", group, self,
                          "together they solved a practical problem (prisoners, a checkpoint); "
                          "trust grows faster from now on")
            if group.practical_agreement:
                bonus = PRACTICAL_TRUST_BONUS
        group.trust = min(1.0, group.trust + p.trust_rate * h3 * h5 * bonus * (1.0 - group.trust))

        cc, leader = model.commanders, group.index
        cc.knowledge[leader] += INFORMATION_PER_MEETING * (1.0 - cc.knowledge[leader])
        h1 = h1_new_or_insecure(g.age_weeks + model.steps, g.insecurity, strength=h.h1_strength,
                                enabled=h.h1_enabled, halflife=h.h1_newness_halflife)
        h2 = h2_current_views(g.people_war, g.contrary_practice, strength=h.h2_strength,
                              enabled=h.h2_enabled)
        h4 = h4_principled_dialogue(p.principled, p.practical_framing, strength=h.h4_strength,
                                    enabled=h.h4_enabled)
        gap = max(0.0, group.acceptance_ceiling - cc.acceptance[leader])
        cc.acceptance[leader] += min(1.0, p.persuasion_rate * h1 * h2 * h3 * h4 * h5
                                     * group.trust * cc.knowledge[leader]) * gap


class ArmedGroup(mesa.Agent):
    """A non-state armed group: its leadership's decisions and its integration cycle.

    The group's top commander is its strategic ``Commander``; the persuader–group relationship
    (trust, meetings, a solved practical problem) is kept here.
    """

    def __init__(self, model: NormDiffusionModel, index: int):
        super().__init__(model)
        self.index = index
        self.factors = np.zeros(4)
        self.trust = 0.0
        self.meetings = 0
        self.last_meeting: int | None = None
        self.practical_agreement = False
        self.doctrine_adopted = False
        self.committed = False
        self.commitments = 0
        self.derive_from_settings()
        self.violations_ewma: float | None = None
        self.last_sanction_event = -SANCTION_REPORT_GAP
        self.encounters = self.violations = self.sanctions_enforced = 0.0
        self.communities: list[Community] = []

    def derive_from_settings(self) -> None:
        """What the group takes from the settings once: its ceiling, structure and transmission
        (again after a change of conditions, :mod:`normsim.interventions`)."""
        s = self.model.settings
        g = s.group
        self.acceptance_ceiling = INCOMPATIBLE_CEILING if g.core_goal_incompatible else 1.0
        self.structure = integration.structure_strength(g.centralisation, g.factions, g.wing_split)
        isolation = s.integration.department_isolation if g.ihl_department else 0.0
        self.transmission = self.structure * (1.0 - isolation)

    @property
    def leader(self) -> Commander:
        return self.model.commander_agents[self.index]

    @property
    def compliance_rate(self) -> float:
        """Share of this week's encounters with civilians that respected the norm (NaN if none)."""
        return 1.0 - self.violations / self.encounters if self.encounters else math.nan

    def step(self) -> None:
        """The leadership decides; the integration cycle turns; perhaps a new top commander."""
        model, s = self.model, self.model.settings
        cc, L, week = model.commanders, self.index, model.steps
        if self.last_meeting != week:
            self.trust *= 1.0 - TRUST_EROSION
        env, h = model.environment, s.hypotheses
        h6 = h6_long_exposure(self.meetings, strength=h.h6_strength, enabled=h.h6_enabled,
                              half=h.h6_exposure_half)
        decay = s.group.acceptance_decay * decay_multiplier(h6)
        pressure = fmean(c.pressure for c in self.communities)
        a = cc.acceptance[L]
        a += (s.community.influence * s.group.people_war * pressure * cc.knowledge[L] * (1.0 - a)
              - decay * (a - cc.baseline[L]))
        cc.acceptance[L] = a = float(np.clip(a, 0.0, self.acceptance_ceiling))

        threshold = COMMIT_ACCEPTANCE_IN_PEACE if env.peace else COMMIT_ACCEPTANCE
        if (not self.committed and a >= threshold and self.trust >= COMMIT_TRUST
                and self.last_meeting == week):
            self.committed, self.commitments = True, self.commitments + 1
            model.log("commitment made", self, self.leader,
                      "the top commander publicly committed the group to respect IHL")
        elif self.committed and a < LAPSE_ACCEPTANCE:
            self._lapse("the top commander no longer stands by the group's commitment")
        cc.emphasis[L] = a * a * (1.0 if self.committed else UNCOMMITTED_SIGNAL)

        self._turn_the_cycle(cc.emphasis[L] * (1.0 - INTENSITY_CROWDING * env.intensity))
        if model.streams.groups.random() < s.group.leadership_turnover:
            self._replace_leader()
        model.signals.openness[L] = h2_current_views(
            s.group.people_war, s.group.contrary_practice, strength=h.h2_strength,
            enabled=h.h2_enabled)
        model.signals.decay[L] = decay
        for i, name in enumerate(integration.FACTORS):
            getattr(model.signals, name)[L] = self.factors[i]

    def _turn_the_cycle(self, drive: float) -> None:
        model, s = self.model, self.model.settings
        i_s, week = s.integration, model.steps
        self.factors = integration.advance(
            self.factors, drive=drive, structure=self.structure, growth=i_s.growth,
            reinforcement=i_s.reinforcement, decay=i_s.decay, department=s.group.ihl_department,
            department_isolation=i_s.department_isolation)
        rng = model.streams.groups
        hit, factor = rng.random(), int(rng.integers(4))  # both drawn weekly: streams stay in step
        if (hit < i_s.setback_rate * (0.5 + model.environment.intensity)
                and self.factors[factor] >= SETBACK_FLOOR):  # else there is nothing to lose
            name = integration.FACTORS[factor]
            self.factors = integration.setback(self.factors, factor, i_s.setback_size)
            model.log("setback", self, None, f"a setback in {name} pulled the other integration "
                      "factors down with it", detail=name)
        doctrine = self.factors[integration.DOCTRINE]
        if not self.doctrine_adopted and doctrine >= DOCTRINE_ADOPTED:
            self.doctrine_adopted = True
            model.log("doctrine adopted", self, self.leader, "IHL was added to the group's doctrine "
                      "and code of conduct; training follows")
        elif self.doctrine_adopted and doctrine < DOCTRINE_SLIPPED:
            self.doctrine_adopted = False
            model.log("doctrine slipped", self, self.leader, "IHL lost its place in the group's doctrine")
        training = self.factors[integration.TRAINING]
        if week > 0 and week % i_s.training_interval == 0 and training >= 0.05:
            model.drills[self.index] = i_s.drill_effect * training * self.transmission
            model.log("training cycle", self, None, "a round of practical IHL drills reached "
                      f"the units (training level {training:.2f})", training)

    def _replace_leader(self) -> None:
        """A new top commander; he keeps as much of the old priority as doctrine holds."""
        model, g = self.model, self.model.settings.group
        continuity = np.array([self.factors[integration.DOCTRINE]])
        model.commanders.replace(np.array([self.index]), continuity, model.streams.commanders,
                                 g.baseline_knowledge, g.baseline_acceptance)
        self.trust *= LEADER_TRUST_KEPT
        doctrine = self.factors[integration.DOCTRINE]
        model.log("commander replaced", self, self.leader, "a new top commander took over; "
                  + ("the doctrine carries the priority over" if doctrine >= DOCTRINE_ADOPTED
                     else "with little in the doctrine, the priority may slip"), detail="strategic")
        if self.committed and model.commanders.acceptance[self.index] < LAPSE_ACCEPTANCE:
            self._lapse("the new top commander does not stand by the group's commitment")

    def _lapse(self, why: str) -> None:
        self.committed = False
        self.model.log("commitment lapsed", self, self.leader, why)

    def observe_week(self, outcome) -> None:
        """Take note of what the fighters did: violations (a spike?) and sanctions enforced."""
        model, i = self.model, self.index
        self.encounters = float(outcome.encounters[i])
        self.violations = float(outcome.violations[i])
        self.sanctions_enforced = float(outcome.sanctions[i])
        ewma = self.violations_ewma
        if ewma is not None and self.violations >= max(SPIKE_MIN, SPIKE_RATIO * ewma):
            model.log("violation spike", self, None, f"violations spiked to {self.violations:.0f} "
                      f"this week, against about {ewma:.0f} usually", self.violations)
        self.violations_ewma = (self.violations if ewma is None
                                else SPIKE_MEMORY * ewma + (1 - SPIKE_MEMORY) * self.violations)
        if self.sanctions_enforced and model.steps - self.last_sanction_event >= SANCTION_REPORT_GAP:
            self.last_sanction_event = model.steps
            n = int(self.sanctions_enforced)
            model.log("sanction enforced", self, None, f"the group disciplined {n} "
                      f"fighter{'s' if n != 1 else ''} for violations this week", n)


class Commander(mesa.Agent):
    """A commander at the strategic, operational or tactical level; a view onto the cohort."""

    def __init__(self, model: NormDiffusionModel, index: int):
        super().__init__(model)
        self.index = index

    level = property(lambda self: LEVELS[self.model.commanders.level[self.index]])
    knowledge = property(lambda self: float(self.model.commanders.knowledge[self.index]))
    acceptance = property(lambda self: float(self.model.commanders.acceptance[self.index]))
    emphasis = property(lambda self: float(self.model.commanders.emphasis[self.index]),
                        doc="Emphasis he puts on IHL in his orders.")
    group = property(lambda self: self.model.group_agents[self.model.commanders.group[self.index]])

    @property
    def superior(self) -> Commander | None:
        sup = self.model.commanders.superior[self.index]
        return None if sup < 0 else self.model.commander_agents[sup]

    @property
    def subordinates(self) -> list[Commander]:
        idx = np.flatnonzero(self.model.commanders.superior == self.index)
        return [self.model.commander_agents[i] for i in idx]

    @property
    def fighters(self) -> list[Fighter]:
        idx = np.flatnonzero(self.model.fighters.commander == self.index)
        return [self.model.fighter_agents[i] for i in idx]


class Fighter(mesa.Agent):
    """A combatant in a tactical commander's unit; a view onto the fighter cohort.

    His weekly conduct (learning from orders and drills, peer influence, encounters with
    civilians, violations, sanctions) is :meth:`normsim.cohort.FighterCohort.week`.
    """

    def __init__(self, model: NormDiffusionModel, index: int):
        super().__init__(model)
        self.index = index

    knowledge = property(lambda self: float(self.model.fighters.knowledge[self.index]))
    acceptance = property(lambda self: float(self.model.fighters.acceptance[self.index]),
                          doc="Acceptance (internalisation) of the norm.")
    fear = property(lambda self: float(self.model.fighters.fear[self.index]),
                    doc="Fear of sanction.")
    violated = property(lambda self: bool(self.model.fighters.violations[self.index] > 0),
                        doc="Whether he violated the norm this week.")
    commander = property(lambda self: self.model.commander_agents[
        self.model.fighters.commander[self.index]])
    group = property(lambda self: self.model.group_agents[self.model.fighters.group[self.index]])
    community = property(lambda self: self.model.community_agents[
        self.model.fighters.community[self.index]])


class Community(mesa.Agent):
    """A civilian population in a group's area, where some of its units are stationed.

    Harm is its memory of violations suffered; support drifts towards the share of encounters
    in which it was respected; organised communities (elders, protection committees; seeds 001
    and 004) press the group in proportion to the harm they suffer.
    """

    def __init__(self, model: NormDiffusionModel, index: int, group: ArmedGroup):
        super().__init__(model)
        self.index, self.group = index, group
        self.support = model.settings.community.initial_support
        self.harm = self.pressure = 0.0
        self.recruits = 0

    def step(self) -> None:
        out, c, i = self.model.week_outcome, self.model.settings.community, self.index
        encounters = out.community_encounters[i]
        if encounters:
            local_violation = out.community_violations[i] / encounters
            self.harm = HARM_MEMORY * self.harm + (1 - HARM_MEMORY) * local_violation
        self.support += SUPPORT_RATE * ((1.0 - self.harm) - self.support)
        self.pressure = c.organisation * min(1.0, 2.0 * self.harm)
        self.recruits += int(out.community_recruits[i])


AGENT_TYPES = (Persuader, ArmedGroup, Commander, Fighter, Community)
__all__ = ["Persuader", "ArmedGroup", "Commander", "Fighter", "Community", "STRATEGIC"]
