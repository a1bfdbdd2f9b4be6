"""``deed``: a deed of commitment on one norm, Geneva Call-style (seed 001; seed 002, fn. 1).

Seed 001: Geneva Call "gives armed groups the opportunity to sign up to specific humanitarian
norms and be held accountable, for instance by signing 'deeds of commitment'. ... it involves
constructive and sustained dialogue to persuade each group to sign formal commitments, and it
continues after signature through implementation support and monitoring to ensure that these
commitments translate into actual practice"; it provides "customised training on the rules of
international humanitarian law and advice on how to incorporate these into their codes of
conduct"; "all signatories to the deeds of commitment have met their monitoring obligations,
providing information and reports ... and allowing follow-up field missions". Seed 002, fn. 1:
such an agreement "may be legally, though unilaterally, binding and subject to monitoring".

Before signature it persuades like a principled dialogue on its one norm. The signature is a
public commitment (:mod:`normsim.rules.leadership`). After it: implementation support the group owns
(advice on its *own* code of conduct, training: seed 000's ownership), monitoring that reports
violations, and an audience cost -- a signatory that aspires to the international community
(H3) stands to lose standing if caught, an instrumental reason to keep its word.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import model_validator

from normsim.engagers.base import (Engager, EngagerSettings, Meets, Monitors,
                                   OffersCommitments, register)
from normsim.rules.norms import NORMS, observability
from normsim.params import P


class DeedSettings(Meets, Monitors, OffersCommitments, EngagerSettings):
    title = "Deed of commitment (Geneva Call-style)"
    kind: Literal["deed"] = "deed"
    norm: str = P("mines", label="norm of the deed",
                  meaning="The one norm the deed commits a signatory to (any norm in play: "
                  "mines, children, civilians ...).", source="Seed 001: deeds on anti-personnel mines, children, "
                  "sexual violence; seed 002, footnote 1.")
    reputation: float = P(
        0.6, 0, 1, label="standing in the international community",
        meaning="Standing as part of the international community the group may wish to join "
        "(H3): an NGO, less of the in-group than the ICRC's mandate gives it.",
        source="Seed 002, H3; seed 001 (Geneva Call). Size: assumption.")
    contact_interval: int = P(8, 1, 520, unit="weeks", label="interval between meetings",
                              meaning="Weeks between meetings with a group's leadership.",
                              source="Seed 001: 'constructive and sustained dialogue'. "
                              "Assumption.")
    practical_framing: float = P(
        0.7, 0, 1, label="norm framed in practical terms",
        meaning="How practically the norm is presented (H4); a deed sets no conditions.",
        source="Seed 001; seed 002, H4.")
    persuasion_rate: float = P(
        0.02, 0, 1, label="persuasion per meeting",
        meaning="Share of the top commander's acceptance gap on the deed's norm closed per "
        "meeting at full trust and knowledge.", source="As dialogue.persuasion_rate.")
    implementation_support: float = P(
        0.5, 0, 2, label="implementation support after signature",
        meaning="Integration drive the engager adds after signature (training, advice on the "
        "group's own code of conduct), owned by the group, relative to a fully committed top "
        "command's.", source="Seed 001: 'implementation support', 'advice on how to incorporate "
        "these into their codes of conduct'; seed 000 (ownership). Size: assumption.")
    monitoring: float = P(
        0.5, 0, 1, label="monitoring and field verification",
        meaning="Chance that a known-able violation of the signed norm is reported (times the "
        "norm's observability).", source="Seed 001: monitoring obligations, 'follow-up field "
        "missions'. Size: assumption.")
    audience_cost: float = P(
        0.5, 0, 2, label="standing at stake after signature",
        meaning="Instrumental pull to keep a signed commitment: the standing a signatory risks, "
        "times its aspiration (H3), the monitoring and the norm's observability.",
        source="Seed 002, H4: repeated infringements 'put its reputation, its support and social "
        "inclusion at risk'; audience costs of public commitments. Size: assumption.")

    @model_validator(mode="after")
    def _one_norm(self):
        if self.norms and self.norms != [self.norm]:
            raise ValueError(f"a deed commits to one norm: give norm = \"{self.norm}\" and leave "
                             f"norms out (norms = {self.norms})")
        return self


@register
class Deed(Engager):
    kind = "deed"
    noun = "deed engager"
    Settings = DeedSettings
    handles = tuple(NORMS)  # Geneva Call's deeds: mines, children, sexual violence, health care ...
    summary = ("deed of commitment on one norm (Geneva Call-style): dialogue to signature, then "
               "implementation support the group owns, monitoring and an audience cost (seed 001)")

    def __init__(self, model, index, settings):
        super().__init__(model, index, settings.model_copy(update={"norms": [settings.norm]}))

    def change_settings(self, settings, week):
        super().change_settings(settings.model_copy(update={"norms": [settings.norm]}), week)

    def meet(self, world, idx: np.ndarray) -> None:
        s = self.settings
        self.build_trust(world, idx)
        self.persuade(world, idx, principled=1.0, framing=s.practical_framing,
                      rate=s.persuasion_rate)

    def hold(self, world) -> None:
        s, g, rec = self.settings, world.groups, self.engagement
        signed = self.kept_commitments(world)
        seen = observability(world.settings, world.norms)
        rec.leverage[:] = (signed * s.audience_cost * g.aspiration[:, None] * s.monitoring
                           * seen[None, :])
        rec.support_owned[:] = signed * s.implementation_support * rec.trust[:, None]
        self.monitor(world, s.monitoring)
