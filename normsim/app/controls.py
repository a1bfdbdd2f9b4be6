"""The app's controls, grouped by seed 002's four success-factor bundles.

Each control is one model parameter (its flat keyword name, see ``normsim parameters``), the
hypothesis it speaks to, and the range of the slider (or its choices). An engager kind's controls
show only when the scenario has such an engager (the engagers themselves are chosen in
:mod:`normsim.app.engagers`), a population's only when there are several groups. Its label and help are in the app's
catalogues (:mod:`normsim.app.i18n`, keyed by the parameter's name), so that every language says
them its own way. Ranges come from the schema's bounds; a few counts and weeks are narrowed to
what fits a workshop screen (never widened), so a value outside the schema cannot be entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from normsim.app.i18n import N_, choices
from normsim.params import bounds
from normsim.rules.hypotheses import HYPOTHESES
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS
from normsim.settings.schema import ENGAGER_SECTIONS, NEVER

RUN_WEEKS = 520  # the reach of week sliders (ten years)


def _field(name: str):
    section, field = PARAMETERS[name]
    return ALL_SECTIONS[section].model_fields[field]


def schema_bounds(name: str) -> tuple[float | None, float | None]:
    section, field = PARAMETERS[name]
    return bounds(ALL_SECTIONS[section], field)


def is_week(name: str) -> bool:
    """A week that may be 'never' (-1)."""
    return (_field(name).json_schema_extra or {}).get("unit") == "week" \
        and schema_bounds(name)[0] == NEVER


def is_choice(name: str) -> bool:
    """A parameter with a few named choices (a group type, whom an engager approaches)."""
    kind = _field(name).annotation
    return kind is str or getattr(kind, "__origin__", None) is Literal


def show(name: str, value, t) -> str:
    """A value as the room reads it, in its language: 'never', 'yes', '0.70', '26'."""
    kind = _field(name).annotation
    if is_choice(name):
        return t.choice(PARAMETERS[name][1], value)
    if kind is bool:
        return t._("yes") if value else t._("no")
    if is_week(name) and value == NEVER:
        return t._("never")
    if kind is int:
        return t.number(value, 0)
    lo, hi = schema_bounds(name)
    return t.number(value, 3 if hi is not None and lo is not None and hi - lo <= 0.1 else 2)


def declared(name: str, value, t) -> str | None:
    """The declared word for one side of a comparison ("a principled persuader"), if any."""
    key = f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}"
    words = t.pgettext("value", key)
    return words if words != key else None


def side_name(name: str, value, t) -> str:
    """One side of a comparison in words: a declared word for the value ("principled"), else the
    parameter's label and the value."""
    key = f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}"
    words = t.pgettext("value", key)
    return words if words != key else f"{t.label(name)}: {show(name, value, t)}"


@dataclass(frozen=True)
class Control:
    """One parameter as the app shows it."""

    name: str  # flat keyword, e.g. "group_age_weeks"
    hypothesis: str = ""  # "H1" ... "H6" when the parameter belongs to one
    cap: float | None = None  # narrower upper end for the slider than the schema's
    many: bool = False  # only where several groups are in play (a population)

    @property
    def kind(self) -> type:
        return _field(self.name).annotation

    @property
    def choice(self) -> bool:
        return is_choice(self.name)

    @property
    def options(self) -> tuple:
        """The values a choice offers."""
        return choices()[PARAMETERS[self.name][1]]

    @property
    def engager(self) -> str | None:
        """The engager kind whose parameter this is (None for the others)."""
        section = PARAMETERS[self.name][0]
        return section if section in ENGAGER_SECTIONS else None

    def shown(self, values: dict, many_groups: bool) -> bool:
        """Whether a scenario with these values has this setting (an engager kind's only when
        it has such an engager; a population's only with several groups)."""
        return self.name in values and (many_groups or not self.many)

    @property
    def bounds(self) -> tuple[float, float]:
        """(lowest, highest) value the slider offers: the schema's range, capped for the screen."""
        lo, hi = schema_bounds(self.name)
        return lo, hi if self.cap is None else min(hi, self.cap)

    @property
    def step(self) -> float:
        if self.kind is int:
            return 1
        lo, hi = self.bounds
        return 0.001 if hi - lo <= 0.1 else 0.01

    def label(self, t) -> str:
        words = t.label(self.name)
        return f"{words} ({self.hypothesis})" if self.hypothesis else words

    def meaning(self, t) -> str:
        """The help (the schema's meaning in English) and what the control accepts."""
        if self.kind is bool or self.choice:
            return t.help(self.name)
        lo, hi = self.bounds
        allowed = t._("from {lo} to {hi}").format(lo=show(self.name, lo, t),
                                                  hi=show(self.name, hi, t))
        return f"{t.help(self.name)} {t._('Allowed: {values}.').format(values=allowed)}"

    def sides(self, value) -> tuple:
        """Two values to compare, starting from ``value``: yes and no, or ``value`` and the far
        end of the range."""
        if self.kind is bool:
            return True, False
        lo, hi = self.bounds
        return value, hi if value != hi else lo

    def clamp(self, value):
        """The value the control accepts nearest to ``value``."""
        if self.choice:
            return value if value in self.options else self.options[0]
        if self.kind is bool:
            return bool(value)
        lo, hi = self.bounds
        value = min(max(value, lo), hi)
        return int(round(value)) if self.kind is int else float(value)


