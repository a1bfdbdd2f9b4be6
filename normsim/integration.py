"""The integration cycle: doctrine, training, equipment and internal sanctions of one group.

Seed 002, "The integration concept": "Four aspects are particularly important with regard to
the ICRC's integration concept, namely, doctrine, qualification, training and equipment of the
actor to be socialised ... as well as, the internal sanction mechanisms of the actor. These four
influencing factors form a mutually reinforcing cycle, wherein changes in one area have impact on
the other areas (progress as well as setbacks)."

Each factor is a level in [0, 1]. Each week (:func:`advance`):

* a factor grows at ``growth * pace * drive * structure * gate * (1 + reinforcement * others)``
  times its remaining gap, where ``pace`` sets the factor's own speed (:data:`PACE`), ``drive`` is the top command's commitment (seed 002: "ensuring the
  commitment of the top-command echelon ... is indispensable"), ``structure`` the strength of the
  chain of command ("a weak structure ... may even bring it to a complete standstill"),
  ``others`` the mean of the other three factors (mutual reinforcement), and ``gate`` is 1 for
  doctrine and the doctrine level for the others: training transmits the doctrine, equipment
  "must in turn become part of the doctrine", sanctions punish "a transgression of the doctrine";
* a factor erodes at ``decay * (1 + reinforcement * (1 - others))``: weak partners speed decay;
* a separate IHL department drafts doctrine 20% faster but cuts training, equipment and
  sanctions progress by ``department_isolation`` ("such a department would separate itself from
  the rest of the command chain and degenerate into a sheer end in itself").

A setback (:func:`setback`) hits one factor and spills over to the other three.
"""

from __future__ import annotations

import numpy as np

FACTORS = ("doctrine", "training", "equipment", "sanctions")
DOCTRINE, TRAINING, EQUIPMENT, SANCTIONS = range(4)
#: relative pace of each factor (assumption): procurement makes equipment the slowest to change,
#: and sanctions follow training, since they punish transgressions of what was taught
PACE = np.array([1.0, 1.0, 0.6, 0.8])
DEPARTMENT_DRAFTING_BOOST = 1.2  # assumption: a dedicated department writes texts faster
SETBACK_SPILLOVER = 0.5  # assumption: others lose half the relative size of the setback


def advance(levels: np.ndarray, *, drive: float, structure: float, growth: float,
            reinforcement: float, decay: float, department: bool = False,
            department_isolation: float = 0.0) -> np.ndarray:
    """One week of the cycle for one group; returns the new levels (deterministic)."""
    levels = np.asarray(levels, dtype=float)
    others = (levels.sum() - levels) / 3.0
    gate = np.array([1.0, levels[DOCTRINE], levels[DOCTRINE], levels[DOCTRINE]])
    rate = growth * PACE * drive * structure * gate * (1.0 + reinforcement * others)
    if department:
        rate = rate * np.array([DEPARTMENT_DRAFTING_BOOST] + [1.0 - department_isolation] * 3)
    erosion = decay * (1.0 + reinforcement * (1.0 - others))
    return np.clip(levels + rate * (1.0 - levels) - erosion * levels, 0.0, 1.0)


def setback(levels: np.ndarray, factor: int, size: float) -> np.ndarray:
    """A setback: ``factor`` loses ``size`` of its level, each other factor half that share.

    Seed 002, H6: "the networks and dependencies of the four factors ... give more often than not
    rise to delays or setbacks within the process."
    """
    loss = np.full(4, SETBACK_SPILLOVER * size)
    loss[factor] = size
    return np.asarray(levels, dtype=float) * (1.0 - loss)


def structure_strength(centralisation: float, factions: int, wing_split: float) -> float:
    """How well the group can enforce change: centralisation, divided by splinter factions and a
    split between political and military wings (seed 002, H1: "a group relying on high
    centralisation, strong hierarchy, an effective chain of command ... is far more capable of
    implanting changes")."""
    return centralisation * (1.0 - 0.5 * wing_split) / np.sqrt(factions)
