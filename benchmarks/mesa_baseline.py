"""The peer for the speed benchmarks: the fighters' weekly rule as an idiomatic per-agent Mesa model.

This is **only a baseline** for ``benchmarks/run.py``; normsim itself updates fighters with
array operations (:meth:`normsim.world.fighters.FighterCohort.week`). Here each fighter is a
``mesa.Agent`` with its own Python ``step`` implementing exactly that rule for one fighter, for
each norm fighters decide, and the model runs ``shuffle_do("step")`` over them, as a Mesa
modeller would write it:

1. knowledge grows with the unit commander's order (his emphasis times the group's transmission);
2. acceptance takes up the order (times H2's openness) in proportion to knowledge and the
   remaining gap, and his gain (acceptance minus his origin) is pulled towards the unit's mean
   gain *at the start of the week* (peer influence);
3. it settles (:func:`normsim.world.people.settle`): acceptance drifts back to what he has internalised
   (his baseline) at the group's decay, ``kappa`` of the gain above the baseline is internalised,
   knowledge is forgotten back to its origin;
4. fear is the chain's enforcement plus his personal deterrence, capped at 1;
5. encounters with civilians are Poisson; each violates with a logistic chance whose log-odds
   hold the circumstances (operations, contrary practice, equipment), the orders his chain
   passes on (instrumental restraint: orders times transmission times ``order_effect``), the
   pressure of the community he is stationed among (times people's war and the restraint), and
   his acceptance, knowledge and fear; a group not in the field meets no one;
6. a violator is disciplined with the chance his chain enforces sanctions; his deterrence decays
   and grows by a sanction;
7. with the turnover chance he is replaced in place by a recruit (new origins, no deterrence).

Everything above the fighters (integration factors, instructions, transmission, the week's
signals, commanders' emphasis, community pressure, intensity) is held fixed in a :class:`World`,
identical for both implementations, so that only the fighter update is compared.

Random draws use Mesa's ``model.random`` (the stdlib generator ``shuffle_do`` also uses): scalar
draws from it cost ~30 ns, from a numpy ``Generator`` ~1 µs. The draws follow the same
distributions as the cohort's (encounters by Knuth's method and one trial per encounter, which
Poisson thinning turns into the cohort's Poisson violations and respectful encounters; turnover
as an independent chance per fighter), not the same random stream.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import mesa
import numpy as np

from normsim.world.commanders import CommanderCohort
from normsim.world.commanders import emphasis as commander_emphasis
from normsim.world.communities import CommunitySettings
from normsim.world.fighters import (DETERRENCE_PER_SANCTION, DETERRENCE_RETENTION, Conduct,
                              FighterCohort, FighterSettings)
from normsim.world.groups import GroupSettings, GroupState
from normsim.rules.hypotheses import HypothesisSettings, h2_current_views, h6_long_exposure
from normsim.world.integration import FACTORS, IntegrationSettings
from normsim.rules.internalisation import InternalisationSettings, Signals
from normsim.world.people import BASELINE_CONCENTRATION

FIGHTERS_PER_UNIT = 50
EQUIPMENT, SANCTIONS = FACTORS.index("equipment"), FACTORS.index("sanctions")


@dataclass
class World:
    """What the fighters' rule reads, held fixed: the groups' state, the week's signals, the
    commanders' emphasis, the communities' pressure, the intensity and the rule's settings."""

    groups: GroupState
    signals: Signals
    emphasis: np.ndarray  # (N, commanders): every commander's emphasis on every norm
    pressure: np.ndarray  # (K,): each community's pressure
    intensity: float
    fighters: FighterSettings
    community_restraint: float


