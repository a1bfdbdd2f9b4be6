"""Many runs of one scenario advanced as one array program (the batch engine).

A batch holds R runs of the same settings with different seeds as *more groups* of one model:
run ``r``'s groups stand one after another in every group array (``groups.run`` says whose each
group is; a faction that breaks away is appended at the end, in its run), and their commanders,
fighters and communities follow the layout a model with R x G groups would have. Each weekly
process then runs once for the whole batch: :class:`BatchModel`, :func:`run_runs`.

What keeps each run's table the same as alone, to the bit (``tests/test_batch_engine.py``):

- **Construction is each run's own.** Every run is built alone (``NormDiffusionModel(...,
  agents=False)``), so its dispositions, its environment's first shock and its start are those of
  a run alone; the batch then takes their arrays side by side, and each run keeps its model
  (``BatchModel.parts``) to hold its records and events.
- **Draws are each run's own.** Every run keeps its six random streams; each draw site draws
  run by run from the run's stream, with the run's parameters, in the order the run alone would
  (``world.batch_streams``: ``each``, ``count``, ``each_row``).
- **A run's figures stay a run's.** The environment and the State are per run (what a process
  reads is one value per group, gathered from the group's run); the State answers its own run's
  groups; sums within a group keep its elements' order, and a run that is still stored group by
  group has its sums made as alone even after another run's faction broke away
  (``FighterCohort.run_contiguous``, ``batch_records.KeptLayout``).
- **Events and agents are each run's own.** An event is logged by the run's model under the
  run's own numbers for its groups and agents, so ids and texts are those of the run alone.

Each run keeps its tables and its events; not Mesa's model reporters (``datacollector``'s model
variables hold only the first week): read the tables. A batch holds at most
:data:`BATCH_FIGHTERS` fighters.

It does not yet run a population (emulation couples a run's groups), an engager with a capacity
or a list of groups, or a competing mechanism switched on (:func:`batchable`); :func:`run_runs`
runs those one after another. Runs of a batch share their settings: design points that differ
run in batches of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import mesa
import numpy as np
import pandas as pd

from normsim.engagers import KINDS
from normsim.errors import UserError
from normsim.settings.schema import Scenario
from normsim.simulation import records
from normsim.simulation.batch_records import BatchWeeks, KeptLayout, RunWeeks
from normsim.simulation.counterfactual import (first_active_week, run_with_twin, twin_key_of,
                                               twin_settings)
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.run import run_model
from normsim.world.agents import ArmedGroup, add
from normsim.world.batch_streams import RunStreams
from normsim.world.commanders import CommanderCohort
from normsim.world.communities import CommunityState
from normsim.world.environment import RunEnvironments
from normsim.world.fighters import FighterCohort
from normsim.world.groups import GroupState
from normsim.world.state import RunStates
from normsim.world.view import RandomStreams


def _side_by_side(arrays: list[np.ndarray], owner: np.ndarray) -> np.ndarray:
    """The runs' arrays (last axis: a run's elements in its order) as one batch array whose
    element ``i`` is run ``owner[i]``'s next."""
    out = np.empty((*arrays[0].shape[:-1], len(owner)), dtype=arrays[0].dtype)
    for r, a in enumerate(arrays):
        out[..., owner == r] = a
    return out


