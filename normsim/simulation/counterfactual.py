"""Every run beside its twin: the same scenario, the same seed, no engagement.

Outcomes a study reports are effects against a counterfactual (:mod:`normsim.simulation.outcomes`). The
twin of a run has the same settings and seed with every engager removed; its random streams
(:class:`normsim.world.view.RandomStreams`) keep the environment, setbacks, leadership changes and
turnover in step with the run's, so the difference between the two is the engagement's effect
with little noise. A scenario without engagers is its own twin: its effect is exactly 0.
"""

from __future__ import annotations

import pandas as pd

from normsim.settings.schema import Scenario

KEYS = ["step", "group", "norm"]
#: columns of the twin kept beside the run's, renamed with this suffix
TWIN_COLUMNS = {"compliance_rate": "compliance_counterfactual",
                "violations": "violations_counterfactual",
                "occasions": "occasions_counterfactual"}


def twin_settings(settings: Scenario) -> Scenario:
    """The same scenario without engagers."""
    return settings.model_copy(update={"engagers": []})


def with_twin(records: pd.DataFrame, twin: pd.DataFrame) -> pd.DataFrame:
    """``records`` with the twin's compliance and violations beside them."""
    kept = twin[KEYS + list(TWIN_COLUMNS)].rename(columns=TWIN_COLUMNS)
    out = records.merge(kept, on=KEYS, how="left", validate="one_to_one", sort=False)
    return out


def run_twin(model_cls, settings: Scenario, seed: int, steps: int) -> pd.DataFrame:
    """Run the twin of a run (``settings`` already resolved) and return its records."""
    twin = model_cls(rng=seed, settings=twin_settings(settings))
    twin.run_model(steps)
    return twin.records()
