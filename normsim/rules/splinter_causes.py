"""Splinters with causes of their own: succession, resources and a rival's offer.

In :mod:`normsim.rules.splinters` a faction breaks away only when the top command commits to a
norm the faction's commander rejects, so "commitment splits groups" is built in. Armed groups
fragment for many other reasons: contested succession after a leader's death or arrest
(leadership decapitation: Johnston 2012, International Security 36(4)), competition for
resources and rents (Weinstein 2007, Inside Rebellion), and the offers of rivals and states
that co-opt factions (Staniland 2014, Networks of Rebellion; Pearlman and Cunningham 2012). With
this mechanism on, every operational commander's weekly chance of breaking away gains, at a
fully weak structure (times ``1 - structure``, as the commitment cause):

- ``succession`` during the ``succession_weeks`` after a new top commander took over,
- ``resources x shortfall`` (the group's shortfall of voluntary recruits: support lost, men
  short),
- ``rival_offer`` when another armed group fights in the same country.

Whether commitment splits groups is then a result: compare splinter counts with and without
engagement. Off by default.
"""

from __future__ import annotations

import numpy as np

from normsim.events import declare
from normsim.params import P, Section
from normsim.world.arrays import clip

BROKE_AWAY = declare("faction broke away", "a faction broke away ({detail}); it fights on as a "
                     "group of its own", marker="splinter")


class SplinterCausesSettings(Section):
    title = "Splinters with their own causes"
    bundle = "armed group"
    enabled: bool = P(
        False, label="other causes of splinters switched on",
        meaning="Switch: factions also break away after a succession, for resources, or at a "
        "rival's offer (off: only a rejected commitment splits a group).",
        source="Staniland 2014; Pearlman and Cunningham 2012; Johnston 2012; Weinstein 2007.")
    succession: float = P(
        0.005, 0, 1, unit="per week", label="splinters after a succession",
        meaning="Weekly chance an operational commander breaks away in the weeks after a new "
        "top commander, at a fully weak structure.", source="Johnston 2012 (leadership "
        "decapitation and group cohesion). Size: assumption (as the commitment cause).")
    succession_weeks: int = P(
        26, 1, 520, unit="weeks", label="weeks a succession is contested",
        meaning="Weeks after a new top commander during which succession may split the group.",
        source="Assumption: half a year.")
    resources: float = P(
        0.002, 0, 1, unit="per week", label="splinters over resources",
        meaning="Weekly chance an operational commander breaks away at a full shortfall of "
        "recruits and a fully weak structure.", source="Weinstein 2007 (resources and "
        "organisation). Size: assumption.")
    rival_offer: float = P(
        0.001, 0, 1, unit="per week", label="splinters at a rival's offer",
        meaning="Weekly chance an operational commander accepts a rival's offer and breaks away "
        "when another group fights in the country, at a fully weak structure.",
        source="Staniland 2014; Pearlman and Cunningham 2012. Size: assumption.")


class Causes:
    """Weeks since each group's last succession."""

    def __init__(self, world):
        self.last_succession = np.full(world.groups.n, -10**6)
        self.main: dict[int, int] = {}  # operational commander -> his main cause this week

    def succession(self, idx: np.ndarray, week: int) -> None:
        self._grow(int(np.max(idx)) + 1)
        self.last_succession[idx] = week

    def _grow(self, n: int) -> None:
        if len(self.last_succession) < n:  # factions that broke away: no succession yet
            extra = np.full(n - len(self.last_succession), -10**6)
            self.last_succession = np.concatenate([self.last_succession, extra])

    def chance(self, world, ops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The added weekly chance of breaking away of each operational commander ``ops``, and
        the main cause's index into :data:`WHY` per commander."""
        s, g, cc = world.settings.splinter_causes, world.groups, world.commanders
        self._grow(g.n)
        grp = cc.group[ops]
        rivals = np.bincount(world.country[g.alive], minlength=int(world.country.max()) + 1)
        recent = world.steps - self.last_succession[grp] < s.succession_weeks
        causes = np.stack([s.succession * recent,
                           s.resources * np.asarray(g.shortfall, dtype=float)[grp],
                           s.rival_offer * (rivals[world.country[grp]] > 1)], axis=1)
        weak = 1.0 - clip(g.structure[grp], 0.0, 1.0)
        self.main = dict(zip(ops.tolist(), causes.argmax(axis=1).tolist()))
        return causes.sum(axis=1) * weak, causes.argmax(axis=1)


WHY = ("after a contested succession", "over resources", "at a rival's offer")


def causes(world) -> Causes:
    """This run's record of successions (kept with the other mechanisms' state)."""
    return world.__dict__.setdefault("_mechanisms", {}).setdefault("splinter_causes",
                                                                   Causes(world))


def note_succession(world, idx: np.ndarray) -> None:
    """A new top commander took over in groups ``idx`` (called by the leadership's turnover)."""
    if world.settings.splinter_causes.enabled:
        causes(world).succession(idx, world.steps)


def added(world, ops: np.ndarray) -> np.ndarray | float:
    """The chance these causes add for each operational commander ``ops`` (0 when off)."""
    if not world.settings.splinter_causes.enabled:
        return 0.0
    return causes(world).chance(world, ops)[0]


def why(world, commander: int, parent: int) -> str | None:
    """Why this commander broke away, when it was not over a commitment (None otherwise)."""
    if not world.settings.splinter_causes.enabled or world.groups.committed[parent].any():
        return None
    return WHY[causes(world).main.get(commander, 0)]
