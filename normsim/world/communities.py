"""Civilian communities in the groups' areas, as arrays: harm suffered, support, pressure.

Seeds 001 and 004: organised communities -- elders, protection committees -- press armed
groups, and "strengthening community resistance continues to be an essential factor". How
communities restrain armed groups is documented beyond the seeds: groups that depend on a
civilian constituency restrain their violence towards it (Stanton 2016, Violence and Restraint
in Civil War), and organised communities negotiate and resist (Kaplan 2017, Resisting War;
Arjona 2016, Rebelocracy). Pressure here is social control, not persuasion: it lowers the odds
that fighters stationed among a pressing community violate the norm, for as long as it presses.

Support matters to the group: it brings recruits, so harm that erodes support widens the
group's shortfall of voluntary recruits (:meth:`CommunityState.shortfall`), the pressure towards
recruiting children (seed 004). Seed 001's organised communities negotiate -- "a soldier comes
into your compound, it's like a brother", a flat contribution instead of looting at checkpoints
-- which is the restraint their pressure buys.

Each community remembers the harm it suffered (the share of encounters that violated the norm,
with memory :data:`HARM_MEMORY`), presses in proportion to it when organised, and its support for
the group moves away from its usual level when harm departs from its usual level. Runs start
with harm at its no-engagement equilibrium (:meth:`CommunityState.settle_harm`), so a group left
alone stays where it started. The ``Community`` Mesa agents are views onto these arrays.
"""

from __future__ import annotations

import numpy as np

from normsim.world.arrays import clip
from normsim.params import P, Section

HARM_MEMORY, SUPPORT_RATE = 0.9, 0.02  # communities' memory of harm; pace of support change
EQUILIBRIUM_ITERATIONS = 30  # fixed-point iterations for the starting harm


class CommunitySettings(Section):
    title = "Communities"
    bundle = "environment"
    per_group: int = P(4, 1, 1_000, label="communities per group",
                       meaning="Civilian communities in each group's area; units are stationed "
                       "among them in turn.", source="MODEL.md: many communities.")
    organisation: float = P(
        0.3, 0, 1, label="organisation of communities",
        meaning="How organised communities are to press the group (elders, protection committees).",
        source="Seed 001 (community protection committees), seed 004 (community resistance).")
    initial_support: float = P(
        0.6, 0, 1, label="communities' usual support",
        meaning="Communities' support for the group before any engagement (its usual level).",
        source="Assumption.")
    support_sensitivity: float = P(
        1.0, 0, 5, label="sensitivity of support to harm",
        meaning="How far support moves from its usual level per unit of harm above or below the "
        "usual harm.", source="Stanton 2016: constituencies withdraw support from abusive groups. "
        "Size: assumption.")
    restraint: float = P(
        1.0, 0, 10, label="restraint from community pressure (log-odds)",
        meaning="Log-odds of violating removed for fighters stationed among a community pressing "
        "at full strength, in a group that depends fully on the population (scaled by "
        "people_war).", source="Seeds 001 and 004; Kaplan 2017; Arjona 2016; Stanton 2016. Size: "
        "assumption.")


class CommunityState:
    """Every community of every group; ``group`` gives each community's group."""

    def __init__(self, n_groups: int, settings: CommunitySettings):
        self.settings = settings
        self.n = n_groups * settings.per_group
        self.group = np.repeat(np.arange(n_groups), settings.per_group)
        self.harm = np.zeros(self.n)
        self.usual_harm = np.zeros(self.n)
        self.support = np.full(self.n, settings.initial_support)
        self.pressure = np.zeros(self.n)
        self.recruits = np.zeros(self.n, dtype=np.int64)

    def press(self) -> None:
        self.pressure = self.settings.organisation * np.minimum(1.0, 2.0 * self.harm)

    def settle_harm(self, expected_harm) -> None:
        """Start at the no-engagement equilibrium: iterate harm -> pressure -> the fighters'
        expected violation share (``expected_harm(pressure)``) to its fixed point."""
        for _ in range(EQUILIBRIUM_ITERATIONS):
            self.press()
            self.harm = expected_harm(self.pressure)
        self.press()
        self.usual_harm = self.harm.copy()

    def change_settings(self, settings: CommunitySettings, week: int, expected_harm) -> None:
        """New settings from ``week`` on; at week 0, the start is settled again from them (harm
        at the no-engagement equilibrium, :meth:`settle_harm`)."""
        self.settings = settings
        if week == 0:
            self.harm[:] = 0.0
            self.settle_harm(expected_harm)

    def week(self, encounters: np.ndarray, violations: np.ndarray, recruits: np.ndarray) -> None:
        """Register this week's harm (``encounters`` and ``violations`` per community, summed
        over the norms fighters decide), move support, press."""
        local = np.divide(violations, encounters, out=np.zeros(self.n), where=encounters > 0)
        self.harm = np.where(encounters > 0, HARM_MEMORY * self.harm + (1 - HARM_MEMORY) * local,
                             self.harm)
        s = self.settings
        target = clip(s.initial_support + s.support_sensitivity * (self.usual_harm - self.harm),
                         0.0, 1.0)
        self.support += SUPPORT_RATE * (target - self.support)
        self.press()
        self.recruits += recruits.astype(np.int64)

    def attach(self, unit_group: np.ndarray, unit_community: np.ndarray) -> None:
        """Where each group's units are stationed (after a splinter, groups share communities)."""
        self.unit_group, self.unit_community = unit_group, unit_community

    def shortfall(self, manpower_need: np.ndarray, n_groups: int) -> np.ndarray:
        """Each group's shortfall of voluntary recruits: its usual need, widened as its
        communities' support falls below its usual level (support brings recruits: seed 004;
        harm therefore costs the group manpower)."""
        s = self.settings
        usual = max(s.initial_support, 1e-9)
        lost = (usual - self.group_means(self.support, n_groups)) / usual
        return clip(manpower_need + lost, 0.0, 1.0)

    def group_means(self, values: np.ndarray, n_groups: int) -> np.ndarray:
        """Mean over the communities each group's units are stationed among (by unit)."""
        ug, uc = self.unit_group, self.unit_community
        sums = np.bincount(ug, weights=values[uc], minlength=n_groups)
        return sums / np.maximum(np.bincount(ug, minlength=n_groups), 1)
