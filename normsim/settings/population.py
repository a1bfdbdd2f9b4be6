"""A population of armed groups: drawn from a typology, staggered over time, watching each other.

Norm diffusion in the seeds is a population process: "commitments by armed groups can
positively influence the policies both of states and of other non-state groups" (seed 001);
"since 1999 more than 60 armed groups have made commitments to end the recruitment and use of
children" (seed 004). A population file (TOML, in ``populations/`` or any path) says how many
groups there are, which types and in what shares (:mod:`normsim.world.typology`), how each type's
settings spread, when groups emerge and how long they last, and over how many countries they
are spread:

    title = "Armed groups engaged on the mine ban since 2000"
    groups = 200
    countries = 30
    [[type]]
    key = "peoples_war"
    share = 0.3
    people_war = { mean = 0.85, sd = 0.08 }     # drawn per group, clipped to the field's range
    fighters = { min = 100, max = 600 }         # uniform; whole numbers for whole-number fields
    [emergence]
    first_week = 0
    last_week = 520                             # groups emerge uniformly over these weeks
    lifetime = { mean = 780, sd = 260 }         # weeks each group lasts (at least 52)

A scenario names it (``population = "mine_ban"``); its ``[group]`` table gives what no type sets.
The groups are drawn once per run from the run's seed (the groups stream), so a seed fixes the
population. Groups then *watch each other* (:func:`emulation`) and may *splinter*
(:mod:`normsim.rules.splinters`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from normsim.params import P, Section
from normsim.world.typology import TYPES, preset

POPULATION_DIR = Path(__file__).resolve().parents[2] / "populations"
MIN_LIFETIME = 52


class Spread(BaseModel):
    """How one setting varies within a type: normal (``mean``, ``sd``) or uniform (``min``,
    ``max``), clipped to the setting's declared range."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    mean: float | None = None
    sd: float = Field(0.0, ge=0)
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.mean is None) == (self.min is None or self.max is None):
            raise ValueError("give mean (and sd) or min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min = {self.min} is above max = {self.max}")
        return self

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.mean is not None:
            return rng.normal(self.mean, self.sd, size=n) if self.sd else np.full(n, self.mean)
        return rng.uniform(self.min, self.max, size=n)


