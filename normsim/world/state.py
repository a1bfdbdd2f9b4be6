"""The state the groups fight, as a Mesa agent with its own conduct: reciprocity.

Seed 002 names reciprocity among the benefits the ICRC argues: "opponent-combatants surrender
more readily upon knowing that if they are prisoners, they will be treated well; equally,
opponents will be more likely to treat the arms carriers' prisoners well", and its absence among
groups' justifications: "in a conflict against a government they do not feel bound by
obligations ratified by precisely the government against which they are fighting". Seed 001:
"States may be encouraged to sign a treaty because the opposing armed group has made a similar
commitment." The state's forces respect IHL in a share ``compliance`` of their encounters; a
group facing a state that respects it values compliance more (:mod:`normsim.rules.leadership`). The
state answers the groups in turn: its conduct moves with the groups' conduct away from its usual
level (so a run without engagement stays where it started).
"""

from __future__ import annotations

import mesa
import numpy as np

from normsim.world.arrays import clip

from normsim.params import P, Section


class StateSettings(Section):
    title = "The state's forces (reciprocity)"
    bundle = "environment"
    compliance: float = P(
        0.6, 0, 1, label="state forces' respect for IHL",
        meaning="Share of the state forces' encounters with civilians and captives that respect "
        "IHL, before any engagement of the groups.", source="Seed 002 (reciprocity). Size: "
        "assumption.")
    responsiveness: float = P(
        0.5, 0, 2, label="state's response to the groups' conduct",
        meaning="How far the state's compliance moves per unit change in the groups' compliance "
        "from its usual level (reciprocity from the state's side).",
        source="Seed 001: 'States may be encouraged to sign a treaty because the opposing armed "
        "group has made a similar commitment'. Size: assumption.")
    reciprocity: float = P(
        0.5, 0, 1, label="weight of reciprocity for the groups",
        meaning="How much a group's instrumental reasons to comply depend on the state's conduct: "
        "they are multiplied by 1 - reciprocity + 2 reciprocity x the state's compliance (1 at a "
        "state that respects IHL half the time).", source="Seed 002 (reciprocity as a benefit "
        "of compliance; its absence as a justification). Size: assumption.")


class State(mesa.Agent):
    """The state's forces: their compliance, and how they answer the groups'."""

    def __init__(self, model, settings: StateSettings, usual_groups: float):
        super().__init__(model)
        self.settings = settings
        self.compliance = settings.compliance
        self.usual_groups = usual_groups  # the groups' compliance before engagement

    def change_settings(self, settings: StateSettings, week: int, usual_groups: float) -> None:
        """New settings from ``week`` on; at week 0, the start is settled again from them (the
        state's conduct, and the groups' usual compliance ``usual_groups``)."""
        self.settings = settings
        if week == 0:
            self.compliance = settings.compliance
            self.usual_groups = usual_groups

    def step(self) -> None:
        self.respond(self.model.groups, slice(None))

    def respond(self, groups, mine) -> None:
        """Answer this week's conduct of the groups ``mine`` (all of them, or in a batch of
        runs this run's)."""
        norms = [n.key for n in self.model.norms]
        if "civilians" not in norms:
            return
        c = norms.index("civilians")
        occasions, violations = groups.occasions[mine, c], groups.violations[mine, c]
        live = groups.alive[mine] & (occasions > 0)
        if not live.any():
            return
        now = 1.0 - violations[live].sum() / occasions[live].sum()
        s = self.settings
        target = s.compliance + s.responsiveness * (now - self.usual_groups)
        self.compliance += 0.05 * (float(clip(target, 0.0, 1.0)) - self.compliance)

    def value_of_compliance(self) -> float:
        """The multiplier on a group's instrumental reasons to comply."""
        s = self.settings
        return 1.0 - s.reciprocity + 2.0 * s.reciprocity * self.compliance


class RunStates:
    """The State of each run of a batch (normsim.simulation.batch_engine): each answers its own
    run's groups; what a process reads is one value per group, from the group's run."""

    def __init__(self, states: list[State], groups):
        self.runs, self.groups = states, groups

    def step(self) -> None:
        for r, state in enumerate(self.runs):
            state.respond(self.groups, np.flatnonzero(self.groups.run == r))

    def value_of_compliance(self) -> np.ndarray:
        return np.array([s.value_of_compliance() for s in self.runs])[self.groups.run]

    @property
    def compliance(self) -> np.ndarray:
        return np.array([s.compliance for s in self.runs])[self.groups.run]
