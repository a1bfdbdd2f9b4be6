"""The narrow view of the model that engagers and the weekly processes work with.

An engager, the leadership's decision or the integration cycle sees the week, the settings, the
random streams, the environment, the state arrays (groups, commanders, fighters, communities),
the norms in play, the engagers, and a way to log an event -- not the whole model.
:class:`normsim.simulation.model.NormDiffusionModel` provides it; a test can provide a smaller one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class RandomStreams:
    """One generator per process, all spawned from the model's seeded ``rng``.

    Separate streams keep each process's draws in step across runs with the same seed: changing
    how persuasive an engager is does not shift when setbacks or leadership changes happen
    (common random numbers), so comparisons between conditions -- and between a run and its
    twin without engagement -- are sharper.
    """

    environment: np.random.Generator  # intensity shocks
    meetings: np.random.Generator  # access to the leadership, practical agreements
    groups: np.random.Generator  # setbacks, leadership turnover, emergence, splinters
    commanders: np.random.Generator  # commanders' dispositions and replacements
    fighters: np.random.Generator  # fighters' dispositions, encounters, violations, turnover
    monitoring: np.random.Generator  # which violations monitors detect

    @classmethod
    def spawn(cls, rng: np.random.Generator) -> RandomStreams:
        return cls(*rng.spawn(len(fields(cls))))


class World(Protocol):
    """What engagers and the weekly processes may use."""

    steps: int  # this week
    settings: object  # the validated Scenario
    streams: RandomStreams
    environment: object  # normsim.world.environment.Environment
    groups: object  # normsim.world.groups.GroupState
    commanders: object  # normsim.world.commanders.CommanderCohort
    fighters: object  # normsim.world.fighters.FighterCohort
    communities: object  # normsim.world.communities.CommunityState
    norms: tuple  # the Norms in play, in the scenario's order
    engagers: list  # the engager agents, in the scenario's order

    def log(self, kind, group: int, *, agent=None, engager=None, norm: int | None = None,
            detail: str = "", value: float = float("nan"), text: str | None = None) -> None: ...

    def leader_agent(self, group: int): ...
