"""The norms a group can be engaged on, as data: what each governs, who decides it, what it
costs the group to keep it, and how visible a violation is.

Seed 002's ICRC works on IHL as a whole; the engagers of seeds 001, 003 and 004 ask a group to
commit to one specific norm (Geneva Call's deeds of commitment: anti-personnel mines first, then
children and sexual violence; UN action plans on children). Norms differ in who decides whether
they are kept -- each fighter in his encounters with civilians, or the command as a policy its
units carry out (laying mines, recruiting children) -- in their **military cost** to the group,
and in their **observability**. A scenario lists the norms in play (``norms = ["civilians",
"mines"]``); the first is the one outcomes report by default. Each norm has a settings section
named after it (``[mines]``).

The military cost ``C`` (per group, in [0, 1]) caps how far the leadership can be persuaded
(seed 002: "should the arms carrier deem that the employment of land-mines is fundamental for
its success, the ICRC will then find itself unable to act against this conviction") and is what
instrumental motives must outweigh (:mod:`normsim.rules.leadership`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from normsim.params import P, Section
from normsim.world.arrays import runs_of
from normsim.world.batch_streams import each

FIGHTERS, COMMAND = "fighters", "command"
INCOMPATIBLE_COST = 0.85  # a core goal incompatible with the norm: acceptance cannot pass 0.15


class CiviliansSettings(Section):
    title = "Norm: protection of civilians"
    observability: float = P(
        0.3, 0, 1, label="observability of violations against civilians",
        meaning="Chance that a violation against civilians becomes known to monitors (field "
        "verification, reports, naming and shaming).",
        source="Seed 002: the ICRC 'suffers from the difficulties inherent to the monitoring of "
        "non-state arms carriers'; seed 001 (UNAMA's monitoring of civilian casualties). Size: "
        "assumption.")


class MinesSettings(Section):
    title = "Norm: ban on anti-personnel mines"
    occasion_rate: float = P(
        0.5, 0, 10, unit="per week", label="occasions to lay mines",
        meaning="Occasions per unit per week to lay anti-personnel mines (defending ground, "
        "covering a retreat) at intensity 0.5 for a group that fully holds territory (scaled by "
        "0.5 + intensity and by territorial).", source="Assumption: relative magnitude.")
    base_use: float = P(
        0.3, 0.001, 0.999, label="base chance of laying mines",
        meaning="Chance a unit lays mines at an occasion when mines bring it no special value and "
        "no one restrains it.", source="Assumption (relative).")
    military_value: float = P(
        2.0, 0, 10, label="military value of mines (log-odds)",
        meaning="Log-odds of laying mines added for a group to which mines are essential (weak "
        "against the state and defending territory: cost = (1 - strength) x territorial).",
        source="Seed 002: mines 'fundamental for its success'; seed 001: Geneva Call's deed on "
        "mines. Size: assumption.")
    observability: float = P(
        0.6, 0, 1, label="observability of mine use",
        meaning="Chance that mine laying becomes known (mines stay in the ground; field "
        "verification, stockpile destruction).", source="Seed 001: 'allowing follow-up field "
        "missions'; seed 002 (photo of a stockpile destruction). Size: assumption.")


class ChildrenSettings(Section):
    title = "Norm: no recruitment or use of children"
    base_recruitment: float = P(
        0.1, 0.001, 0.999, label="base chance a recruit is a child",
        meaning="Chance a recruit is a child when the group is short of no one and no one "
        "restrains it.", source="Assumption (relative).")
    military_value: float = P(
        2.0, 0, 10, label="military value of child recruits (log-odds)",
        meaning="Log-odds of recruiting a child added at a full manpower shortfall.",
        source="Seed 004: child recruitment as a group policy; Beber and Blattman 2013 (children "
        "are recruited when they are cheap to recruit and control). Size: assumption.")
    community_resistance: float = P(
        1.5, 0, 10, label="community resistance to child recruitment (log-odds)",
        meaning="Log-odds of recruiting a child removed where the community is fully organised.",
        source="Seed 004: 'strengthening community resistance continues to be an essential "
        "factor'. Size: assumption.")
    observability: float = P(
        0.4, 0, 1, label="observability of child recruitment",
        meaning="Chance that a child's recruitment becomes known (the UN monitoring and reporting "
        "mechanism, community reports).", source="Seed 004; seed 003 on action plans. Size: "
        "assumption.")


def _civilians_cost(groups, shortfall):
    """Keeping civilians out of the fight costs a group little -- unless its core goal is to
    harm them (ethnic cleansing: seed 002)."""
    return np.where(groups.core_goal_incompatible, INCOMPATIBLE_COST, 0.0)


def _mines_cost(groups, shortfall):
    """Mines matter most to weak groups defending territory (seed 002; seed 001)."""
    return (1.0 - groups.strength) * groups.territorial


def _children_cost(groups, shortfall):
    """Children are recruited when voluntary recruits fall short (seed 004)."""
    return np.asarray(shortfall, dtype=float)


def _mine_occasions(ns, world, units: "Units") -> np.ndarray:
    """Chances to lay mines: Poisson, more where the group defends territory and the fighting
    is intense (seed 002; seed 001)."""
    return each(world.streams.fighters, runs_of(world.groups, units.group), "poisson",
                ns.occasion_rate * (0.5 + units.intensity)
                * world.groups.territorial[units.group] * units.live)


def _recruit_occasions(ns, world, units: "Units") -> np.ndarray:
    """Every recruit who joined a unit this week could be a child (seed 004)."""
    return np.where(units.live, units.recruits, 0)


def _community_resistance(ns, world, units: "Units") -> float:
    """An organised community resists the recruitment of its children (seed 004)."""
    return ns.community_resistance * world.settings.community.organisation


@dataclass(frozen=True)
class Units:
    """What a command-decided norm's occasions are drawn from: the tactical units of the week."""

    group: np.ndarray  #: each unit's group
    live: np.ndarray  #: its group is alive
    recruits: np.ndarray  #: recruits who joined it this week
    intensity: float  #: the conflict's intensity this week


