"""One entry point that SALib, EMA Workbench, Dask, the sweep runner and the CLI all drive.

``run(params, seed) -> table``: plain parameters in (flat keywords, see ``normsim parameters``),
a tidy table out (one row per step and group). Nothing but parameters and a seed crosses a
process boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from normsim.model import NormDiffusionModel
from normsim.scenario import load
from normsim.schema import Scenario


def run_model(params: Mapping[str, Any] | None = None, seed: int = 0, *, steps: int | None = None,
              scenario: Scenario | str | Path | None = None) -> NormDiffusionModel:
    """Build a model from ``scenario`` (a Scenario, a shipped name or a file; defaults if None)
    with ``params`` overriding it, seeded with ``seed``, and run it ``steps`` weeks (the
    scenario's ``run.steps`` if None). Returns the model, for its records and events."""
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load(scenario)
    model = NormDiffusionModel(rng=seed, settings=scenario, **dict(params or {}))
    model.run_model(steps)
    return model


def run(params: Mapping[str, Any] | None = None, seed: int = 0, *, steps: int | None = None,
        scenario: Scenario | str | Path | None = None) -> pd.DataFrame:
    """Run one simulation and return its tidy table (one row per recorded step and group)."""
    return run_model(params, seed, steps=steps, scenario=scenario).records()