def build(fighters: int, *, seed: int = 0, groups: int = 1, operational: int = 3,
          communities: int = 4, per_unit: int = FIGHTERS_PER_UNIT, group: dict | None = None,
          fighter_settings: dict | None = None,
          community_restraint: float = CommunitySettings().restraint,
          ) -> tuple[World, CommanderCohort, FighterCohort]:
    """``groups`` groups of ``fighters`` each in units of about ``per_unit``, in a mid-run state.

    The group, commander and fighter state come from normsim's own constructors; then the state
    is moved to that of a group half-way through integration: doctrine 0.6, training 0.5,
    equipment 0.4, sanctions 0.5, instructions 0.4 (what leverage bought), a third of the
    doctrine owned, commanders and fighters part of the way from their origins, fighters with
    some internalised and some personal deterrence, after a year of regular meetings (H6).
    ``group`` overrides fields of :class:`normsim.world.groups.GroupSettings`, ``fighter_settings``
    fields of :class:`normsim.world.fighters.FighterSettings`.
    """
    rng = np.random.default_rng(seed)
    units = max(1, round(fighters / (per_unit * operational)))
    settings = GroupSettings(**{"fighters": fighters, "operational_commanders": operational,
                                "units_per_commander": units, **(group or {})})
    g = GroupState([settings] * groups, 1, IntegrationSettings().department_isolation)
    cc = CommanderCohort(g, 1, communities, rng)
    f = FighterSettings(**(fighter_settings or {}))
    fc = FighterCohort(g, cc, [0], rng, groups * communities, f, community_restraint)

    g.factors[:] = (0.6, 0.5, 0.4, 0.5)  # doctrine, training, equipment, sanctions
    g.instruction[:] = 0.4
    g.orders[:] = g.instruction  # what the chain passes on (no standing commitment here)
    g.owned[:] = 0.2
    part_way(cc.people, rng, 0.5)
    cc.emphasis[:] = commander_emphasis(cc.acceptance, cc.origin, g.doctrine.T[:, cc.group])
    part_way(fc.people, rng, 0.2)
    fc.deterred[:] = rng.uniform(0.0, 0.3, fc.deterred.shape)

    h, i = HypothesisSettings(), InternalisationSettings()
    openness = h2_current_views(g.people_war, g.contrary_practice, strength=h.h2_strength,
                                enabled=h.h2_enabled)
    h6 = h6_long_exposure(np.full(groups, 52.0), np.ones(groups), strength=h.h6_strength,
                          enabled=h.h6_enabled, span_half=h.h6_span_half)
    signals = Signals(openness=np.repeat(np.asarray(openness)[:, None], 1, axis=1),
                      decay=g.acceptance_decay.copy(), forgetting=g.knowledge_decay.copy(),
                      kappa=i.rate * h6[:, None] * (1.0 + i.ownership_effect * g.owned))
    pressure = np.tile(np.linspace(0.1, 0.3, communities), groups)
    world = World(groups=g, signals=signals, emphasis=cc.emphasis.copy(), pressure=pressure,
                  intensity=0.5, fighters=f, community_restraint=community_restraint)
    return world, cc, fc


def part_way(people, rng: np.random.Generator, mean_gain: float) -> None:
    """Move people's acceptance and knowledge part of the way from their origins towards 1, and
    let up to half of the acceptance gained be internalised (a mid-run state, in place)."""
    shape = people.acceptance.shape
    gain = rng.beta(2.0, 2.0 / mean_gain - 2.0, shape) * (1.0 - people.origin)
    people.acceptance[:] = people.origin + gain
    people.baseline[:] = people.origin + rng.uniform(0.0, 0.5, shape) * gain
    people.knowledge[:] = (people.knowledge_origin
                           + rng.beta(2.0, 3.0, shape) * (1.0 - people.knowledge_origin))


def cohort_week(world: World, fc: FighterCohort, rng: np.random.Generator) -> Conduct:
    """One week of normsim's array-backed fighter update under the fixed ``world``."""
    return fc.week(world.signals, world.emphasis, world.pressure, world.intensity, rng)


def _draw_baseline(random, mean: float) -> float:
    """One individual disposition around ``mean`` (as :func:`normsim.world.people.draw_baseline`)."""
    if mean <= 0.0 or mean >= 1.0:
        return float(mean)
    k = BASELINE_CONCENTRATION
    return random.betavariate(mean * k, (1.0 - mean) * k)


class Group:
    """A group's fixed state and signals, folded into the constants of the fighters' rule (one
    entry per norm fighters decide), and its weekly tallies."""

    def __init__(self, world: World, g: int, norms: list[int]):
        G, s, f = world.groups, world.signals, world.fighters
        self.transmission = float(G.transmission[g])
        self.alive = bool(G.alive[g])
        self.turnover = float(G.fighter_turnover[g])
        self.baseline_knowledge = float(G.baseline_knowledge[g])
        self.baseline_acceptance = float(G.baseline_acceptance[g])
        self.people_war = float(G.people_war[g])
        self.decay, self.forgetting = float(s.decay[g]), float(s.forgetting[g])
        self.kappa = [float(s.kappa[g, n]) for n in norms]
        self.uptake = [f.learning_rate * float(s.openness[g, n]) for n in norms]  # x the order
        self.sanctions = [float(G.factors[g, n, SANCTIONS]) * self.transmission for n in norms]
        circumstances = (math.log(f.base_violation / (1.0 - f.base_violation))
                         + f.intensity_effect * (world.intensity - 0.5)
                         + f.contrary_effect * float(G.contrary_practice[g]))
        self.log_odds = [circumstances - f.equipment_effect * float(G.factors[g, n, EQUIPMENT])
                         - f.order_effect * float(G.orders[g, n]) * self.transmission
                         for n in norms]
        C = len(norms)
        self.encounters, self.violations, self.caught = [0] * C, [0] * C, 0