class BatchModel(NormDiffusionModel):
    """R runs of ``settings``, one per seed, stepped together (see the module's docstring)."""

    def __init__(self, settings: Scenario, seeds: Sequence[int], outcomes_only: bool = False):
        _check_batchable(settings)
        parts = [NormDiffusionModel(rng=int(s), settings=settings, agents=False) for s in seeds]
        mesa.Model.__init__(self, rng=int(seeds[0]))
        self.parts, self.built_agents, self.seed = parts, False, None
        self.settings, self.norms = settings, parts[0].norms
        R, first = len(parts), parts[0]
        self.streams = RandomStreams(*(RunStreams([getattr(p.streams, f) for p in parts])
                                       for f in RandomStreams.__dataclass_fields__))
        group_settings = [settings.group] * settings.group.count
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
        self.environment = RunEnvironments([p.environment for p in parts], g)
        self.state = RunStates([p.state for p in parts], g)
        self.emulation = np.zeros((g.n, len(self.norms)))
        self._watch = None
        self.record_every = settings.run.record_every
        self._layout = None
        self._twin = None
        self._last_recorded = 0  # week 0 is in each part's records already
        self.outcomes_only = outcomes_only
        self._run_layouts: list = [None] * R
        self._weeks = BatchWeeks()  # the batch's recorded weeks, kept once
        self._open: list = [None] * R  # each run's open segment of them
        self._groups_seen = g.n
        self._first_layout = None
        fc.run_contiguous = np.ones(R, dtype=bool)
        # where each run's groups and commanders stand in the batch, for its events
        self._group_local = np.concatenate([np.arange(p.groups.n) for p in parts])
        self._commander_local = np.empty(cc.n, dtype=np.int64)
        for r in range(R):
            mine = owner == r
            self._commander_local[mine] = np.arange(int(mine.sum()))
        self.commander_agents = _Agents(self, lambda p: p.commander_agents,
                                        lambda j: (owner[j], self._commander_local[j]))
        # one engager object per engager of the scenario serves every run's groups; its
        # records start as each run's do
        self.engager_agents = [KINDS[e.kind](self, i, e) for i, e in enumerate(settings.engagers)]
        self._engager_set = None
        for i, e in enumerate(self.engager_agents):
            for name in vars(e.engagement):
                setattr(e.engagement, name, np.concatenate(
                    [getattr(p.engager_agents[i].engagement, name) for p in parts]))

    # -- records and events: each run's in its own collector ------------------------------------
    def collect(self) -> None:
        if self._last_recorded == self.steps:
            return
        self._last_recorded = self.steps
        g = self.groups
        if self.outcomes_only:
            state = records.outcome_state(self)
        else:
            state = records.week_state(self, self._batch_layout())
        self._weeks.add(state)
        G = self.parts[0].groups.n  # a run's groups: a block of G, then its factions
        kept = self.fighters.run_contiguous
        grown = g.n != self._groups_seen  # a faction broke away: the batch's arrays grew
        self._groups_seen = g.n
        for r, part in enumerate(self.parts):
            if not grown and self._open[r] is not None:
                continue  # the run's weeks go on in its open segment
            mine = slice(r * G, (r + 1) * G) if kept[r] else np.flatnonzero(g.run == r)
            if self._open[r] is not None:  # weeks of another shape start here
                self._open[r].close(len(self._weeks) - 1)
            self._open[r] = RunWeeks(self._weeks, mine, len(self._weeks) - 1)
            part.datacollector.add_weeks(self._open[r], self._run_layout(r, mine))

    def _environment_moves(self, week: int) -> list[tuple]:
        g = self.groups
        return [(kind, np.flatnonzero(g.alive & (g.run == r)))
                for r, kinds in enumerate(self.environment.advance(week)) for kind in kinds]

    def _run_layout(self, r: int, mine):
        """Run ``r``'s layout of rows: its own as built, and once one of its factions has
        broken away, one for its groups now (``mine``, in the batch)."""
        if self._run_layouts[r] is None:
            part, g = self.parts[r], self.groups
            if isinstance(mine, slice):
                if part._layout is None:
                    part._layout = records.Layout(part)
                self._run_layouts[r] = part._layout
            else:
                self._run_layouts[r] = records.Layout.rows(len(mine), part.norms, g.type[mine],
                                                           self.country[mine])
        return self._run_layouts[r]

    def _batch_layout(self):
        """The batch's layout of commanders for the week's means; once a run is no longer
        stored group by group, the runs that still are take their means as alone
        (:class:`~normsim.simulation.batch_records.KeptLayout`)."""
        if self._layout is None:
            self._layout = records.Layout(self)
            if self._first_layout is None:
                self._first_layout = self._layout
            kept = self.fighters._kept_groups()
            if self._layout is not self._first_layout and len(kept):
                self._layout = KeptLayout(self, self._first_layout, kept)
        return self._layout

    def log(self, kind, group: int, **kw) -> None:
        """An event of group ``group``: logged by its run, under the run's own number for it."""
        if self.outcomes_only:
            return
        part = self.parts[self.groups.run[group]]
        part.log(kind, int(self._group_local[group]), **kw)

    def _log_each(self, event, groups, agents: list, details: list[str]) -> None:
        run = self.groups.run[np.asarray(groups, dtype=np.int64)]
        for r in np.unique(run):
            pick = np.flatnonzero(run == r)
            self.parts[r]._log_each(event, [self._group_local[groups[i]] for i in pick],
                                    [agents[i] for i in pick], [details[i] for i in pick])

    def _group_agent_added(self, child: int) -> None:
        """A faction of run ``r`` broke away (:meth:`NormDiffusionModel.split`): it is the run's
        next group, with the run's next agent id, as alone. The run is no longer stored group
        by group; the other runs still are, and their sums over a group are still made as
        alone (``FighterCohort.run_contiguous``, ``batch_records.KeptLayout``)."""
        r = int(self.groups.run[child])
        part = self.parts[r]
        local = int(np.count_nonzero(self.groups.run == r)) - 1
        self._group_local = np.append(self._group_local, local)
        add(part.group_agents, ArmedGroup, part, local)
        self.fighters.run_contiguous[r] = False
        self._run_layouts[r] = None

    def records(self) -> list[pd.DataFrame]:
        """Each run's table (as :meth:`NormDiffusionModel.records`)."""
        return [part.records() for part in self.parts]

    def events(self) -> list[pd.DataFrame]:
        return [part.events() for part in self.parts]

    def outcomes(self) -> list[pd.DataFrame]:
        """Each run's outcome rows (:data:`normsim.simulation.records.OUTCOME_COLUMNS`)."""
        return [part.twin_records() for part in self.parts]

    def step(self) -> None:
        for part in self.parts:  # what each run's events say is this week
            part.steps = self.steps
        super().step()


