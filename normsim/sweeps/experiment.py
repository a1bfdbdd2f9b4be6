"""Experiment files and their designs: which runs a sweep makes.

An experiment is a TOML file in ``experiments/``: the question it asks in words, a base
scenario, the factors to vary (value lists for a full factorial; ranges for Latin hypercube,
Sobol (Saltelli) and Morris designs from SALib), parameters fixed for every run, the number of
replicates and steps, and how often to record. :func:`plan` turns it into plain data: a table
of conditions and a list of runs ``(run_id, condition, replicate, seed)``.

Seeds (:func:`seeds`): one child of ``numpy.random.SeedSequence(root_seed)`` per replicate,
shared by every condition (common random numbers: replicate r of every condition meets the same
random events, which sharpens comparisons). Children are prefix-stable, so raising the number of
replicates keeps the seeds of the replicates already run.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator,
                      model_validator)

from normsim.settings import arguments, budget
from normsim.errors import UserError
from normsim.sweeps.posterior import Draws, PosteriorSpec, applies, load_draws, resolve
from normsim.sweeps.provenance import content_hash
from normsim.simulation.outcomes import OUTCOMES
from normsim.settings.ranges import parameter_range
from normsim.settings.scenario import (ALL_SECTIONS, PARAMETERS, ScenarioError, allowed, from_flat, load,
                              locate, read_toml, shipped_folder, shipped_or_file, shown_value,
                              spell_out_sections, suggest, with_values)
from normsim.settings.schema import Scenario

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


@dataclass(frozen=True)
class Plan:
    """What a sweep does: conditions (one row each, flat parameter values) and runs."""

    experiment: Experiment
    scenario: Scenario
    conditions: pd.DataFrame  # index: condition id; columns: the varied flat parameters
    seeds: tuple[int, ...]  # one per replicate
    identity: str  # hash of everything that fixes the results except the number of replicates
    samples: np.ndarray | None = None  # SALib's sample matrix (sobol, morris), rows = conditions
    scenarios: dict | None = None  # name -> Scenario, when scenarios are a factor
    largest_run_bytes: float = 0.0  # memory of the largest run (normsim.settings.budget's estimate)
    draws: Draws | None = None  # the posterior each replicate draws from ([posterior])

    def base(self, condition: int) -> Scenario:
        """The scenario a condition starts from (the experiment's, or its scenario factor's)."""
        if self.scenarios is None:
            return self.scenario
        return self.scenarios[self.conditions.at[condition, SCENARIO_FACTOR]]

    @property
    def factor_names(self) -> list[str]:
        return list(self.conditions.columns)

    def runs(self) -> list[tuple[str, int, int, int]]:
        """(run_id, condition, replicate, seed) for every run, in a fixed order."""
        return [(run_id(c, r), c, r, self.seeds[r])
                for r in range(len(self.seeds)) for c in self.conditions.index]

    def task(self, condition: int, replicate: int) -> dict:
        """Everything a worker needs for one run, as plain data."""
        varied = {k: v for k, v in self.condition(condition).items() if k != SCENARIO_FACTOR}
        base = self.base(condition)
        drawn = {} if self.draws is None else {
            k: v for k, v in self.draws.values(replicate).items() if applies(k, base)}
        params = {**self.fixed_flat, **varied, **drawn,
                  "record_every": self.experiment.record_every}
        task = {"run_id": run_id(condition, replicate), "condition": int(condition),
                "replicate": int(replicate), "seed": int(self.seeds[replicate]),
                "scenario": base.model_dump(by_alias=True), "params": _plain(params),
                "steps": self.experiment.steps, "counterfactual": self.experiment.counterfactual}
        if self.experiment.lasting:
            task["lasting"] = True
        if self.draws is not None:
            task["drawn"] = self.draws.record(replicate)
        return task

    def condition(self, condition: int) -> dict:
        """The varied parameters of one condition, each with its own type (``.at`` keeps ints)."""
        return _plain({col: self.conditions.at[condition, col] for col in self.conditions.columns})

    @property
    def fixed_flat(self) -> dict:
        return {flat(k): v for k, v in self.experiment.fixed.items()}


def run_id(condition: int, replicate: int) -> str:
    return f"c{condition:05d}-r{replicate:04d}"


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


def plan(exp: Experiment) -> Plan:
    """The conditions, seeds and identity of an experiment; every condition is validated, and
    the design's size and each run's are checked against :mod:`normsim.settings.budget` first."""
    scenario = load(exp.scenario)
    scenarios = ({name: load(name) for name in exp.factors[SCENARIO_FACTOR].values}
                 if SCENARIO_FACTOR in exp.factors else None)
    draws = _draws(exp, scenario, scenarios)  # first: a bad posterior is refused at once
    names = [flat(k) for k in exp.factors]
    n = design_size(exp)
    budget.check_design(n * exp.replicates, n, exp.replicates, exp._source)
    samples = None
    if exp.design.kind == "factorial":
        rows = list(itertools.product(*(f.values for f in exp.factors.values())))
    else:
        samples = _sample(exp, names)
        rows = [tuple(_cast(n, v) for n, v in zip(names, row)) for row in samples]
    conditions = pd.DataFrame(rows, columns=names)
    conditions.index.name = "condition"
    fixed = {flat(k): v for k, v in exp.fixed.items()}
    largest = 0.0
    for c in conditions.index:  # every condition must be a valid scenario within the budget
        row = {col: conditions.at[c, col] for col in conditions.columns}
        base = scenarios[row.pop(SCENARIO_FACTOR)] if scenarios else scenario
        try:
            settings = from_flat({**fixed, **_plain(row), "record_every": exp.record_every},
                                 base=base, origin="experiment")
            budget.check_run(settings, exp.steps, "", twin=exp.counterfactual)
            # the lasting twin is one more model (counted with a run's whole records: it keeps
            # only the outcomes' columns, so this errs on the safe side)
            largest = max(largest, budget.run_bytes(settings, exp.steps, exp.counterfactual)
                          + (budget.run_bytes(settings, exp.steps) if exp.lasting else 0.0))
        except UserError as err:
            raise type(err)(f"{exp._source}: condition {c} is not valid "
                            f"({_condition_text(row)}): {err}") from None
    where = {"posterior": exp.posterior.model_copy(update={"file": ""})} if exp.posterior else {}
    identity = content_hash(exp.model_copy(update={"replicates": 0, **where}).model_dump_json()
                            + scenario.model_dump_json()
                            + "".join(v.model_dump_json() for v in (scenarios or {}).values()))
    if draws is not None:  # the posterior's content, not where it lies, fixes the results
        identity = content_hash(identity + draws.content)
    return Plan(exp, scenario, conditions, seeds(exp.root_seed, exp.replicates), identity, samples,
                scenarios, largest, draws)


def _draws(exp: Experiment, scenario: Scenario, scenarios: dict | None) -> Draws | None:
    if exp.posterior is None:
        return None
    taken = {flat(k): f"{where}.{k}" for where, keys in (("factors", exp.factors),
                                                          ("fixed", exp.fixed))
             for k in keys if k != SCENARIO_FACTOR}
    return load_draws(exp.posterior, Path(exp.posterior.file), exp._source,
                      scenarios or {exp.scenario: scenario}, taken, exp.root_seed)


def seeds(root_seed: int, n: int) -> tuple[int, ...]:
    """The seeds of replicates 0 .. n-1 of a sweep with this root seed: one child of
    ``SeedSequence(root_seed)`` each, as a non-negative 63-bit integer. Prefix-stable: the first
    seeds do not change when ``n`` grows.

    ``root_seed`` is a whole number from 0 to 2^63 - 1 (what an experiment file's ``root_seed``
    holds) and ``n`` one from 0 to the budget's most runs; anything else raises
    :class:`normsim.errors.UserError`."""
    root_seed = arguments.whole(root_seed, "root_seed", 0, arguments.MAX_SEED)
    n = arguments.whole(n, "n (the number of seeds)", 0, budget.MAX_RUNS)
    return tuple(int(s.generate_state(1, np.uint64)[0] >> np.uint64(1))
                 for s in np.random.SeedSequence(root_seed).spawn(n))


def design_size(exp: Experiment) -> int:
    """How many conditions the design makes, counted without building it."""
    d, n = len(exp.factors), exp.design.samples
    if exp.design.kind == "factorial":
        return math.prod(len(f.values) for f in exp.factors.values())
    return {"lhs": n, "sobol": n * (d + 2), "morris": n * (d + 1)}[exp.design.kind]


def _condition_text(row: Mapping) -> str:
    return ", ".join(f"{k} = {_plain({k: v})[k]!r}" for k, v in row.items())


def _cast(name: str, value: float):
    """A sampled value in the parameter's type (the rounding of normsim.salib_problem's rows)."""
    return parameter_range(name).cast(value)


def salib_problem(exp: Experiment) -> dict:
    """The SALib problem dict of a sampled design."""
    return {"num_vars": len(exp.factors), "names": [flat(k) for k in exp.factors],
            "bounds": [[f.min, f.max] for f in exp.factors.values()]}


def _sample(exp: Experiment, names: list[str]) -> np.ndarray:
    problem = salib_problem(exp)
    seed = exp.root_seed % (2**32)
    n = exp.design.samples
    if exp.design.kind == "lhs":
        # deferred: SALib is heavy; only a sampled design needs it
        from SALib.sample import latin
        return latin.sample(problem, n, seed=seed)
    if exp.design.kind == "sobol":
        # deferred: SALib is heavy; only a sampled design needs it
        from SALib.sample import sobol
        return sobol.sample(problem, n, calc_second_order=False, seed=seed)
    # deferred: SALib is heavy; only a sampled design needs it
    from SALib.sample import morris
    return morris.sample(problem, n, num_levels=exp.design.levels, seed=seed)
