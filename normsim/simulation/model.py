"""NormDiffusionModel: engagers engage armed groups on humanitarian norms; a step is a week.

Each week, in this order:

1. the environment moves (intensity, a peace process, a listing);
2. each engager (:mod:`normsim.engagers`) meets the leadership of the groups it engages when a
   meeting is due and access is granted, and holds whatever leverage it has; then the competing
   mechanisms that are switched on act (:mod:`normsim.rules.mechanisms`; all off by default);
3. each group's leadership (:mod:`normsim.rules.leadership`) settles its view of each norm, follows
   the leverage in force, commits or lets a commitment lapse, and drives its integration cycle
   (:mod:`normsim.world.integration`: doctrine, training, equipment, sanctions; setbacks; training
   cycles); its top commander may be replaced;
4. orders flow down the chain of command (operational, then tactical commanders), some of whom
   are replaced;
5. fighters learn, take up the norm or not, meet civilians, violate or respect the norm, are
   sanctioned, and some are replaced by recruits;
6. communities register harm, adjust their support and press the group;
7. the records are collected (every ``record_every`` weeks).

Gains settle or drift back as :mod:`normsim.rules.internalisation` says, at every level.
"""

from __future__ import annotations

import inspect
import math

import mesa
import numpy as np
import pandas as pd

from normsim.errors import UserError
from normsim.settings import budget
from normsim.settings.arguments import switch
from normsim.rules import leadership, mechanisms, ownership, policies, splinters
from normsim.simulation import conditions, records
from normsim.world.agents import ArmedGroup, Commander, Community, Fighter, add, create
from normsim.world.commanders import STRATEGIC, CommanderCohort
from normsim.world.communities import CommunityState
from normsim.simulation.counterfactual import with_twin
from normsim.engagers import KINDS
from normsim.events import KINDS as EVENT_KINDS
from normsim.events import EventKind, declare
from normsim.world.environment import Environment
from normsim.world.arrays import runs_of
from normsim.world.batch_streams import count
from normsim.world.fighters import FighterCohort
from normsim.world.groups import EMERGED, ENDED, GroupState
from normsim.rules.hypotheses import Conditions, modulate
from normsim.rules.internalisation import Signals, consolidation
from normsim.rules.norms import FIGHTERS, NORMS
from normsim.rules.norms import costs as norm_costs
from normsim.settings.population import draw as draw_population
from normsim.rules.emulation import Watch, watch_weights
from normsim.settings.population import load_population
from normsim.world.state import State
from normsim.settings.scenario import check_seed, check_steps, defaults, from_flat
from normsim.settings.reading import MAX_SEED
from normsim.settings.schema import Scenario
from normsim.world.view import RandomStreams

SPIKE_MEMORY, SPIKE_RATIO, SPIKE_MIN = 0.9, 1.5, 5  # violation-spike detection (EWMA)
SANCTION_REPORT_GAP = 13  # weeks between 'sanction enforced' events of one group

SPIKE = declare("violation spike", "violations of {norm} spiked to {detail} this week",
                first_only=True)
SANCTION = declare("sanction enforced", "the group disciplined {detail} for violations this "
                   "week", first_only=True)