@dataclass(frozen=True)
class Norm:
    """A norm, declared once: everything else (the scenario's tables, the week's occasions and
    odds, the app's words) reads this.

    A norm the command decides (``decided_by=COMMAND``) declares how its occasions arise
    (``occasions``), the chance a unit violates at one when nothing weighs either way
    (``base``) and what else restrains it (``restraint``, in log-odds); its settings have a
    ``military_value`` (log-odds per unit of cost). A norm fighters decide has their encounters
    with civilians as occasions (:mod:`normsim.world.fighters`) and declares none of these.
    Every norm's settings have an ``observability`` (monitors read it).
    """

    key: str  #: the name in scenario files ("civilians")
    short: str  #: in two or three words, for legends and lists ("anti-personnel mines")
    title: str  #: in words, after "respect" ("the protection of civilians")
    decided_by: str  #: FIGHTERS (each encounter) or COMMAND (a group policy units carry out)
    occasion: str  #: what one occasion to violate it is, in words
    Settings: type[Section]  #: its settings section (a scenario table named after ``key``)
    cost: Callable  #: (groups, shortfall) -> military cost per group in [0, 1]
    source: str  #: where the norm and its description come from
    #: COMMAND only: (settings, world, Units) -> occasions per unit this week
    occasions: Callable | None = None
    #: COMMAND only: settings -> chance a unit violates at an occasion, nothing weighing
    base: Callable | None = None
    #: COMMAND only: (settings, world, Units) -> log-odds of violating removed (0: none)
    restraint: Callable = lambda ns, world, units: 0.0
    #: why the norm costs a group something, in words: the story tells it when the cost stops
    #: the leadership's persuasion ("mines are essential to how ...")
    why_costly: str = "what it costs the group militarily"

    def __post_init__(self):
        fields = self.Settings.model_fields
        problems = []
        if self.decided_by not in (FIGHTERS, COMMAND):
            problems.append(f"decided_by must be {FIGHTERS!r} or {COMMAND!r}")
        if "observability" not in fields:
            problems.append("its settings need an observability")
        if self.decided_by == COMMAND:
            problems += [f"a norm the command decides needs {what}" for what, missing in (
                ("occasions", self.occasions is None), ("a base chance", self.base is None),
                ("a military_value in its settings", "military_value" not in fields)) if missing]
        elif self.occasions is not None or self.base is not None:
            problems.append("fighters' occasions are their encounters: give no occasions or base")
        if problems:
            raise ValueError(f"norm {self.key!r}: " + "; ".join(problems))


NORMS: dict[str, Norm] = {}


def register(norm: Norm) -> Norm:
    if norm.key in NORMS:
        raise ValueError(f"norm {norm.key!r} is registered twice")
    NORMS[norm.key] = norm
    return norm


CIVILIANS = register(Norm(
    key="civilians", short="civilians", title="the protection of civilians", decided_by=FIGHTERS,
    occasion="an encounter of a fighter with civilians", Settings=CiviliansSettings,
    cost=_civilians_cost, why_costly="the group's core goal is to harm civilians",
    source="Seed 002: Common Article 3 and 'the obligations inherent to the protection of civilian "
    "populations'; the score card counts 'the violations of IHL ... committed by or within the "
    "group'."))
MINES = register(Norm(
    key="mines", short="anti-personnel mines", title="the ban on anti-personnel mines",
    decided_by=COMMAND, occasion="a unit's chance to lay anti-personnel mines",
    Settings=MinesSettings, cost=_mines_cost, occasions=_mine_occasions,
    why_costly="mines are essential to how a weak group holds its ground",
    base=lambda ns: ns.base_use,
    source="Seed 002, footnote 1: Geneva Call's agreement on 'the provisions set forth in the "
    "Ottawa Convention of 1997 on the ban of anti-personnel mines'; seed 001."))
CHILDREN = register(Norm(
    key="children", short="children", title="the ban on recruiting and using children",
    decided_by=COMMAND, occasion="a recruit joining a unit", Settings=ChildrenSettings,
    cost=_children_cost, occasions=_recruit_occasions, base=lambda ns: ns.base_recruitment,
    why_costly="the group is short of voluntary recruits",
    restraint=_community_resistance,
    source="Seed 004: 'since 1999 more than 60 armed groups have made commitments to end the "
    "recruitment and use of children'; seed 002 ('land-mines and child-soldiers')."))


def keys() -> tuple[str, ...]:
    return tuple(NORMS)


def get(key: str) -> Norm:
    return NORMS[key]


def costs(norms, groups, shortfall) -> np.ndarray:
    """The military cost of each norm in play for each group ``(G, N)``."""
    return np.stack([n.cost(groups, shortfall) * np.ones(groups.n) for n in norms], axis=1)


def observability(settings, norms) -> np.ndarray:
    """Each norm in play's chance that a violation becomes known ``(N,)`` (monitors, leverage)."""
    return np.array([getattr(settings, n.key).observability for n in norms])
