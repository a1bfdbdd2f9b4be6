"""The app's controls in plain words, grouped by seed 002's four success-factor bundles.

Each control is one model parameter (its flat keyword name, see ``normsim parameters``) with a
question a workshop audience understands, the hypothesis it speaks to, and the range of the
slider. Ranges come from the schema's bounds; a few counts and weeks are narrowed to what fits
a workshop screen (never widened), so a value outside the schema cannot be entered.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotated_types import Ge, Le

from normsim.scenario import PARAMETERS, allowed
from normsim.scenario import ALL_SECTIONS as SECTIONS

RUN_WEEKS = 520  # weeks shown on the time axis and the reach of week sliders (ten years)


@dataclass(frozen=True)
class Control:
    """One parameter as the app shows it."""

    name: str  # flat keyword, e.g. "group_age_weeks"
    question: str  # the label, in plain words
    hypothesis: str = ""  # "H1" ... "H6" when the parameter belongs to one
    cap: float | None = None  # narrower upper end for the slider than the schema's
    never: bool = False  # -1 means "never" (a week that does not come)

    @property
    def section(self) -> str:
        return PARAMETERS[self.name][0]

    @property
    def field(self):
        section, field = PARAMETERS[self.name]
        return SECTIONS[section].model_fields[field]

    @property
    def kind(self) -> type:
        return self.field.annotation

    @property
    def bounds(self) -> tuple[float, float]:
        """(lowest, highest) value the slider offers: the schema's range, capped for the screen."""
        meta = self.field.metadata
        lo = next(m.ge for m in meta if isinstance(m, Ge))
        hi = next(m.le for m in meta if isinstance(m, Le))
        return lo, hi if self.cap is None else min(hi, self.cap)

    @property
    def step(self) -> float:
        if self.kind is int:
            return 1
        lo, hi = self.bounds
        return 0.001 if hi - lo <= 0.1 else 0.01

    @property
    def label(self) -> str:
        return f"{self.question} ({self.hypothesis})" if self.hypothesis else self.question

    @property
    def meaning(self) -> str:
        """The schema's description and what it accepts, for the tooltip."""
        section, field = PARAMETERS[self.name]
        return f"{self.field.description} Allowed: {allowed(section, field)}."

    def show(self, value) -> str:
        """A value as the room reads it: 'never', 'yes', '0.70', '26'."""
        if self.kind is bool:
            return "yes" if value else "no"
        if self.never and value == -1:
            return "never"
        if self.kind is int:
            return f"{value:,}"
        return f"{value:.3f}" if self.step < 0.01 else f"{value:.2f}"

    def clamp(self, value):
        """The value the control accepts nearest to ``value`` (typed into the box)."""
        if self.kind is bool:
            return bool(value)
        lo, hi = self.bounds
        value = min(max(value, lo), hi)
        return int(round(value)) if self.kind is int else float(value)


@dataclass(frozen=True)
class Bundle:
    key: str
    title: str
    hypotheses: str  # which hypotheses seed 002 attaches to the bundle, in words
    controls: tuple[Control, ...]


C = Control
BUNDLES: tuple[Bundle, ...] = (
    Bundle("environment", "The environment", "conflict, peace talks, listing", (
        C("environment_conflict_intensity",
          "How intense is the fighting? (0 calm, 1 large-scale operations)"),
        C("environment_peace_start_week", "In which week do peace talks start?",
          cap=RUN_WEEKS, never=True),
        C("environment_peace_end_week", "In which week do the peace talks end?",
          cap=RUN_WEEKS, never=True),
        C("environment_peace_calming", "How much do peace talks calm the fighting?"),
        C("environment_listing_week", "In which week is the group listed as terrorist?", "H5",
          cap=RUN_WEEKS, never=True),
        C("environment_listing_politicisation",
          "How much does a listing politicise the engagement?", "H5"),
        C("community_organisation", "How organised are the communities to press the group?"),
    )),
    Bundle("persuader", "The persuader", "H3 renowned in-group, H4 principles without conditions", (
        C("dialogue_reputation",
          "How renowned is the persuader in the international community?", "H3"),
        C("dialogue_principled",
          "Does it argue from principles, without conditions? (1 yes, 0 it sets conditions)",
          "H4"),
        C("dialogue_practical_framing", "How practically does it present the law?", "H4"),
        C("dialogue_access", "How often does a due meeting take place?"),
    )),
    Bundle("group", "The armed group", "H1 new or insecure, H2 current views", (
        C("group_age_weeks", "How new is the group to the conflict? Its age in weeks", "H1",
          cap=2 * RUN_WEEKS),
        C("group_insecurity", "How unsure of itself is the group?", "H1"),
        C("group_people_war",
          "How much does its ideology rely on and protect the population?", "H2"),
        C("group_contrary_practice", "How entrenched is conduct that breaks IHL?", "H2"),
        C("group_aspiration",
          "How much does it want recognition from the international community?", "H3"),
        C("group_centralisation", "How strong is its chain of command?"),
        C("group_factions", "Into how many splinter factions is it split?", cap=10),
        C("group_wing_split", "How split are its political and military wings?"),
        C("group_core_goal_incompatible",
          "Is its core goal incompatible with IHL (e.g. ethnic cleansing)?"),
        C("group_ihl_department", "Does it set up a separate IHL department?"),
        C("group_leadership_turnover", "Weekly chance that the top commander is replaced",
          cap=0.05),
        C("group_fighters", "How many fighters?", cap=20_000),
    )),
    Bundle("interaction", "The interaction", "H5 less politicised, H6 long exposure", (
        C("dialogue_politicisation", "How much is the engagement tied to politics?", "H5"),
        C("dialogue_contact_interval", "How many weeks between meetings?", "H6", cap=52),
        C("dialogue_start_week", "In which week does the engagement start? (early beats late)",
          "H1", cap=RUN_WEEKS),
        C("dialogue_end_week", "In which week does the engagement end?", "H6",
          cap=RUN_WEEKS, never=True),
        C("dialogue_practical_first",
          "Open with a practical problem (prisoners, a checkpoint)?"),
    )),
)

#: the hypothesis switches, for ablation: keyword -> words
SWITCHES: dict[str, str] = {
    "h1_enabled": "H1 a new or insecure group is open to persuasion",
    "h2_enabled": "H2 its current views (people's war, little contrary practice) help",
    "h3_enabled": "H3 a renowned in-group persuader helps",
    "h4_enabled": "H4 principles without conditions help",
    "h5_enabled": "H5 a less politicised engagement helps",
    "h6_enabled": "H6 long exposure makes it last",
}
HYPOTHESES = (Bundle("hypotheses", "The hypotheses", "switch one off to see what it adds",
                     tuple(C(name, words) for name, words in SWITCHES.items())),)

CONTROLS: dict[str, Control] = {c.name: c for b in BUNDLES + HYPOTHESES for c in b.controls}

#: what the Compare tab offers to vary, with the two values it starts from
COMPARE_DEFAULT = ("dialogue_principled", 1.0, 0.0)
