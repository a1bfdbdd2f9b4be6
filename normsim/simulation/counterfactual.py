"""Every run beside its twin: the same scenario, the same seed, no engagement.

Outcomes a study reports are effects against a counterfactual (:mod:`normsim.simulation.outcomes`). The
twin of a run has the same settings and seed with every engager removed; its random streams
(:class:`normsim.world.view.RandomStreams`) keep the environment, setbacks, leadership changes and
turnover in step with the run's, so the difference between the two is the engagement's effect
with little noise. A scenario without engagers is its own twin: its effect is exactly 0.

The twin costs less than a second run (:func:`run_with_twin`). Until the first week an engager
is active, the run and its twin are the same model to the bit (an engager that has not started
touches only its own record and the ``meetings`` stream, which only engagers draw), so the twin
is not built and run again: it is a copy of the run taken just before that week, without its
engagers, continued from there; and it records only what :data:`TWIN_COLUMNS` needs. A test
(``tests/test_counterfactual.py``) checks that its rows equal those of a twin built and run on
its own.
"""

from __future__ import annotations

import copy

import pandas as pd

from normsim.settings import budget
from normsim.settings.scenario import check_steps
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
    """Build and run the twin of a run on its own (``settings`` already resolved) and return its
    records (the reference :func:`run_with_twin` is tested against)."""
    twin = model_cls(rng=seed, settings=twin_settings(settings))
    twin.run_model(steps)
    return twin.records()


def first_active_week(settings: Scenario) -> int | None:
    """The first week any engager can act (None without engagers)."""
    return min((e.start_week for e in settings.engagers), default=None)


def fork_twin(model):
    """The twin of ``model`` as it stands: a copy without engagers that records only the
    outcomes' columns. Exact only before any engager has been active (:func:`run_with_twin`)."""
    twin = copy.deepcopy(model)
    for agent in twin.engager_agents:
        agent.remove()
    twin.engager_agents, twin._engager_set = [], None
    twin.settings = twin_settings(model.settings)
    twin.outcomes_only = True
    return twin


def run_with_twin(model, steps: int | None = None) -> None:
    """Run ``model`` (just built) ``steps`` weeks beside its twin without engagement, and attach
    the twin's records (:meth:`NormDiffusionModel.attach_twin`). The twin shares every week
    before the first an engager is active; a model without engagers is its own twin."""
    steps = model.settings.run.steps if steps is None else check_steps(steps)
    budget.check_run(model.settings, steps, "model parameters", twin=True)
    first = first_active_week(model.settings)
    if first is None:
        model.run_model(steps)
        model.attach_twin(model.records())
        return
    shared = min(steps, max(0, first - 1))  # weeks 1 .. first - 1: no engager acts
    for _ in range(shared):
        model.step()
    twin = fork_twin(model)
    for m in (model, twin):
        for _ in range(steps - shared):
            m.step()
        m.collect()
    model.attach_twin(twin.twin_records())
