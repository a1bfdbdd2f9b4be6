"""Many runs of one scenario advanced as one array program (the batch engine; first part).

A batch holds R runs of the same settings with different seeds as *more groups* of one model:
run ``r``'s groups stand one after another in every group array (``groups.run`` says whose each
group is), and their commanders, fighters and communities follow the same layout a model with
R x G groups would have. Each weekly process then runs once for the whole batch.

What keeps each run's table the same as alone, to the bit:

- **Construction is each run's own.** Every run is built alone (``NormDiffusionModel(...,
  agents=False)``), so its dispositions, its environment's first shock and its start are those of
  a run alone; the batch then takes their arrays side by side.
- **Draws are each run's own.** Every run keeps its six random streams; each draw site draws
  run by run from the run's stream, with the run's parameters, in the order the run alone would
  (``world.batch_streams``: ``each`` and ``count``).
- **A run's figures stay a run's.** The environment and the State are per run (here: one value
  per group, gathered from the group's run); sums and means within a group keep its elements'
  order; sums across a run's groups (the State's answer) run over that run's groups only.

This first part runs scenarios without engagers, splinters or population emulation, recording
the outcomes' columns (what a twin records): :func:`run_batch`. Engagers, events and the full
table come next (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import mesa
import numpy as np
import pandas as pd

from normsim.errors import UserError
from normsim.settings.schema import Scenario
from normsim.simulation import records
from normsim.simulation.model import NormDiffusionModel
from normsim.world.batch_streams import RunStreams
from normsim.world.commanders import CommanderCohort
from normsim.world.communities import CommunityState
from normsim.world.fighters import FighterCohort
from normsim.world.groups import GroupState
from normsim.world.view import RandomStreams


class BatchEnvironment:
    """The runs' environments; what a process reads is one value per group, from its run."""

    def __init__(self, environments: list, groups):
        self.runs, self.groups = environments, groups

    def advance(self, week: int) -> list:
        for env in self.runs:
            env.advance(week)  # the events of a run's environment: not kept by this first part
        return []

    def _per_group(self, name: str) -> np.ndarray:
        return np.array([getattr(env, name) for env in self.runs])[self.groups.run]

    intensity = property(lambda self: self._per_group("intensity"))
    peace = property(lambda self: self._per_group("peace"))
    listed = property(lambda self: self._per_group("listed"))


class BatchState:
    """The runs' State agents: each answers its own run's groups."""

    def __init__(self, states: list, groups):
        self.runs, self.groups = states, groups

    def step(self) -> None:
        for r, state in enumerate(self.runs):
            state.respond(self.groups, np.flatnonzero(self.groups.run == r))

    def value_of_compliance(self) -> np.ndarray:
        return np.array([s.value_of_compliance() for s in self.runs])[self.groups.run]

    @property
    def compliance(self) -> np.ndarray:
        return np.array([s.compliance for s in self.runs])[self.groups.run]


def _side_by_side(arrays: list[np.ndarray], owner: np.ndarray) -> np.ndarray:
    """The runs' arrays (last axis: a run's elements in its order) as one batch array whose
    element ``i`` is run ``owner[i]``'s next."""
    out = np.empty((*arrays[0].shape[:-1], len(owner)), dtype=arrays[0].dtype)
    for r, a in enumerate(arrays):
        out[..., owner == r] = a
    return out


