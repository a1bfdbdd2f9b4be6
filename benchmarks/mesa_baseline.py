"""The peer for the speed benchmarks: the fighters' weekly rule as an idiomatic per-agent Mesa model.

This is **only a baseline** for ``benchmarks/run.py``; normsim itself updates fighters with
array operations (:meth:`normsim.cohort.FighterCohort.week`). Here each fighter is a
``mesa.Agent`` with its own Python ``step`` implementing exactly that rule for one fighter, and
the model runs ``shuffle_do("step")`` over them, as a Mesa modeller would write it:

1. knowledge grows with the unit commander's order (his emphasis times the group's transmission);
2. acceptance takes up the order (times H2's openness) and the community's pressure (times the
   group's people's-war dependence), both times knowledge and the remaining gap; it is pulled
   towards the unit's mean acceptance *at the start of the week* (peer influence) and drifts back
   to the fighter's own baseline (decay);
3. fear is the chain's enforcement plus his personal deterrence, capped at 1;
4. encounters with civilians are Poisson, violations binomial in them with a logistic chance;
5. a violator is disciplined with the chance his chain enforces sanctions; his deterrence decays
   and grows by a sanction;
6. with the turnover chance he is replaced in place by a recruit (fresh baselines, no deterrence).

Everything above the fighters (doctrine, training, equipment, sanctions, transmission, openness,
decay, commanders' emphasis, community pressure, intensity) is held fixed in a :class:`World`,
identical for both implementations, so that only the fighter update is compared.

Random draws use Mesa's ``model.random`` (the stdlib generator ``shuffle_do`` also uses): scalar
draws from it cost ~30 ns, from a numpy ``Generator`` ~1 µs. The draws follow the same
distributions as the cohort's (Poisson by Knuth's method, binomial as Bernoulli trials, turnover
as an independent chance per fighter, which is what a binomial count of leavers chosen uniformly
without replacement amounts to), not the same random stream.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mesa
import numpy as np

from normsim.cohort import (BASELINE_CONCENTRATION, DETERRENCE_PER_SANCTION, DETERRENCE_RETENTION,
                            CommanderCohort, FighterCohort, GroupSignals, WeekOutcome, emphasis)
from normsim.hypotheses import decay_multiplier, h2_current_views, h6_long_exposure
from normsim.integration import structure_strength
from normsim.schema import (CommunitySettings, FighterSettings, GroupSettings, HypothesisSettings)

FIGHTERS_PER_UNIT = 50


@dataclass
class World:
    """The group-level signals held fixed, and the settings of the fighters' rule."""

    signals: GroupSignals
    emphasis: np.ndarray  # every commander's emphasis (the commander cohort's array)
    pressure: np.ndarray  # each community's pressure
    intensity: float = 0.5
    fighters: FighterSettings = field(default_factory=FighterSettings)
    influence: float = CommunitySettings().influence
    turnover: float = GroupSettings().fighter_turnover
    baseline_knowledge: float = GroupSettings().baseline_knowledge
    baseline_acceptance: float = GroupSettings().baseline_acceptance


def build(fighters: int, *, seed: int = 0, operational: int = 3, communities: int = 4,
          per_unit: int = FIGHTERS_PER_UNIT, world: dict | None = None,
          fighter_settings: dict | None = None) -> tuple[World, CommanderCohort, FighterCohort]:
    """One group of ``fighters`` in units of about ``per_unit``, in a mid-run state.

    The commander and fighter cohorts come from normsim's own constructors; the signals are
    those of a group half-way through integration (defaults of :mod:`normsim.schema`, doctrine
    0.6, training 0.5, equipment 0.4, sanctions 0.5, commanders' acceptance around 0.5).
    ``world`` overrides fields of :class:`World`, ``fighter_settings`` fields of
    :class:`normsim.schema.FighterSettings`.
    """
    rng = np.random.default_rng(seed)
    g, h = GroupSettings(), HypothesisSettings()
    units = max(1, round(fighters / (per_unit * operational)))
    cc = CommanderCohort(1, operational, units, communities, rng, g.baseline_knowledge,
                         g.baseline_acceptance)
    fc = FighterCohort(cc, fighters, rng, g.baseline_knowledge, g.baseline_acceptance, communities)
    doctrine = 0.6
    h6 = h6_long_exposure(12, strength=h.h6_strength, enabled=h.h6_enabled, half=h.h6_exposure_half)
    signals = GroupSignals(
        transmission=np.array([structure_strength(g.centralisation, g.factions, g.wing_split)]),
        doctrine=np.array([doctrine]), training=np.array([0.5]), equipment=np.array([0.4]),
        sanctions=np.array([0.5]),
        openness=np.array([float(h2_current_views(g.people_war, g.contrary_practice,
                                                  strength=h.h2_strength, enabled=h.h2_enabled))]),
        decay=np.array([g.acceptance_decay * float(decay_multiplier(h6))]),
        contrary=np.array([g.contrary_practice]), people_war=np.array([g.people_war]))
    cc.acceptance[:] = rng.beta(5.0, 5.0, size=cc.n)
    cc.emphasis[:] = emphasis(cc.acceptance, doctrine)
    w = World(signals=signals, emphasis=cc.emphasis.copy(),
              pressure=np.linspace(0.05, 0.2, communities),
              fighters=FighterSettings(**(fighter_settings or {})))
    for key, value in (world or {}).items():
        setattr(w, key, value)
    return w, cc, fc


