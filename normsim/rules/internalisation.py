"""Why a group complies: because it has come to own the norm, or for what compliance buys.

Kelman's three processes of social influence (Kelman 1958, "Compliance, identification, and
internalization", Journal of Conflict Resolution 2(1)) separate *compliance*, adopted to gain a
reward or avoid a punishment and kept only while the influencing agent can see and sanction,
from *internalisation*, adopted because the content is congruent with one's values and kept
without the agent. The socialisation literature seed 002 builds on makes the same cut between
instrumental adaptation and internalised norms (Checkel 2005; Risse, Ropp and Sikkink 1999).
Seed 002 ties lasting success to arguments over a long time span and to the group's own
integration: "Should the norms be incorporated in individuals' schemata and in the doctrine of
the arms carriers, the arms carriers begin to lead the action themselves"; seed 000 to
ownership: "a sense of ownership of norms can be an important factor in securing NSAGs'
compliance". This module holds both motives.

**Internalisation.** Each person's acceptance drifts back, when not reinforced, to what he has
internalised (his ``baseline``; :func:`normsim.world.people.settle`). Each week a share ``kappa`` of
his gain above it is internalised: the baseline rises towards his acceptance. ``kappa`` is
:func:`consolidation`: ``rate`` times H6's multiplier (a long and regular exposure consolidates;
:func:`normsim.rules.hypotheses.h6_long_exposure`) times ``1 + ownership_effect * owned`` (``owned``:
the share of the norm in the group's doctrine that the group wrote from conviction, not to meet
a condition). Someone who gained nothing has nothing to consolidate; H6 never slows anyone's
drift back.

**Instrumental compliance.** Leverage -- conditions a persuader attaches, incentives, pressure
-- makes the leadership *instruct* compliance without believing in it: ``instruction`` follows
the leverage in force (:func:`follow_leverage`) and restrains conduct through the chain of
command (:meth:`normsim.world.fighters.FighterCohort.odds`) but moves no one's acceptance. It lasts
while the leverage lasts and lapses after it. Doctrine written under instruction is *imposed*,
not owned (:func:`normsim.world.integration.own`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normsim.rules.hypotheses import Conditions, modulate
from normsim.world.arrays import clip
from normsim.params import P, Section


class InternalisationSettings(Section):
    title = "Internalisation and instrumental compliance"
    bundle = "interaction"
    enabled: bool = P(
        True, label="internalisation switched on",
        meaning="Switch for internalisation (off: gains never settle into anyone's baseline and an "
        "owned doctrine does not socialise its leaders; every gain drifts back once "
        "reinforcement stops, for ablation).",
        source="Kelman 1958 (internalisation as a distinct process); seed 002.")
    rate: float = P(
        0.005, 0, 0.2, unit="per week", label="internalisation rate",
        meaning="Share of a person's acceptance above what he has internalised that settles "
        "into it per week, at H6's neutral multiplier and with no owned doctrine (half of a "
        "sustained gain settles in about 2.7 years).",
        source="Seed 002: integration 'is a long-term endeavour'; Risse, Ropp and Sikkink 1999: "
        "internalisation through habitualisation takes years. Size: assumption.")
    ownership_effect: float = P(
        1.0, 0, 5, label="effect of owning the doctrine",
        meaning="How much faster gains settle when the group's doctrine on the norm is fully its "
        "own (written from conviction): the rate is multiplied by 1 + this x the owned share.",
        source="Seed 000: 'a sense of ownership of norms can be an important factor in securing "
        "NSAGs' compliance'; seed 002, footnote 6: the ICRC 'takes no part in the actual drafting "
        "process'. Size: assumption.")
    instrumental_response: float = P(
        0.1, 0.001, 1, unit="per week", label="speed of instrumental orders",
        meaning="Weekly share of the gap between the leverage in force and the leadership's "
        "instructions that closes (both ways: instructions follow leverage up, and lapse after "
        "it ends, within weeks).", source="Kelman 1958: compliance lasts while the agent can "
        "reward or sanction. Speed: assumption.")
    imposed_drive: float = P(
        0.5, 0, 1, label="integration work done under instruction",
        meaning="Integration drive (doctrine, training, equipment, sanctions) per unit of "
        "instruction, relative to the same emphasis from conviction: a leadership that complies "
        "for what it gets writes the rules it is asked for, with less effort.",
        source="Seed 003 (action plans agreed under pressure); assumption on size.")


@dataclass
class Signals:
    """Per-group values the cohorts read in a week (computed once per week)."""

    openness: np.ndarray  # (G, N): H2's multiplier on taking up the norm
    decay: np.ndarray  # (G,): acceptance's drift back to the baseline
    forgetting: np.ndarray  # (G,): knowledge's drift back to its origin
    kappa: np.ndarray  # (G, N): share of the gain internalised this week


def consolidation(groups, week: int, s: InternalisationSettings, h) -> np.ndarray:
    """``kappa`` per group and norm: the weekly share of a gain that is internalised."""
    if not s.enabled:
        return np.zeros((groups.n, groups.n_norms))
    h6 = modulate("consolidation", Conditions(groups, week), h)  # H6 (and any acting on it)
    return s.rate * h6[:, None] * (1.0 + s.ownership_effect * groups.owned)


def follow_leverage(instruction: np.ndarray, leverage: np.ndarray,
                    s: InternalisationSettings) -> None:
    """Instructions to comply follow the leverage in force (in place, ``(G, N)``)."""
    instruction += s.instrumental_response * (clip(leverage, 0.0, 1.0) - instruction)