class TypeShare(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    key: str
    share: float = Field(gt=0, le=1)


class Emergence(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    first_week: int = Field(0, ge=0, le=100_000)
    last_week: int = Field(0, ge=0, le=100_000)
    lifetime: Spread | None = None  # weeks; None: groups last to the end of the run

    @model_validator(mode="after")
    def _window(self):
        if self.last_week < self.first_week:
            raise ValueError(f"last_week = {self.last_week} is before first_week = "
                             f"{self.first_week}")
        return self


class PopulationFile(BaseModel):
    """A validated population file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: str = "Unnamed population"
    description: str = ""
    groups: int = Field(ge=1, le=500)
    countries: int = Field(1, ge=1, le=500)
    type: list[TypeShare] = Field(min_length=1)
    emergence: Emergence = Emergence()

    @model_validator(mode="after")
    def _types(self):
        for t in self.type:
            if t.key not in TYPES:
                raise ValueError(f"type key = \"{t.key}\" is not a type of group; types are: "
                                 f"{', '.join(TYPES)}")
        total = sum(t.share for t in self.type)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the types' shares add up to {total:g}, not 1")
        return self


def population_path(name_or_path: str | Path) -> Path:
    from normsim.settings.scenario import shipped_or_file

    return shipped_or_file(name_or_path, POPULATION_DIR, "population")


def load_population(name_or_path: str | Path) -> PopulationFile:
    """Load and validate a population file (or a shipped name); ScenarioError if it is bad."""
    from normsim.settings.scenario import read_validated

    path = population_path(name_or_path)
    pop, _ = read_validated(path, PopulationFile)
    _check_spreads(pop, path)
    return pop


def _spreads(t: TypeShare) -> dict[str, Any]:
    return {k: v for k, v in (t.model_extra or {}).items()}


def _check_spreads(pop: PopulationFile, path: Path) -> None:
    from normsim.world.groups import GroupSettings
    from normsim.settings.scenario import ScenarioError

    fields = GroupSettings.model_fields
    for i, t in enumerate(pop.type):
        for name, spec in _spreads(t).items():
            if name not in fields or name in ("count", "type", "start_week", "end_week"):
                raise ScenarioError(f"{path}: type {i + 1} ({t.key}): '{name}' is not a group "
                                    f"setting a population can spread; see 'normsim parameters "
                                    "group'")
            if isinstance(spec, dict):
                try:
                    Spread.model_validate(spec)
                except ValidationError as err:
                    msg = err.errors()[0]["msg"].removeprefix("Value error, ")
                    raise ScenarioError(f"{path}: type {i + 1} ({t.key}): {name} = {spec}: "
                                        f"{msg}") from None


def draw(pop: PopulationFile, base, rng: np.random.Generator, steps_hint: int | None = None):
    """Draw the population's groups: a list of GroupSettings (``base`` gives what no type sets),
    and each group's country and type, as arrays."""
    from normsim.world.groups import GroupSettings
    from normsim.params import bounds

    n = pop.groups
    shares = np.array([t.share for t in pop.type])
    counts = np.floor(shares * n).astype(int)
    for i in np.argsort(-(shares * n - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1  # largest remainders: the shares are met as closely as whole groups allow
    kinds = np.repeat(np.arange(len(pop.type)), counts)
    rng.shuffle(kinds)
    country = rng.integers(pop.countries, size=n)
    e = pop.emergence
    start = rng.integers(e.first_week, e.last_week + 1, size=n)
    start[: max(1, n // 10) if e.first_week == 0 else 0] = 0  # some groups are there at the start
    if e.lifetime is not None:
        life = np.maximum(MIN_LIFETIME, np.round(e.lifetime.draw(rng, n))).astype(int)
        end = start + life
    else:
        end = np.full(n, -1)
    values: dict[str, np.ndarray] = {}
    fields = GroupSettings.model_fields
    for k, t in enumerate(pop.type):
        idx = np.flatnonzero(kinds == k)
        for name, spec in _spreads(t).items():
            if not isinstance(spec, dict):
                continue
            lo, hi = bounds(GroupSettings, name)
            x = Spread.model_validate(spec).draw(rng, len(idx))
            x = np.clip(x, lo if lo is not None else -np.inf, hi if hi is not None else np.inf)
            arr = values.setdefault(name, np.full(n, np.nan))
            arr[idx] = x
    settings = []
    base_data = base.model_dump()
    for g in range(n):
        t = pop.type[kinds[g]]
        data = {**base_data, **preset(t.key), "type": t.key, "count": 1,
                "start_week": int(start[g]), "end_week": int(end[g])}
        for name, spec in _spreads(t).items():
            if isinstance(spec, dict):
                v = values[name][g]
                data[name] = int(round(v)) if fields[name].annotation is int else float(v)
            else:
                data[name] = spec
        settings.append(GroupSettings.model_validate(data))
    return settings, country, kinds


__all__ = ["PopulationFile", "load_population", "draw", "expected_size", "Literal"]


def expected_size(name_or_path: str | Path, base) -> tuple[int, int]:
    """How many groups a population file makes, and their mean number of fighters (for
    :mod:`normsim.settings.budget`'s estimates, before anything is drawn)."""
    pop = load_population(name_or_path)
    mean = 0.0
    for t in pop.type:
        spec = _spreads(t).get("fighters", preset(t.key).get("fighters", base.fighters))
        if isinstance(spec, dict):
            s = Spread.model_validate(spec)
            spec = s.mean if s.mean is not None else (s.min + s.max) / 2
        mean += t.share * float(spec)
    return pop.groups, max(1, int(round(mean)))
