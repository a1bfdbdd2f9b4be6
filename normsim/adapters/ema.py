"""EMA Workbench 3.0 over normsim: :func:`model` builds a ready ``ReplicatorModel``.

::

    from ema_workbench import MultiprocessingEvaluator, perform_experiments
    from normsim.adapters import ema

    m = ema.model(uncertainties=["group_people_war", ("persuader_contact_interval", 1, 16)],
                  levers=["persuader_principled"], outcomes=["final_compliance"],
                  replicates=5, root_seed=1, steps=260)
    experiments, results = perform_experiments(m, scenarios=50, policies=2)
    # results["final_compliance"]: one value per experiment (the mean over the replicates);
    # results["compliance_rate"], results["TIME"]: experiments x recorded weeks

Parameters are named as ``normsim parameters`` lists them, alone (the schema's range) or as
``(name, low, high)``; whole-number, switch and choice parameters become EMA's Integer,
Boolean and Categorical parameters. Every experiment runs the same replicate seeds, those of a
sweep with this root seed (:func:`normsim.seeds`: common random numbers). Everything here is
plain data and module-level classes, so it pickles for ``MultiprocessingEvaluator`` under
``spawn`` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

try:
    from ema_workbench import (ArrayOutcome, BooleanParameter, CategoricalParameter,
                               IntegerParameter, RealParameter, ReplicatorModel, ScalarOutcome)
except ImportError as err:  # an optional extra: say how to get it
    raise ImportError(f"normsim.adapters.ema needs EMA Workbench ({err}): "
                      "pip install 'normsim[ema]'") from err

from normsim.settings import arguments, budget
from normsim.errors import UserError
from normsim.sweeps.design import seeds
from normsim.settings.ranges import Range, Spec, parameter_range
from normsim.simulation.counterfactual import TWIN_COLUMNS
from normsim.simulation.outcomes import OUTCOMES
from normsim.simulation.outcomes import outcomes as reduce_outcomes
from normsim.simulation.records import GROUP_COLUMNS, primary
from normsim.simulation.run import run
from normsim.settings.scenario import ScenarioError, check_steps, from_flat, load
from normsim.settings.schema import Scenario

#: at most as many replicates as an experiment file allows (normsim.sweeps.experiment)
MAX_REPLICATES = 100_000
TIME = "TIME"  # the name EMA's time-series plots look for
#: time series offered by default: compliance, and its difference from the run's twin without
#: engagement (normsim.simulation.counterfactual), per recorded week over groups, on the first norm
DEFAULT_SERIES = ("compliance_rate", "engagement_effect_by_week")
DERIVED_SERIES = {"engagement_effect_by_week": ("compliance_rate", "compliance_counterfactual")}


@dataclass(frozen=True)
class Simulation:
    """What EMA calls for one replicate: ``Simulation(...)(seed=..., **parameters)`` runs normsim
    and returns the scalar outcomes and, per recorded week, the series (mean over groups)."""

    scenario: Scenario
    steps: int
    scalars: tuple[str, ...]
    series: tuple[str, ...]

    def __call__(self, seed: int, **params: Any) -> dict[str, Any]:
        table = run(params, seed=seed, steps=self.steps, scenario=self.scenario,
                    counterfactual=True)  # outcomes against the twin need it
        out: dict[str, Any] = reduce_outcomes(table, list(self.scalars)) if self.scalars else {}
        if self.series:
            first = primary(table)
            weekly = first.groupby("step")[[c for c in first.columns
                                            if c not in ("norm", "type", "stage_name")]].mean()
            for name in self.series:
                if name in DERIVED_SERIES:
                    a, b = DERIVED_SERIES[name]
                    out[name] = (weekly[a] - weekly[b]).to_numpy()
                else:
                    out[name] = weekly[name].to_numpy()
            out[TIME] = weekly.index.to_numpy()
        return out


def replicate_mean(values) -> Any:
    """The mean over replicates (a scalar, or a series week by week)."""
    return np.mean(np.asarray(values, dtype=float), axis=0)


def model(uncertainties: Iterable[Spec] = (), levers: Iterable[Spec] = (),
          outcomes: Iterable[str] | None = None, series: Iterable[str] | None = None, *,
          replicates: int = 1, root_seed: int = 0, steps: int | None = None,
          scenario: Scenario | str | Path | None = None, fixed: Mapping[str, Any] | None = None,
          name: str = "normsim") -> ReplicatorModel:
    """An EMA Workbench model of normsim.

    ``outcomes``: names from :data:`normsim.simulation.outcomes.OUTCOMES` (all of them when None);
    ``series``: columns of the tidy table recorded week by week (compliance, and the engagement
    effect where the model records it, when None; ``[]`` for none), with a ``TIME`` outcome.
    ``scenario`` (a shipped name, a file or a Scenario) and ``fixed`` (flat parameters) set
    everything not sampled; ``steps`` defaults to the scenario's. Each outcome is the mean over
    the ``replicates`` (EMA registers one outcome class per name in a process, so the same name
    cannot also hold every replicate; for the spread over replicates, run a sweep).

    Every argument is checked here, before EMA runs anything: a wrong one (``steps=0``,
    ``replicates="5"``, a single name where a list belongs, a model over the size budget)
    raises :class:`normsim.errors.UserError` naming it, the value and what is allowed.
    """
    scenario = arguments.scenario(scenario)
    if not isinstance(scenario, Scenario):
        scenario = load(scenario) if scenario is not None else Scenario()
    base = from_flat(arguments.parameters(fixed, "fixed"), base=scenario, origin="fixed")
    scalars = tuple(OUTCOMES if outcomes is None else arguments.names(outcomes, "outcomes"))
    series = tuple(DEFAULT_SERIES if series is None else arguments.names(series, "series"))
    _check_outcomes(scalars, series)
    replicates = arguments.whole(replicates, "replicates", 1, MAX_REPLICATES)
    root_seed = arguments.whole(root_seed, "root_seed", 0, arguments.MAX_SEED)
    steps = base.run.steps if steps is None else check_steps(steps)
    if not isinstance(name, str) or not name.isidentifier():
        raise UserError(f"name = {arguments.show(name)} is not allowed: expected a Python "
                        "identifier (letters, digits and _), e.g. 'normsim'")
    budget.check_run(base, steps, "ema.model", twin=True)
    sampled = {"uncertainties": [parameter_range(s) for s in
                                 arguments.specs(uncertainties, "uncertainties")],
               "levers": [parameter_range(s) for s in arguments.specs(levers, "levers")]}
    names = [r.name for group in sampled.values() for r in group]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(f"{', '.join(twice)} named more than once among uncertainties and "
                            "levers")

    simulation = Simulation(base, steps, scalars, series)
    ema_model = ReplicatorModel(name, function=simulation)
    ema_model.uncertainties = [ema_parameter(r) for r in sampled["uncertainties"]]
    ema_model.levers = [ema_parameter(r) for r in sampled["levers"]]
    ema_model.outcomes = ([ScalarOutcome(n, function=replicate_mean) for n in scalars]
                          + [ArrayOutcome(n, function=replicate_mean) for n in (*series, TIME)
                             if series])
    ema_model.replications = [{"seed": s} for s in seeds(root_seed, replicates)]
    return ema_model


def ema_parameter(r: Range):
    """EMA's parameter for a normsim parameter's range."""
    if r.kind == "int":
        return IntegerParameter(r.name, int(r.low), int(r.high))
    if r.kind == "float":
        return RealParameter(r.name, float(r.low), float(r.high))
    if r.kind == "bool" and set(r.choices) == {False, True}:
        return BooleanParameter(r.name)
    return CategoricalParameter(r.name, list(r.choices))


def _check_outcomes(scalars: tuple[str, ...], series: tuple[str, ...]) -> None:
    for n in scalars:
        if n not in OUTCOMES:
            raise ScenarioError(f"outcomes: '{n}' is not an outcome; outcomes are: "
                                + ", ".join(OUTCOMES))
    numbers = [c for c in GROUP_COLUMNS if c not in ("step", "group", "norm", "type",
                                                     "stage_name")]
    numbers += [*TWIN_COLUMNS.values(), *DERIVED_SERIES]
    for n in series:
        if n not in numbers:
            raise ScenarioError(f"series: '{n}' is not a recorded number; the tidy table records: "
                                + ", ".join(numbers))
    clash = set(scalars) & set(series)
    if clash:
        raise ScenarioError(f"{', '.join(sorted(clash))}: asked for as an outcome and as a series; "
                            "an EMA outcome name can be used once")
