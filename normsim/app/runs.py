"""The app's runs: one model built from settings and a seed (:class:`Run`), a scenario's values
as the controls hold them, the shipped presets, and why a visitor's change was refused
(:class:`Refusal`). :mod:`normsim.app.session` holds a visitor's runs and choices."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from pydantic import ValidationError

from normsim.app.i18n import N_
from normsim.settings.reading import MAX_SEED
from normsim.settings.scenario import PARAMETERS, ScenarioError, list_scenarios, to_flat, validate
from normsim.settings.schema import Scenario
from normsim.app.interventions import change
from normsim.simulation.counterfactual import twin_settings
from normsim.simulation.model import NormDiffusionModel

_SERIALS = itertools.count(1)
SEED_LIMIT = MAX_SEED + 1
ORIGIN = "the app's settings"
_IDENTITY = ("kind", "norm", "norms")  # what makes an engager what it is, beyond its settings


def values_of(scenario: Scenario) -> dict:
    """A scenario's parameters as the app's controls hold them: flat, without the ``engager_*``
    names (they set every engager at once; each kind's own names say the same per kind)."""
    return {k: v for k, v in to_flat(scenario).items() if PARAMETERS[k][0] != "engager"}


def engager_tables(scenario: Scenario) -> list[dict]:
    """A scenario's engagers as ``[[engager]]`` tables."""
    return [e.model_dump() for e in scenario.engagers]


def kind_defaults(scenario: Scenario) -> dict:
    """Every parameter's default for a scenario with these engagers and norms (an engager kind's
    parameters default to its kind's values)."""
    tables = [{k: v for k, v in t.items() if k in _IDENTITY} for t in engager_tables(scenario)]
    return values_of(validate({"norms": list(scenario.norms), "engager": tables}, "defaults"))


#: the presets in the order of a workshop's story (docs/app.md), under the question each part of
#: it asks; the baseline beside its control. A shipped scenario not listed here comes last.
STORY = (
    (N_("The question, and its control"), ("baseline", "no_engagement")),
    (N_("What works?"), ("engager_dialogue", "engager_deed", "engager_peace_operation",
                         "two_engagers", "dialogue_then_deed")),
    (N_("Does it last?"), ("engagement_ends",)),
    (N_("How to engage"), ("conditional_persuader", "peace_operation_incentives",
                           "peace_operation_pressure", "politicised", "ihl_department")),
    (N_("When to engage"), ("early_peoples_war", "late_entrenched", "peace_window")),
    (N_("Limits"), ("incompatible_goal", "mines_essential")),
    (N_("Other norms"), ("deed_mines", "children_action_plan")),
    (N_("The record: a population of groups"), ("mine_ban", "mine_ban_calibrated")),
)
OTHERS = N_("Other scenarios")


def in_story_order(names) -> list[tuple[str, list[str]]]:
    """``names`` grouped as :data:`STORY` tells, each part in its order; the rest last."""
    names = list(names)
    told = [(part, [n for n in members if n in names]) for part, members in STORY]
    rest = [n for n in names if not any(n in members for _, members in STORY)]
    return [(part, members) for part, members in told + [(OTHERS, rest)] if members]


def presets() -> dict[str, tuple[str, str]]:
    """Shipped scenarios: name -> (title, description in one paragraph)."""
    return {name: (title, " ".join(description.split()))
            for name, title, description, _ in list_scenarios()}


@dataclass(frozen=True)
class Refusal:
    """Why a change was not applied: a typed reason (``kind`` and its ``context``, which the page
    words in the visitor's language) or the library's own message (``kind`` = "text")."""

    kind: str
    context: dict = field(default_factory=dict)
    text: str = ""


def refusal(err: ScenarioError) -> Refusal:
    """A ScenarioError as a Refusal, typed when the schema raised a typed error."""
    cause = err.__context__  # scenario.validate raises ScenarioError from a ValidationError
    if isinstance(cause, ValidationError):
        for e in cause.errors():
            if e["type"] in ("peace_window", "engagement_window"):
                return Refusal(e["type"], dict(e.get("ctx", {})), str(err))
    return Refusal("text", {}, str(err).split(": ", 1)[-1])


class Run:
    """One model, built from settings and a seed; its settings may change mid-run."""

    def __init__(self, settings: Scenario, seed: int):
        self.serial = next(_SERIALS)
        self.seed = seed
        self.model = NormDiffusionModel(rng=seed, settings=settings)
        self.start_values, self.start_make = self.values, self.make_up  # its recipe (address)
        self.changes: list[tuple[int, dict]] = []  # changes of conditions: (week, values)
        self._start = settings
        #: its control: the same run without engagers (seed, settings, changes of conditions),
        #: kept at the same week while the page shows it (:meth:`show_control`)
        self.twin: NormDiffusionModel | None = None

    def show_control(self, on: bool) -> None:
        """Keep (or drop) the run's control beside it. Turned on mid-run, the control is made
        from week 0 again: the same seed, the run's starting settings without engagers, and
        every change of conditions at its week (ten years take about a second)."""
        if not on:
            self.twin = None
            return
        if self.twin is not None:
            return
        self.twin = NormDiffusionModel(rng=self.seed, settings=twin_settings(self._start))
        for week, values in self.changes:
            self._step_twin(week - self.twin.steps)
            self.change_twin(values)
        self._step_twin(self.week - self.twin.steps)

    def step(self) -> None:
        """One week of the run, and of its control when shown."""
        self.model.step()
        self._step_twin(1)

    def _step_twin(self, weeks: int) -> None:
        for _ in range(weeks if self.twin is not None else 0):
            self.twin.step()

    def change_twin(self, values: dict) -> None:
        """The run's change of conditions, for its control too: those the control has (an
        engager's settings are the engagers', which the control lacks)."""
        if self.twin is not None:
            have = to_flat(self.twin.settings)
            kept = {k: v for k, v in values.items() if k in have}
            if kept:
                change(self.twin, kept, origin=ORIGIN)

    @property
    def week(self) -> int:
        return self.model.steps

    @property
    def values(self) -> dict:
        return values_of(self.model.settings)

    @property
    def make_up(self) -> dict:
        """What the run is made of: its engagers and norms."""
        s = self.model.settings
        return {"engagers": engager_tables(s), "norms": list(s.norms)}
