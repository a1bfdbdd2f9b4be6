"""Every fighter of every group as arrays; one :meth:`FighterCohort.week` updates them all.

The ``Fighter`` Mesa agents (:mod:`normsim.world.agents`) are views onto these arrays: a fighter's
``acceptance`` is ``cohort.acceptance[0, fighter.index]``. One model step updates every fighter
with a handful of numpy operations instead of a Python ``step`` per fighter, which is about a
hundred times faster (``../shared/FACTS.md``, ``benchmarks/``).

Fighters decide the norms whose occasions are their own encounters with civilians
(:data:`normsim.rules.norms.FIGHTERS`); arrays over norms are ``(C, n)`` for those ``C`` norms. They
are stored group by group, and what reaches a fighter (his commander's orders, enforcement,
instructions, his community's pressure) is computed once per unit and looked up per fighter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normsim.world.arrays import at, clip, runs_of
from normsim.world.batch_streams import count, each
from scipy.special import expit

from normsim.params import P, Section
from normsim.world.people import Dispositions, settle

DETERRENCE_PER_SANCTION = 0.5  # assumption: a sanction a fighter suffers adds this much fear
DETERRENCE_RETENTION = 0.97  # assumption: personal deterrence halves in about 23 weeks


class FighterSettings(Section):
    title = "Fighters' conduct"
    bundle = "armed group"
    encounter_rate: float = P(
        2.0, 0, 50, unit="per week", label="encounters with civilians",
        meaning="Mean encounters with civilians per fighter per week at intensity 0.5 (scaled by "
        "0.5 + intensity: the tempo of operations). Sets how many occasions there are, not how "
        "each is handled; compliance is a share of them.",
        source="Assumption: no source gives encounter counts; magnitudes of violations are "
        "relative (ODD, 'What the numbers mean').")
    base_violation: float = P(
        0.35, 0.001, 0.999, meaning="Chance an encounter violates the norm for a fighter with no "
        "knowledge, acceptance or fear, standard equipment, intensity 0.5 and no contrary practice.",
        source="Assumption (calibrates the starting compliance).", label="base chance of a violation")
    intensity_effect: float = P(
        2.0, 0, 10, label="effect of intensity on violating (log-odds)",
        meaning="Log-odds of violating added per unit of intensity above 0.5 (the pressure of "
        "operations on each encounter; their number is encounter_rate's).",
        source="Seed 002, General environmental factors: 'other priorities will inevitably "
        "prevail'. Size: assumption.")
    contrary_effect: float = P(1.0, 0, 10, meaning="Log-odds of violating added at full contrary practice.",
                               source="Seed 002, H2.", label="effect of contrary practice on violating (log-odds)")
    acceptance_effect: float = P(2.0, 0, 10, meaning="Log-odds of violating removed at full acceptance.",
                                 source="Seed 002: change in conduct 'begins with the acceptance of the "
                                 "correctness of these norms by individuals'.", label="effect of acceptance on respecting IHL (log-odds)")
    knowledge_effect: float = P(0.5, 0, 10, meaning="Log-odds of violating removed at full knowledge.",
                                source="Seed 002: combatants 'learn how they should conduct themselves'.", label="effect of knowledge on respecting IHL (log-odds)")
    fear_effect: float = P(1.0, 0, 10, meaning="Log-odds of violating removed at full fear of sanction.",
                           source="Seed 002: sanctions 'make the combatants aware of the consequences'.", label="effect of fear of sanction on respecting IHL (log-odds)")
    equipment_effect: float = P(0.5, 0, 10, meaning="Log-odds of violating removed at full equipment "
                                "integration.", source="Seed 002: 'equipment that does not violate IHL'.", label="effect of equipment on respecting IHL (log-odds)")
    learning_rate: float = P(0.05, 0, 1, unit="per week", meaning="Weekly rate at which fighters take up "
                             "knowledge and acceptance from their unit commander's emphasis.",
                             source="Assumption.", label="fighters' learning rate")
    order_effect: float = P(
        1.0, 0, 10, label="effect of instructions on respecting IHL (log-odds)",
        meaning="Log-odds of violating removed when the whole chain passes on the leadership's "
        "full order to comply: instructions for what compliance buys, or a standing commitment's "
        "order (obeyed, not believed).",
        source="Hoover Green 2018 (The Commander's Dilemma): commanders restrain violence through "
        "hierarchy and discipline as well as political education; Kelman 1958. Size: assumption "
        "(as fear_effect).")
    peer_influence: float = P(0.05, 0, 1, unit="per week", meaning="Weekly pull of a fighter's gain in "
                              "acceptance towards his unit's mean gain.", source="MODEL.md: fighters' peer influence.", label="peer influence among fighters")


@dataclass
class Conduct:
    """What fighters did in a week, per conduct norm: ``(C, G)`` by group, ``(C, K)`` by
    community; recruits per community."""

    encounters: np.ndarray
    violations: np.ndarray
    sanctions: np.ndarray
    community_encounters: np.ndarray
    community_violations: np.ndarray
    community_recruits: np.ndarray
    unit_recruits: np.ndarray


class FighterCohort:
    """All fighters. ``norms`` are the indices (among the norms in play) fighters decide."""

    def __init__(self, groups, commanders, norms: list[int], rng: np.random.Generator,
                 n_communities: int, settings, community_restraint: float):
        self.groups, self.settings, self.community_restraint = groups, settings, community_restraint
        sizes = groups.fighters
        G = groups.n
        self.n, self.n_groups, self.n_communities = int(sizes.sum()), G, n_communities
        self.norms = np.asarray(norms, dtype=np.int64)
        self.sizes = sizes
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.contiguous = True  # stored group by group (until a faction splinters)
        #: in a batch of runs (normsim.simulation.batch_engine), whether each run is still
        #: stored group by group (None alone)
        self.run_contiguous = None
        self.group = np.repeat(np.arange(G), sizes)
        within = np.arange(self.n) - self.starts[self.group]
        units = commanders.tactical
        self.unit_commander = units
        self.unit_group = commanders.group[units]
        self.n_units = len(units)
        units_per_group = np.bincount(self.unit_group, minlength=G)
        first_unit = np.concatenate([[0], np.cumsum(units_per_group)[:-1]])
        self.unit = first_unit[self.group] + within % units_per_group[self.group]
        self.unit_size = np.maximum(np.bincount(self.unit, minlength=self.n_units), 1)
        self.unit_community = commanders.unit_community
        self.commander = units[self.unit]
        self.community = self.unit_community[self.unit]
        self.community_size = np.bincount(self.community, minlength=n_communities).astype(float)
        self.people = Dispositions(rng, len(norms), groups.baseline_knowledge[self.group],
                                   groups.baseline_acceptance[self.group], self.n)
        C = len(norms)
        self.deterred = np.zeros((C, self.n))
        self.fear = np.zeros((C, self.n))
        self.violations = np.zeros((C, self.n), dtype=np.int64)
        self.p = np.zeros((C, self.n))
        self._cell = None  # see _cells
        self._cell_of = None  # see _cell_group
        self.adjust = None  # (C, units) log-odds from the mechanisms switched on (rules/mechanisms.py)

    acceptance = property(lambda self: self.people.acceptance)
    knowledge = property(lambda self: self.people.knowledge)
    baseline = property(lambda self: self.people.baseline)
    origin = property(lambda self: self.people.origin)

    def change_settings(self, settings, community_restraint: float) -> None:
        """New settings from this week on (a change of conditions in a running model)."""
        self.settings, self.community_restraint = settings, community_restraint

    def group_means(self, values: np.ndarray) -> np.ndarray:
        """Mean of per-fighter values within each group: ``(C, n)`` -> ``(C, G)``."""
        if self.contiguous:
            return np.add.reduceat(values, self.starts, axis=-1) / self.sizes
        means = _sum_by(values, self.group, self.n_groups) / np.maximum(self.sizes, 1)
        kept = self._kept_groups()
        if len(kept):  # a batch's runs still stored group by group: summed as alone
            means[..., kept] = np.add.reduceat(values, self.starts, axis=-1)[..., kept] \
                / self.sizes[kept]
        return means

    def _kept_groups(self) -> np.ndarray:
        """In a batch of runs, the groups of the runs still stored group by group (none of
        whose factions broke away): their sums are made as a run alone makes them."""
        if self.run_contiguous is None:
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(self.run_contiguous[self.groups.run[:len(self.starts)]])

    def regroup(self, commanders) -> None:
        """After a splinter: fighters follow their unit's commander into his new group (they are
        no longer stored group by group)."""
        self.n_groups = commanders.n_groups
        self.unit_group = commanders.group[self.unit_commander]
        self.group = self.unit_group[self.unit]
        self.sizes = np.bincount(self.group, minlength=self.n_groups)
        self.contiguous = False
        self._cell = self._cell_of = None

    def drill(self, effect: np.ndarray) -> None:
        """A training cycle: close ``effect[g, norm]`` of each fighter's knowledge gap."""
        k = self.people.knowledge
        k += effect[:, self.norms].T[:, self.group] * (1.0 - k)  # (C, n)

    def odds(self, pressure: np.ndarray, intensity: float) -> np.ndarray:
        """Log-odds of violating in an encounter, per unit ``(C, units)``, from the
        circumstances the unit is in: operations, contrary practice, equipment, the orders it is
        under (instrumental instructions, :mod:`normsim.rules.internalisation`, or a standing
        commitment's, :func:`normsim.rules.leadership.give_orders`) and the pressure of
        the community it is stationed among."""
        f, g, ug, norms = self.settings, self.groups, self.unit_group, self.norms
        restraint = g.orders[ug][:, norms].T * g.transmission[ug]
        odds = (np.log(f.base_violation / (1.0 - f.base_violation))
                + f.intensity_effect * (at(intensity, ug) - 0.5)
                + f.contrary_effect * g.contrary_practice[ug]
                - f.equipment_effect * g.factors[ug][:, norms, 2].T
                - f.order_effect * restraint
                - self.community_restraint * pressure[self.unit_community] * g.people_war[ug])
        return odds if self.adjust is None else odds + self.adjust  # presence, military value

    def violation_chance(self, unit_odds: np.ndarray) -> np.ndarray:
        """Each fighter's chance that an encounter violates the norm, ``(C, n)``."""
        f, p = self.settings, self.people
        return expit(unit_odds[:, self.unit] - f.acceptance_effect * p.acceptance
                     - f.knowledge_effect * p.knowledge - f.fear_effect * self.fear)

    def week(self, signals, emphasis: np.ndarray, pressure: np.ndarray, intensity: float,
             rng: np.random.Generator) -> Conduct:
        """Learn, take up the norm, meet civilians, violate or not, get sanctioned, turn over.

        ``signals`` are the week's per-group signals (:class:`normsim.rules.internalisation.Signals`),
        ``emphasis`` the commanders' emphasis ``(N, commanders)``, ``pressure`` each
        community's pressure.
        """
        f, g = self.settings, self.groups
        norms, ug, u = self.norms, self.unit_group, self.unit
        if len(norms) == 0:  # fighters decide none of the norms in play: only turnover
            return self._quiet_week(rng)
        commander = emphasis[norms][:, self.unit_commander]  # (C, units)
        order = commander * g.transmission[ug]  # what reaches a unit of his orders
        uptake = f.learning_rate * signals.openness[ug][:, norms].T * order
        enforcement = g.factors[ug][:, norms, 3].T * g.transmission[ug] * (0.5 + 0.5 * commander)

        p = self.people
        k, a = p.knowledge, p.acceptance
        k += f.learning_rate * order[:, u] * (1.0 - k)
        gain = a - p.origin
        peer = _sum_by(gain, u, self.n_units) / self.unit_size
        a += uptake[:, u] * k * (1.0 - a) + f.peer_influence * (peer[:, u] - gain)
        settle(a, p.baseline, k, p.knowledge_origin, decay=signals.decay[self.group],
               forgetting=signals.forgetting[self.group],
               kappa=signals.kappa[:, norms].T[:, self.group])
        clip(a, 0.0, 1.0, out=a)
        clip(k, 0.0, 1.0, out=k)
        clip(enforcement[:, u] + self.deterred, 0.0, 1.0, out=self.fear)

        # Encounters are Poisson(rate) and each violates with chance p; by Poisson thinning the
        # violations are Poisson(rate p) and the respectful encounters Poisson(rate (1 - p)),
        # independent: draw the first per fighter, the second summed per cell (a community,
        # or a community and group once a faction has splintered and two groups share it).
        group_rate = f.encounter_rate * (0.5 + intensity)  # (one per group in a batch of runs)
        rate = at(group_rate, self.group)
        run = runs_of(g, self.group)  # each fighter's run in a batch (None alone)
        live = None if g.alive.all() else g.alive[self.group]  # groups not in the field meet no one
        self.p = chance = self.violation_chance(self.odds(pressure, intensity))
        self.violations = each(rng, run, "poisson",
                               rate * chance if live is None else rate * chance * live)
        K, G = self.n_communities, self.n_groups
        cell, cells, size = self._cells()
        if live is None:
            respect = size - _sum_by(chance, cell, cells)
        else:
            respect = _sum_by(live * (1.0 - chance), cell, cells)
        cell_group = self._cell_group()
        respected = each(rng, runs_of(g, cell_group), "poisson",
                         at(group_rate, cell_group) * respect)

        # sanctions: each violator is disciplined with the chance his chain enforces them
        caught = np.zeros(self.violations.shape, dtype=bool)
        c_idx, f_idx = np.nonzero(self.violations)
        hit = count(rng, None if run is None else run[f_idx], len(f_idx),
                    "random") < enforcement[c_idx, u[f_idx]]
        caught[c_idx[hit], f_idx[hit]] = True
        self.deterred *= DETERRENCE_RETENTION
        self.deterred[caught] = np.minimum(1.0, self.deterred[caught] + DETERRENCE_PER_SANCTION)

        recruits = self._turn_over(rng)
        violations = _sum_by(self.violations, cell, cells)
        encounters = violations + respected
        if self.contiguous:  # communities are stored group by group
            def per_group(x):
                return x.reshape(len(x), G, K // G).sum(axis=2)

            def per_community(x):
                return x
        else:
            def per_group(x):
                return x.reshape(len(x), K, G).sum(axis=1)

            def per_community(x):
                return x.reshape(len(x), K, G).sum(axis=2)
        return Conduct(
            encounters=per_group(encounters), violations=per_group(violations),
            sanctions=np.bincount(self.group[np.nonzero(caught.any(axis=0))[0]],
                                  minlength=G).astype(float),
            community_encounters=per_community(encounters),
            community_violations=per_community(violations),
            community_recruits=np.bincount(self.community[recruits], minlength=K).astype(float),
            unit_recruits=np.bincount(self.unit[recruits], minlength=self.n_units),
        )

    def _cells(self) -> tuple[np.ndarray, int, np.ndarray]:
        """Each fighter's cell (his community; with his group once a faction has splintered and
        two groups share a community), the number of cells and their sizes (kept until the
        next splinter)."""
        if self._cell is None:
            if self.contiguous:
                self._cell = (self.community, self.n_communities, self.community_size)
            else:
                cells = self.n_communities * self.n_groups
                cell = self.community * self.n_groups + self.group
                self._cell = (cell, cells, np.bincount(cell, minlength=cells))
        return self._cell

    def _cell_group(self) -> np.ndarray:
        """Each cell's group (a cell holds one group's fighters; an empty cell: group 0)."""
        cell, cells, _ = self._cells()
        if self._cell_of is None:
            self._cell_of = np.zeros(cells, dtype=np.int64)
            self._cell_of[cell] = self.group
        return self._cell_of

    def _quiet_week(self, rng: np.random.Generator) -> Conduct:
        recruits = self._turn_over(rng)
        K, G = self.n_communities, self.n_groups
        none = np.zeros((0, G))
        return Conduct(encounters=none, violations=none, sanctions=np.zeros(G),
                       community_encounters=np.zeros((0, K)),
                       community_violations=np.zeros((0, K)),
                       community_recruits=np.bincount(self.community[recruits],
                                                      minlength=K).astype(float),
                       unit_recruits=np.bincount(self.unit[recruits], minlength=self.n_units))

    def _turn_over(self, rng: np.random.Generator) -> np.ndarray:
        """Fighters who leave are replaced in place by recruits from the same community."""
        g = self.groups
        if self.contiguous:
            leaving = each(rng, g.run, "binomial", self.sizes, g.fighter_turnover)
            total = int(leaving.sum())
            if total == 0:
                return np.empty(0, dtype=np.int64)
            which = np.repeat(np.arange(self.n_groups), leaving)
            idx = np.unique(self.starts[which]
                            + (count(rng, runs_of(g, which), total, "random")
                               * self.sizes[which]).astype(np.int64))
        elif len(kept := self._kept_groups()):
            idx = self._turn_over_mixed(rng, kept)
            if len(idx) == 0:
                return idx
        else:
            idx = np.flatnonzero(count(rng, runs_of(g, self.group), self.n, "random")
                                 < g.fighter_turnover[self.group])
            if len(idx) == 0:
                return idx
        gi = self.group[idx]
        self.people.renew(idx, rng, g.baseline_knowledge[gi], g.baseline_acceptance[gi],
                          owner=runs_of(g, gi))
        self.deterred[:, idx] = 0.0
        return idx


    def _turn_over_mixed(self, rng, kept: np.ndarray) -> np.ndarray:
        """Who leaves in a batch where some runs are stored group by group (``kept``: their
        groups) and others not: each run draws as it would alone, the first kind by group, the
        second by fighter."""
        g = self.groups
        leaving = each(rng, g.run[kept], "binomial", self.sizes[kept], g.fighter_turnover[kept])
        which = np.repeat(kept, leaving)
        stayed = np.unique(self.starts[which] + (count(rng, g.run[which], len(which), "random")
                                                 * self.sizes[which]).astype(np.int64))
        others = np.flatnonzero(~self.run_contiguous[g.run[self.group]])
        drawn = count(rng, g.run[self.group[others]], len(others), "random")
        moved = others[drawn < g.fighter_turnover[self.group[others]]]
        return np.sort(np.concatenate([stayed, moved]))


def _sum_by(values: np.ndarray, index: np.ndarray, n: int) -> np.ndarray:
    """Sum the columns of ``values`` ``(C, K)`` by ``index`` ``(K,)`` -> ``(C, n)``."""
    if len(values) == 1:
        return np.bincount(index, weights=values[0], minlength=n)[None, :]
    # one bincount over (row, index) bins: each bin sums its columns in order, as a bincount
    # per row does, so the same numbers
    rows = len(values)
    bins = (np.arange(rows)[:, None] * n + index).ravel()
    return np.bincount(bins, weights=values.ravel(), minlength=rows * n).reshape(rows, n)
