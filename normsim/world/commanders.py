"""Every commander of every group as arrays: the chain of command and the orders that flow down it.

Indices: the first ``G`` commanders are the groups' top (strategic) commanders, group ``g``'s at
index ``g``; then each group's operational commanders; then its tactical commanders, each
leading one unit, ordered by their operational superior. A unit is the ordinal of its tactical
commander among the tactical commanders. The ``Commander`` Mesa agents are views onto these
arrays.
"""

from __future__ import annotations

import numpy as np

from normsim.world.arrays import clip, runs_of

from normsim.world.people import Dispositions, excess, settle

STRATEGIC, OPERATIONAL, TACTICAL = 0, 1, 2
LEVELS = ("strategic", "operational", "tactical")


def emphasis(acceptance, origin, doctrine):
    """The emphasis a commander puts on a norm in his orders: the square of how far he has come
    from his own starting view (the half-convinced seldom put a norm into orders; an assumption),
    made concrete by the doctrine (half of it without one). Zero for a commander who has not
    moved: without engagement no one orders more than the group always did."""
    x = excess(acceptance, origin)
    return x * x * (0.5 + 0.5 * doctrine)


class CommanderCohort:
    """Commanders of all groups. ``groups`` is the :class:`normsim.world.groups.GroupState`."""

    def __init__(self, groups, n_norms: int, communities_per_group: int,
                 rng: np.random.Generator):
        G = groups.n
        ops = groups.operational_commanders
        tac = ops * groups.units_per_commander
        self.n_groups = G
        n_op, n_tac = int(ops.sum()), int(tac.sum())
        self.n = G + n_op + n_tac
        self.level = np.repeat(np.array([STRATEGIC, OPERATIONAL, TACTICAL], dtype=np.int8),
                               [G, n_op, n_tac])
        op_group = np.repeat(np.arange(G), ops)
        tac_group = np.repeat(np.arange(G), tac)
        self.group = np.concatenate([np.arange(G), op_group, tac_group]).astype(np.int64)
        op_index = G + np.arange(n_op)
        self.superior = np.concatenate([
            np.full(G, -1, dtype=np.int64), op_group,
            np.repeat(op_index, np.repeat(groups.units_per_commander, ops))]).astype(np.int64)
        # levels are contiguous (strategic, operational, tactical), so each is a slice: in-place
        # updates on views, no copies
        bounds = np.cumsum([0, G, n_op, n_tac])
        self.at_level = [slice(int(bounds[i]), int(bounds[i + 1])) for i in range(3)]
        self.leader = np.arange(G, dtype=np.int64)  # index of each group's top commander
        self.tactical = np.arange(self.n)[self.at_level[TACTICAL]]
        # a group's units are stationed among its communities in turn
        first_tac = np.concatenate([[0], np.cumsum(tac)[:-1]])
        unit_in_group = np.arange(n_tac) - np.repeat(first_tac, tac)
        self.unit_community = tac_group * communities_per_group + unit_in_group % communities_per_group
        self.people = Dispositions(rng, n_norms, groups.baseline_knowledge[self.group],
                                   groups.baseline_acceptance[self.group], self.n)
        self.emphasis = np.zeros((n_norms, self.n))
        self._chains = None  # each level's (index, group, superior): see _chain

    # the people's arrays, by name (shape (N, n))
    acceptance = property(lambda self: self.people.acceptance)
    knowledge = property(lambda self: self.people.knowledge)
    baseline = property(lambda self: self.people.baseline)
    origin = property(lambda self: self.people.origin)

    def update(self, groups, openness, decay, forgetting, kappa, learning) -> None:
        """Orders flow down: operational commanders from the top, tactical from operational.

        Knowledge grows with the superior's emphasis carried by the doctrine and with training;
        acceptance grows with the superior's emphasis (times H2's ``openness``); both settle
        (:func:`normsim.world.people.settle`); each commander's own :func:`emphasis` follows (seed
        002: commanders "must, always and specifically, emphasise the observance of
        humanitarian norms in the planning, organisation and execution of all combat
        situations"). Per-group arguments are ``(G,)`` or ``(G, N)`` arrays.
        """
        p = self.people
        reach_g = groups.transmission
        # per-group factors are multiplied per group and then looked up per commander (the
        # same numbers: each is a product of per-group values)
        doctrine = groups.doctrine.T  # (N, G)
        trained = 0.5 * groups.factor("training").T * reach_g
        open_learning = learning * openness.T
        for level in (OPERATIONAL, TACTICAL):
            idx, g, superior = self._chain(level)
            reach = reach_g[g]
            signal = self.emphasis[:, superior] * reach
            k, a, b = p.knowledge[:, idx], p.acceptance[:, idx], p.baseline[:, idx]  # views (slices)
            dg = doctrine[:, g]
            k += learning[g] * (signal * (0.5 + 0.5 * dg) + trained[:, g]) * (1.0 - k)
            a += open_learning[:, g] * signal * k * (1.0 - a)
            settle(a, b, k, p.knowledge_origin[:, idx], decay=decay[g], forgetting=forgetting[g],
                   kappa=kappa.T[:, g])
            clip(a, 0.0, 1.0, out=a)
            clip(k, 0.0, 1.0, out=k)
            if not isinstance(idx, slice):  # after a splinter: fancy indexing copied them
                p.knowledge[:, idx], p.acceptance[:, idx], p.baseline[:, idx] = k, a, b
            self.emphasis[:, idx] = emphasis(a, p.origin[:, idx], dg)

    def _chain(self, level: int) -> tuple:
        """A level's commanders, their groups and their superiors (kept until a splinter)."""
        if self._chains is None:
            self._chains = {lvl: (self.at_level[lvl], self.group[self.at_level[lvl]],
                                  self.superior[self.at_level[lvl]])
                            for lvl in (OPERATIONAL, TACTICAL)}
        return self._chains[level]

    def split(self, branch: int, new_group: int) -> None:
        """An operational commander and his units break away as ``new_group``: he becomes its
        top commander. The levels stop being contiguous ranges, so they become index arrays."""
        units = np.flatnonzero(self.superior == branch)
        self.group[branch] = new_group
        self.group[units] = new_group
        self.level[branch] = STRATEGIC
        self.superior[branch] = -1
        self.leader = np.append(self.leader, branch)
        self.n_groups += 1
        self.at_level = [np.flatnonzero(self.level == lvl) for lvl in range(3)]
        self._chains = None

    def replace(self, idx: np.ndarray, keep, rng: np.random.Generator, groups) -> None:
        """New commanders take over at ``idx``, keeping ``keep`` of their predecessors' gains."""
        g = self.group[idx]
        self.people.renew(idx, rng, groups.baseline_knowledge[g], groups.baseline_acceptance[g],
                          keep, runs_of(groups, g))
