"""One entry point that SALib, EMA Workbench, Dask, the sweep runner and the CLI all drive.

``run(params, seed) -> table`` (or ``run(seed=..., **params)``): plain parameters in (flat
keywords, see ``normsim parameters``), a tidy table out (one row per step and group). Nothing but
parameters and a seed crosses a process boundary. What a run leaves in a folder is
:mod:`normsim.analysis.saved_run`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from normsim.errors import UserError
from normsim.settings import arguments, budget
from normsim.settings.scenario import check_seed, check_steps, from_flat, load
from normsim.settings.schema import Scenario
from normsim.simulation.counterfactual import run_with_twin
from normsim.simulation.model import NormDiffusionModel


def run_model(params: Mapping[str, Any] | None = None, seed: int = 0, *, steps: int | None = None,
              scenario: Scenario | str | Path | None = None, counterfactual: bool = False,
              agents: bool = True, **keywords: Any) -> NormDiffusionModel:
    """Build a model from ``scenario`` (a Scenario, a shipped name or a file; defaults if None)
    with ``params`` and then ``keywords`` (flat parameter names) overriding it, seeded with
    ``seed``, and run it ``steps`` weeks (the scenario's ``run.steps`` if None). Returns the
    model, for its records and events.

    With ``counterfactual``, the run's twin without engagement (same settings and seed) runs
    too, and ``model.records()`` carries ``compliance_counterfactual``,
    ``violations_counterfactual`` and ``occasions_counterfactual``
    (:mod:`normsim.simulation.counterfactual`).

    Every argument is checked before the model is built: a bad one (``counterfactual="yes"``,
    a parameter name that is not text, a seed or steps out of range) raises
    :class:`normsim.UserError` naming it, the value and what is allowed, as does a model or a
    run over :mod:`normsim.settings.budget`; :class:`normsim.ScenarioError` is its kind for
    parameters.

    ``agents=False`` builds the Mesa agents only when asked for (``NormDiffusionModel``'s
    ``agents``): for a caller that reads only the records and events."""
    scenario = arguments.scenario(scenario)
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load(scenario)
    params = arguments.parameters(params)
    counterfactual = arguments.switch(counterfactual, "counterfactual")
    agents = arguments.switch(agents, "agents")
    seed = check_seed(seed)
    settings = from_flat({**params, **keywords}, base=scenario)
    steps = settings.run.steps if steps is None else check_steps(steps)
    budget.check_run(settings, steps, "model parameters", twin=counterfactual)
    model = NormDiffusionModel(rng=seed, settings=settings, agents=agents)
    if counterfactual:
        run_with_twin(model, steps)
    else:
        model.run_model(steps)
    return model


def run(params: Mapping[str, Any] | None = None, seed: int = 0, *, steps: int | None = None,
        scenario: Scenario | str | Path | None = None, counterfactual: bool = False,
        **keywords: Any) -> pd.DataFrame:
    """Run one simulation and return its tidy table (one row per recorded step, group and norm;
    with ``counterfactual``, the twin's compliance beside it).

    Parameters come as a mapping, as keywords, or both (keywords win):
    ``run({"group_centralisation": 0.3}, seed=1)`` is ``run(seed=1, group_centralisation=0.3)``,
    the form EMA Workbench calls. It builds no Mesa agents (only the table comes back);
    :func:`run_model` returns the model with them."""
    if "agents" in keywords:
        raise UserError("run() returns only the table and builds no agents: agents = "
                        f"{keywords['agents']!r} is not allowed here (run_model(..., agents=True) "
                        "returns the model with its agents)")
    return run_model(params, seed, steps=steps, scenario=scenario, counterfactual=counterfactual,
                     agents=False, **keywords).records()  # the table only: no Mesa agents built
