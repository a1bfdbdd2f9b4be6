"""The six socialisation hypotheses of seed 002, one function each.

Seed 002 ("Integrating the Law"): "norm diffusion is more likely to be effective, when" H1–H6
hold. Each function below turns the conditions a hypothesis names into a *favourability*
``f`` in [0, 1] and returns the multiplier

    m = 1 + strength * (2 f - 1)          (m = 1 when the hypothesis is switched off)

so that at strength ``s`` the most favourable condition multiplies the mechanism's effect by
``1 + s`` and the least favourable by ``1 - s``. Where each multiplier acts is stated in its
docstring; the model applies it there and nowhere else.

Seed 002 maps the hypotheses onto the success-factor bundles: H1 and H2 are attributes of the
armed group and its environment, H3 and H4 of the persuader, H5 and H6 of the interaction.

Each hypothesis is declared once in :data:`HYPOTHESES` (:func:`register`): its bundle, the
mechanisms it acts on (``openness``, ``trust``, ``persuasion``, ``consolidation``), how it reads
its conditions, its default strength and its own settings. The places in the week call
:func:`modulate` with a mechanism's name and the :class:`Conditions` at hand; the settings section
``[hypotheses]`` (``h1_enabled``, ``h1_strength`` ...) is built from the registry. A hypothesis
is off unless declared on, so adding one changes nothing until it is switched on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from pydantic import create_model

from normsim.world.arrays import clip

from normsim.params import P, Section

GROUP, PERSUADER, INTERACTION = "armed group and environment", "persuader", "interaction"
#: the quantities of the week a hypothesis can act on (modulate), each where the week computes it;
#: named MODULATED, not mechanisms, to keep apart from the competing mechanisms (rules/mechanisms.py)
MODULATED = {
    "openness": "how readily commanders and fighters take up the norm from their superiors "
                "(normsim.simulation.model, the week's signals)",
    "trust": "the trust an engager gains at a meeting (normsim.engagers.base.build_trust)",
    "persuasion": "how much a meeting moves the top commander's acceptance "
                  "(normsim.engagers.base.persuade)",
    "consolidation": "the share of a gain internalised each week "
                     "(normsim.rules.internalisation.consolidation)",
}


def modulation(favourability, strength: float, enabled: bool):
    """The multiplier ``1 + strength (2 f - 1)``; exactly 1 when the hypothesis is off."""
    if not enabled:
        return np.ones_like(favourability, dtype=float) if np.ndim(favourability) else 1.0
    return 1.0 + strength * (2.0 * clip(favourability, 0.0, 1.0) - 1.0)


def h1_new_or_insecure(age_weeks, insecurity, *, strength: float, enabled: bool,
                       halflife: float):
    """H1 — a new or insecure actor is open to new information.

    Seed 002: norm diffusion is more likely to be effective "when the actor to be persuaded is
    new or unsure of himself; for instance if the actor is new to the terrain, and is therefore
    more readily open to the absorption of new information (H1)"; "Both the newness of a
    non-state arms carrier and its insecurity within a new environment are advantageous to the
    ICRC's integration process."

    Favourability: the mean of the group's newness, ``0.5 ** (age / halflife)``, and its
    insecurity. Newness fades as the group ages, so early engagement beats late engagement.

    Acts on: the top commander's openness to persuasion at each meeting.
    """
    newness = 0.5 ** (np.asarray(age_weeks, dtype=float) / halflife)
    return modulation(0.5 * (newness + insecurity), strength, enabled)


def h2_current_views(people_war, contrary_practice, *, strength: float, enabled: bool):
    """H2 — current views: little knowledge of contrary conduct, an ideology that protects people.

    Seed 002: effective when "the actor to be persuaded has little knowledge of conduct that
    infringes the new rules and norms (H2)"; "when the welfare of the population is already part
    of the arms carrier's attributes and value perceptions, the integration process has
    increased chances of success because IHL norms are supported by arms carriers' existing
    views and needs"; "it is rare that IHL will be integrated ... particularly when these have a
    strong ideology."

    Favourability: the mean of the people's-war orientation and the absence of contrary practice.

    Acts on: how readily the top commander (at meetings) and commanders and fighters (from their
    superiors' emphasis) come to accept the norm.
    """
    return modulation(0.5 * (people_war + 1.0 - contrary_practice), strength, enabled)


def h3_renowned_in_group(reputation, aspiration, *, strength: float, enabled: bool):
    """H3 — the persuader belongs to a renowned in-group the group wishes to join.

    Seed 002: effective when "the persuading actor is a member of a renowned in-group of which
    the actor to be persuaded wishes to form part (H3)"; the ICRC "represents the international
    community – to which numerous arms carriers aspire to be members and from which they hope to
    gain legitimacy, recognition or support."

    Favourability: the persuader's standing, weighted by how much the group aspires to the
    in-group: ``reputation * (0.5 + 0.5 aspiration)``.

    Acts on: the trust gained at each meeting and the weight of the persuader's arguments.
    """
    return modulation(reputation * (0.5 + 0.5 * aspiration), strength, enabled)


def h4_principled_dialogue(principled, practical_framing, *, strength: float, enabled: bool):
    """H4 — talks based on principles, without conditions, in practical terms.

    Seed 002: effective when "the persuading actor does not set forth conditions, but acts based
    on principles and engages in a serious, advisory (rhetorical) dialogue (H4)"; "Existing
    international law should always be presented accurately, without compromising current
    rules"; "the law in force is presented in a practical manner."

    Favourability: ``principled * (0.5 + 0.5 practical_framing)``: a conditional persuader
    scores 0 however practical its framing.

    Acts on: how much each meeting moves the top commander's acceptance (internalisation).
    """
    return modulation(principled * (0.5 + 0.5 * practical_framing), strength, enabled)


def h5_depoliticised(politicisation, *, strength: float, enabled: bool):
    """H5 — the interaction takes place in a less politicised environment.

    Seed 002: effective when "the interaction takes place in a less politicised environment
    (H5)"; "Politicised argumentation, i.e. the linking of political issues with the norms set
    forth in IHL, do not form part of the ICRC's integration concept."

    Favourability: ``1 - politicisation``, where politicisation is the persuader's own plus what
    a terrorist listing or host-government restriction adds.

    Acts on: the trust gained and the acceptance moved at each meeting.
    """
    return modulation(1.0 - np.asarray(politicisation, dtype=float), strength, enabled)


def h6_long_exposure(span_weeks, regularity, *, strength: float, enabled: bool, span_half: float):
    """H6 — information over a long time span makes integration durable.

    Seed 002: effective when "the actor to be persuaded has, over a long time span, been
    provided with information on new regulations and norms (H6)"; "The ICRC's integration
    process is a long-term endeavour"; trust depends on "formal aspects, such as the timespan
    between meetings"; follow-ups after a commitment aid "the conversion of obligations into
    practice by means of continuous and confidential bilateral dialogue".

    Favourability: the time span of exposure and its regularity, not a count of meetings:
    ``span / (span + span_half) * regularity``, where ``span`` is the weeks from the first
    contact (to now while engaged, to the last contact once the engagement is over) and
    ``regularity`` (in [0, 1]) falls as the gaps between contacts grow beyond a regular rhythm
    (:meth:`normsim.world.groups.GroupState.regularity`). Twelve meetings in twelve weeks count for
    less than twelve over three years; a long silence during an engagement counts for little.

    Acts on: consolidation. The share of a person's gain that is internalised each week is
    multiplied by it (:func:`normsim.rules.internalisation.consolidation`): what was gained over a
    long, regular exposure settles and lasts. It never slows anyone's drift back to where he
    stands: someone who gained nothing has nothing to consolidate.
    """
    span = np.asarray(span_weeks, dtype=float)
    return modulation(span / (span + span_half) * np.asarray(regularity, dtype=float),
                      strength, enabled)


# -- the registry ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Conditions:
    """What a hypothesis may read where it acts: the groups (``idx`` of them; all by default),
    the week, and at a meeting the engager and how it argues."""

    groups: Any  #: normsim.world.groups.GroupState
    week: int
    idx: Any = slice(None)  #: the groups concerned
    world: Any = None  #: the model (normsim.world.view.World), at a meeting
    engager: Any = None  #: the engager, at a meeting
    principled: float = 1.0  #: how much it argues from principles (H4)
    framing: float = 1.0  #: how practically it frames the law (H4)

    @property
    def size(self) -> int:
        return self.groups.n if isinstance(self.idx, slice) else len(self.idx)


@dataclass(frozen=True)
class Hypothesis:
    key: str  #: "h1": its settings are ``h1_enabled``, ``h1_strength`` and its own
    name: str  #: in a few words
    bundle: str  #: seed 002's success-factor bundle (GROUP, PERSUADER, INTERACTION)
    acts_on: tuple[str, ...]  #: mechanisms (keys of MODULATED) it multiplies
    #: (Conditions, hypothesis settings, strength, enabled) -> multiplier (see modulation)
    effect: Callable
    source: str  #: the quote it rests on
    strength: float = 0.6  #: default strength
    why: str = ""  #: why that default
    on: bool = False  #: switched on by default (neutral otherwise: a new one changes nothing)
    settings: dict[str, tuple] = field(default_factory=dict)  #: its own: name -> (type, P(...))


HYPOTHESES: dict[str, Hypothesis] = {}


def register(h: Hypothesis) -> Hypothesis:
    if h.key in HYPOTHESES:
        raise ValueError(f"hypothesis {h.key!r} is registered twice")
    unknown = [m for m in h.acts_on if m not in MODULATED]
    if unknown:
        raise ValueError(f"hypothesis {h.key!r} acts on {unknown}; mechanisms are: "
                         f"{', '.join(MODULATED)}")
    HYPOTHESES[h.key] = h
    return h


def modulate(mechanism: str, c: Conditions, settings, start: float = 1.0) -> np.ndarray:
    """``start`` times the multiplier of every hypothesis acting on ``mechanism``, in the order
    they are registered, for the groups of ``c`` (each switched on or off by ``settings``)."""
    m = np.full(c.size, start)
    for h in HYPOTHESES.values():
        if mechanism in h.acts_on:
            m = m * h.effect(c, settings, getattr(settings, f"{h.key}_strength"),
                             getattr(settings, f"{h.key}_enabled"))
    return m


# -- settings ------------------------------------------------------------------------------------

def _h_enabled(n: int, quote: str, on: bool = True) -> Any:
    return P(on, label=f"H{n} switched on",
             meaning=f"Switch for H{n} (off: the mechanism is neutral, for ablation).", source=quote)


def _h_strength(n: int, quote: str, default: float, why: str) -> Any:
    return P(default, 0, 1, label=f"strength of H{n}",
             meaning=f"Strength of H{n}: the most favourable condition multiplies its effect by "
             "1 + strength, the least favourable by 1 - strength.", source=f"{quote} {why}")


#: seed 002 ranks only one hypothesis: political ideology (H2) is "one of the most influential
#: factors"; the others are not ranked against each other, so they share one lower default
RANKED = ("Default 0.9: seed 002 calls political ideology 'one of the most influential factors "
          "for the success of integrating IHL' and 'a key success factor'; a contrary ideology "
          "makes integration 'rare'.")
UNRANKED = ("Default 0.6: seed 002 does not rank this hypothesis against the others, so all "
            "unranked ones share one value, below H2's (assumption).")


class _Hypotheses(Section):
    title = "Hypotheses H1–H6 (switches and strengths)"


@cache
def settings_section() -> type[Section]:
    """The ``[hypotheses]`` section, from the registry: per hypothesis its switch, its strength
    and its own parameters (built once every hypothesis has registered)."""
    fields = {}
    for h in HYPOTHESES.values():
        n = h.key.removeprefix("h")
        fields[f"{h.key}_enabled"] = (bool, _h_enabled(n, h.source, h.on))
        fields[f"{h.key}_strength"] = (float, _h_strength(n, h.source, h.strength, h.why))
        fields.update(h.settings)
    return create_model("HypothesisSettings", __base__=_Hypotheses, __module__=__name__,
                        **fields)


def __getattr__(name: str):
    if name == "HypothesisSettings":  # built from the registry, after every register() below
        return settings_section()
    if name == "BUNDLES":
        return {h.key: h.bundle for h in HYPOTHESES.values()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


register(Hypothesis(
    "h1", "new or insecure", GROUP, ("persuasion",), on=True, strength=0.6, why=UNRANKED,
    source="Seed 002, H1.",
    effect=lambda c, h, strength, enabled: h1_new_or_insecure(
        c.groups.ages(c.week)[c.idx], c.groups.insecurity[c.idx], strength=strength,
        enabled=enabled, halflife=h.h1_newness_halflife),
    settings={"h1_newness_halflife": (float, P(
        104, 1, 5_200, unit="weeks", label="H1: half-life of newness",
        meaning="Age at which a group's newness has halved (H1).",
        source="Assumption (two years)."))}))
register(Hypothesis(
    "h2", "current views", GROUP, ("openness", "persuasion"), on=True, strength=0.9, why=RANKED,
    source="Seed 002, H2.",
    effect=lambda c, h, strength, enabled: h2_current_views(
        c.groups.people_war[c.idx], c.groups.contrary_practice[c.idx], strength=strength,
        enabled=enabled)))
register(Hypothesis(
    "h3", "renowned in-group", PERSUADER, ("trust", "persuasion"), on=True, strength=0.6,
    why=UNRANKED, source="Seed 002, H3.",
    effect=lambda c, h, strength, enabled: h3_renowned_in_group(
        c.engager.settings.reputation, c.groups.aspiration[c.idx], strength=strength,
        enabled=enabled)))
register(Hypothesis(
    "h4", "principled dialogue", PERSUADER, ("persuasion",), on=True, strength=0.6, why=UNRANKED,
    source="Seed 002, H4.",
    effect=lambda c, h, strength, enabled: h4_principled_dialogue(
        c.principled, c.framing, strength=strength, enabled=enabled)))
register(Hypothesis(
    "h5", "depoliticised", INTERACTION, ("trust", "persuasion"), on=True, strength=0.6,
    why=UNRANKED, source="Seed 002, H5.",
    effect=lambda c, h, strength, enabled: h5_depoliticised(
        c.engager.politicisation(c.world, c.idx), strength=strength, enabled=enabled)))
register(Hypothesis(
    "h6", "long exposure", INTERACTION, ("consolidation",), on=True, strength=0.6, why=UNRANKED,
    source="Seed 002, H6.",
    effect=lambda c, h, strength, enabled: h6_long_exposure(
        c.groups.span(c.week), c.groups.regularity(c.week, h.h6_regular_gap), strength=strength,
        enabled=enabled, span_half=h.h6_span_half),
    settings={
        "h6_span_half": (float, P(104, 1, 5_200, unit="weeks", label="H6: span of half consolidation",
                          meaning="Weeks since the first contact at which the time span is "
                          "half-way to full consolidation (H6).",
                          source="Seed 002: 'a long-term endeavour'. Two years: assumption.")),
        "h6_regular_gap": (float, P(13, 1, 520, unit="weeks", label="H6: longest regular gap",
                            meaning="Gap between contacts up to which exposure counts as "
                            "regular; longer gaps lower H6's regularity as gap / this (H6).",
                            source="Seed 002: 'the timespan between meetings'. A quarter: "
                            "assumption."))}))