class BatchModel(NormDiffusionModel):
    """R runs of ``settings``, one per seed, stepped together (see the module's docstring)."""

    def __init__(self, settings: Scenario, seeds: Sequence[int]):
        _check_batchable(settings)
        parts = [NormDiffusionModel(rng=int(s), settings=settings, agents=False) for s in seeds]
        mesa.Model.__init__(self, rng=int(seeds[0]))
        self.parts, self.built_agents, self.seed = parts, False, None
        self.settings, self.norms = settings, parts[0].norms
        R, first = len(parts), parts[0]
        self.streams = RandomStreams(*(RunStreams([getattr(p.streams, f) for p in parts])
                                       for f in RandomStreams.__dataclass_fields__))
        group_settings = [s.group] * s.group.count if (s := settings) else None
        g = self.groups = GroupState(group_settings * R, len(self.norms),
                                     settings.integration.department_isolation)
        g.run = np.repeat(np.arange(R), first.groups.n)
        for name in ("shortfall", "cost"):
            setattr(g, name, np.concatenate([getattr(p.groups, name) for p in parts]))
        self.country = np.zeros(g.n, dtype=np.int64)
        self.kind = np.zeros(g.n, dtype=np.int64)
        # the layout of R x G groups, then each run's people (drawn alone) in their places
        unused = np.random.default_rng(0)
        cc = self.commanders = CommanderCohort(g, len(self.norms), settings.community.per_group,
                                               unused)
        owner = g.run[cc.group]
        for name in ("origin", "knowledge_origin", "baseline", "acceptance", "knowledge"):
            setattr(cc.people, name, _side_by_side([getattr(p.commanders.people, name)
                                                    for p in parts], owner))
        cc.emphasis = _side_by_side([p.commanders.emphasis for p in parts], owner)
        conduct = list(first.fighters.norms)
        comm = self.communities = CommunityState(g.n, settings.community)
        comm.attach(cc.group[cc.tactical], cc.unit_community)
        for name in ("harm", "usual_harm", "support", "pressure", "recruits"):
            setattr(comm, name, np.concatenate([getattr(p.communities, name) for p in parts]))
        fc = self.fighters = FighterCohort(g, cc, conduct, unused, comm.n, settings.fighters,
                                           settings.community.restraint)
        for name in ("origin", "knowledge_origin", "baseline", "acceptance", "knowledge"):
            setattr(fc.people, name, np.concatenate([getattr(p.fighters.people, name)
                                                     for p in parts], axis=-1))
        self.environment = BatchEnvironment([p.environment for p in parts], g)
        self.state = BatchState([p.state for p in parts], g)
        self.emulation = np.zeros((g.n, len(self.norms)))
        self._watch = None
        self.engager_agents, self._engager_set = [], None
        self.record_every = settings.run.record_every
        self._layout = None
        self._twin = None
        self._last_recorded = 0  # week 0 is in each part's records already
        self.outcomes_only = True

    # -- records: each run's rows in its own collector -------------------------------------------
    def collect(self) -> None:
        if self._last_recorded == self.steps:
            return
        self._last_recorded = self.steps
        g = self.groups
        for r, part in enumerate(self.parts):
            mine = np.flatnonzero(g.run == r)
            state = {"step": self.steps, "occasions": g.occasions[mine],
                     "violations": g.violations[mine]}
            if part._layout is None:
                part._layout = records.Layout(part)
            part.datacollector.add_week(state, part._layout)

    def outcomes(self) -> list[pd.DataFrame]:
        """Each run's outcome rows (:data:`normsim.simulation.records.OUTCOME_COLUMNS`)."""
        return [part.twin_records() for part in self.parts]

    def leader_agent(self, group: int):
        return None  # events are not kept by this first part (log returns at once)

    def step(self) -> None:
        if self.groups.n != len(self.parts) * self.parts[0].groups.n:
            raise NotImplementedError("a faction broke away in a batch: not handled yet")
        super().step()


def _check_batchable(settings: Scenario) -> None:
    s = settings
    why = ([] if not s.engagers else ["engagers"]) + (["a population"] if s.population else [])
    why += [m for m in ("military_value", "presence", "habit", "below_top", "ownership")
            if getattr(getattr(s, m), "enabled", False)]
    if why:
        raise UserError(f"the batch engine does not run scenarios with {', '.join(why)} yet")


def run_batch(settings: Scenario, seeds: Sequence[int], steps: int) -> list[pd.DataFrame]:
    """The outcome rows of one run per seed of ``settings``, ``steps`` weeks, run as one batch."""
    model = BatchModel(settings, seeds)
    for _ in range(steps):
        model.step()
    return model.outcomes()


__all__ = ["BatchModel", "run_batch"]