def cohort_week(world: World, fc: FighterCohort, rng: np.random.Generator) -> WeekOutcome:
    """One week of normsim's array-backed fighter update under the fixed ``world``."""
    return fc.week(world.signals, world.emphasis, world.pressure, world.intensity, world.fighters,
                   world.influence, world.turnover, world.baseline_knowledge,
                   world.baseline_acceptance, rng)


def _draw_baseline(random, mean: float) -> float:
    """One individual baseline around ``mean`` (as :func:`normsim.cohort.draw_baseline`)."""
    if mean <= 0.0 or mean >= 1.0:
        return float(mean)
    k = BASELINE_CONCENTRATION
    return random.betavariate(mean * k, (1.0 - mean) * k)


class Group:
    """A group's fixed signals, folded into the constants of the fighters' rule, and its tallies."""

    def __init__(self, world: World, g: int):
        s, f = world.signals, world.fighters
        self.transmission = float(s.transmission[g])
        self.uptake = f.learning_rate * float(s.openness[g])  # times the order
        self.people_war = float(s.people_war[g])
        self.decay = float(s.decay[g])
        self.enforcement_scale = float(s.sanctions[g] * s.transmission[g])
        self.logit_base = (math.log(f.base_violation / (1.0 - f.base_violation))
                           + f.intensity_effect * (world.intensity - 0.5)
                           + f.contrary_effect * float(s.contrary[g]))
        self.equipment_term = f.equipment_effect * float(s.equipment[g])
        self.encounters = self.violations = self.sanctions = 0


class Community(mesa.Agent):
    """A community: its (fixed) pressure and this week's tallies."""

    def __init__(self, model: PerAgentFighterModel, index: int, pressure: float):
        super().__init__(model)
        self.index, self.pressure = index, pressure
        self.encounters = self.violations = self.recruits = 0


class UnitCommander(mesa.Agent):
    """A tactical commander (fixed emphasis) and his unit; he musters his unit's mean acceptance."""

    def __init__(self, model: PerAgentFighterModel, index: int, emphasis: float, group: Group):
        super().__init__(model)
        self.index, self.emphasis, self.group = index, emphasis, group
        self.order = emphasis * group.transmission  # what reaches his fighters
        self.enforcement = group.enforcement_scale * (0.5 + 0.5 * emphasis)
        self.members: list[Fighter] = []
        self.peer = 0.0

    def muster(self) -> None:
        """The unit's mean acceptance at the start of the week (what peers pull towards)."""
        self.peer = sum(f.acceptance for f in self.members) / max(len(self.members), 1)


class Fighter(mesa.Agent):
    """A fighter with his own state and his own weekly ``step``."""

    def __init__(self, model: PerAgentFighterModel, index: int, unit: UnitCommander,
                 community: Community, knowledge: float, acceptance: float, baseline: float,
                 deterred: float):
        super().__init__(model)
        self.index, self.unit, self.community = index, unit, community
        self.knowledge, self.acceptance, self.baseline = knowledge, acceptance, baseline
        self.deterred, self.fear = deterred, 0.0
        self.encounters = self.violations = 0

    def step(self) -> None:
        m, unit, community = self.model, self.unit, self.community
        group, random = unit.group, m.random.random
        # learn from the order, take up the norm, feel the peers and the community, decay
        order = unit.order
        k = self.knowledge
        k += m.learning_rate * order * (1.0 - k)
        a = self.acceptance
        a += ((group.uptake * order + m.influence * community.pressure * group.people_war)
              * k * (1.0 - a)
              + m.peer_influence * (unit.peer - a)
              - group.decay * (a - self.baseline))
        a = 0.0 if a < 0.0 else (1.0 if a > 1.0 else a)
        k = 0.0 if k < 0.0 else (1.0 if k > 1.0 else k)
        self.knowledge, self.acceptance = k, a
        fear = unit.enforcement + self.deterred
        fear = 0.0 if fear < 0.0 else (1.0 if fear > 1.0 else fear)
        self.fear = fear

        # meet civilians (Poisson, Knuth's method), violate or not (one trial per encounter)
        encounters, product = 0, random()
        while product > m.no_encounter:
            encounters += 1
            product *= random()
        logit = (group.logit_base - m.acceptance_effect * a - m.knowledge_effect * k
                 - m.fear_effect * fear - group.equipment_term)
        p = 1.0 / (1.0 + math.exp(-logit))
        violations = 0
        for _ in range(encounters):
            if random() < p:
                violations += 1
        self.encounters, self.violations = encounters, violations

        # sanctions with deterrence
        deterred = self.deterred * DETERRENCE_RETENTION
        if violations and random() < unit.enforcement:
            deterred = min(1.0, deterred + DETERRENCE_PER_SANCTION)
            group.sanctions += 1
        self.deterred = deterred
        group.encounters += encounters
        group.violations += violations
        community.encounters += encounters
        community.violations += violations

        # turnover: a recruit from the same community takes his place
        if random() < m.turnover:
            self.baseline = self.acceptance = _draw_baseline(m.random, m.baseline_acceptance)
            self.knowledge = _draw_baseline(m.random, m.baseline_knowledge)
            self.deterred = 0.0
            community.recruits += 1


