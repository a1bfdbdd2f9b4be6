"""The scenario schema: every model parameter, its meaning, range, default and source.

This module is the one place where parameters are declared (``normsim.scenario`` loads files and
overrides against it; ``docs/ODD.md``'s parameter tables are generated from it). A scenario is a
TOML file with a ``title``, a ``description`` in words, and one table per section (``[group]``,
``[persuader]`` ...) that overrides these defaults.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

NEVER = -1  # "no such week" in week-valued parameters

def P(default: Any, lo: float | None = None, hi: float | None = None, *, meaning: str,
      source: str, unit: str = "") -> Any:
    """Declare a parameter: default, inclusive range, meaning in words, and its source."""
    return Field(default, ge=lo, le=hi, description=meaning,
                 json_schema_extra={"source": source, "unit": unit})


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RunSettings(Section):
    steps: int = P(520, 1, 100_000, unit="weeks", meaning="Number of weekly steps to simulate.",
                   source="MODEL.md: a run spans years (H6 is about long time spans).")
    seed: int = P(1, 0, 2**63 - 1, meaning="Seed of the run's random generator; the CLI's --seed "
                  "overrides it.", source="Reproducibility: every draw comes from it.")
    record_every: int = P(1, 1, 10_000, unit="weeks", meaning="Record the tidy table every this "
                          "many weeks (the first and last week are always recorded).",
                          source="Assumption: weekly records by default.")


class EnvironmentSettings(Section):
    conflict_intensity: float = P(
        0.5, 0, 1, meaning="Intensity of the conflict: 0 calm, 1 large-scale operations. Raises "
        "encounters with civilians and the odds of violating, lowers access and slows integration.",
        source="Seed 002, General environmental factors: 'if an armed group is in the midst of "
        "large-scale military operations, other priorities will inevitably prevail over long-term "
        "compliance with IHL'.")
    intensity_volatility: float = P(
        0.03, 0, 0.5, meaning="Standard deviation of the weekly random shock to intensity "
        "(mean-reverting, persistence 0.95).", source="Assumption: conflicts have offensives and lulls.")
    peace_start_week: int = P(
        NEVER, -1, 100_000, unit="week", meaning="Week a peace process or peace talks start (-1: none).",
        source="Seed 002: 'An integration process is carried out with greater success when a peace "
        "process or peace talks are underway'.")
    peace_end_week: int = P(
        NEVER, -1, 100_000, unit="week", meaning="Week the peace process ends (-1: it lasts to the end).",
        source="Seed 002 (as peace_start_week); MODEL.md: successes can decay.")
    peace_calming: float = P(
        0.5, 0, 1, meaning="Share by which a peace process lowers conflict intensity; during it "
        "commitments also come at a lower threshold (compliance statements within ceasefires).",
        source="Seed 002, H6: compliance 'within the framework of ceasefires and peace-agreements'. "
        "Size: assumption.")
    listing_week: int = P(
        NEVER, -1, 100_000, unit="week", meaning="Week the state lists the group as a terrorist "
        "organisation or restricts contact with it (-1: never).",
        source="Seed 002: early contact comes 'prior to ... the inclusion of the arms carriers in an "
        "official list of terrorist organisations'; seed 003 on host-government objections.")
    listing_politicisation: float = P(
        0.4, 0, 1, meaning="Politicisation a listing adds to the engagement (capped at 1).",
        source="H5 (seed 002). Size: assumption.")

    @model_validator(mode="after")
    def _peace_window(self):
        if self.peace_end_week != NEVER and self.peace_end_week <= self.peace_start_week:
            # a typed error (its context holds the weeks) so that the app can say it in any language
            raise PydanticCustomError(
                "peace_window", "peace talks must end after they start: peace_end_week = {end} is "
                "not later than peace_start_week = {start} (-1: they last to the end)",
                {"start": self.peace_start_week, "end": self.peace_end_week})
        return self


class GroupSettings(Section):
    count: int = P(1, 1, 100, meaning="Number of armed groups, each with these settings and its own "
                   "history.", source="MODEL.md: a scenario may hold several groups.")
    fighters: int = P(600, 1, 5_000_000, meaning="Fighters per group.",
                      source="MODEL.md: a few dozen to tens of thousands. Default: assumption.")
    operational_commanders: int = P(
        3, 1, 100_000, meaning="Operational commanders under the top (strategic) commander.",
        source="Seed 002: 'all relevant command levels (from the strategic to the tactical)'.")
    units_per_commander: int = P(
        4, 1, 100_000, meaning="Tactical commanders (each leading a unit) per operational commander; "
        "fighters are spread evenly over the units.", source="Seed 002 (command levels). Default: assumption.")
    age_weeks: int = P(
        26, 0, 5_200, unit="weeks", meaning="How long the group has existed when the run starts (H1: "
        "newness fades with age).", source="Seed 002, H1: 'the actor ... is new to the terrain'.")
    insecurity: float = P(
        0.5, 0, 1, meaning="How unsure of itself the group is (lack of territorial control, new "
        "environment) (H1).", source="Seed 002, H1: 'new or unsure of himself'.")
    people_war: float = P(
        0.7, 0, 1, meaning="How much the group's ideology depends on and protects the population "
        "('people's war') (H2); also how much community pressure weighs on it.",
        source="Seed 002, H2: 'Particularly in \"people's war\" models ... popular support of the arms "
        "carrier plays a significant role'. Default 0.7: such an ideology is the ICRC's 'point of "
        "entry'.")
    contrary_practice: float = P(
        0.3, 0, 1, meaning="How entrenched conduct and ideology contrary to the norm are (H2); also "
        "raises fighters' odds of violating.", source="Seed 002, H2: 'little knowledge of conduct that "
        "infringes the new rules'; 'rare that IHL will be integrated ... when these have a strong ideology'.")
    aspiration: float = P(
        0.7, 0, 1, meaning="How much the group wishes to join the international community or gain "
        "recognition (H3).", source="Seed 002, H3: 'the international community – to which numerous "
        "arms carriers aspire to be members'. Default 0.7: 'numerous' aspire.")
    centralisation: float = P(
        0.7, 0, 1, meaning="Strength of the structure: centralisation, hierarchy, chain of command. "
        "Scales integration progress and how far orders travel down the chain.",
        source="Seed 002: 'a weak structure within the group leads to a slower process of integration "
        "and may even bring it to a complete standstill'.")
    factions: int = P(
        1, 1, 50, meaning="Splinter factions under a poorly defined command; structure is divided by "
        "the square root of their number.", source="Seed 002, H1: 'several splinter groups under a "
        "poorly defined command structure'. Form: assumption.")
    wing_split: float = P(
        0.0, 0, 1, meaning="Split between the political and military wings (halves structure at 1).",
        source="Seed 002, H1: 'a split between the latter's military and political wings'.")
    core_goal_incompatible: bool = P(
        False, meaning="The group's core goal is incompatible with the norm (e.g. ethnic cleansing, "
        "mines held essential): the leadership's acceptance cannot rise above 0.15.",
        source="Seed 002, Bottom line: 'next to impossible for the ICRC to persuade the carrier'. "
        "Ceiling: assumption.")
    ihl_department: bool = P(
        False, meaning="The group creates a separate IHL department, which cuts integration work off "
        "from the chain of command (see integration.department_isolation).",
        source="Seed 002: 'the establishment of a proprietary department for IHL ... is more of a "
        "hindrance'.")
    leadership_turnover: float = P(
        0.004, 0, 0.5, unit="per week", meaning="Weekly chance the top commander is replaced.",
        source="Seed 002: the priority 'must also remain clear in case of personnel changes'. "
        "Default (about once in five years): assumption.")
    commander_turnover: float = P(
        0.004, 0, 0.5, unit="per week", meaning="Weekly chance that an operational or tactical "
        "commander is replaced.", source="As leadership_turnover.")
    fighter_turnover: float = P(
        0.004, 0, 0.5, unit="per week", meaning="Weekly chance a fighter leaves and a fresh recruit "
        "from the local community takes his place.", source="Assumption (about 19% a year).")
    baseline_knowledge: float = P(
        0.1, 0, 1, meaning="Mean IHL knowledge of commanders, fighters and recruits before any "
        "engagement.", source="Seed 002: 'one cannot presume that armed groups are fully familiarised "
        "with humanitarian legislation'.")
    baseline_acceptance: float = P(
        0.2, 0, 1, meaning="Mean acceptance of the norm before any engagement; acceptance drifts back "
        "to each person's own baseline when not reinforced.", source="Assumption.")
    acceptance_decay: float = P(
        0.01, 0, 0.5, unit="per week", meaning="Weekly drift of acceptance back to baseline when not "
        "reinforced (slowed by long exposure, H6).", source="MODEL.md: 'Successes can decay'. Size: assumption.")
    command_learning: float = P(
        0.08, 0, 1, unit="per week", meaning="Weekly rate at which operational and tactical commanders "
        "take up their superior's emphasis and the doctrine.", source="Seed 002: doctrine 'to all "
        "pertinent command levels'. Size: assumption.")


class PersuaderSettings(Section):
    count: int = P(1, 0, 20, meaning="Number of persuaders (0: no engagement, the control). Groups are "
                   "shared among them in turn.", source="MODEL.md: several persuaders.")
    reputation: float = P(
        0.8, 0, 1, meaning="Standing as a member of the renowned in-group (the international "
        "community), neutrality and reputation (H3).", source="Seed 002, H3 and 'Attributes of the NGO'.")
    principled: float = P(
        1.0, 0, 1, meaning="1: argues from principles and sets no conditions; 0: sets conditions (H4).",
        source="Seed 002, H4: 'does not set forth conditions, but acts based on principles'.")
    practical_framing: float = P(
        0.7, 0, 1, meaning="How well the law is presented in practical terms adapted to the audience (H4).",
        source="Seed 002, H4: 'the law in force is presented in a practical manner'.")
    politicisation: float = P(
        0.1, 0, 1, meaning="How much the engagement links the norms to political issues (H5).",
        source="Seed 002, H5: 'the linking of political issues with the norms ... do not form part of "
        "the ICRC's integration concept'.")
    contact_interval: int = P(
        4, 1, 520, unit="weeks", meaning="Weeks between meetings with a group's leadership (H6).",
        source="Seed 002, H6: trust depends on 'the timespan between meetings'.")
    start_week: int = P(0, 0, 100_000, unit="week", meaning="Week the engagement starts.",
                        source="Seed 002: 'the ICRC seeks engagement ... as early as possible'.")
    end_week: int = P(NEVER, -1, 100_000, unit="week", meaning="Week the engagement ends (-1: never); "
                      "to probe how durable compliance is.", source="MODEL.md: durability is an open question.")
    practical_first: bool = P(
        True, meaning="Open talks with a practical problem with a simple solution (prisoners, a "
        "checkpoint); once solved, trust grows half as fast again.",
        source="Seed 002, Quality of the interaction: 'initiating talks with a practical problem with a "
        "relatively simple solution seems to be an approach that usually promises success'.")
    access: float = P(0.9, 0, 1, meaning="Chance a due meeting takes place in calm conditions (halved "
                      "at full intensity).", source="Seed 002, H6: 'the security situation has to be "
                      "stable enough'.")
    trust_rate: float = P(0.04, 0, 1, meaning="Share of the trust gap closed per meeting in neutral "
                          "conditions.", source="Assumption.")
    persuasion_rate: float = P(
        0.02, 0, 1, meaning="Share of the top commander's acceptance gap closed per meeting at full "
        "trust and full knowledge in neutral conditions.", source="Assumption: with it, the "
        "leadership commits after one to three years (seed 002: 'a long-term endeavour').")

    @model_validator(mode="after")
    def _window(self):
        if self.end_week != NEVER and self.end_week <= self.start_week:
            raise PydanticCustomError(
                "engagement_window", "the engagement must end after it starts: end_week = {end} is "
                "not later than start_week = {start} (-1: it never ends)",
                {"start": self.start_week, "end": self.end_week})
        return self


class CommunitySettings(Section):
    per_group: int = P(4, 1, 1_000, meaning="Civilian communities in each group's area; units are "
                       "stationed among them in turn.", source="MODEL.md: many communities.")
    organisation: float = P(
        0.3, 0, 1, meaning="How organised communities are to press the group (elders, protection "
        "committees).", source="Seed 001 (community protection committees), seed 004 (community resistance).")
    initial_support: float = P(0.6, 0, 1, meaning="Communities' support for the group at the start.",
                               source="Assumption.")
    influence: float = P(
        0.02, 0, 1, unit="per week", meaning="Weekly pull of community pressure on the acceptance of the "
        "fighters stationed among it and of the leadership, for a group fully dependent on the "
        "population.", source="Seed 002, H4: 'local culture and traditions are often similar to the "
        "norms'; seed 001. Size: assumption.")


class IntegrationSettings(Section):
    growth: float = P(
        0.03, 0, 1, unit="per week", meaning="Weekly progress of a factor (doctrine, training, equipment, "
        "sanctions) driven by a fully committed top command with a perfect structure.",
        source="Seed 002, The integration concept. Size: assumption.")
    reinforcement: float = P(
        1.0, 0, 5, meaning="How strongly progress in the other three factors speeds each factor (and "
        "their weakness speeds its decay).", source="Seed 002: 'These four influencing factors form a "
        "mutually reinforcing cycle ... (progress as well as setbacks)'.")
    decay: float = P(0.004, 0, 0.5, unit="per week", meaning="Weekly erosion of each factor.",
                     source="Assumption.")
    setback_rate: float = P(
        0.01, 0, 1, unit="per week", meaning="Weekly chance of a setback in one factor at intensity "
        "0.5 (scaled by 0.5 + intensity).", source="Seed 002, H6: 'more often than not rise to delays "
        "or setbacks'.")
    setback_size: float = P(0.4, 0, 1, meaning="Share of a factor lost in a setback.", source="Assumption.")
    training_interval: int = P(
        13, 1, 520, unit="weeks", meaning="Weeks between training cycles (practical drills).",
        source="Seed 002: 'the respect of relevant principles ... must become an integral part of daily "
        "training'. Quarterly cycles: assumption.")
    drill_effect: float = P(
        0.5, 0, 1, meaning="Share of a fighter's knowledge gap closed by one training cycle at full "
        "training factor.", source="Seed 002: 'practical drills have shown themselves as the most "
        "effective training method'.")
    department_isolation: float = P(
        0.5, 0, 1, meaning="With an IHL department: share of the chain of command's transmission and "
        "of training, equipment and sanctions progress lost (doctrine is drafted 20% faster).",
        source="Seed 002: 'such a department would separate itself from the rest of the command chain'.")


class FighterSettings(Section):
    encounter_rate: float = P(
        2.0, 0, 50, unit="per week", meaning="Mean encounters with civilians per fighter per week at "
        "intensity 0.5 (scaled by 0.5 + intensity).", source="Assumption.")
    base_violation: float = P(
        0.35, 0.001, 0.999, meaning="Chance an encounter violates the norm for a fighter with no "
        "knowledge, acceptance or fear, standard equipment, intensity 0.5 and no contrary practice.",
        source="Assumption (calibrates the starting compliance).")
    intensity_effect: float = P(2.0, 0, 10, meaning="Log-odds of violating added per unit of intensity "
                                "above 0.5.", source="Seed 002, General environmental factors.")
    contrary_effect: float = P(1.0, 0, 10, meaning="Log-odds of violating added at full contrary practice.",
                               source="Seed 002, H2.")
    acceptance_effect: float = P(2.0, 0, 10, meaning="Log-odds of violating removed at full acceptance.",
                                 source="Seed 002: change in conduct 'begins with the acceptance of the "
                                 "correctness of these norms by individuals'.")
    knowledge_effect: float = P(0.5, 0, 10, meaning="Log-odds of violating removed at full knowledge.",
                                source="Seed 002: combatants 'learn how they should conduct themselves'.")
    fear_effect: float = P(1.0, 0, 10, meaning="Log-odds of violating removed at full fear of sanction.",
                           source="Seed 002: sanctions 'make the combatants aware of the consequences'.")
    equipment_effect: float = P(0.5, 0, 10, meaning="Log-odds of violating removed at full equipment "
                                "integration.", source="Seed 002: 'equipment that does not violate IHL'.")
    learning_rate: float = P(0.05, 0, 1, unit="per week", meaning="Weekly rate at which fighters take up "
                             "knowledge and acceptance from their unit commander's emphasis.",
                             source="Assumption.")
    peer_influence: float = P(0.05, 0, 1, unit="per week", meaning="Weekly pull of a fighter's acceptance "
                              "towards his unit's mean.", source="MODEL.md: fighters' peer influence.")


def _h_enabled(n: int, quote: str) -> Any:
    return P(True, meaning=f"Switch for H{n} (off: the mechanism is neutral, for ablation).", source=quote)


def _h_strength(n: int, quote: str) -> Any:
    return P(0.8, 0, 1, meaning=f"Strength of H{n}: the most favourable condition multiplies its "
             "effect by 1 + strength, the least favourable by 1 - strength.",
             source=quote + " Default 0.8: assumption (strong, but no condition blocks the "
             "mechanism entirely).")


_Q = {1: "Seed 002, H1.", 2: "Seed 002, H2.", 3: "Seed 002, H3.", 4: "Seed 002, H4.",
      5: "Seed 002, H5.", 6: "Seed 002, H6."}


class HypothesisSettings(Section):
    h1_enabled: bool = _h_enabled(1, _Q[1])
    h1_strength: float = _h_strength(1, _Q[1])
    h1_newness_halflife: float = P(104, 1, 5_200, unit="weeks", meaning="Age at which a group's newness "
                                   "has halved (H1).", source="Assumption (two years).")
    h2_enabled: bool = _h_enabled(2, _Q[2])
    h2_strength: float = _h_strength(2, _Q[2])
    h3_enabled: bool = _h_enabled(3, _Q[3])
    h3_strength: float = _h_strength(3, _Q[3])
    h4_enabled: bool = _h_enabled(4, _Q[4])
    h4_strength: float = _h_strength(4, _Q[4])
    h5_enabled: bool = _h_enabled(5, _Q[5])
    h5_strength: float = _h_strength(5, _Q[5])
    h6_enabled: bool = _h_enabled(6, _Q[6])
    h6_strength: float = _h_strength(6, _Q[6])
    h6_exposure_half: float = P(12, 1, 1_000, unit="meetings", meaning="Meetings after which "
                                "consolidation is half-way (H6).", source="Assumption.")


SECTIONS: dict[str, type[Section]] = {
    "run": RunSettings, "environment": EnvironmentSettings, "group": GroupSettings,
    "persuader": PersuaderSettings, "community": CommunitySettings,
    "integration": IntegrationSettings, "fighters": FighterSettings, "hypotheses": HypothesisSettings,
}
RUN_ONLY = ("steps", "seed")  # run settings that are not model parameters


class Scenario(BaseModel):
    """A validated scenario: a title, a description in words, and every parameter."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: str = "Unnamed scenario"
    description: str = ""
    run: RunSettings = RunSettings()
    environment: EnvironmentSettings = EnvironmentSettings()
    group: GroupSettings = GroupSettings()
    persuader: PersuaderSettings = PersuaderSettings()
    community: CommunitySettings = CommunitySettings()
    integration: IntegrationSettings = IntegrationSettings()
    fighters: FighterSettings = FighterSettings()
    hypotheses: HypothesisSettings = HypothesisSettings()
