"""Experiment files: what a sweep asks and varies (:mod:`normsim.sweeps.design` turns one into
its runs).

An experiment is a TOML file in ``experiments/``: the question it asks in words, a base
scenario, the factors to vary (value lists for a full factorial; ranges for Latin hypercube,
Sobol (Saltelli) and Morris designs from SALib), parameters fixed for every run, the number of
replicates and steps, and how often to record. :func:`normsim.sweeps.design.plan` turns it into
plain data: a table of conditions and a list of runs ``(run_id, condition, replicate, seed)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator,
                      model_validator)

from normsim.settings import arguments
from normsim.sweeps.posterior import PosteriorSpec, resolve
from normsim.simulation.outcomes import OUTCOMES
from normsim.settings.scenario import (ALL_SECTIONS, PARAMETERS, ScenarioError, allowed, load,
                              locate, read_toml, shipped_folder, shipped_or_file, shown_value,
                              spell_out_sections, suggest, with_values)

EXPERIMENT_DIR = shipped_folder("normsim.experiments")
DESIGNS = ("factorial", "lhs", "sobol", "morris")
#: a factor over whole scenarios: ``"scenario" = { values = ["deed_mines", "baseline"] }`` (e.g.
#: one scenario per kind of engager); every other factor and the fixed values apply to each
SCENARIO_FACTOR = "scenario"


class Factor(BaseModel):
    """A parameter to vary: ``values`` (factorial) or ``min`` and ``max`` (sampled designs)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    values: list[Any] | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        if self.values is None and (self.min is None or self.max is None):
            raise ValueError("give values = [...] or both min and max")
        if self.values is not None and len(self.values) == 0:
            raise ValueError("values is empty")
        if self.min is not None and self.max is not None and not self.min < self.max:
            raise ValueError(f"empty range: min = {self.min} must be below max = {self.max}")
        return self


class Design(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    kind: Literal["factorial", "lhs", "sobol", "morris"] = "factorial"
    samples: int = Field(16, ge=1, le=100_000, description="LHS: points; Sobol: base sample N "
                         "(runs N (D + 2): first and total order); Morris: trajectories "
                         "(runs r (D + 1))")
    levels: int = Field(4, ge=2, le=20, description="Morris grid levels")
    outcome: str = Field("final_compliance", description="the outcome sensitivity indices analyse")

    @field_validator("outcome")
    @classmethod
    def _known_outcome(cls, name: str) -> str:
        if name not in OUTCOMES:
            raise ValueError(f"not an outcome; choose one of: {', '.join(OUTCOMES)}")
        return name


class Expectation(BaseModel):
    """What an experiment expects, declared so that its report can say whether it held:
    ``outcome`` rises (or falls) from the lowest to the highest level of ``factor`` (levels in
    the order of their values, 'never' last), the other factors held at each of their levels.
    Not part of the experiment's identity: it changes the report, not the runs."""

    model_config = ConfigDict(extra="forbid", strict=True)
    says: str = Field(description="the expectation in words, as the question states it")
    factor: str
    direction: Literal["rises", "falls"]
    outcome: str = "final_compliance"

    @field_validator("outcome")
    @classmethod
    def _known_outcome(cls, name: str) -> str:
        return Design._known_outcome(name)


class Experiment(BaseModel):
    """A validated experiment file."""

    model_config = ConfigDict(extra="forbid", strict=True)
    title: str
    question: str
    scenario: str = "baseline"
    replicates: int = Field(10, ge=1, le=100_000)
    steps: int = Field(520, ge=1, le=100_000)
    record_every: int = Field(1, ge=1, le=10_000)
    root_seed: int = Field(0, ge=0, le=arguments.MAX_SEED)
    threshold: float = Field(0.9, ge=0, le=1, description="compliance level for time-to-threshold")
    counterfactual: bool = Field(True, description="run each run's twin without engagement, for "
                                 "the engagement effect and durability (normsim.simulation.counterfactual)")
    retention: bool = Field(False, description="run each run's lasting twin too (its engagement "
                            "never ends), for the outcome retention; on by itself when the "
                            "design's outcome is retention")
    design: Design = Design()
    posterior: PosteriorSpec | None = Field(None, description="draw each replicate's shared "
                                            "parameters from a posterior (normsim.sweeps.posterior)")
    factors: dict[str, Factor]
    fixed: dict[str, Any] = {}
    expect: list[Expectation] = Field([], exclude=True, description="expectations the report "
                                      "checks ([[expect]] tables)")
    _source: str = PrivateAttr("experiment")  # the file it was read from, for messages

    @property
    def lasting(self) -> bool:
        """Whether runs carry their lasting twin (for the outcome retention)."""
        return self.retention or self.design.outcome == "retention" or any(
            e.outcome == "retention" for e in self.expect)

    @model_validator(mode="after")
    def _factors_fit_the_design(self):
        if not self.factors:
            raise ValueError("factors: give at least one factor to vary")
        for name, factor in self.factors.items():
            if self.design.kind == "factorial" and factor.values is None:
                raise ValueError(f"factors.{name}: a factorial design needs values = [...]")
            if self.design.kind != "factorial" and (factor.min is None or factor.max is None):
                raise ValueError(f"factors.{name}: a {self.design.kind} design needs min and max")
        if self.lasting and not self.counterfactual:
            raise ValueError("retention needs each run's twin without engagement: set "
                             "counterfactual = true (or leave it out)")
        for e in self.expect:
            if e.factor not in self.factors:
                raise ValueError(f"expect: factor '{e.factor}' is not one of the factors "
                                 f"({', '.join(self.factors)})")
        return self


def flat(key: str) -> str:
    if key == SCENARIO_FACTOR:
        return key
    where = locate(key)
    return key if where is None else next(k for k, v in PARAMETERS.items() if v == where)


def _plain(d: Mapping) -> dict:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in d.items()}


