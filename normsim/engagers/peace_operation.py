"""``peace_operation``: a UN peace operation engaging a group to protect civilians (seed 003).

Seed 003 describes what a mission brings that the ICRC does not: incentives ("programmatic
funding", the prospect of integration or DDR, de-listing, recognition), pressure (military force,
arrests of spoilers, "naming and shaming", sanctions and court referrals), intermediaries (elders,
religious leaders, community members) who open access, local agreements and action plans
(children: seed 004), and risks -- engaging "confers legitimacy", the host government objects.

Leverage is the core of it: incentives (valued as far as the group trusts the mission to
deliver) and the expected cost of pressure (as far as violations are seen) make the leadership
*instruct* compliance -- instrumental compliance that works while it lasts
(:mod:`normsim.rules.internalisation`). It persuades a little, conditionally (H4). An action plan is a
commitment it monitors, with implementation it requires (doctrine the group does not own).
While it engages, the host state's objection to the legitimacy it confers politicises every
engagement with the group (H5), the ICRC's included.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from normsim.engagers.base import (Engager, EngagerSettings, Meets, Monitors,
                                   OffersCommitments, register)
from normsim.events import declare
from normsim.rules.norms import observability
from normsim.params import P

OBJECTION_RATE = 0.01  # weekly growth of the host state's objection, per unit of legitimacy risk
OBJECTION_FADE = 0.01  # weekly fading of the objection once no mission engages the group

INCENTIVES = declare("incentives offered", "{engager} offered programmes, integration prospects "
                     "or de-listing in exchange for compliance", marker="incentives")


class PeaceOperationSettings(Meets, Monitors, OffersCommitments, EngagerSettings):
    title = "Peace operation (UN mission)"
    kind: Literal["peace_operation"] = "peace_operation"
    reputation: float = P(
        0.5, 0, 1, label="standing in the international community",
        meaning="Standing as the international community's representative (H3): a mission "
        "speaks for it, but it is a party with a mandate, not a neutral intermediary.",
        source="Seed 003 (credibility, perceptions of partiality). Size: assumption.")
    politicisation: float = P(
        0.4, 0, 1, label="politicisation of the engagement",
        meaning="How much the engagement is tied to the political process (H5).",
        source="Seed 003: engagement within a political mandate. Size: assumption.")
    principled: float = P(
        0.3, 0, 1, label="argues from principles",
        meaning="How much it argues from principles rather than bargaining (H4).",
        source="Seed 003: incentives and pressure alongside advocacy. Size: assumption.")
    practical_framing: float = P(0.5, 0, 1, label="law framed in practical terms",
                                 meaning="How practically it presents the norms (H4).",
                                 source="Seed 003. Size: assumption.")
    persuasion_rate: float = P(
        0.01, 0, 1, label="persuasion per meeting",
        meaning="Share of the top commander's acceptance gap closed per meeting at full trust "
        "and knowledge.", source="Assumption: half the dialogue's; a mission's meetings are "
        "political.")
    incentives: float = P(
        0.3, 0, 1, label="incentives offered",
        meaning="Value to the group of what the mission offers for compliance (programme "
        "funding, integration or DDR, de-listing, recognition), as far as it trusts the mission.",
        source="Seed 003: entry points and incentives. Size: assumption.")
    pressure: float = P(
        0.3, 0, 1, label="pressure applied",
        meaning="Expected cost of violating under the mission's pressure (force, arrests of "
        "spoilers, naming and shaming, sanctions and court referrals), as far as violations are "
        "seen (times the norm's observability).", source="Seed 003: pressure and "
        "accountability. Size: assumption.")
    intermediaries: float = P(
        0.5, 0, 1, label="intermediaries (elders, religious leaders)",
        meaning="How much intermediaries open access and carry trust: access and trust gained "
        "per meeting are raised by up to half at 1.", source="Seed 003: intermediaries such as "
        "elders and community members; seed 001.")
    action_plan: bool = P(
        True, label="offers agreements and action plans",
        meaning="It offers commitments (local agreements, action plans) and monitors them.",
        source="Seed 003 (local agreements); seed 004 (action plans on children).")
    plan_support: float = P(
        0.3, 0, 2, label="implementation required by an action plan",
        meaning="Integration drive an action plan requires of the group after it commits "
        "(orders, release procedures): imposed, not owned.", source="Seed 003; seed 004. Size: "
        "assumption.")
    monitoring: float = P(
        0.5, 0, 1, label="monitoring of agreements",
        meaning="Chance that a known-able violation of a committed norm is reported (times "
        "observability).", source="Seed 003 (monitoring and reporting). Size: assumption.")
    legitimacy_risk: float = P(
        0.3, 0, 1, label="legitimacy conferred (host state's objection)",
        meaning="How much engaging confers legitimacy on the group, to which the host state "
        "objects: the objection grows while it engages and politicises every engagement with "
        "the group (H5).", source="Seed 003: the risks of conferring legitimacy and of "
        "host-government objection. Size: assumption.")


@register
class PeaceOperation(Engager):
    kind = "peace_operation"
    noun = "peace operation"
    Settings = PeaceOperationSettings
    handles = ("civilians", "children")
    summary = ("UN peace operation: incentives and pressure (instrumental leverage), "
               "intermediaries, agreements and action plans, with a legitimacy risk (seed 003)")

    @property
    def offers_commitment(self) -> bool:
        return self.settings.action_plan

    def access(self, world):
        return min(1.0, self.settings.access * (1.0 + 0.5 * self.settings.intermediaries))

    def meet(self, world, idx: np.ndarray) -> None:
        s = self.settings
        for i in idx[self.engagement.meetings[idx] == 1]:
            world.log(INCENTIVES, int(i), engager=self)
        self.build_trust(world, idx, bonus=1.0 + 0.5 * s.intermediaries)
        self.persuade(world, idx, principled=s.principled, framing=s.practical_framing,
                      rate=s.persuasion_rate)

    def hold(self, world) -> None:
        s, g, rec = self.settings, world.groups, self.engagement
        seen = observability(world.settings, world.norms)
        engaged = rec.engaged[:, None] & self.on[None, :]
        rec.leverage[:] = engaged * (s.incentives * rec.trust[:, None] + s.pressure * seen)
        planned = self.kept_commitments(world)
        rec.support_imposed[:] = planned * s.plan_support
        g.objection[rec.engaged] += (OBJECTION_RATE * s.legitimacy_risk
                                     * (1.0 - g.objection[rec.engaged]))
        if s.action_plan:
            self.monitor(world, s.monitoring)