class PerAgentFighterModel(mesa.Model):
    """The fighters of ``fc`` (their current state is copied) as per-agent Mesa agents."""

    def __init__(self, world: World, cc: CommanderCohort, fc: FighterCohort, *, rng: int = 0):
        super().__init__(rng=rng)
        f = world.fighters
        self.learning_rate, self.peer_influence = f.learning_rate, f.peer_influence
        self.acceptance_effect, self.knowledge_effect = f.acceptance_effect, f.knowledge_effect
        self.fear_effect = f.fear_effect
        self.no_encounter = math.exp(-f.encounter_rate * (0.5 + world.intensity))
        self.influence, self.turnover = world.influence, world.turnover
        self.baseline_knowledge = world.baseline_knowledge
        self.baseline_acceptance = world.baseline_acceptance
        self.groups = [Group(world, g) for g in range(fc.n_groups)]
        self.communities = list(Community.create_agents(
            self, fc.n_communities, index=list(range(fc.n_communities)),
            pressure=[float(p) for p in world.pressure]))
        tac = cc.tactical_offset
        unit_group = cc.group[tac:tac + fc.n_units]
        self.units = list(UnitCommander.create_agents(
            self, fc.n_units, index=list(range(fc.n_units)),
            emphasis=[float(e) for e in world.emphasis[tac:tac + fc.n_units]],
            group=[self.groups[g] for g in unit_group]))
        self.fighters = Fighter.create_agents(
            self, fc.n, index=list(range(fc.n)),
            unit=[self.units[u] for u in fc.unit], community=[self.communities[c] for c in fc.community],
            knowledge=fc.knowledge.tolist(), acceptance=fc.acceptance.tolist(),
            baseline=fc.baseline.tolist(), deterred=fc.deterred.tolist())
        self.fighter_list = list(self.fighters)  # in index order, for state()
        for fighter in self.fighter_list:
            fighter.unit.members.append(fighter)

    def step(self) -> None:
        for group in self.groups:
            group.encounters = group.violations = group.sanctions = 0
        for community in self.communities:
            community.encounters = community.violations = community.recruits = 0
        for unit in self.units:
            unit.muster()
        self.fighters.shuffle_do("step")

    def outcome(self) -> WeekOutcome:
        """This week's tallies, as the cohort reports them."""
        c = self.communities
        return WeekOutcome(
            encounters=np.array([g.encounters for g in self.groups], dtype=float),
            violations=np.array([g.violations for g in self.groups], dtype=float),
            sanctions=np.array([g.sanctions for g in self.groups], dtype=float),
            community_encounters=np.array([x.encounters for x in c], dtype=float),
            community_violations=np.array([x.violations for x in c], dtype=float),
            community_recruits=np.array([x.recruits for x in c], dtype=float))

    def state(self) -> dict[str, np.ndarray]:
        """Every fighter's state as arrays in the cohort's order (index)."""
        names = ("knowledge", "acceptance", "baseline", "deterred", "fear", "encounters",
                 "violations")
        return {name: np.array([getattr(f, name) for f in self.fighter_list]) for name in names}


def cohort_state(fc: FighterCohort) -> dict[str, np.ndarray]:
    """The same view of the cohort's state as :meth:`PerAgentFighterModel.state`."""
    return {name: np.array(getattr(fc, name), copy=True)
            for name in ("knowledge", "acceptance", "baseline", "deterred", "fear", "violations")}