# -- loading and validation --------------------------------------------------------------------

def experiment_path(name_or_path: str | Path) -> Path:
    """The file of a shipped experiment name (``h4_principles``) or of a path."""
    return shipped_or_file(name_or_path, EXPERIMENT_DIR, "experiment")


def load_experiment(name_or_path: str | Path, replicates: int | None = None,
                    steps: int | None = None, samples: int | None = None,
                    posterior: str | Path | None = None) -> tuple[Experiment, str]:
    """Validate an experiment file (with optional overrides); return it and its source text.

    ``samples`` overrides the design's sample size (LHS points, Sobol N, Morris trajectories);
    ``posterior`` the file of its ``[posterior]`` table (or adds one).
    """
    path = experiment_path(name_or_path)
    data, text = read_toml(path)
    given = {"replicates": replicates, "steps": steps, "design.samples": samples,
             "posterior.file": posterior}
    if posterior is not None:
        if not isinstance(data.get("posterior", {}), dict):
            raise ScenarioError(f"{path}: posterior = {data['posterior']!r} is not allowed with "
                                "--posterior: it must be a table ([posterior]) whose file the "
                                "option sets")
        data["posterior"] = {**data.get("posterior", {}), "file": str(posterior)}
    if replicates is not None:
        data["replicates"] = replicates
    if steps is not None:
        data["steps"] = steps
    if samples is not None:
        if not isinstance(data.get("design", {}), dict):
            raise ScenarioError(f"{path}: design must be a table ([design]), not {data['design']!r}")
        data.setdefault("design", {})["samples"] = samples
    for where in ("factors", "fixed"):
        if isinstance(data.get(where), dict):
            data[where] = _spell_out(data[where], where == "factors")
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as err:
        lines = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"] if not isinstance(p, int))
            msg = e["msg"].removeprefix("Value error, ")
            value = f" = {shown_value(e['input'])}" if not isinstance(e.get("input"), dict) else ""
            option = {"replicates": " (--replicates)", "steps": " (--steps)",
                      "design.samples": " (--samples)", "posterior.file": " (--posterior)"
                      }.get(loc, "") if given.get(loc) is not None else ""
            lines.append(f"{loc}{value}{option}: {msg}" if loc else msg)
        raise ScenarioError(f"{path}: " + "; ".join(dict.fromkeys(lines))) from None
    _check_parameters(exp, path)
    if not Path(exp.scenario).is_file() and (path.parent / exp.scenario).is_file():
        exp = exp.model_copy(update={"scenario": str(path.parent / exp.scenario)})
    if exp.posterior is not None and posterior is None:  # a file's path is relative to it
        found = str(resolve(exp.posterior.file, path))
        exp = exp.model_copy(update={"posterior": exp.posterior.model_copy(update={"file": found})})
    elif exp.posterior is not None:
        exp.posterior._option = True
    _check_values(exp, path)
    exp._source = str(path)
    return exp, text