@dataclass(frozen=True)
class Bundle:
    key: str
    title: str  # English, marked for translation (shown with t._)
    hypotheses: str  # which hypotheses seed 002 attaches to the bundle, in words
    controls: tuple[Control, ...]

    def kinds(self, values: dict) -> list[str | None]:
        """The engager kinds whose settings this bundle shows for these values, after None
        (settings of no engager), in the order kinds are registered."""
        present = {c.engager for c in self.controls if c.name in values}
        return [k for k in (None, *ENGAGER_SECTIONS) if k in present]


C = Control
WEEK = {"cap": RUN_WEEKS}


def _timing(kind: str) -> tuple[Control, ...]:
    """When an engager of a kind meets the group, and from when to when (H5, H6, H1)."""
    return (C(f"{kind}_politicisation", "H5"), C(f"{kind}_contact_interval", "H6", cap=52),
            C(f"{kind}_start_week", "H1", **WEEK), C(f"{kind}_end_week", "H6", **WEEK))


def _reach(kind: str) -> tuple[Control, ...]:
    """How many groups an engager of a kind can engage at once, and which it approaches first."""
    return (C(f"{kind}_capacity", cap=200, many=True), C(f"{kind}_approach", many=True))


BUNDLES: tuple[Bundle, ...] = (
    Bundle("environment", N_("The environment"), N_("conflict, peace talks, listing"), (
        C("environment_conflict_intensity"),
        C("environment_peace_start_week", **WEEK),
        C("environment_peace_end_week", **WEEK),
        C("environment_peace_calming"),
        C("environment_listing_week", "H5", **WEEK),
        C("environment_listing_politicisation", "H5"),
        C("community_organisation"),
        C("state_compliance"),
    )),
    Bundle("persuader", N_("The engagers"),
           N_("H3 renowned in-group, H4 principles without conditions"), (
        C("dialogue_reputation", "H3"),
        C("dialogue_principled", "H4"),
        C("dialogue_practical_framing", "H4"),
        C("dialogue_access"),
        *_reach("dialogue"),
        C("deed_reputation", "H3"),
        C("deed_practical_framing", "H4"),
        C("deed_implementation_support"),
        C("deed_monitoring"),
        C("deed_audience_cost"),
        C("deed_persuasion_rate"),  # the calibrated rates (mine_ban_calibrated) stay in reach
        C("deed_trust_rate"),
        *_reach("deed"),
        C("peace_operation_reputation", "H3"),
        C("peace_operation_principled", "H4"),
        C("peace_operation_incentives"),
        C("peace_operation_pressure"),
        C("peace_operation_intermediaries"),
        C("peace_operation_action_plan"),
        *_reach("peace_operation"),
    )),
    Bundle("group", N_("The armed group"), N_("H1 new or insecure, H2 current views"), (
        C("group_type"),
        C("group_age_weeks", "H1", cap=2 * RUN_WEEKS),
        C("group_insecurity", "H1"),
        C("group_people_war", "H2"),
        C("group_contrary_practice", "H2"),
        C("group_aspiration", "H3"),
        C("group_centralisation"),
        C("group_factions", cap=10),
        C("group_wing_split"),
        C("group_core_goal_incompatible"),
        C("group_ihl_department"),
        C("group_strength"),
        C("group_territorial"),
        C("group_manpower_need"),
        C("group_leadership_turnover", cap=0.05),
        C("group_fighters", cap=20_000),
        C("emulation_strength", many=True),
    )),
    Bundle("interaction", N_("The interaction"), N_("H5 less politicised, H6 long exposure"), (
        *_timing("dialogue"),
        C("dialogue_practical_first"),
        *_timing("deed"),
        *_timing("peace_operation"),
        C("peace_operation_legitimacy_risk", "H5"),
    )),
    Bundle("hypotheses", N_("The hypotheses"), N_("switch one off to see what it adds"),
           tuple(C(f"{key}_enabled") for key in HYPOTHESES)),  # every registered one
)

CONTROLS: dict[str, Control] = {c.name: c for b in BUNDLES for c in b.controls}

#: what the Compare tab varies first, with its two values (another control when the scenario
#: has no dialogue engager)
COMPARE_DEFAULT = ("dialogue_principled", 1.0, 0.0)
