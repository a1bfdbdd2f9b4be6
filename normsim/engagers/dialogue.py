"""``dialogue``: an ICRC-style persuader with no leverage but argument (seed 002).

Seed 002: the ICRC "does not rely on capabilities that would allow it to exert social pressure or
to negotiate norm compliance"; "By means of discourses with arms carriers ... the ICRC tries, via
use of rhetoric, to justify and disseminate the norms of IHL"; it "has no means of pressure or
leverage other than persuasion". At each meeting with the top commander: a practical problem
first, then trust, information and persuasion, modulated by H1-H5. A *conditional* persuader
(H4: one that "set[s] forth conditions") attaches conditions to what it offers: that is leverage,
and it buys instrumental compliance (:mod:`normsim.rules.internalisation`) for as long as it lasts.
After a commitment the dialogue goes on: "continuous and confidential bilateral dialogue and
additional training" (H6) -- its persuasion continues, it reports nothing publicly.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from normsim.engagers.base import (Engager, EngagerSettings, Meets, OffersCommitments,
                                   register)
from normsim.events import declare
from normsim.params import P
from normsim.rules.norms import NORMS
from normsim.world.arrays import runs_of
from normsim.world.batch_streams import count

PRACTICAL_SUCCESS = (0.25, 0.5)  # chance to solve the practical problem: a + b * trust
PRACTICAL_TRUST_GAIN = 0.1  # share of the trust gap closed by solving it
PRACTICAL_TRUST_BONUS = 1.5  # trust then grows this much faster ("build trust upon prior success")

PRACTICAL = declare("practical agreement", "together they solved a practical problem (prisoners, "
                    "a checkpoint); trust grows faster from now on", marker="practical agreement")


class DialogueSettings(Meets, OffersCommitments, EngagerSettings):
    title = "Dialogue (ICRC-style persuader)"
    kind: Literal["dialogue"] = "dialogue"
    principled: float = P(
        1.0, 0, 1, label="argues from principles",
        meaning="1: argues from principles and sets no conditions; 0: sets conditions (H4).",
        source="Seed 002, H4: 'does not set forth conditions, but acts based on principles'.")
    practical_framing: float = P(
        0.7, 0, 1, label="law framed in practical terms",
        meaning="How well the law is presented in practical terms adapted to the audience (H4).",
        source="Seed 002, H4: 'the law in force is presented in a practical manner'.")
    practical_first: bool = P(
        True, label="talks open with a practical problem",
        meaning="Open talks with a practical problem with a simple solution (prisoners, a "
        "checkpoint); once solved, trust grows half as fast again.",
        source="Seed 002, Quality of the interaction: 'initiating talks with a practical problem "
        "with a relatively simple solution seems to be an approach that usually promises success'.")
    persuasion_rate: float = P(
        0.02, 0, 1, label="persuasion per meeting",
        meaning="Share of the top commander's acceptance gap closed per meeting at full trust and "
        "full knowledge in neutral conditions.", source="Assumption: with it, the leadership "
        "commits after one to three years (seed 002: 'a long-term endeavour').")
    conditions_leverage: float = P(
        0.3, 0, 1, label="leverage of its conditions",
        meaning="Leverage a fully conditional persuader (principled = 0) holds over the group by "
        "making what it offers (relief, services, access) conditional on compliance; scaled by "
        "1 - principled and by trust (the group must believe it will deliver).",
        source="Seed 002, H4 (conditions) and 'Neither has it the possibility to recommend social "
        "incentives'; seed 003 on incentives. Size: assumption.")


@register
class Dialogue(Engager):
    kind = "dialogue"
    noun = "persuader"
    Settings = DialogueSettings
    handles = tuple(NORMS)  # the ICRC engages on IHL as a whole: every declared norm
    summary = ("ICRC-style persuader: confidential dialogue with the top command, argument only "
               "(a conditional one attaches conditions); commitments to IHL (seed 002)")

    def meet(self, world, idx: np.ndarray) -> None:
        """One meeting with each top commander in ``idx``: a practical problem, trust, then
        information and persuasion (seed 002: "initiating talks with a practical problem with
        a relatively simple solution seems to be an approach that usually promises success")."""
        s, rec = self.settings, self.engagement
        roll = count(world.streams.meetings, runs_of(world.groups, idx), len(idx),
                     "random")  # drawn at every meeting: streams in step
        bonus = np.ones(len(idx))
        if s.practical_first:
            a, b = PRACTICAL_SUCCESS
            solved = ~rec.practical_agreement[idx] & (roll < a + b * rec.trust[idx])
            for i in idx[solved]:
                rec.practical_agreement[i] = True
                rec.trust[i] += PRACTICAL_TRUST_GAIN * (1.0 - rec.trust[i])
                world.log(PRACTICAL, int(i), engager=self)
            bonus = np.where(rec.practical_agreement[idx], PRACTICAL_TRUST_BONUS, 1.0)
        self.build_trust(world, idx, bonus)
        self.persuade(world, idx, principled=s.principled, framing=s.practical_framing,
                      rate=s.persuasion_rate)

    def hold(self, world) -> None:
        """A conditional persuader's conditions hold while it engages (Kelman's compliance)."""
        rec, s = self.engagement, self.settings
        pull = (1.0 - s.principled) * s.conditions_leverage * rec.trust * rec.engaged
        rec.leverage[:] = pull[:, None] * self.on[None, :]
