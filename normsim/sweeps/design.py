"""A sweep's design: which runs an experiment makes (:func:`plan`), as plain data -- a table of
conditions and a list of runs ``(run_id, condition, replicate, seed)`` -- from an experiment
file read by :mod:`normsim.sweeps.experiment`.

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

import numpy as np
import pandas as pd

from normsim.errors import UserError
from normsim.settings import arguments, budget
from normsim.settings.ranges import parameter_range
from normsim.settings.scenario import from_flat, load
from normsim.settings.schema import Scenario
from normsim.sweeps.experiment import SCENARIO_FACTOR, Experiment, _plain, flat
from normsim.sweeps.posterior import Draws, applies, load_draws
from normsim.sweeps.provenance import content_hash


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
        """(run_id, condition, replicate, seed) for every run, in a fixed order: replicate by
        replicate, so that a batch of consecutive runs holds a replicate's conditions, which share
        its seed and, where they differ only in their engagers, its twin
        (:func:`normsim.sweeps.batch.run_batch`)."""
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
