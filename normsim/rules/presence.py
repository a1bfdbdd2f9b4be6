"""Presence: a peace operation's troops and observers deter violations where they are deployed.

The evidence credits peacekeepers less with persuading leaders than with being there: more UN
troops and police deployed go with fewer civilians killed, by governments and rebels alike
(Hultman, Kathman and Shannon 2013, AJPS 57(4)), and the local presence of peacekeepers in a
place goes with less rebel violence against civilians there (Fjelde, Hultman and Nilsson 2019,
International Organization 73(1)). Presence restrains conduct, not beliefs: it raises the
expected cost of a violation where witnesses and protectors stand, whatever the leadership
thinks, and it lasts only while they stand there.

Here every engager whose kind deploys (:data:`DEPLOYS`) stations ``troops`` in a share
``coverage`` of the communities of each group it engages while it is active. At a covered
community the log-odds that a fighter's encounter violates the civilians norm fall by

    deterrence x troops / (troops + half_troops) x level

-- a dose-response with diminishing returns (each added battalion deters less than the one
before). ``level`` is 1 while the troops are there and falls linearly to 0 over
``linger_weeks`` after they leave (rumour of their return, patrol schedules still believed):
after that the direct effect is gone, and only what was internalised meanwhile (nothing, unless
:mod:`normsim.rules.habit` is on) or what communities and the state remember (weeks) remains.
Off by default: the shipped scenarios' results are unchanged.
"""

from __future__ import annotations

import math

import numpy as np

from normsim.params import P, Section

DEPLOYS = ("peace_operation",)  # engager kinds that deploy troops or observers: a mission does;
# the ICRC's delegates and Geneva Call's staff are not there to deter (seed 002, seed 001)


class PresenceSettings(Section):
    title = "Presence of peacekeepers"
    bundle = "persuader"
    enabled: bool = P(
        False, label="presence switched on",
        meaning="Switch for presence: engagers that deploy (peace operations) station troops "
        "among the communities of the groups they engage, and fighters there violate less "
        "(off: engagers reach only the leadership, as before).",
        source="Hultman, Kathman and Shannon 2013 (AJPS): UN troop and police numbers reduce "
        "civilian killings; Fjelde, Hultman and Nilsson 2019 (IO): local presence reduces rebel "
        "violence against civilians.")
    troops: float = P(
        1000.0, 0, 100_000, unit="troops", label="troops per covered community",
        meaning="Troops and police a deploying engager stations in each covered community.",
        source="Hultman, Kathman and Shannon 2013: the effect is measured in troops and police "
        "deployed (several thousand reduce killings markedly). Size: assumption.")
    half_troops: float = P(
        1000.0, 1, 100_000, unit="troops", label="troops for half the deterrence",
        meaning="Deployment at which presence deters half as much as a saturating one "
        "(diminishing returns: troops / (troops + this)).",
        source="Hultman, Kathman and Shannon 2013 (effect grows with deployment size); "
        "diminishing returns: assumption.")
    deterrence: float = P(
        1.0, 0, 10, label="deterrence of presence (log-odds)",
        meaning="Log-odds of a violation against civilians removed at a covered community under "
        "a saturating deployment.", source="Fjelde, Hultman and Nilsson 2019: local presence "
        "reduces rebel violence against civilians. Size: assumption (as fear_effect).")
    coverage: float = P(
        0.5, 0, 1, label="share of communities covered",
        meaning="Share of each engaged group's communities where troops are stationed (at least "
        "one when above 0).", source="Fjelde, Hultman and Nilsson 2019: deployments are local "
        "and partial. Size: assumption.")
    linger_weeks: int = P(
        13, 0, 520, unit="weeks", label="weeks presence lingers after withdrawal",
        meaning="Weeks over which the deterrence fades linearly to nothing after the troops "
        "leave (0: it ends with them).", source="Assumption: a quarter of a year for a "
        "withdrawal to be known and believed.")


class Presence:
    """Where troops stand: the deterrence level at each community ``(K,)``."""

    def __init__(self, world):
        self.level = np.zeros(world.communities.n)

    def covered(self, world) -> np.ndarray:
        """Communities where a deploying engager has troops this week ``(K,)``."""
        s, com = world.settings, world.communities
        per_group = s.community.per_group
        first = min(per_group, max(1 if s.presence.coverage > 0 else 0,
                                   math.ceil(s.presence.coverage * per_group - 1e-9)))
        engaged = np.zeros(world.groups.n, dtype=bool)
        for e in world.engagers:
            if e.kind in DEPLOYS and e.active(world.steps):
                engaged |= e.engagement.engaged & world.groups.alive
        rank = np.arange(com.n) % per_group  # communities are stored group by group
        return engaged[com.group] & (rank < first)

    def week(self, world) -> np.ndarray:
        """Move the level (troops arrive at once, fade after they leave); the log-odds removed
        at each community ``(K,)``."""
        s = world.settings.presence
        here = self.covered(world)
        fade = 1.0 if s.linger_weeks == 0 else 1.0 / s.linger_weeks
        self.level = np.where(here, 1.0, np.maximum(0.0, self.level - fade))
        return dose(s) * self.level


def saturation(s: PresenceSettings) -> float:
    """How near a deployment of ``s.troops`` comes to a saturating one (diminishing returns)."""
    return s.troops / (s.troops + s.half_troops)


def dose(s: PresenceSettings) -> float:
    """Log-odds removed at full level for a deployment of ``s.troops``."""
    return s.deterrence * saturation(s)