class NormDiffusionModel(mesa.Model):
    """Norm diffusion from engagers to non-state armed groups.

    Every model parameter is a keyword argument with its default (see ``normsim parameters`` or
    ``docs/ODD.md``), e.g. ``NormDiffusionModel(group_centralisation=0.3, rng=42)``. Pass
    ``settings=`` a validated :class:`normsim.settings.schema.Scenario` to start from a scenario file
    instead of the defaults; keywords then override it.

    Attributes a Mesa user will look for: ``datacollector`` (model reporters for
    ``mesa.batch_run``; tables ``groups`` and ``events``), ``agents``, ``rng``.

    ``agents=False`` builds the groups', commanders', fighters' and communities' Mesa agents only
    when something asks for one, unregistered (``model.agents`` then holds only the engagers and
    the State): for runs whose tables are all that is read (a sweep's, a calibration's, a
    comparison's). The ids are reserved as if they had been built, so the records and events are
    the same to the bit (``tests/test_headless.py``); building tens of thousands of agents is
    skipped.
    """

    def __init__(self, *, rng=None, settings: Scenario | None = None, agents: bool = True,
                 **params):
        if rng is None:  # draw a seed we can record, so that even an unseeded run can be replayed
            rng = int(np.random.SeedSequence().entropy % (MAX_SEED + 1))
        elif not isinstance(rng, (np.random.Generator, np.random.BitGenerator,
                                  np.random.SeedSequence)):
            rng = check_seed(rng, "rng (the seed)")  # one a scenario file can hold, to replay it
        agents = switch(agents, "agents")
        settings = from_flat(params, base=settings)
        budget.check_model(settings, "model parameters")  # before allocating any agent
        super().__init__(rng=rng)
        #: whether the groups', commanders', fighters' and communities' agents are registered
        self.built_agents = agents
        #: the integer seed of this run (None when a Generator was passed as ``rng``)
        self.seed = int(rng) if isinstance(rng, (int, np.integer)) else None
        self.settings = s = settings
        self.streams = RandomStreams.spawn(self.rng)
        self.norms = tuple(NORMS[k] for k in s.norms)
        self.environment = Environment(s.environment, self.streams.environment)
        if s.population:  # each group its own settings, drawn from the population file
            pop = load_population(s.population)
            group_settings, self.country, self.kind = draw_population(pop, s.group,
                                                                      self.streams.groups)
        else:
            group_settings = [s.group] * s.group.count
            self.country = np.zeros(s.group.count, dtype=np.int64)
            self.kind = np.zeros(s.group.count, dtype=np.int64)
        self.groups = GroupState(group_settings, len(self.norms),
                                 s.integration.department_isolation)
        self.commanders = CommanderCohort(self.groups, len(self.norms), s.community.per_group,
                                          self.streams.commanders)
        conduct = [i for i, n in enumerate(self.norms) if n.decided_by == FIGHTERS]
        self.communities = CommunityState(self.groups.n, s.community)
        self.communities.attach(self.commanders.group[self.commanders.tactical],
                                self.commanders.unit_community)
        self.fighters = FighterCohort(self.groups, self.commanders, conduct, self.streams.fighters,
                                      self.communities.n, s.fighters, s.community.restraint)
        self.groups.shortfall = self.communities.shortfall(self.groups.manpower_need,
                                                           self.groups.n)
        self.groups.cost = norm_costs(self.norms, self.groups, self.groups.shortfall)
        self.communities.settle_harm(self._expected_harm)

        self.group_agents = create(ArmedGroup, self, list(range(self.groups.n)), agents)
        self.emulation = np.zeros((self.groups.n, len(self.norms)))
        self._watch = None
        self.engager_agents = [KINDS[e.kind](self, i, e) for i, e in enumerate(s.engagers)]
        self.state = State(self, s.state, 1.0 - float(self.communities.usual_harm.mean()))
        self._engager_set = None
        self.commander_agents = create(Commander, self, np.arange(self.commanders.n), agents)
        self.fighter_agents = create(Fighter, self, np.arange(self.fighters.n), agents)
        self.community_agents = create(Community, self, list(range(self.communities.n)), agents)

        self.record_every = s.run.record_every
        self.datacollector = records.Collector(model_reporters=records.MODEL_REPORTERS,
                                                tables={"groups": records.GROUP_COLUMNS,
                                                        "events": records.EVENT_COLUMNS})
        self._layout = None
        self._twin = None
        self._last_recorded = None
        #: record only the columns a twin's outcomes need (set on a twin by
        #: :func:`normsim.simulation.counterfactual.fork_twin`)
        self.outcomes_only = False
        self.collect()

    # -- the World engagers and processes see (normsim.world.view.World) --------------------------
    @property
    def engagers(self) -> list:
        return self.engager_agents

    def leader_agent(self, group: int) -> Commander:
        return self.commander_agents[self.commanders.leader[group]]

    def split(self, parent: int, branch: int) -> int:
        """A faction (operational commander ``branch`` and his units) breaks away from group
        ``parent`` as a new group (:mod:`normsim.rules.splinters`); returns its index."""
        g, cc = self.groups, self.commanders
        child = g.append(parent, self.steps)
        cc.split(branch, child)
        self.fighters.regroup(cc)
        self.communities.attach(cc.group[cc.tactical], cc.unit_community)
        self.country = np.append(self.country, self.country[parent])
        self.kind = np.append(self.kind, self.kind[parent])
        self.emulation = np.concatenate([self.emulation, self.emulation[parent:parent + 1]])
        for e in self.engager_agents:
            e.engagement.grow()
            e.engagement.engaged[child] = e.takes_new_groups
        self._group_agent_added(child)
        self._layout = None  # the records' layout changed
        return child

    def _group_agent_added(self, child: int) -> None:
        add(self.group_agents, ArmedGroup, self, child)

    def change_conditions(self, values: dict, origin: str = "change of conditions") -> list[str]:
        """Change parameters (flat or dotted names -> values) from this week on; the week, the
        agents and their histories carry on (:mod:`normsim.simulation.conditions`).

        Returns the changes in words (``'conflict intensity: 0.5 → 0.2'``), logged as a
        ``conditions changed`` event; an empty list when no value differs. ScenarioError, with
        nothing changed, when a value is not allowed, the new settings contradict each other,
        or the parameter fixes the model's make-up (``conditions.FIXED_AT_START``).
        """
        said = conditions.change(self, values, origin, self._expected_harm)
        if said:
            self._watch = None  # emulation weights follow the emulation settings
        return said

    def norm_index(self, key: str) -> int:
        return [n.key for n in self.norms].index(key)

    # -- the agent sets, by kind ------------------------------------------------------------
    @property
    def armed_groups(self) -> mesa.agent.AgentSet:
        if not self.built_agents:
            raise UserError("this model was built with agents=False: its groups are not Mesa "
                            "agents in model.agents (model.group_agents[i] gives one); build it "
                            "with agents=True for an AgentSet")
        return self.agents_by_type[ArmedGroup]

    @property
    def engager_set(self) -> mesa.agent.AgentSet:
        if self._engager_set is None:
            self._engager_set = mesa.agent.AgentSet(self.engager_agents, random=self.random)
        return self._engager_set

    # -- one week ---------------------------------------------------------------------------
    def step(self) -> None:
        s, week, g = self.settings, self.steps, self.groups
        emerged, ended = g.live(week)
        for kind, which in ((EMERGED, emerged), (ENDED, ended)):
            for i in which:
                self.log(kind, int(i))
        for kind, groups in self._environment_moves(week):
            for i in groups:
                self.log(kind, int(i))
        splinters.week(self)  # first: every array this week sees has the new groups
        g = self.groups
        if s.population and g.n > 1:
            if self._watch is None or len(self._watch) != g.n:
                self._watch = Watch(watch_weights(self.country, self.kind, s.emulation))
            self.emulation = self._watch.emulation(g)
        g.fade_objection()
        g.shortfall = self.communities.shortfall(g.manpower_need, g.n)
        g.cost = norm_costs(self.norms, g, g.shortfall)
        self.engager_set.do("step")
        mechanisms.week(self)  # switched-on mechanisms (presence, military value, habit, below the top): off = no-op
        g.engaged[:] = False
        for e in self.engager_agents:
            if e.active(week):
                g.engaged |= e.engagement.engaged
        signals = self._signals(week)
        records_of = [e.engagement for e in self.engager_agents]
        zero = np.zeros((g.n, g.n_norms))
        leverage = sum((r.leverage for r in records_of), zero)
        support = (sum((r.support_owned for r in records_of), zero),
                   sum((r.support_imposed for r in records_of), zero))
        support = ownership.split(self, support)  # earned ownership (off: owned/imposed by kind)
        drills = leadership.week(self, signals, leverage, support)
        self.commanders.update(g, signals.openness, signals.decay, signals.forgetting,
                               signals.kappa, g.command_learning)
        self._replace_commanders()
        if drills.any():
            self.fighters.drill(drills)
        conduct = self.fighters.week(signals, self.commanders.emphasis, self.communities.pressure,
                                     self.environment.intensity, self.streams.fighters)
        self._observe(conduct)
        policies.week(self, conduct.unit_recruits, self.environment.intensity)
        self.state.step()
        self.communities.week(conduct.community_encounters.sum(axis=0),
                              conduct.community_violations.sum(axis=0), conduct.community_recruits)
        if week % self.record_every == 0:
            self.collect()

    def _environment_moves(self, week: int) -> list[tuple]:
        """The environment moves to ``week``: each kind of event that happened, with the groups
        it concerns (every group in the field)."""
        return [(kind, np.flatnonzero(self.groups.alive)) for kind in self.environment.advance(week)]

    def _signals(self, week: int) -> Signals:
        s, g = self.settings, self.groups
        h = s.hypotheses
        openness = modulate("openness", Conditions(g, week), h)  # H2 (and any acting on it)
        return Signals(openness=np.repeat(openness[:, None], g.n_norms, axis=1),
                       decay=g.acceptance_decay, forgetting=g.knowledge_decay,
                       kappa=consolidation(g, week, s.internalisation, h))

    def _expected_harm(self, pressure: np.ndarray) -> np.ndarray:
        """Each community's expected share of violating encounters at the start, given
        ``pressure`` (for :meth:`CommunityState.settle_harm`)."""
        fc = self.fighters
        if len(fc.norms) == 0:
            return np.zeros(self.communities.n)
        p = fc.violation_chance(fc.odds(pressure, self.environment.intensity)).mean(axis=0)
        expected = np.bincount(fc.community, weights=p, minlength=self.communities.n)
        return expected / np.maximum(fc.community_size, 1.0)

    def _replace_commanders(self) -> None:
        """Operational and tactical commanders are replaced at their group's turnover rate."""
        g, cc = self.groups, self.commanders
        rng = self.streams.commanders
        lower = np.flatnonzero(cc.level != STRATEGIC)
        drawn = count(rng, runs_of(g, cc.group[lower]), len(lower), "random")
        idx = lower[drawn < g.commander_turnover[cc.group[lower]]]
        if not len(idx):
            return
        cc.replace(idx, g.doctrine[cc.group[idx]].max(axis=1), rng, g)
        if self.outcomes_only:  # a twin keeps no events
            return
        agents = [self.commander_agents[i] for i in idx]
        self._log_each(leadership.REPLACED, cc.group[idx], agents, [a.level for a in agents])

    def _observe(self, conduct) -> None:
        """Take note of what the fighters did: occasions, violations (a spike?), sanctions."""
        g, fc, week = self.groups, self.fighters, self.steps
        g.occasions[:, fc.norms] = conduct.encounters.T
        g.violations[:, fc.norms] = conduct.violations.T
        g.sanctions_enforced = conduct.sanctions
        if self.outcomes_only:  # what follows only tells events, which a twin does not keep
            return
        v, ewma = g.violations, g.violations_ewma
        # (a NaN ewma compares False, and the first term drops it anyway: no nan_to_num needed)
        spike = np.isfinite(ewma) & (v >= np.maximum(SPIKE_MIN, SPIKE_RATIO * ewma))
        for i, n in zip(*np.nonzero(spike & g.alive[:, None])):
            self.log(SPIKE, int(i), norm=int(n), value=float(v[i, n]),
                     detail=f"{v[i, n]:.0f} against about {ewma[i, n]:.0f} usually")
        g.violations_ewma = np.where(np.isfinite(ewma), SPIKE_MEMORY * ewma
                                     + (1 - SPIKE_MEMORY) * v, v)
        report = (g.sanctions_enforced > 0) & (week - g.last_sanction_event >= SANCTION_REPORT_GAP)
        for i in np.flatnonzero(report):
            g.last_sanction_event[i] = week
            n = int(g.sanctions_enforced[i])
            self.log(SANCTION, int(i), value=n, detail=f"{n} fighter{'s' if n != 1 else ''}")

    # -- records and events -----------------------------------------------------------------
    def log(self, kind: EventKind | str, group: int, *, agent: mesa.Agent | None = None,
            engager=None, norm: int | None = None, detail: str = "", value: float = math.nan,
            text: str | None = None) -> None:
        """Log an event (one data-collection path: the DataCollector's ``events`` table).

        ``kind`` is a declared :class:`normsim.events.EventKind` (or its name); ``text`` says
        what happened in words (default: the kind's words, with ``{norm}``, ``{detail}`` and
        ``{engager}`` filled in); ``detail`` is a short qualifier (a factor, a level).
        """
        if self.outcomes_only:  # a twin's events are never read: it keeps none
            return
        event = kind if isinstance(kind, EventKind) else EVENT_KINDS[kind]
        norm_key = self.norms[norm].key if norm is not None else ""
        words = (text or event.words).format(
            norm=self.norms[norm].title if norm is not None else "IHL", detail=detail,
            engager=("the " + engager.name) if engager is not None else "the engager")
        self.datacollector.add_table_row("events", {
            "step": self.steps, "group": group, "norm": norm_key,
            "agent": -1 if agent is None else agent.unique_id,
            "agent_type": "" if agent is None else type(agent).__name__,
            "engager": "" if engager is None else engager.name,
            "kind": event.kind, "detail": detail, "value": float(value), "text": words})

    def _log_each(self, event: EventKind, groups: np.ndarray, agents: list, details: list[str]
                  ) -> None:
        """Log one event of ``event``'s kind per agent at once (as :meth:`log` would, one by one,
        without a norm or an engager): the same rows, without a Python call per event."""
        if not agents:
            return
        words = {d: event.words.format(norm="IHL", detail=d, engager="the engager")
                 for d in set(details)}
        n = len(agents)
        self.datacollector.add_table_rows("events", {
            "step": [self.steps] * n, "group": [int(i) for i in groups], "norm": [""] * n,
            "agent": [a.unique_id for a in agents],
            "agent_type": [type(a).__name__ for a in agents], "engager": [""] * n,
            "kind": [event.kind] * n, "detail": details, "value": [math.nan] * n,
            "text": [words[d] for d in details]})

    def collect(self) -> None:
        """Collect this week's rows (one per group and norm) and the model reporters, once."""
        if self._last_recorded == self.steps:
            return
        self._last_recorded = self.steps
        if self._layout is None:
            self._layout = records.Layout(self)
        if self.outcomes_only:
            self.datacollector.add_week(records.outcome_state(self), self._layout)
            return
        state = records.week_state(self, self._layout)
        self.datacollector.add_week(state, self._layout)
        self._totals = records.totals(state)
        self.datacollector.collect(self)

    def records(self) -> pd.DataFrame:
        """The tidy table: one row per (step, group, norm); with a twin attached
        (:meth:`attach_twin`), the twin's compliance and violations beside each row."""
        table = records.tidy(self.datacollector.get_table_dataframe("groups"))
        return table if self._twin is None else with_twin(table, self._twin)

    def twin_records(self) -> pd.DataFrame:
        """The rows a run needs from this model as its twin: keys, compliance, violations and
        occasions (what :func:`normsim.simulation.counterfactual.with_twin` keeps)."""
        return records.outcome_frame(self.datacollector)

    def attach_twin(self, twin_records: pd.DataFrame) -> None:
        """Keep the records of this run's twin without engagement (:mod:`normsim.simulation.counterfactual`)."""
        self._twin = twin_records

    def events(self) -> pd.DataFrame:
        """The event log: one row per event (step, group, norm, agent, kind, text, value)."""
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
              inspect.Parameter("settings", kw, default=None),
              inspect.Parameter("agents", kw, default=True)]
    params += [inspect.Parameter(name, kw, default=value) for name, value in defaults().items()]
    return inspect.Signature(params)


# Show every parameter with its default to help(), inspect, IDEs and mesa.batch_run.
NormDiffusionModel.__signature__ = _signature()
