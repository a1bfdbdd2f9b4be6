"""The armed groups' state as arrays: one entry per group (and per norm where it varies).

Each group has its own settings (a population draws them per type; a plain scenario copies its
``[group]`` table to every group), held here as arrays so that a week of two hundred groups is a
handful of array operations. The ``ArmedGroup`` Mesa agents (:mod:`normsim.world.agents`) are views
onto these arrays.

Shapes: ``G`` groups, ``N`` norms in play. Integration factors are ``(G, N, 4)``: a group can put
the ban on mines into its doctrine and not the protection of civilians.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from pydantic import model_validator

from normsim.world import integration
from normsim.events import declare
from normsim.params import NEVER, P, Section
from normsim.world.typology import TYPES, preset

EXPOSURE_MEMORY = 0.8  # weight of the past gaps in the running mean gap between contacts
OBJECTION_FADE = 0.01  # weekly fading of the host state's objection (a mission raises it)

EMERGED = declare("group emerged", "the group took up arms", marker="group emerges")
ENDED = declare("group ended", "the group laid down its arms or was defeated", marker="group ends")


class GroupSettings(Section):
    title = "Armed group (bundle: armed group)"
    bundle = "armed group"
    shared: ClassVar[tuple[str, ...]] = ("count",)  #: the scenario's, not each group's
    type: str = P("", label="type of group",
                  meaning="A type of group (normsim.world.typology: peoples_war, secessionist, "
                  "predatory, community_militia, transnational) whose settings fill every field "
                  "not given explicitly ('': none).", source="Seed 002 (rebels, militias, "
                  "warlords, crime networks); the types' own sources in normsim/world/typology.py.")
    count: int = P(1, 1, 500, meaning="Number of armed groups, each with these settings and its own "
                   "history (a population file gives each its own settings instead).",
                   source="MODEL.md: a scenario may hold several groups.", label="armed groups")
    fighters: int = P(600, 1, 5_000_000, meaning="Fighters per group.",
                      source="MODEL.md: a few dozen to tens of thousands. Default: assumption.", label="fighters per group")
    operational_commanders: int = P(
        3, 1, 100_000, meaning="Operational commanders under the top (strategic) commander.",
        source="Seed 002: 'all relevant command levels (from the strategic to the tactical)'.", label="operational commanders")
    units_per_commander: int = P(
        4, 1, 100_000, meaning="Tactical commanders (each leading a unit) per operational commander; "
        "fighters are spread evenly over the units.", source="Seed 002 (command levels). Default: assumption.", label="units per operational commander")
    age_weeks: int = P(
        26, 0, 5_200, unit="weeks", meaning="How long the group has existed when the run starts (H1: "
        "newness fades with age).", source="Seed 002, H1: 'the actor ... is new to the terrain'.", label="group's age at the start")
    insecurity: float = P(
        0.5, 0, 1, meaning="How unsure of itself the group is (lack of territorial control, new "
        "environment) (H1).", source="Seed 002, H1: 'new or unsure of himself'.", label="group's insecurity")
    people_war: float = P(
        0.7, 0, 1, meaning="How much the group's ideology depends on and protects the population "
        "('people's war') (H2); also how much community pressure weighs on it.",
        source="Seed 002, H2: 'Particularly in \"people's war\" models ... popular support of the arms "
        "carrier plays a significant role'. Default 0.7: such an ideology is the ICRC's 'point of "
        "entry'.", label="people's-war ideology")
    contrary_practice: float = P(
        0.3, 0, 1, meaning="How entrenched conduct and ideology contrary to the norm are (H2); also "
        "raises fighters' odds of violating.", source="Seed 002, H2: 'little knowledge of conduct that "
        "infringes the new rules'; 'rare that IHL will be integrated ... when these have a strong ideology'.", label="entrenched contrary practice")
    aspiration: float = P(
        0.7, 0, 1, meaning="How much the group wishes to join the international community or gain "
        "recognition (H3).", source="Seed 002, H3: 'the international community – to which numerous "
        "arms carriers aspire to be members'. Default 0.7: 'numerous' aspire.", label="wish to join the international community")
    centralisation: float = P(
        0.7, 0, 1, meaning="Strength of the structure: centralisation, hierarchy, chain of command. "
        "Scales integration progress and how far orders travel down the chain.",
        source="Seed 002: 'a weak structure within the group leads to a slower process of integration "
        "and may even bring it to a complete standstill'.", label="centralisation of the group")
    factions: int = P(
        1, 1, 50, meaning="Splinter factions under a poorly defined command; structure is divided by "
        "the square root of their number.", source="Seed 002, H1: 'several splinter groups under a "
        "poorly defined command structure'. Form: assumption.", label="splinter factions")
    wing_split: float = P(
        0.0, 0, 1, meaning="Split between the political and military wings (halves structure at 1).",
        source="Seed 002, H1: 'a split between the latter's military and political wings'.", label="split between political and military wings")
    core_goal_incompatible: bool = P(
        False, meaning="The group's core goal is incompatible with the norm (e.g. ethnic cleansing, "
        "mines held essential): the leadership's acceptance cannot rise above 0.15.",
        source="Seed 002, Bottom line: 'next to impossible for the ICRC to persuade the carrier'. "
        "Ceiling: assumption.", label="core goal incompatible with IHL")
    ihl_department: bool = P(
        False, meaning="The group creates a separate IHL department, which cuts integration work off "
        "from the chain of command (see integration.department_isolation).",
        source="Seed 002: 'the establishment of a proprietary department for IHL ... is more of a "
        "hindrance'.", label="separate IHL department")
    leadership_turnover: float = P(
        0.004, 0, 0.5, unit="per week", meaning="Weekly chance the top commander is replaced.",
        source="Seed 002: the priority 'must also remain clear in case of personnel changes'. "
        "Default (about once in five years): assumption.", label="turnover of the top commander")
    commander_turnover: float = P(
        0.004, 0, 0.5, unit="per week", meaning="Weekly chance that an operational or tactical "
        "commander is replaced.", source="As leadership_turnover.", label="turnover of commanders")
    fighter_turnover: float = P(
        0.004, 0, 0.5, unit="per week", meaning="Weekly chance a fighter leaves and a fresh recruit "
        "from the local community takes his place.", source="Assumption (about 19% a year).", label="turnover of fighters")
    baseline_knowledge: float = P(
        0.1, 0, 1, meaning="Mean IHL knowledge of commanders, fighters and recruits before any "
        "engagement.", source="Seed 002: 'one cannot presume that armed groups are fully familiarised "
        "with humanitarian legislation'.")
    baseline_acceptance: float = P(
        0.2, 0, 1, meaning="Mean acceptance of the norm before any engagement; acceptance drifts back "
        "to each person's own baseline when not reinforced.", source="Assumption.", label="acceptance of IHL before engagement")
    acceptance_decay: float = P(
        0.01, 0, 0.5, unit="per week", meaning="Weekly drift of a person's acceptance back to what "
        "he has internalised (his baseline) when not reinforced; the same for everyone, whatever "
        "the exposure (H6 acts on what is internalised, not on this drift).",
        source="MODEL.md: 'Successes can decay'. Size: assumption (half-life about 16 months).", label="decay of acceptance")
    knowledge_decay: float = P(
        0.01, 0, 0.5, unit="per week", label="forgetting of IHL knowledge",
        meaning="Weekly drift of a person's knowledge back to what he knew before any engagement "
        "(forgetting without reinforcement).",
        source="Arthur et al. 1998 (Human Performance 11(1)): knowledge and skills decay without "
        "practice, substantially within a year of non-use. Size: assumption (half-life about 16 "
        "months).")
    command_learning: float = P(
        0.08, 0, 1, unit="per week", meaning="Weekly rate at which operational and tactical commanders "
        "take up their superior's emphasis and the doctrine.", source="Seed 002: doctrine 'to all "
        "pertinent command levels'. Size: assumption.", label="commanders' learning rate")
    strength: float = P(
        0.5, 0, 1, label="military strength against the state",
        meaning="The group's military strength relative to the state's forces (0: far weaker, 1: "
        "as strong or stronger); weak groups rely more on weapons some norms ban (mines).",
        source="Seed 002: 'should the arms carrier deem that the employment of land-mines is "
        "fundamental for its success'; the balance of power in 'General environmental factors'.")
    territorial: float = P(
        0.5, 0, 1, label="territory held and defended",
        meaning="How much the group holds and defends territory (0: none, mobile; 1: fixed "
        "territory it must defend); scales its occasions to lay mines and their value.",
        source="Seed 001: a group 'effectively in control of a given area for a time'; seed 002 "
        "on territorial control (H1).")
    manpower_need: float = P(
        0.2, 0, 1, label="shortfall of voluntary recruits",
        meaning="How far voluntary recruits fall short of what the group needs when communities "
        "support it as usually; less support widens the shortfall (seed 004: a shortfall drives "
        "child recruitment).", source="Seed 004; Beber and Blattman 2013. Size: assumption.")
    splinter_rate: float = P(
        0.005, 0, 1, unit="per week", label="chance a faction splinters",
        meaning="Weekly chance that an operational commander and his units break away, at a "
        "fully weak structure and when he rejects outright a commitment the top command made "
        "(scaled by 1 - structure and by how far his acceptance lies below the top "
        "commander's).", source="Seed 002: 'several splinter groups under a poorly defined "
        "command structure', 'disagreements ... on how important IHL and HR are'; Staniland "
        "2014. Size: assumption.")
    start_week: int = P(0, 0, 100_000, unit="week", label="week the group emerges",
                        meaning="Week the group emerges (0: it exists when the run starts; a "
                        "population staggers it).", source="Issue 11: groups emerge over a run.")
    end_week: int = P(NEVER, -1, 100_000, unit="week", label="week the group ends",
                      meaning="Week the group ends (disbands, is defeated or joins a peace deal; "
                      "-1: never).", source="Issue 11: groups end over a run.")

    @model_validator(mode="before")
    @classmethod
    def _fill_from_type(cls, data):
        """A type fills the fields the table does not give (:mod:`normsim.world.typology`)."""
        if isinstance(data, dict) and data.get("type"):
            if data["type"] not in TYPES:
                raise ValueError(f"type = \"{data['type']}\" is not a type of group; types "
                                 f"are: {', '.join(TYPES)}")
            return {**preset(data["type"]), **data}
        return data

    @model_validator(mode="after")
    def _lifetime(self):
        if self.end_week != NEVER and self.end_week <= self.start_week:
            raise ValueError(f"the group must end after it emerges: it emerges in week "
                             f"{self.start_week} and end_week is {self.end_week} (-1: never)")
        return self



#: per-group settings copied from each group's GroupSettings into arrays (all but the scenario's
#: count of groups)
PER_GROUP = tuple(f for f in GroupSettings.model_fields if f not in GroupSettings.shared)


@dataclass(frozen=True)
class Array:
    """A state array of the groups, declared once: its shape per group (``()``, ``("N",)`` per
    norm, ``("N", 4)`` per norm and integration factor), its type, its value for a group
    that has not acted yet, and what a faction that splinters takes (``parent``: its parent's
    value; ``fresh``: the fill)."""

    shape: tuple = ()
    dtype: Any = float
    fill: Any = 0.0
    split: str = "fresh"


PER_NORM = ("N",)
#: the groups' state, allocated by GroupState.__init__ and grown by GroupState.append
STATE = {
    "factors": Array(("N", 4)),  # doctrine, training, equipment, sanctions (world.integration)
    "owned": Array(PER_NORM),  # the part of the doctrine the group drafted from conviction
    "instruction": Array(PER_NORM),  # orders to comply given for what compliance buys
    # what the chain of command is ordered: instruction, or a commitment's full order
    "orders": Array(PER_NORM),
    "committed": Array(PER_NORM, bool, False),
    "commitments": Array(PER_NORM, np.int64, 0),
    "doctrine_adopted": Array(PER_NORM, bool, False),
    # exposure to engagement (any engager): H6 reads its span and regularity
    "first_contact": Array((), np.int64, NEVER),
    "last_contact": Array((), np.int64, NEVER),
    "mean_gap": Array(()),
    "contacts": Array((), np.int64, 0),
    "engaged": Array((), bool, False, "parent"),  # some engager engages the group this week
    "objection": Array(()),  # the host state's objection to engaging it (H5; seed 003)
    "cost": Array(PER_NORM, split="parent"),  # military cost of each norm (normsim.rules.norms)
    # the leadership has been persuaded up to the norm's military cost (the story tells it once)
    "held_back": Array(PER_NORM, bool, False),
    # this week's conduct, per norm
    "occasions": Array(PER_NORM),
    "violations": Array(PER_NORM),
    "detected": Array(PER_NORM),
    "sanctions_enforced": Array((), split="parent"),
    "violations_ewma": Array(PER_NORM, fill=np.nan),
    "last_sanction_event": Array((), np.int64, -10**9),
}
#: computed from the settings when the groups are built; a splinter takes its parent's
DERIVED = ("structure", "transmission", "alive", "shortfall")


class GroupState:
    """Per-group settings and state. ``settings`` is one GroupSettings per group."""

    def __init__(self, settings: Sequence, n_norms: int, department_isolation: float):
        self.n, self.n_norms = len(settings), n_norms
        #: each group's run in a batch of runs (normsim.simulation.batch_engine); None alone
        self.run = None
        for name in PER_GROUP:
            values = [getattr(s, name) for s in settings]
            dtype = (bool if isinstance(values[0], bool) else np.int64 if isinstance(values[0], int)
                     else object if isinstance(values[0], str) else float)
            setattr(self, name, np.array(values, dtype=dtype))
        self._derive(department_isolation)
        self.alive = self.start_week <= 0
        self.shortfall = self.manpower_need.copy()  # of voluntary recruits (seed 004)
        for name, array in STATE.items():
            shape = [n_norms if d == "N" else d for d in array.shape]
            setattr(self, name, np.full((self.n, *shape), array.fill, dtype=array.dtype))

    def _derive(self, department_isolation: float) -> None:
        """What the groups' settings make of their structure (normsim.world.integration)."""
        self.structure = integration.structure_strength(self.centralisation, self.factions,
                                                        self.wing_split)
        self.transmission = self.structure * np.where(self.ihl_department,
                                                      1.0 - department_isolation, 1.0)

    def change_settings(self, values: dict, department_isolation: float, week: int) -> None:
        """New values of group settings from ``week`` on, for every group (``values``: field ->
        value; a population's groups keep their own values of every other field), and what the
        groups derive from them; at week 0, which groups are alive is settled again."""
        for field, value in values.items():
            getattr(self, field)[:] = value
        self._derive(department_isolation)
        if week == 0:
            self.alive = self.start_week <= 0

    def append(self, parent: int, week: int) -> int:
        """A new group split from ``parent`` this week: the parent's settings, a fresh start
        (new to the terrain, no integration work, no commitments, no contact); its index."""
        for name in (*PER_GROUP, *DERIVED):
            arr = getattr(self, name)
            setattr(self, name, np.concatenate([arr, arr[parent:parent + 1]]))
        self.age_weeks[-1], self.start_week[-1] = 0, week
        for name, array in STATE.items():
            arr = getattr(self, name)
            new = (arr[parent:parent + 1] if array.split == "parent"
                   else np.full_like(arr[:1], array.fill))
            setattr(self, name, np.concatenate([arr, new]))
        if self.run is not None:  # a faction fights on in its parent's run
            self.run = np.append(self.run, self.run[parent])
        self.n += 1
        return self.n - 1

    def live(self, week: int) -> tuple[np.ndarray, np.ndarray]:
        """Bring groups to life and end them at their weeks; return (emerged, ended) indices."""
        alive = (self.start_week <= week) & ((self.end_week == NEVER) | (week < self.end_week))
        emerged, ended = np.flatnonzero(alive & ~self.alive), np.flatnonzero(~alive & self.alive)
        self.alive = alive
        return emerged, ended

    def fade_objection(self) -> None:
        """The host state's objection to engaging a group fades when no one confers legitimacy
        on it (normsim.engagers.peace_operation raises it)."""
        self.objection *= 1.0 - OBJECTION_FADE

    # -- exposure (H6) -----------------------------------------------------------------------
    def contact(self, groups: np.ndarray, week: int) -> None:
        """Record a contact with ``groups`` this week (several engagers count once)."""
        groups = np.unique(groups)
        first = self.first_contact[groups] == NEVER
        self.first_contact[groups[first]] = week
        seen = groups[~first & (self.last_contact[groups] != week)]
        gap = week - self.last_contact[seen]
        self.mean_gap[seen] = np.where(self.contacts[seen] > 1,
                                       EXPOSURE_MEMORY * self.mean_gap[seen]
                                       + (1 - EXPOSURE_MEMORY) * gap, gap)
        new = groups[self.last_contact[groups] != week]
        self.contacts[new] += 1
        self.last_contact[groups] = week

    def span(self, week: int) -> np.ndarray:
        """The time span of exposure in weeks: from the first contact to this week while the
        group is engaged, to the last contact once no engager engages it (0 before any)."""
        until = np.where(self.engaged, week, self.last_contact)
        return np.where(self.first_contact == NEVER, 0, until - self.first_contact).astype(float)

    def regularity(self, week: int, regular_gap: float) -> np.ndarray:
        """How regular contact has been, in [0, 1]: 1 while the running mean gap between
        contacts -- and, while the group is still engaged, the gap open since the last one -- is
        within ``regular_gap`` weeks; it falls as ``regular_gap / gap`` beyond (0 before any
        contact). The silence after an engagement has ended is not irregular contact."""
        open_gap = np.where(self.engaged & (self.last_contact != NEVER), week - self.last_contact,
                            0)
        gap = np.maximum(np.where(self.contacts > 1, self.mean_gap, 0.0), open_gap)
        return np.where(self.contacts > 0, np.minimum(1.0, regular_gap / np.maximum(gap, 1e-9)),
                        0.0)

    # -- views ------------------------------------------------------------------------------
    @property
    def doctrine(self) -> np.ndarray:
        return self.factors[:, :, integration.DOCTRINE]

    def factor(self, name: str) -> np.ndarray:
        return self.factors[:, :, integration.FACTORS.index(name)]

    def ages(self, week: int) -> np.ndarray:
        """Each group's age in weeks this week (H1's newness)."""
        return self.age_weeks + week - np.maximum(self.start_week, 0)