class Community(mesa.Agent):
    """A community: its (fixed) pressure and this week's tallies."""

    def __init__(self, model: PerAgentFighterModel, index: int, pressure: float):
        super().__init__(model)
        self.index, self.pressure = index, pressure
        C = model.n_norms
        self.encounters, self.violations, self.recruits = [0] * C, [0] * C, 0


class UnitCommander(mesa.Agent):
    """A tactical commander (fixed emphasis per norm) and his unit; he musters his unit's mean
    gain in acceptance and counts the week's recruits to his unit."""

    def __init__(self, model: PerAgentFighterModel, index: int, emphasis: list[float],
                 group: Group):
        super().__init__(model)
        self.index, self.emphasis, self.group = index, emphasis, group
        self.order = [e * group.transmission for e in emphasis]  # what reaches his fighters
        self.enforcement = [s * (0.5 + 0.5 * e) for s, e in zip(group.sanctions, emphasis)]
        self.members: list[Fighter] = []
        self.peer = [0.0] * len(emphasis)
        self.recruits = 0

    def muster(self) -> None:
        """The unit's mean gain at the start of the week (what peers pull towards)."""
        size = max(len(self.members), 1)
        self.peer = [sum(f.acceptance[c] - f.origin[c] for f in self.members) / size
                     for c in range(len(self.peer))]


class Fighter(mesa.Agent):
    """A fighter with his own state (one entry per norm) and his own weekly ``step``."""

    def __init__(self, model: PerAgentFighterModel, index: int, unit: UnitCommander,
                 community: Community, knowledge: list, knowledge_origin: list, acceptance: list,
                 baseline: list, origin: list, deterred: list):
        super().__init__(model)
        self.index, self.unit, self.community = index, unit, community
        self.knowledge, self.knowledge_origin = knowledge, knowledge_origin
        self.acceptance, self.baseline, self.origin = acceptance, baseline, origin
        self.deterred = deterred
        C = len(knowledge)
        self.fear, self.encounters, self.violations = [0.0] * C, [0] * C, [0] * C

    def step(self) -> None:
        m, unit, community = self.model, self.unit, self.community
        group, random = unit.group, m.random.random
        caught = False
        for c in range(m.n_norms):
            # learn from the order, take up the norm, feel the peers
            order = unit.order[c]
            k, a, b = self.knowledge[c], self.acceptance[c], self.baseline[c]
            k += m.learning_rate * order * (1.0 - k)
            a += (group.uptake[c] * order * k * (1.0 - a)
                  + m.peer_influence * (unit.peer[c] - (a - self.origin[c])))
            # settle: drift back to what is internalised, internalise, forget
            gain = a - b
            a -= group.decay * gain
            if gain > 0.0:
                b += group.kappa[c] * gain
            k -= group.forgetting * (k - self.knowledge_origin[c])
            a = 0.0 if a < 0.0 else (1.0 if a > 1.0 else a)
            k = 0.0 if k < 0.0 else (1.0 if k > 1.0 else k)
            self.knowledge[c], self.acceptance[c], self.baseline[c] = k, a, b
            fear = unit.enforcement[c] + self.deterred[c]
            fear = 0.0 if fear < 0.0 else (1.0 if fear > 1.0 else fear)
            self.fear[c] = fear

            # meet civilians (Poisson, Knuth's method), violate or not (one trial per encounter)
            encounters = violations = 0
            if group.alive:
                product = random()
                while product > m.no_encounter:
                    encounters += 1
                    product *= random()
                logit = (group.log_odds[c]
                         - m.community_restraint * community.pressure * group.people_war
                         - m.acceptance_effect * a - m.knowledge_effect * k - m.fear_effect * fear)
                p = 1.0 / (1.0 + math.exp(-logit))
                for _ in range(encounters):
                    if random() < p:
                        violations += 1
            self.encounters[c], self.violations[c] = encounters, violations

            # sanctions with deterrence
            deterred = self.deterred[c] * DETERRENCE_RETENTION
            if violations and random() < unit.enforcement[c]:
                deterred = min(1.0, deterred + DETERRENCE_PER_SANCTION)
                caught = True
            self.deterred[c] = deterred
            group.encounters[c] += encounters
            group.violations[c] += violations
            community.encounters[c] += encounters
            community.violations[c] += violations
        group.caught += caught

        # turnover: a recruit from the same community takes his place
        if random() < group.turnover:
            for c in range(m.n_norms):
                self.origin[c] = self.baseline[c] = self.acceptance[c] = _draw_baseline(
                    m.random, group.baseline_acceptance)
                self.knowledge_origin[c] = self.knowledge[c] = _draw_baseline(
                    m.random, group.baseline_knowledge)
                self.deterred[c] = 0.0
            community.recruits += 1
            unit.recruits += 1


