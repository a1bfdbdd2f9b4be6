"""The integration cycle: doctrine, training, equipment and internal sanctions of one group.

Seed 002, "The integration concept": "Four aspects are particularly important with regard to
the ICRC's integration concept, namely, doctrine, qualification, training and equipment of the
actor to be socialised ... as well as, the internal sanction mechanisms of the actor. These four
influencing factors form a mutually reinforcing cycle, wherein changes in one area have impact on
the other areas (progress as well as setbacks)."

Each factor is a level in [0, 1], held per group and per norm (arrays of shape ``(G, N, 4)``:
a group may put the ban on mines into its doctrine and not the protection of civilians). Each
week (:func:`advance`, over all groups and norms at once):

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

A setback (:func:`setback`) hits one factor and spills over to the other three. :func:`week`
turns every group's cycle once, logs what happened and schedules training cycles.
"""

from __future__ import annotations

import numpy as np

from normsim.world.arrays import clip, column
from normsim.world.batch_streams import count

from normsim.events import declare
from normsim.params import P, Section

FACTORS = ("doctrine", "training", "equipment", "sanctions")
DOCTRINE, TRAINING, EQUIPMENT, SANCTIONS = range(4)
#: relative pace of each factor (assumption): procurement makes equipment the slowest to change,
#: and sanctions follow training, since they punish transgressions of what was taught
PACE = np.array([1.0, 1.0, 0.6, 0.8])
DEPARTMENT_DRAFTING_BOOST = 1.2  # assumption: a dedicated department writes texts faster
SETBACK_SPILLOVER = 0.5  # assumption: others lose half the relative size of the setback
SETBACK_FLOOR = 0.05  # a factor below this level has nothing a setback could take
DOCTRINE_ADOPTED, DOCTRINE_SLIPPED = 0.5, 0.4  # doctrine levels of the two events (hysteresis)
DRILL_FLOOR = 0.05  # a training factor below this runs no drills
INTENSITY_CROWDING = 0.6  # share of integration drive lost at full intensity ("other priorities")

SETBACK = declare("setback", "a setback in {detail} pulled the other integration factors down "
                  "with it")
ADOPTED = declare("doctrine adopted", "{norm} was added to the group's doctrine and code of "
                  "conduct; training follows", marker="doctrine")
SLIPPED = declare("doctrine slipped", "{norm} lost its place in the group's doctrine",
                  marker="doctrine slipped")
TRAINING_CYCLE = declare("training cycle", "a round of practical drills on {norm} reached the "
                         "units", first_only=True)


class IntegrationSettings(Section):
    title = "Integration cycle"
    bundle = "armed group"
    growth: float = P(
        0.03, 0, 1, unit="per week", label="growth of integration factors",
        meaning="Weekly progress of a factor (doctrine, training, equipment, sanctions) driven by "
        "a fully committed top command with a perfect structure.",
        source="Seed 002, The integration concept. Size: assumption.")
    reinforcement: float = P(
        1.0, 0, 5, label="mutual reinforcement of integration factors",
        meaning="How strongly progress in the other three factors speeds each factor (and their "
        "weakness speeds its decay).", source="Seed 002: 'These four influencing factors form a "
        "mutually reinforcing cycle ... (progress as well as setbacks)'.")
    decay: float = P(0.004, 0, 0.5, unit="per week", label="erosion of integration factors",
                     meaning="Weekly erosion of each factor.", source="Assumption.")
    setback_rate: float = P(
        0.01, 0, 1, unit="per week", label="chance of a setback",
        meaning="Weekly chance of a setback in one factor at intensity 0.5 (scaled by 0.5 + "
        "intensity).", source="Seed 002, H6: 'more often than not rise to delays or setbacks'.")
    setback_size: float = P(0.4, 0, 1, label="size of a setback",
                            meaning="Share of a factor lost in a setback.", source="Assumption.")
    training_interval: int = P(
        13, 1, 520, unit="weeks", label="interval between training cycles",
        meaning="Weeks between training cycles (practical drills).",
        source="Seed 002: 'the respect of relevant principles ... must become an integral part of "
        "daily training'. Quarterly cycles: assumption.")
    drill_effect: float = P(
        0.5, 0, 1, label="effect of a drill",
        meaning="Share of a fighter's knowledge gap closed by one training cycle at full training "
        "factor.", source="Seed 002: 'practical drills have shown themselves as the most effective "
        "training method'.")
    department_isolation: float = P(
        0.5, 0, 1, label="isolation of an IHL department",
        meaning="With an IHL department: share of the chain of command's transmission and of "
        "training, equipment and sanctions progress lost (doctrine is drafted 20% faster).",
        source="Seed 002: 'such a department would separate itself from the rest of the command "
        "chain'.")


def advance(levels: np.ndarray, *, drive, structure, growth: float, reinforcement: float,
            decay: float, department=False, department_isolation: float = 0.0) -> np.ndarray:
    """One week of the cycle; returns the new levels (deterministic).

    ``levels`` is ``(..., 4)``; ``drive`` has the shape of ``levels[..., 0]``; ``structure`` and
    ``department`` broadcast against it (one value per group: pass ``(G, 1)`` for ``(G, N)``).
    """
    levels = np.asarray(levels, dtype=float)
    others = (levels.sum(axis=-1, keepdims=True) - levels) / 3.0
    gate = np.ones_like(levels)
    gate[..., 1:] = levels[..., DOCTRINE:DOCTRINE + 1]
    push = growth * np.asarray(drive * structure, dtype=float)[..., None]
    rate = push * PACE * gate * (1.0 + reinforcement * others)
    dept = np.asarray(department, dtype=bool)
    if dept.any():
        boost = np.array([DEPARTMENT_DRAFTING_BOOST] + [1.0 - department_isolation] * 3)
        rate = np.where(dept[..., None], rate * boost, rate)
    erosion = decay * (1.0 + reinforcement * (1.0 - others))
    return clip(levels + rate * (1.0 - levels) - erosion * levels, 0.0, 1.0)


