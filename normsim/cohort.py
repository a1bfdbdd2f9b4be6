"""Commanders' and fighters' state as arrays, and their weekly update over all of them at once.

The ``Commander`` and ``Fighter`` Mesa agents (:mod:`normsim.agents`) are views onto these
arrays: a fighter's ``acceptance`` is ``cohort.acceptance[fighter.index]``. One model step
updates every fighter with a handful of numpy operations instead of a Python ``step`` per
fighter, which is about a hundred times faster (``../shared/FACTS.md``, ``benchmarks/``).

Indices: commanders are ordered by level (all strategic, then operational, then tactical);
a fighter's ``unit`` is the ordinal of his tactical commander among the tactical commanders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

STRATEGIC, OPERATIONAL, TACTICAL = 0, 1, 2
LEVELS = ("strategic", "operational", "tactical")
BASELINE_CONCENTRATION = 10.0  # assumption: spread of individual baselines, Beta(mu*10, (1-mu)*10)
DETERRENCE_PER_SANCTION = 0.5  # assumption: a sanction a fighter suffers adds this much fear
DETERRENCE_RETENTION = 0.97  # assumption: personal deterrence halves in about 23 weeks


def draw_baseline(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    """Individual baselines around ``mean`` (Beta with concentration 10; exact at 0 and 1)."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(n, float(mean))
    k = BASELINE_CONCENTRATION
    return rng.beta(mean * k, (1.0 - mean) * k, size=n)


def emphasis(acceptance, doctrine):
    """The emphasis a commander puts on IHL in his orders: the square of his acceptance (the
    half-convinced seldom put a norm into orders; an assumption), made concrete by the doctrine
    (half of it without one)."""
    return acceptance * acceptance * (0.5 + 0.5 * doctrine)


@dataclass
class GroupSignals:
    """Per-group values (arrays over groups) the cohorts read in a week."""

    transmission: np.ndarray  # how much of an order travels one level down the chain
    doctrine: np.ndarray
    training: np.ndarray
    equipment: np.ndarray
    sanctions: np.ndarray
    openness: np.ndarray  # H2 multiplier on taking up acceptance
    decay: np.ndarray  # acceptance_decay scaled by H6
    contrary: np.ndarray
    people_war: np.ndarray


class CommanderCohort:
    """Every commander of every group: one strategic, its operational and tactical commanders."""

    def __init__(self, n_groups: int, operational: int, units_per_commander: int,
                 communities_per_group: int, rng: np.random.Generator,
                 baseline_knowledge: float, baseline_acceptance: float):
        self.n_groups = n_groups
        self.operational_per_group = operational
        self.tactical_per_group = operational * units_per_commander
        n_op, n_tac = n_groups * operational, n_groups * self.tactical_per_group
        self.n = n_groups + n_op + n_tac
        self.level = np.repeat(np.array([STRATEGIC, OPERATIONAL, TACTICAL], dtype=np.int8),
                               [n_groups, n_op, n_tac])
        self.slices = (slice(0, n_groups), slice(n_groups, n_groups + n_op),
                       slice(n_groups + n_op, self.n))
        group = np.arange(n_groups, dtype=np.int64)
        self.group = np.concatenate([group, np.repeat(group, operational),
                                     np.repeat(group, self.tactical_per_group)])
        self.superior = np.concatenate([
            np.full(n_groups, -1, dtype=np.int64),
            self.group[self.slices[OPERATIONAL]],  # the group's strategic commander
            n_groups + np.arange(n_op, dtype=np.int64).repeat(units_per_commander),
        ])
        # tactical units are stationed among their group's communities in turn
        unit_in_group = np.arange(n_tac) % self.tactical_per_group
        self.unit_community = (self.group[self.slices[TACTICAL]] * communities_per_group
                               + unit_in_group % communities_per_group)
        self.baseline_knowledge = draw_baseline(rng, baseline_knowledge, self.n)
        self.baseline = draw_baseline(rng, baseline_acceptance, self.n)
        self.knowledge = self.baseline_knowledge.copy()
        self.acceptance = self.baseline.copy()
        self.emphasis = np.zeros(self.n)

    @property
    def tactical_offset(self) -> int:
        return self.slices[TACTICAL].start

    def update(self, s: GroupSignals, learning: float) -> None:
        """Orders flow down: operational commanders from the top, tactical from operational.

        Knowledge grows with the superior's emphasis carried by the doctrine and with training;
        acceptance grows with the superior's emphasis (times H2's openness) and drifts back to
        baseline (slowed by H6); his own :func:`emphasis` follows (seed 002: commanders "must, always and specifically, emphasise the observance of
        humanitarian norms in the planning, organisation and execution of all combat situations").
        """
        for level in (OPERATIONAL, TACTICAL):
            sl = self.slices[level]
            g = self.group[sl]
            signal = self.emphasis[self.superior[sl]] * s.transmission[g]
            k, a = self.knowledge[sl], self.acceptance[sl]
            doctrine = s.doctrine[g]
            k += learning * (signal * (0.5 + 0.5 * doctrine) + 0.5 * s.training[g]
                             * s.transmission[g]) * (1.0 - k)
            a += (learning * s.openness[g] * signal * k * (1.0 - a)
                  - s.decay[g] * (a - self.baseline[sl]))
            np.clip(k, 0.0, 1.0, out=k)
            np.clip(a, 0.0, 1.0, out=a)
            self.emphasis[sl] = emphasis(a, doctrine)

    def replace(self, idx: np.ndarray, continuity: np.ndarray, rng: np.random.Generator,
                baseline_knowledge: float, baseline_acceptance: float) -> None:
        """New commanders take over at ``idx``; they keep ``continuity`` (the doctrine level) of
        their predecessor's knowledge and acceptance (seed 002: the priority "must also remain
        clear in case of personnel changes")."""
        if len(idx) == 0:
            return
        self.baseline[idx] = draw_baseline(rng, baseline_acceptance, len(idx))
        self.baseline_knowledge[idx] = draw_baseline(rng, baseline_knowledge, len(idx))
        self.knowledge[idx] = (continuity * self.knowledge[idx]
                               + (1.0 - continuity) * self.baseline_knowledge[idx])
        self.acceptance[idx] = (continuity * self.acceptance[idx]
                                + (1.0 - continuity) * self.baseline[idx])