def _check_values(exp: Experiment, path: Path) -> None:
    """Each listed value, over the base scenario and the fixed parameters, must be valid."""
    names = (exp.factors[SCENARIO_FACTOR].values if SCENARIO_FACTOR in exp.factors
             else [exp.scenario])
    for name in names:
        try:
            scenario = load(name)
        except ScenarioError as err:
            raise ScenarioError(f"{path}: scenario = '{name}': {err}") from None
        base = with_values(scenario, exp.fixed, f"{path}: fixed")
        for key, factor in exp.factors.items():
            for value in (factor.values or ()) if key != SCENARIO_FACTOR else ():
                with_values(base, {key: value}, f"{path}: factors.{key} (scenario '{name}')")


def _spell_out(table: dict, factors: bool) -> dict:
    """Unquoted dotted keys (``group.fighters = ...``) are nested tables in TOML: spell them out
    as the quoted key they mean. A factor's own table (values, min, max) stays as it is."""
    nested = {k: v for k, v in table.items()
              if not (factors and isinstance(v, dict) and {"values", "min", "max"} & set(v))}
    return {**spell_out_sections(nested), **{k: v for k, v in table.items() if k not in nested}}


#: what sets each run setting in an experiment, instead of a factor or a fixed value
RUN_SETTINGS = {"steps": "steps = N at the top of the file (or --steps)",
                "seed": "the replicates' seeds, spawned from root_seed = N at the top of the file",
                "record_every": "record_every = N at the top of the file"}


def _check_parameters(exp: Experiment, path: Path) -> None:
    if SCENARIO_FACTOR in exp.factors and (exp.factors[SCENARIO_FACTOR].values is None
                                           or exp.design.kind != "factorial"):
        raise ScenarioError(f"{path}: factors.{SCENARIO_FACTOR} takes a list of scenario names "
                            "(values = [...]) and a factorial design")
    seen: dict[tuple[str, str], str] = {}
    for where, keys in (("factors", exp.factors), ("fixed", exp.fixed)):
        for key in keys:
            if key == SCENARIO_FACTOR and where == "factors":
                continue
            found = locate(key)
            if found is None:
                raise ScenarioError(f"{path}: {where}.{key} is not a model parameter{suggest(key)}; "
                                    "see 'normsim parameters'.")
            if found[0] == "run":
                raise ScenarioError(f"{path}: {where}.{key} cannot be set under [{where}]: it is "
                                    f"set by {RUN_SETTINGS.get(found[1], 'the top of the file')}.")
            if found in seen:
                raise ScenarioError(f"{path}: {where}.{key} and {seen[found]} name the same "
                                    f"parameter ({found[0]}.{found[1]}); give it once.")
            seen[found] = f"{where}.{key}"
    for key, factor in exp.factors.items():
        if key == SCENARIO_FACTOR:
            continue
        section, field = locate(key)
        info = ALL_SECTIONS[section].model_fields[field]
        if factor.values is None:
            if info.annotation is bool:
                raise ScenarioError(f"{path}: factors.{key} is true or false: give values = "
                                    "[false, true] and a factorial design")
            lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
            hi = next((m.le for m in info.metadata if hasattr(m, "le")), None)
            if (lo is not None and factor.min < lo) or (hi is not None and factor.max > hi):
                raise ScenarioError(f"{path}: factors.{key} range [{factor.min}, {factor.max}] is "
                                    f"not allowed: {key} takes {allowed(section, field)}")