class _Agents:
    """A run's agents looked up by their index in the batch (for events that name them)."""

    def __init__(self, batch, of_part, where):
        self.batch, self.of_part, self.where = batch, of_part, where

    def __getitem__(self, j):
        r, local = self.where(j)
        return self.of_part(self.batch.parts[r])[int(local)]


def batchable(settings: Scenario) -> str | None:
    """Why runs of ``settings`` cannot be batched yet (None when they can)."""
    s = settings
    why = ["a population"] if s.population else []
    why += [f"an engager with {w}" for e in s.engagers for w in ("a capacity", "a list of groups")
            if (e.capacity if w == "a capacity" else e.groups)]
    why += [m for m in ("military_value", "presence", "habit", "below_top", "ownership",
                        "splinter_causes") if getattr(getattr(s, m), "enabled", False)]
    return ", ".join(why) or None


def _check_batchable(settings: Scenario) -> None:
    why = batchable(settings)
    if why:
        raise UserError(f"the batch engine does not run scenarios with {why} yet")


#: fighters a batch holds at most (its runs' together): large runs gain little from a batch,
#: and a batch's memory is its runs' together
BATCH_FIGHTERS = 100_000


def size_of_batches(settings: Scenario) -> int:
    """How many runs of ``settings`` one batch holds: :data:`BATCH_FIGHTERS` fighters at most
    (a default run has 600: 166 runs), one at least."""
    return max(1, BATCH_FIGHTERS // max(1, settings.group.fighters * settings.group.count))


def _in_batches(settings: Scenario, seeds: list[int]) -> list[list[int]]:
    size = size_of_batches(settings)
    return [seeds[i:i + size] for i in range(0, len(seeds), size)]


def run_outcomes(settings: Scenario, seeds: Sequence[int], steps: int) -> list[pd.DataFrame]:
    """The outcome rows (:data:`normsim.simulation.records.OUTCOME_COLUMNS`) of one run per seed
    of ``settings``, ``steps`` weeks: what each run's twin records (in batches of
    :func:`size_of_batches` runs)."""
    rows = []
    for chunk in _in_batches(settings, [int(s) for s in seeds]):
        model = BatchModel(settings, chunk, outcomes_only=True)
        model.run_model(steps)
        rows += model.outcomes()
    return rows


def run_runs(settings: Scenario, seeds: Sequence[int], steps: int, *, twin: bool = False,
             twins: dict | None = None) -> list[NormDiffusionModel]:
    """One run of ``settings`` per seed, ``steps`` weeks, as one batch where the scenario allows
    (:func:`batchable`; else one after another): each a model whose ``records()`` and
    ``events()`` are those of the run alone, to the bit (``tests/test_batch_engine.py``).

    With ``twin``, each run's twin without engagement is attached
    (:func:`normsim.simulation.counterfactual.run_with_twin`), the twins run as a batch of
    their own; ``twins`` (keyed by :func:`~normsim.simulation.counterfactual.twin_key_of`)
    holds twins already run, and those run here are added to it."""
    seeds = [int(s) for s in seeds]
    if len(seeds) < 2 or batchable(settings) or size_of_batches(settings) < 2:
        return [_alone(settings, seed, steps, twin, twins) for seed in seeds]
    models = []
    for chunk in _in_batches(settings, seeds):
        batch = BatchModel(settings, chunk)
        batch.run_model(steps)
        models += batch.parts
    if twin:
        first = first_active_week(settings)
        if first is None:  # no engager: each run is its own twin
            for m in models:
                m.attach_twin(m.records())
        else:
            twins = {} if twins is None else twins
            keys = [twin_key_of(settings, seed, steps) for seed in seeds]
            missing = [r for r, k in enumerate(keys) if k not in twins]
            if missing:
                rows = run_outcomes(twin_settings(settings), [seeds[r] for r in missing], steps)
                twins.update({keys[r]: t for r, t in zip(missing, rows)})
            for m, k in zip(models, keys):
                m.attach_twin(twins[k])
    return models


def _alone(settings, seed, steps, twin, twins) -> NormDiffusionModel:
    if not twin or twins is None:  # the one-run entry point, tables only
        return run_model(scenario=settings, seed=seed, steps=steps, counterfactual=twin,
                         agents=False)
    model = NormDiffusionModel(rng=seed, settings=settings, agents=False)
    run_with_twin(model, steps, twins=twins)  # (run_model keeps no twins across runs)
    return model


__all__ = ["BatchModel", "batchable", "run_outcomes", "run_runs", "size_of_batches",
           "BATCH_FIGHTERS"]