def setback(levels: np.ndarray, factor: int, size: float) -> np.ndarray:
    """A setback: ``factor`` loses ``size`` of its level, each other factor half that share.

    Seed 002, H6: "the networks and dependencies of the four factors ... give more often than not
    rise to delays or setbacks within the process."
    """
    loss = np.full(4, SETBACK_SPILLOVER * size)
    loss[factor] = size
    return np.asarray(levels, dtype=float) * (1.0 - loss)


def setbacks(levels: np.ndarray, hit: np.ndarray, factor: np.ndarray, size: float) -> np.ndarray:
    """:func:`setback` for the groups where ``hit``: ``levels`` is ``(G, N, 4)``, ``factor`` one
    factor per group; every norm's factor is hit (a failed training round fails for all)."""
    loss = np.where(np.arange(4) == factor[:, None], size, SETBACK_SPILLOVER * size)  # (G, 4)
    return np.where(hit[:, None, None], levels * (1.0 - loss[:, None, :]), levels)


def structure_strength(centralisation: float, factions: int, wing_split: float) -> float:
    """How well the group can enforce change: centralisation, divided by splinter factions and a
    split between political and military wings (seed 002, H1: "a group relying on high
    centralisation, strong hierarchy, an effective chain of command ... is far more capable of
    implanting changes")."""
    return np.asarray(centralisation * (1.0 - 0.5 * wing_split) / np.sqrt(factions), dtype=float)


def own(owned: np.ndarray, before: np.ndarray, after: np.ndarray, conviction: np.ndarray):
    """The part of the doctrine the group wrote from conviction (:mod:`normsim.rules.internalisation`):
    new doctrine adds ``conviction`` (the share of the drive that came from conviction) of its
    growth; lost doctrine takes a proportional part of the owned part with it."""
    kept = np.where(before > 0, np.minimum(after, before) / np.maximum(before, 1e-12), 0.0)
    return clip(owned * kept + np.maximum(after - before, 0.0) * conviction, 0.0, after)


def week(world, conviction: np.ndarray, instruction: np.ndarray, support=(0.0, 0.0)) -> np.ndarray:
    """Turn every living group's cycle one week and return this week's drill effect ``(G, N)``.

    ``conviction`` is the top commanders' emphasis ``(G, N)``; ``instruction`` the orders given
    for what compliance buys; ``support`` the work engagers do with the group (owned: advice on
    its own code; imposed: what an action plan requires). The drive is their sum (instruction
    weighted by ``internalisation.imposed_drive``), less what high intensity crowds out (seed
    002: "if an armed group is in the midst of large-scale military operations, other
    priorities will inevitably prevail over long-term compliance with IHL").
    """
    s, g = world.settings, world.groups
    i_s, week_no = s.integration, world.steps
    owned_support, imposed_support = support
    conviction = conviction + owned_support
    imposed = s.internalisation.imposed_drive * instruction + imposed_support
    drive = (conviction + imposed) * (1.0 - INTENSITY_CROWDING * column(world.environment.intensity))
    drive = np.where(g.alive[:, None], drive, 0.0)
    before = g.doctrine.copy()
    g.factors = advance(g.factors, drive=drive, structure=g.structure[:, None], growth=i_s.growth,
                        reinforcement=i_s.reinforcement, decay=i_s.decay,
                        department=g.ihl_department[:, None],
                        department_isolation=i_s.department_isolation)
    share = np.where(conviction + imposed > 0, conviction / np.maximum(conviction + imposed, 1e-12), 0.0)
    g.owned = own(g.owned, before, g.doctrine, share)

    rng = world.streams.groups
    hit = count(rng, g.run, g.n, "random") < i_s.setback_rate * (0.5 + world.environment.intensity)
    factor = count(rng, g.run, g.n, "integers", 4)  # both drawn weekly for every group: streams stay in step
    level = g.factors[np.arange(g.n), :, factor].max(axis=1)  # the drawn factor's level
    hit &= g.alive & (level >= SETBACK_FLOOR)  # else there is nothing to lose
    if hit.any():
        g.factors = setbacks(g.factors, hit, factor, i_s.setback_size)
        for i in np.flatnonzero(hit):
            world.log(SETBACK, int(i), detail=FACTORS[factor[i]])

    doctrine = g.doctrine
    for flip, kind, now in ((~g.doctrine_adopted & (doctrine >= DOCTRINE_ADOPTED), ADOPTED, True),
                            (g.doctrine_adopted & (doctrine < DOCTRINE_SLIPPED), SLIPPED, False)):
        for i, n in zip(*np.nonzero(flip)):
            g.doctrine_adopted[i, n] = now
            world.log(kind, int(i), norm=int(n), agent=world.leader_agent(int(i)))

    drills = np.zeros((g.n, g.n_norms))
    if week_no > 0 and week_no % i_s.training_interval == 0:
        training = g.factor("training")
        due = (training >= DRILL_FLOOR) & g.alive[:, None]
        drills = np.where(due, i_s.drill_effect * training * g.transmission[:, None], 0.0)
        for i, n in zip(*np.nonzero(due)):
            world.log(TRAINING_CYCLE, int(i), norm=int(n), value=float(training[i, n]))
    return drills
