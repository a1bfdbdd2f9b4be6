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
    people_war = { mean = 0.85, sd = 0.08 }     # drawn per group, tails clipped to the range
    fighters = { min = 100, max = 600 }         # uniform; whole numbers for whole-number fields
    aspiration = 0.7                            # a single value: every group of the type
    [emergence]
    first_week = 0
    last_week = 520                             # groups emerge uniformly over these weeks
    lifetime = { mean = 780, sd = 260 }         # weeks each group lasts (at least 52)

Every setting is checked when the file is read, before anything runs: a single value as the
scenario checks it, a spread's mean, min and max inside the setting's range (they are refused,
not clipped; only a normal spread's tails are clipped when drawn), a lifetime's mean or min at
least 52 weeks, and an engager's ``groups`` against the number of groups the file makes.

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

from normsim.params import bounds
from normsim.settings.reading import ScenarioError, _show, allowed_in, read_validated, shipped_or_file
from normsim.world.groups import GroupSettings
from normsim.world.typology import TYPES, preset

POPULATION_DIR = Path(__file__).resolve().parents[2] / "populations"
MIN_LIFETIME = 52
#: the longest run (run.steps' upper bound): no group's end lies beyond it
MAX_WEEKS = 100_000


class Spread(BaseModel):
    """How one setting varies within a type: normal (``mean``, ``sd``) or uniform (``min``,
    ``max``), clipped to the setting's declared range."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    mean: float | None = Field(None, allow_inf_nan=False)
    sd: float = Field(0.0, ge=0, allow_inf_nan=False)
    min: float | None = Field(None, allow_inf_nan=False)
    max: float | None = Field(None, allow_inf_nan=False)

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
        life = self.lifetime
        centre = None if life is None else (life.mean if life.mean is not None else life.min)
        if centre is not None and centre < MIN_LIFETIME:
            # refused, not clipped: a lifetime of -5 weeks is a mistake, not a short-lived group
            which = "mean" if life.mean is not None else "min"
            raise ValueError(f"lifetime: {which} = {centre:g} weeks is not allowed: a group lasts "
                             f"at least {MIN_LIFETIME} weeks (shorter draws are raised to it), so "
                             f"the {which} must be {MIN_LIFETIME} or more")
        top = None if life is None else (life.mean if life.mean is not None else life.max)
        if top is not None and top > MAX_WEEKS:
            which = "mean" if life.mean is not None else "max"
            raise ValueError(f"lifetime: {which} = {top:g} weeks is not allowed: no run is longer "
                             f"than {MAX_WEEKS} weeks, so the {which} must be {MAX_WEEKS} or less")
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

    return shipped_or_file(name_or_path, POPULATION_DIR, "population")


def load_population(name_or_path: str | Path) -> PopulationFile:
    """Load and validate a population file (or a shipped name); ScenarioError if it is bad."""

    path = population_path(name_or_path)
    pop, _ = read_validated(path, PopulationFile)
    _check_spreads(pop, path)
    return pop


def _spreads(t: TypeShare) -> dict[str, Any]:
    return {k: v for k, v in (t.model_extra or {}).items()}


def _check_spreads(pop: PopulationFile, path: Path) -> None:
    """Every setting a type gives, single value or spread, checked against the group setting's
    declared type and range before anything is drawn (a spread's tails are clipped to the range
    when drawn; its centre and bounds must lie inside it)."""

    for i, t in enumerate(pop.type):
        for name, spec in _spreads(t).items():
            problem = _setting_problem(name, spec)
            if problem:
                raise ScenarioError(f"{path}: type {i + 1} ({t.key}): {problem}")


SPREAD_WORDS = "or a spread: { mean = ..., sd = ... } or { min = ..., max = ... }"


def _setting_problem(name: str, spec: Any) -> str | None:
    """What is wrong with one type's setting (a single value or a spread), in words; None if
    nothing."""

    fields = GroupSettings.model_fields
    if name not in fields or name in ("count", "type", "start_week", "end_week"):
        return (f"'{name}' is not a group setting a population can spread; see 'normsim "
                "parameters group'")
    numeric = fields[name].annotation in (int, float)
    if not isinstance(spec, dict):
        try:
            GroupSettings.model_validate({name: spec})
        except ValidationError:
            return (f"{name} = {_show(spec)} is not allowed: expected {allowed_in(GroupSettings, name)}"
                    + (f", {SPREAD_WORDS}" if numeric else ""))
        return None
    shown = "{ " + ", ".join(f"{k} = {_show(v)}" for k, v in spec.items()) + " }"
    if not numeric:
        return (f"{name} = {shown} is not allowed: {name} takes {allowed_in(GroupSettings, name)}, a "
                "single value (only numbers can spread)")
    try:
        spread = Spread.model_validate(spec)
    except ValidationError as err:
        e = err.errors()[0]
        field = ".".join(str(p) for p in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        return f"{name} = {shown} is not allowed: {field + ': ' if field else ''}{msg}"
    lo, hi = bounds(GroupSettings, name)
    for key in ("mean", "min", "max"):
        v = getattr(spread, key)
        if v is not None and ((lo is not None and v < lo) or (hi is not None and v > hi)):
            # refused, not clipped: a centre or bound outside the range is a mistake
            return (f"{name} = {shown} is not allowed: {key} = {v:g} is outside the range of "
                    f"{name}, which takes {allowed_in(GroupSettings, name)}")
    return None


def group_count(name_or_path: str | Path) -> int:
    """How many groups a population file makes (ScenarioError if the file is bad)."""
    return load_population(name_or_path).groups


def draw(pop: PopulationFile, base, rng: np.random.Generator, steps_hint: int | None = None):
    """Draw the population's groups: a list of GroupSettings (``base`` gives what no type sets),
    and each group's country and type, as arrays."""

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
        end = np.minimum(start + life, MAX_WEEKS)  # a normal's long tail ends with the longest run
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


__all__ = ["PopulationFile", "load_population", "draw", "expected_size", "group_count", "Literal"]


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
