"""The Mesa agents a user meets: ArmedGroup, Commander, Fighter, Community (and the engagers of
:mod:`normsim.engagers`).

They are real Mesa agents in ``model.agents`` (a model built with ``agents=False``, for its
tables only, makes them when asked for, unregistered: :class:`Unbuilt`), and views onto the
arrays the model updates all at once (a Python ``step`` per fighter is about a hundred times
slower): a fighter's ``acceptance`` reads ``model.fighters.acceptance[0, fighter.index]``.
Where a quantity is kept per norm, the property reads the scenario's first norm;
``acceptance_of(norm)`` reads any.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import mesa
import numpy as np

from normsim.world.commanders import LEVELS


class ArmedGroup(mesa.Agent):
    """A non-state armed group: a view onto row ``index`` of :class:`normsim.world.groups.GroupState`."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def state(self):
        return self.model.groups

    @property
    def leader(self) -> Commander:
        return self.model.commander_agents[self.model.commanders.leader[self.index]]

    @property
    def communities(self) -> list[Community]:
        per = self.model.settings.community.per_group
        return self.model.community_agents[self.index * per:(self.index + 1) * per]

    @property
    def alive(self) -> bool:
        return bool(self.state.alive[self.index])

    factors = property(lambda self: self.state.factors[self.index, 0].copy(),
                       doc="Doctrine, training, equipment, sanctions for the first norm.")
    committed = property(lambda self: bool(self.state.committed[self.index, 0]))
    commitments = property(lambda self: int(self.state.commitments[self.index, 0]))
    doctrine_adopted = property(lambda self: bool(self.state.doctrine_adopted[self.index, 0]))

    @property
    def trust(self) -> float:
        """The highest trust any engager has built with the group."""
        return max((float(e.engagement.trust[self.index]) for e in self.model.engager_agents),
                   default=0.0)

    @property
    def meetings(self) -> int:
        return sum(int(e.engagement.meetings[self.index]) for e in self.model.engager_agents)

    @property
    def compliance_rate(self) -> float:
        """Share of this week's occasions that respected the first norm (NaN if none)."""
        s = self.state
        occ = s.occasions[self.index, 0]
        return 1.0 - s.violations[self.index, 0] / occ if occ else math.nan


class Commander(mesa.Agent):
    """A commander at the strategic, operational or tactical level; a view onto the cohort."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    level = property(lambda self: LEVELS[self.model.commanders.level[self.index]])
    knowledge = property(lambda self: float(self.model.commanders.knowledge[0, self.index]))
    acceptance = property(lambda self: float(self.model.commanders.acceptance[0, self.index]))
    emphasis = property(lambda self: float(self.model.commanders.emphasis[0, self.index]),
                        doc="Emphasis he puts on the first norm in his orders.")
    group = property(lambda self: self.model.group_agents[self.model.commanders.group[self.index]])

    def acceptance_of(self, norm: str) -> float:
        return float(self.model.commanders.acceptance[self.model.norm_index(norm), self.index])

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
    civilians, violations, sanctions) is :meth:`normsim.world.fighters.FighterCohort.week`.
    """

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    knowledge = property(lambda self: float(self.model.fighters.knowledge[0, self.index]))
    acceptance = property(lambda self: float(self.model.fighters.acceptance[0, self.index]),
                          doc="Acceptance (internalisation) of the norm.")
    internalised = property(lambda self: float(self.model.fighters.baseline[0, self.index]),
                            doc="What he has internalised: where his acceptance settles.")
    fear = property(lambda self: float(self.model.fighters.fear[0, self.index]),
                    doc="Fear of sanction.")
    violated = property(lambda self: bool(self.model.fighters.violations[0, self.index] > 0),
                        doc="Whether he violated the norm this week.")
    commander = property(lambda self: self.model.commander_agents[
        self.model.fighters.commander[self.index]])
    group = property(lambda self: self.model.group_agents[self.model.fighters.group[self.index]])
    community = property(lambda self: self.model.community_agents[
        self.model.fighters.community[self.index]])


class Community(mesa.Agent):
    """A civilian population in a group's area; a view onto
    :class:`normsim.world.communities.CommunityState`."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    group = property(lambda self: self.model.group_agents[self.model.communities.group[self.index]])
    support = property(lambda self: float(self.model.communities.support[self.index]))
    harm = property(lambda self: float(self.model.communities.harm[self.index]))
    pressure = property(lambda self: float(self.model.communities.pressure[self.index]))
    recruits = property(lambda self: int(self.model.communities.recruits[self.index]))


class Unbuilt(Sequence):
    """The agents of one kind in a run built without them (``agents=False``): their ids are
    reserved as :meth:`create_agents` would have given them, and an agent is made only when it
    is asked for (an event names it), as a view not registered with the model.

    A run whose tables are all that is read (a sweep's, a calibration's) then skips making and
    registering tens of thousands of Mesa agents, and its events are the same to the bit."""

    def __init__(self, cls: type[mesa.Agent], model, n: int):
        self.cls, self.model, self.n = cls, model, n
        self.first = model.agent_id_counter  # the next id Mesa would give
        model.agent_id_counter += n
        self.later: list[int] = []  # ids of agents added after the build (factions)
        self._made: dict[int, mesa.Agent] = {}

    def __len__(self) -> int:
        return self.n + len(self.later)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # an int, negative counted from the end, IndexError past it
        agent = self._made.get(i)
        if agent is None:
            agent = self.cls.__new__(self.cls)  # not registered: the model keeps no reference
            agent.model, agent.index, agent.pos = self.model, i, None
            agent.unique_id = self.first + i if i < self.n else self.later[i - self.n]
            self._made[i] = agent
        return agent

    def grow(self) -> None:
        """One more agent (a faction breaks away), with the next id, as Mesa would give it."""
        self.later.append(self.model.agent_id_counter)
        self.model.agent_id_counter += 1


def create(cls: type[mesa.Agent], model, index, built: bool) -> list | Unbuilt:
    """The agents of ``cls`` that view rows ``index`` (``0 .. n - 1``): registered Mesa agents,
    or :class:`Unbuilt` ones when not ``built``."""
    if not built:
        return Unbuilt(cls, model, len(index))
    return list(cls.create_agents(model, len(index), index=index))


def add(agents: list | Unbuilt, cls: type[mesa.Agent], model, index: int) -> None:
    """One more agent of ``cls`` viewing row ``index`` (a faction broke away), built or not as
    the others are."""
    if isinstance(agents, Unbuilt):
        agents.grow()
    else:
        agents.append(cls(model, index))


__all__ = ["ArmedGroup", "Commander", "Fighter", "Community", "Unbuilt", "create", "add"]