@dataclass
class WeekOutcome:
    """What fighters did in a week, summed by group and by community."""

    encounters: np.ndarray
    violations: np.ndarray
    sanctions: np.ndarray
    community_encounters: np.ndarray
    community_violations: np.ndarray
    community_recruits: np.ndarray


class FighterCohort:
    """Every fighter of every group as arrays; one :meth:`week` updates them all.

    Fighters are stored group by group, and what reaches a fighter (his commander's orders,
    enforcement, his community's pressure) is computed once per unit and looked up per fighter.
    """

    def __init__(self, commanders: CommanderCohort, per_group: int, rng: np.random.Generator,
                 baseline_knowledge: float, baseline_acceptance: float, n_communities: int):
        n_groups, units_per_group = commanders.n_groups, commanders.tactical_per_group
        self.n, self.per_group = n_groups * per_group, per_group
        self.n_groups, self.n_communities = n_groups, n_communities
        self.group = np.repeat(np.arange(n_groups, dtype=np.int64), per_group)
        within = np.tile(np.arange(per_group, dtype=np.int64), n_groups)
        self.unit = self.group * units_per_group + within % units_per_group
        self.n_units = n_groups * units_per_group
        self.unit_size = np.maximum(np.bincount(self.unit, minlength=self.n_units), 1)
        self.unit_commander = commanders.tactical_offset + np.arange(self.n_units)
        self.unit_group = commanders.group[self.unit_commander]
        self.unit_community = commanders.unit_community
        self.commander = self.unit_commander[self.unit]  # index into the commander cohort
        self.community = self.unit_community[self.unit]
        self.community_size = np.bincount(self.community, minlength=n_communities).astype(float)
        self.group_starts = np.arange(n_groups) * per_group
        self.baseline = draw_baseline(rng, baseline_acceptance, self.n)
        self.knowledge = draw_baseline(rng, baseline_knowledge, self.n)
        self.acceptance = self.baseline.copy()
        self.deterred = np.zeros(self.n)
        self.fear = np.zeros(self.n)
        self.violations = np.zeros(self.n, dtype=np.int64)

    def group_means(self, values: np.ndarray) -> np.ndarray:
        """Mean of a per-fighter array within each group (fighters are stored group by group)."""
        return np.add.reduceat(values, self.group_starts) / self.per_group

    def drill(self, effect_by_group: np.ndarray) -> None:
        """A training cycle: close ``effect_by_group[g]`` of each fighter's knowledge gap."""
        self.knowledge += effect_by_group[self.group] * (1.0 - self.knowledge)

    def week(self, s: GroupSignals, emphasis: np.ndarray, pressure: np.ndarray, intensity: float,
             f, influence: float, turnover: float, baseline_knowledge: float,
             baseline_acceptance: float, rng: np.random.Generator) -> WeekOutcome:
        """Learn, take up the norm, meet civilians, violate or not, get sanctioned, turn over.

        ``emphasis`` is the commander cohort's emphasis, ``pressure`` each community's pressure,
        ``f`` the fighters settings (:class:`normsim.schema.FighterSettings`).
        """
        ug, u = self.unit_group, self.unit
        commander = emphasis[self.unit_commander]
        order = commander * s.transmission[ug]  # what reaches a unit of his orders
        uptake = (f.learning_rate * s.openness[ug] * order
                  + influence * pressure[self.unit_community] * s.people_war[ug])
        enforcement = s.sanctions[ug] * s.transmission[ug] * (0.5 + 0.5 * commander)
        circumstances = (np.log(f.base_violation / (1.0 - f.base_violation))
                         + f.intensity_effect * (intensity - 0.5) + f.contrary_effect * s.contrary[ug]
                         - f.equipment_effect * s.equipment[ug])

        k, a = self.knowledge, self.acceptance
        k += f.learning_rate * order[u] * (1.0 - k)
        peer = np.bincount(u, weights=a, minlength=self.n_units) / self.unit_size
        a += (uptake[u] * k * (1.0 - a) + f.peer_influence * (peer[u] - a)
              - s.decay[ug][u] * (a - self.baseline))
        np.clip(a, 0.0, 1.0, out=a)
        np.clip(k, 0.0, 1.0, out=k)
        np.clip(enforcement[u] + self.deterred, 0.0, 1.0, out=self.fear)

        # Encounters are Poisson(rate) and each violates with chance p; by Poisson thinning the
        # violations are Poisson(rate p) and the respectful encounters Poisson(rate (1 - p)),
        # independent: draw the first per fighter, the second summed per community.
        rate = f.encounter_rate * (0.5 + intensity)
        p = expit(circumstances[u] - f.acceptance_effect * a - f.knowledge_effect * k
                  - f.fear_effect * self.fear)
        self.violations = rng.poisson(rate * p)
        nc = self.n_communities
        respected = rng.poisson(rate * (self.community_size
                                        - np.bincount(self.community, weights=p, minlength=nc)))

        # sanctions: each violator is disciplined with the chance his chain enforces them
        violators = np.flatnonzero(self.violations)
        caught = violators[rng.random(len(violators)) < enforcement[u[violators]]]
        self.deterred *= DETERRENCE_RETENTION
        self.deterred[caught] = np.minimum(1.0, self.deterred[caught] + DETERRENCE_PER_SANCTION)

        recruits = self._turn_over(turnover, baseline_knowledge, baseline_acceptance, rng)
        violations = np.bincount(self.community, weights=self.violations, minlength=nc)
        encounters = violations + respected
        per_group = nc // self.n_groups  # communities are stored group by group too
        return WeekOutcome(
            encounters=encounters.reshape(self.n_groups, per_group).sum(axis=1),
            violations=violations.reshape(self.n_groups, per_group).sum(axis=1),
            sanctions=np.bincount(self.group[caught], minlength=self.n_groups).astype(float),
            community_encounters=encounters, community_violations=violations,
            community_recruits=np.bincount(self.community[recruits], minlength=nc).astype(float),
        )

    def _turn_over(self, rate: float, baseline_knowledge: float, baseline_acceptance: float,
                   rng: np.random.Generator) -> np.ndarray:
        """Fighters who leave are replaced in place by recruits from the same community."""
        n_new = rng.binomial(self.n, rate) if rate > 0 else 0
        if n_new == 0:
            return np.empty(0, dtype=np.int64)
        idx = np.sort(rng.choice(self.n, size=n_new, replace=False))
        self.baseline[idx] = draw_baseline(rng, baseline_acceptance, n_new)
        self.acceptance[idx] = self.baseline[idx]
        self.knowledge[idx] = draw_baseline(rng, baseline_knowledge, n_new)
        self.deterred[idx] = 0.0
        return idx
