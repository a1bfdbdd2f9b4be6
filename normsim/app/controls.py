"""The app's controls, grouped by seed 002's four success-factor bundles.

Each control is one model parameter (its flat keyword name, see ``normsim parameters``), the
hypothesis it speaks to, and the range of the slider. Its label and help are in the app's
catalogues (:mod:`normsim.app.i18n`, keyed by the parameter's name), so that every language says
them its own way. Ranges come from the schema's bounds; a few counts and weeks are narrowed to
what fits a workshop screen (never widened), so a value outside the schema cannot be entered.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotated_types import Ge, Le

from normsim.app.i18n import N_
from normsim.scenario import PARAMETERS
from normsim.schema import NEVER, SECTIONS

RUN_WEEKS = 520  # the reach of week sliders (ten years)


def _field(name: str):
    section, field = PARAMETERS[name]
    return SECTIONS[section].model_fields[field]


def schema_bounds(name: str) -> tuple[float | None, float | None]:
    meta = _field(name).metadata
    return (next((m.ge for m in meta if isinstance(m, Ge)), None),
            next((m.le for m in meta if isinstance(m, Le)), None))


def is_week(name: str) -> bool:
    """A week that may be 'never' (-1)."""
    return (_field(name).json_schema_extra or {}).get("unit") == "week" \
        and schema_bounds(name)[0] == NEVER


def show(name: str, value, t) -> str:
    """A value as the room reads it, in its language: 'never', 'yes', '0.70', '26'."""
    kind = _field(name).annotation
    if kind is bool:
        return t._("yes") if value else t._("no")
    if is_week(name) and value == NEVER:
        return t._("never")
    if kind is int:
        return t.number(value, 0)
    lo, hi = schema_bounds(name)
    return t.number(value, 3 if hi is not None and lo is not None and hi - lo <= 0.1 else 2)


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

    @property
    def kind(self) -> type:
        return _field(self.name).annotation

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
        if self.kind is bool:
            return t.help(self.name)
        lo, hi = self.bounds
        allowed = t._("from {lo} to {hi}").format(lo=show(self.name, lo, t),
                                                  hi=show(self.name, hi, t))
        return f"{t.help(self.name)} {t._('Allowed: {values}.').format(values=allowed)}"

    def clamp(self, value):
        """The value the control accepts nearest to ``value``."""
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


C = Control
BUNDLES: tuple[Bundle, ...] = (
    Bundle("environment", N_("The environment"), N_("conflict, peace talks, listing"), (
        C("environment_conflict_intensity"),
        C("environment_peace_start_week", cap=RUN_WEEKS),
        C("environment_peace_end_week", cap=RUN_WEEKS),
        C("environment_peace_calming"),
        C("environment_listing_week", "H5", cap=RUN_WEEKS),
        C("environment_listing_politicisation", "H5"),
        C("community_organisation"),
    )),
    Bundle("persuader", N_("The persuader"),
           N_("H3 renowned in-group, H4 principles without conditions"), (
        C("dialogue_reputation", "H3"),
        C("dialogue_principled", "H4"),
        C("dialogue_practical_framing", "H4"),
        C("dialogue_access"),
    )),
    Bundle("group", N_("The armed group"), N_("H1 new or insecure, H2 current views"), (
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
        C("group_leadership_turnover", cap=0.05),
        C("group_fighters", cap=20_000),
    )),
    Bundle("interaction", N_("The interaction"), N_("H5 less politicised, H6 long exposure"), (
        C("dialogue_politicisation", "H5"),
        C("dialogue_contact_interval", "H6", cap=52),
        C("dialogue_start_week", "H1", cap=RUN_WEEKS),
        C("dialogue_end_week", "H6", cap=RUN_WEEKS),
        C("dialogue_practical_first"),
    )),
    Bundle("hypotheses", N_("The hypotheses"), N_("switch one off to see what it adds"),
           tuple(C(f"h{n}_enabled") for n in range(1, 7))),
)

CONTROLS: dict[str, Control] = {c.name: c for b in BUNDLES for c in b.controls}

#: what the Compare tab varies first, with its two values
COMPARE_DEFAULT = ("dialogue_principled", 1.0, 0.0)