class PerAgentFighterModel(mesa.Model):
    """The fighters of ``fc`` (their current state is copied) as per-agent Mesa agents, under the
    fixed ``world``."""

    def __init__(self, world: World, cc: CommanderCohort, fc: FighterCohort, *, rng: int = 0):
        super().__init__(rng=rng)
        f = world.fighters
        norms = [int(n) for n in fc.norms]
        self.n_norms = len(norms)
        self.learning_rate, self.peer_influence = f.learning_rate, f.peer_influence
        self.acceptance_effect, self.knowledge_effect = f.acceptance_effect, f.knowledge_effect
        self.fear_effect, self.community_restraint = f.fear_effect, world.community_restraint
        self.no_encounter = math.exp(-f.encounter_rate * (0.5 + world.intensity))
        self.groups = [Group(world, g, norms) for g in range(fc.n_groups)]
        self.communities = list(Community.create_agents(
            self, fc.n_communities, index=list(range(fc.n_communities)),
            pressure=[float(p) for p in world.pressure]))
        units = fc.unit_commander
        self.units = list(UnitCommander.create_agents(
            self, fc.n_units, index=list(range(fc.n_units)),
            emphasis=world.emphasis[norms][:, units].T.tolist(),
            group=[self.groups[g] for g in fc.unit_group]))
        p = fc.people
        per_fighter = {name: getattr(p, name).T.tolist() for name in
                       ("knowledge", "knowledge_origin", "acceptance", "baseline", "origin")}
        self.fighters = Fighter.create_agents(
            self, fc.n, index=list(range(fc.n)), unit=[self.units[u] for u in fc.unit],
            community=[self.communities[c] for c in fc.community],
            deterred=fc.deterred.T.tolist(), **per_fighter)
        self.fighter_list = list(self.fighters)  # in index order, for state()
        for fighter in self.fighter_list:
            fighter.unit.members.append(fighter)

    def step(self) -> None:
        C = self.n_norms
        for group in self.groups:
            group.encounters, group.violations, group.caught = [0] * C, [0] * C, 0
        for community in self.communities:
            community.encounters, community.violations, community.recruits = [0] * C, [0] * C, 0
        for unit in self.units:
            unit.recruits = 0
            unit.muster()
        self.fighters.shuffle_do("step")

    def outcome(self) -> Conduct:
        """This week's tallies, as the cohort reports them."""
        c = self.communities
        return Conduct(
            encounters=np.array([g.encounters for g in self.groups], dtype=float).T,
            violations=np.array([g.violations for g in self.groups], dtype=float).T,
            sanctions=np.array([g.caught for g in self.groups], dtype=float),
            community_encounters=np.array([x.encounters for x in c], dtype=float).T,
            community_violations=np.array([x.violations for x in c], dtype=float).T,
            community_recruits=np.array([x.recruits for x in c], dtype=float),
            unit_recruits=np.array([u.recruits for u in self.units], dtype=np.int64))

    def state(self) -> dict[str, np.ndarray]:
        """Every fighter's state as ``(C, n)`` arrays in the cohort's order (index)."""
        return {name: np.array([getattr(f, name) for f in self.fighter_list], dtype=float).T
                for name in STATE + ("encounters",)}


STATE = ("knowledge", "knowledge_origin", "acceptance", "baseline", "origin", "deterred", "fear",
         "violations")


def cohort_state(fc: FighterCohort) -> dict[str, np.ndarray]:
    """The same view of the cohort's state as :meth:`PerAgentFighterModel.state`."""
    p = fc.people
    own = {"deterred": fc.deterred, "fear": fc.fear, "violations": fc.violations}
    return {name: np.array(own[name] if name in own else getattr(p, name), dtype=float)
            for name in STATE}


def altered(world: World, **changes) -> World:
    """A deep copy of ``world`` with some of the rule's settings changed (``fighters``' fields by
    name, or ``turnover``, ``decay``, ``forgetting``, ``kappa``, ``community_restraint``): the
    tests give the peer a world that leaves a term out, to show that their checks can fail."""
    w = copy.deepcopy(world)
    own = {"turnover": w.groups.fighter_turnover, "decay": w.signals.decay,
           "forgetting": w.signals.forgetting, "kappa": w.signals.kappa}
    settings = {}
    for name, value in changes.items():
        if name in own:
            own[name][...] = value
        elif name == "community_restraint":
            w.community_restraint = value
        else:
            settings[name] = value
    if settings:
        w.fighters = w.fighters.model_copy(update=settings)
    return w
