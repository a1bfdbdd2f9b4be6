"""The app's runs: one model built from settings and a seed (:class:`Run`), a scenario's values
as the controls hold them, the shipped presets, and why a visitor's change was refused
(:class:`Refusal`). :mod:`normsim.app.session` holds a visitor's runs and choices."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from pydantic import ValidationError

from normsim.settings.reading import MAX_SEED
from normsim.settings.scenario import PARAMETERS, ScenarioError, list_scenarios, to_flat, validate
from normsim.settings.schema import Scenario
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
