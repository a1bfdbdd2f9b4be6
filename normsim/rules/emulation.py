"""Emulation among groups: a group watches others' public commitments and is more open to a norm
the more of those it watches have committed.

Seed 001: "commitments by armed groups can positively influence the policies both of states and
of other non-state groups"; norm cascades (Finnemore and Sikkink 1998). A group watches groups in
its own country and of its own type more than others (:func:`watch_weights`); each week the
weighted share of watched living groups that have committed (:func:`emulation`) multiplies the
persuasion its leadership meets.
"""

from __future__ import annotations

import numpy as np

from normsim.params import P, Section


class EmulationSettings(Section):
    title = "Emulation among groups"
    bundle = "interaction"
    strength: float = P(
        1.0, 0, 10, label="emulation of other groups' commitments",
        meaning="How much other groups' public commitments to a norm raise a leadership's "
        "openness to it: persuasion is multiplied by 1 + strength x the weighted share of "
        "watched groups that have committed.", source="Seed 001: 'Commitments by armed groups "
        "can positively influence the policies ... of other non-state groups'; Finnemore and "
        "Sikkink 1998 (norm cascades). Size: assumption.")
    same_country: float = P(
        4.0, 0, 100, label="weight of groups in the same country",
        meaning="How much more a group watches groups in its own country than others (weight "
        "1 + this).", source="Issue 11: emulation is stronger among groups that share a country. "
        "Size: assumption.")
    same_type: float = P(
        2.0, 0, 100, label="weight of groups of the same type",
        meaning="How much more a group watches groups of its own type (weight 1 + this).",
        source="Issue 11: emulation is stronger among groups of a type. Size: assumption.")


def watch_weights(country: np.ndarray, kind: np.ndarray, s: EmulationSettings) -> np.ndarray:
    """How much each group watches each other group ``(G, G)``: 1, plus ``same_country``
    within a country, plus ``same_type`` within a type; not itself."""
    w = (1.0 + s.same_country * (country[:, None] == country[None, :])
         + s.same_type * (kind[:, None] == kind[None, :]))
    np.fill_diagonal(w, 0.0)
    return w


def emulation(groups, weights: np.ndarray) -> np.ndarray:
    """How much each group's peers have committed to each norm ``(G, N)``: the weighted share
    of the other living groups that are committed (``weights`` from :func:`watch_weights`)."""
    return Watch(weights).emulation(groups)


class Watch:
    """:func:`emulation` week after week for one set of groups: the weights of the living groups
    and their totals change only when a group enters or leaves the field, so they are kept
    until then (a (G, G) product and sum a week saved; the same numbers)."""

    def __init__(self, weights: np.ndarray):
        self.weights = weights
        self._alive = None

    def __len__(self) -> int:
        return len(self.weights)

    def emulation(self, groups) -> np.ndarray:
        if self._alive is None or not np.array_equal(self._alive, groups.alive):
            self._alive = groups.alive.copy()
            self._living = self.weights * groups.alive[None, :]
            self._total = self._living.sum(axis=1, keepdims=True)
        committed = groups.committed.astype(float)
        return np.divide(self._living @ committed, self._total, out=np.zeros_like(committed),
                         where=self._total > 0)
