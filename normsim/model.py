"""NormDiffusionModel: a persuader engages armed groups; a step is a week.

Each week, in this order:

1. the environment moves (intensity, a peace process, a listing);
2. each ``Persuader`` meets the leadership of the groups it engages, when a meeting is due and
   access is granted (trust, information, persuasion: H1–H5);
3. each ``ArmedGroup``'s leadership decides (commitment, emphasis), its integration cycle turns
   (doctrine, training, equipment, sanctions; setbacks; training cycles), and its top commander
   may be replaced;
4. orders flow down the chain of command (operational, then tactical commanders), some of
   whom are replaced;
5. fighters learn, take up the norm or not, meet civilians, violate or respect the norm, are
   sanctioned, and some are replaced by recruits;
6. each ``Community`` registers harm, adjusts its support and presses the group;
7. the records are collected (every ``record_every`` weeks).
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, fields

import mesa
import numpy as np
import pandas as pd

from normsim import budget, records
from normsim.agents import ArmedGroup, Commander, Community, Fighter, Persuader
from normsim.cohort import CommanderCohort, FighterCohort, GroupSignals, OPERATIONAL
from normsim.environment import Environment
from normsim.scenario import check_seed, check_steps, defaults, from_flat
from normsim.schema import Scenario


@dataclass(frozen=True)
class RandomStreams:
    """One generator per process, all spawned from the model's seeded ``rng``.

    Separate streams keep each process's draws in step across runs with the same seed: changing
    how persuasive the persuader is does not shift when setbacks or leadership changes happen
    (common random numbers), so comparisons between conditions are sharper.
    """

    environment: np.random.Generator  # intensity shocks
    meetings: np.random.Generator  # access to the leadership, practical agreements
    groups: np.random.Generator  # setbacks, leadership turnover
    commanders: np.random.Generator  # commanders' baselines and replacements
    fighters: np.random.Generator  # fighters' baselines, encounters, violations, sanctions, turnover

    @classmethod
    def spawn(cls, rng: np.random.Generator) -> RandomStreams:
        return cls(*rng.spawn(len(fields(cls))))


class NormDiffusionModel(mesa.Model):
    """Norm diffusion from a persuader to non-state armed groups.

    Every model parameter is a keyword argument with its default (see ``normsim parameters`` or
    ``docs/ODD.md``), e.g. ``NormDiffusionModel(group_centralisation=0.3, rng=42)``. Pass
    ``settings=`` a validated :class:`normsim.schema.Scenario` to start from a scenario file
    instead of the defaults; keywords then override it.

    Attributes a Mesa user will look for: ``datacollector`` (model reporters for
    ``mesa.batch_run``; tables ``groups`` and ``events``), ``agents``, ``rng``.
    """

    def __init__(self, *, rng=None, settings: Scenario | None = None, **params):
        if rng is None:  # draw a seed we can record, so that even an unseeded run can be replayed
            rng = int(np.random.SeedSequence().entropy % 2**63)
        elif not isinstance(rng, (np.random.Generator, np.random.BitGenerator,
                                  np.random.SeedSequence)):
            rng = check_seed(rng, "rng (the seed)")  # one a scenario file can hold, to replay it
        settings = from_flat(params, base=settings)
        budget.check_model(settings, "model parameters")  # before allocating any agent
        super().__init__(rng=rng)
        #: the integer seed of this run (None when a Generator was passed as ``rng``)
        self.seed = rng if isinstance(rng, int) else None
        self.settings = s = settings
        n_groups, n_comm = s.group.count, s.community.per_group
        self.streams = RandomStreams.spawn(self.rng)
        self.environment = Environment(s.environment, self.streams.environment)
        self.commanders = CommanderCohort(
            n_groups, s.group.operational_commanders, s.group.units_per_commander, n_comm,
            self.streams.commanders, s.group.baseline_knowledge, s.group.baseline_acceptance)
        self.fighters = FighterCohort(self.commanders, s.group.fighters, self.streams.fighters,
                                      s.group.baseline_knowledge, s.group.baseline_acceptance,
                                      n_groups * n_comm)
        self.signals = GroupSignals(
            transmission=np.zeros(n_groups), doctrine=np.zeros(n_groups),
            training=np.zeros(n_groups), equipment=np.zeros(n_groups),
            sanctions=np.zeros(n_groups), openness=np.ones(n_groups),
            decay=np.zeros(n_groups), contrary=np.full(n_groups, s.group.contrary_practice),
            people_war=np.full(n_groups, s.group.people_war))
        self.drills = np.zeros(n_groups)
        self.week_outcome = None

        self.group_agents = list(ArmedGroup.create_agents(self, n_groups, index=list(range(n_groups))))
        self.signals.transmission[:] = [g.transmission for g in self.group_agents]
        self.persuader_agents = list(Persuader.create_agents(self, s.persuader.count,
                                                             index=list(range(s.persuader.count))))
        for g in self.group_agents:  # groups are shared among persuaders in turn
            if self.persuader_agents:
                self.persuader_agents[g.index % len(self.persuader_agents)].groups.append(g)
        self.commander_agents = list(Commander.create_agents(self, self.commanders.n,
                                                             index=np.arange(self.commanders.n)))
        self.fighter_agents = list(Fighter.create_agents(self, self.fighters.n,
                                                         index=np.arange(self.fighters.n)))
        self.community_agents = list(Community.create_agents(
            self, n_groups * n_comm, index=list(range(n_groups * n_comm)),
            group=[g for g in self.group_agents for _ in range(n_comm)]))
        for c in self.community_agents:
            c.group.communities.append(c)

        self.record_every = s.run.record_every
        self.datacollector = mesa.DataCollector(model_reporters=records.MODEL_REPORTERS,
                                                tables={"groups": records.GROUP_COLUMNS,
                                                        "events": records.EVENT_COLUMNS})
        self._last_recorded = None
        self.collect()

    # -- the agent sets, by kind ------------------------------------------------------------
    @property
    def persuaders(self) -> mesa.agent.AgentSet:
        return self.agents_by_type.get(Persuader, mesa.agent.AgentSet([], random=self.random))

    @property
    def groups(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[ArmedGroup]

    @property
    def communities(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[Community]

    # -- one week ---------------------------------------------------------------------------
    def step(self) -> None:
        s, week = self.settings, self.steps
        for kind, text in self.environment.advance(week):
            for g in self.group_agents:
                self.log(kind, g, None, text)
        self.persuaders.do("step")
        self.drills[:] = 0.0
        self.groups.do("step")
        self.commanders.update(self.signals, s.group.command_learning)
        self._replace_commanders()
        if self.drills.any():
            self.fighters.drill(self.drills)
        pressure = np.array([c.pressure for c in self.community_agents])
        self.week_outcome = self.fighters.week(
            self.signals, self.commanders.emphasis, pressure, self.environment.intensity,
            s.fighters, s.community.influence, s.group.fighter_turnover,
            s.group.baseline_knowledge, s.group.baseline_acceptance, self.streams.fighters)
        self.groups.do("observe_week", self.week_outcome)
        self.communities.do("step")
        if week % self.record_every == 0:
            self.collect()

    def _replace_commanders(self) -> None:
        """Operational and tactical commanders are replaced at ``commander_turnover`` a week."""
        g = self.settings.group
        cc = self.commanders
        first = cc.slices[OPERATIONAL].start
        n_lower = cc.n - first
        rng = self.streams.commanders
        count = rng.binomial(n_lower, g.commander_turnover) if g.commander_turnover else 0
        if not count:
            return
        idx = first + np.sort(rng.choice(n_lower, size=count, replace=False))
        continuity = self.signals.doctrine[cc.group[idx]]
        cc.replace(idx, continuity, rng, g.baseline_knowledge, g.baseline_acceptance)
        for i in idx:
            agent = self.commander_agents[i]
            self.log("commander replaced", agent.group, agent, f"a new {agent.level} commander "
                     "took over", detail=agent.level)

    # -- records and events -----------------------------------------------------------------
    def log(self, kind: str, group: ArmedGroup | None, agent: mesa.Agent | None, text: str,
            value: float = math.nan, detail: str = "") -> None:
        """Log an event (one data-collection path: the DataCollector's ``events`` table).

        ``kind`` is one of :data:`normsim.records.EVENT_KINDS`; ``text`` says what happened in
        words; ``detail`` is a short machine-readable qualifier (a factor, a level).
        """
        self.datacollector.add_table_row("events", {
            "step": self.steps, "group": -1 if group is None else group.index,
            "agent": -1 if agent is None else agent.unique_id,
            "agent_type": "" if agent is None else type(agent).__name__,
            "kind": kind, "detail": detail, "value": float(value), "text": text})

    def collect(self) -> None:
        """Collect this week's rows (one per group) and the model reporters, once per week."""
        if self._last_recorded == self.steps:
            return
        self._last_recorded = self.steps
        rows = records.group_rows(self)
        for row in rows:
            self.datacollector.add_table_row("groups", row)
        self._totals = records.totals(rows)
        self.datacollector.collect(self)

    def records(self) -> pd.DataFrame:
        """The tidy table: one row per (step, group)."""
        return records.tidy(self.datacollector.get_table_dataframe("groups"))

    def events(self) -> pd.DataFrame:
        """The event log: one row per event (step, group, agent, kind, text, value)."""
        return records.tidy_events(self.datacollector.get_table_dataframe("events"))

    def run_model(self, steps: int | None = None) -> None:
        """Run ``steps`` weeks (the scenario's ``run.steps`` by default); record the last one."""
        steps = self.settings.run.steps if steps is None else check_steps(steps)
        budget.check_run(self.settings, steps, "model parameters")
        for _ in range(steps):
            self.step()
        self.collect()


def _signature() -> inspect.Signature:
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("rng", kw, default=None),
              inspect.Parameter("settings", kw, default=None)]
    params += [inspect.Parameter(name, kw, default=value) for name, value in defaults().items()]
    return inspect.Signature(params)


# Show every parameter with its default to help(), inspect, IDEs and mesa.batch_run.
NormDiffusionModel.__signature__ = _signature()
