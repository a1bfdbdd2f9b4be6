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

**The lasting twin** (for the outcome ``retention``): the same run whose engagement never ends
-- every engager's ``end_week`` set to -1, the same seed. It is the run itself until the first
week an engager would have stopped (an engager's end week changes nothing before it: only
:meth:`normsim.engagers.base.Engager.active` reads it), so it too is a copy forked from the run
just before that week, and it records only :data:`LASTING_COLUMNS`. Without an engager that
ends, it is the run.
"""

from __future__ import annotations

import copy

import pandas as pd

from normsim.params import NEVER

from normsim.settings import budget
from normsim.settings.scenario import check_steps
from normsim.settings.schema import Scenario

KEYS = ["step", "group", "norm"]
#: columns of the twin kept beside the run's, renamed with this suffix
TWIN_COLUMNS = {"compliance_rate": "compliance_counterfactual",
                "violations": "violations_counterfactual",
                "occasions": "occasions_counterfactual"}
#: a scenario's fields no run reads (words for people)
UNREAD = {"title", "description"}
#: columns of the lasting twin kept beside the run's (its engagement never ends)
LASTING_COLUMNS = {"violations": "violations_lasting", "occasions": "occasions_lasting"}


def twin_settings(settings: Scenario) -> Scenario:
    """The same scenario without engagers."""
    return settings.model_copy(update={"engagers": []})


def with_twin(records: pd.DataFrame, twin: pd.DataFrame) -> pd.DataFrame:
    """``records`` with the twin's compliance and violations beside them (and the lasting
    twin's, where ``twin`` carries them: :func:`run_with_twin`)."""
    lasting = [c for c in LASTING_COLUMNS.values() if c in twin]
    kept = twin[KEYS + list(TWIN_COLUMNS) + lasting].rename(columns=TWIN_COLUMNS)
    out = records.merge(kept, on=KEYS, how="left", validate="one_to_one", sort=False)
    return out


def lasting_settings(settings: Scenario) -> Scenario:
    """The same scenario with every engagement lasting to the end of the run."""
    return settings.model_copy(update={"engagers": [
        e.model_copy(update={"end_week": NEVER}) for e in settings.engagers]})


def first_end_week(settings: Scenario) -> int | None:
    """The first week an engager stops (None if none ever does)."""
    return min((e.end_week for e in settings.engagers if e.end_week != NEVER), default=None)


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


def fork_lasting(model):
    """The lasting twin of ``model`` as it stands: a copy whose engagement never ends, recording
    only the outcomes' columns. Exact only before any engager has stopped (:func:`run_with_twin`)."""
    twin = copy.deepcopy(model)
    for agent in twin.engager_agents:
        agent.settings = agent.settings.model_copy(update={"end_week": NEVER})
    twin.settings = lasting_settings(model.settings)
    twin.outcomes_only = True
    return twin


def twin_key(model, steps: int) -> str | None:
    """Everything the twin of ``model`` (just built) run ``steps`` weeks depends on: its settings
    without engagers (leaving out the scenario's title and description, which no run reads), its
    seed and the weeks (None when the model was seeded with a Generator, whose twin cannot be
    named). Runs that differ only in their engagers -- a sweep's conditions over an engager's
    settings, or its arms of one scenario per kind of engager, replicate by replicate (common
    random numbers) -- have the same twin."""
    if model.seed is None:
        return None
    return twin_key_of(model.settings, model.seed, steps)


def twin_key_of(settings: Scenario, seed: int, steps: int) -> str:
    """:func:`twin_key` of a run of ``settings`` with ``seed``, run ``steps`` weeks."""
    return f"{seed} {steps} {twin_settings(settings).model_dump_json(exclude=UNREAD)}"


def run_with_twin(model, steps: int | None = None, lasting: bool = False,
                  twins: dict[str, pd.DataFrame] | None = None) -> None:
    """Run ``model`` (just built) ``steps`` weeks beside its twin without engagement, and attach
    the twin's records (:meth:`NormDiffusionModel.attach_twin`). The twin shares every week
    before the first an engager is active; a model without engagers is its own twin.

    With ``lasting``, the lasting twin (engagement never ends) runs too, forked just before the
    first week an engager stops, and its violations and occasions are attached beside the
    twin's (:data:`LASTING_COLUMNS`); a model whose engagers never stop is its own lasting
    twin.

    ``twins`` (a dict the caller keeps, keyed by :func:`twin_key`) holds twins already run: a
    run whose twin is there does not run it again, and a twin run here is added to it. The rows
    are the same either way (a forked twin's rows are a twin's run on its own:
    ``tests/test_counterfactual.py``)."""
    steps = model.settings.run.steps if steps is None else check_steps(steps)
    budget.check_run(model.settings, steps, "model parameters", twin=True)
    first = first_active_week(model.settings)
    if first is None:
        model.run_model(steps)
        twin = model.records()
        model.attach_twin(_with_lasting(twin, twin) if lasting else twin)
        return
    key = twin_key(model, steps) if twins is not None else None
    known = twins.get(key) if key is not None else None
    models = [model]
    twin = None
    if known is None:
        shared = min(steps, max(0, first - 1))  # weeks 1 .. first - 1: no engager acts
        for _ in range(shared):
            model.step()
        twin = fork_twin(model)
        models.append(twin)
    ending = first_end_week(model.settings) if lasting else None
    lasting_twin = None
    if lasting and ending is not None:  # weeks .. ending - 1: every engager still acts as before
        for m in models:
            for _ in range(min(steps, ending - 1) - m.steps):
                m.step()
        lasting_twin = fork_lasting(model)
        models.append(lasting_twin)
    for m in models:
        for _ in range(steps - m.steps):
            m.step()
        m.collect()
    if twin is not None:
        known = twin.twin_records()
        if key is not None:
            twins[key] = known
    if not lasting:
        model.attach_twin(known)
        return
    kept = lasting_twin if lasting_twin is not None else model
    model.attach_twin(_with_lasting(known, kept.twin_records()))


def _with_lasting(twin: pd.DataFrame, lasting: pd.DataFrame) -> pd.DataFrame:
    """The twin's records with the lasting twin's violations and occasions beside them."""
    extra = lasting[KEYS + list(LASTING_COLUMNS)].rename(columns=LASTING_COLUMNS)
    return twin.merge(extra, on=KEYS, how="left", validate="one_to_one", sort=False)
