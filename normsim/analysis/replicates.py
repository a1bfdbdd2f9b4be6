"""Two settings compared over several seeds, to answer a room's "is that luck?".

Each side runs the same seeds (one child of ``SeedSequence(root)`` each, as a sweep's
replicates). Per side: the trajectory of a column (running mean, pooled over groups) as its mean
over seeds with a 95% t-interval per week, and an outcome of each run (e.g. the final year's
compliance) with its mean and interval. The difference between the sides is estimated seed by
seed: the model draws each process from its own random stream, so two runs with one seed meet
the same luck where their settings do not matter (common random numbers), and the paired
difference is sharper than the two intervals suggest.

    >>> from normsim.settings.scenario import load, with_values
    >>> base = load("baseline")
    >>> c = compare(base, with_values(base, {"dialogue_principled": 0.0}, "right"), seeds=5)
    >>> c.left.estimate.mean, c.difference.low, c.difference.high
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from normsim.sweeps.design import seeds as replicate_seeds
from normsim.analysis.summaries import RUN, mean_ci, per_run, run_outcomes, trajectories
from normsim.simulation.model import NormDiffusionModel
from normsim.settings.schema import Scenario

SMOOTH = 8  # weeks in the running mean of the trajectories


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95% t-interval over ``n`` values."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def excludes_zero(self) -> bool:
        return bool(self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class Side:
    """One setting over the seeds."""

    runs: pd.DataFrame  # per seed (replicate) and step: the column's running mean, pooled
    band: pd.DataFrame  # per step: mean, ci_low, ci_high, n over the seeds
    outcomes: np.ndarray  # the outcome of each run, in seed order
    estimate: Estimate  # of the outcome


@dataclass(frozen=True)
class Comparison:
    left: Side
    right: Side
    difference: Estimate  # left minus right, paired by seed
    seeds: tuple[int, ...]
    weeks: int
    column: str
    outcome: str


@dataclass(frozen=True)
class Lineup:
    """Several settings side by side over the same seeds (two to four presets, say)."""

    sides: tuple[Side, ...]
    differences: tuple[Estimate, ...]  # the first side minus each other one, paired by seed
    seeds: tuple[int, ...]
    weeks: int
    column: str
    outcome: str


class Cancelled(Exception):
    """The comparison was called off before it finished (its settings changed)."""


def run_seeds(settings: Scenario, seeds: Sequence[int], weeks: int,
              on_run: Callable[[], None] | None = None,
              cancel: threading.Event | None = None) -> pd.DataFrame:
    """Run ``settings`` once per seed for ``weeks`` weeks; the records of all runs, with their
    ``replicate`` (position in ``seeds``) and ``seed``."""
    tables = []
    for replicate, seed in enumerate(seeds):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        model = NormDiffusionModel(rng=int(seed), settings=settings, agents=False)  # tables only
        model.run_model(weeks)
        tables.append(model.records().assign(replicate=replicate, seed=int(seed)))
        if on_run is not None:
            on_run()
    return pd.concat(tables, ignore_index=True)


def side(records: pd.DataFrame, column: str, outcome: str, smooth: int = SMOOTH) -> Side:
    """Summarise one side's runs (records of :func:`run_seeds`)."""
    runs = per_run(records.assign(condition=0))
    runs = runs.sort_values([*RUN, "step"], ignore_index=True)
    runs[column] = (runs.groupby(RUN)[column].rolling(smooth, min_periods=1).mean()
                    .reset_index(level=RUN, drop=True))
    band = trajectories(runs, column).drop(columns="condition")
    values = (run_outcomes(records.assign(condition=0))  # from each run's own rows (per group)
              .sort_values("replicate")[outcome].to_numpy(dtype=float))
    return Side(runs[[*RUN, "step", column]].drop(columns="condition"), band, values,
                Estimate(*mean_ci(values)))


def compare(left: Scenario, right: Scenario, seeds: int | Sequence[int] = 10,
            weeks: int | None = None, *, root: int | None = None,
            column: str = "compliance_rate", outcome: str = "final_compliance",
            smooth: int = SMOOTH, on_run: Callable[[], None] | None = None,
            cancel: threading.Event | None = None) -> Comparison:
    """Run ``left`` and ``right`` over the same seeds and compare them.

    ``seeds``: a number of seeds (drawn from ``root``, by default the left scenario's
    ``run.seed``) or the seeds themselves. ``weeks``: the left scenario's ``run.steps`` by
    default. ``outcome`` names one of :data:`normsim.simulation.outcomes.OUTCOMES`. ``on_run`` is called after
    each run (for progress); setting ``cancel`` stops at the next run with :class:`Cancelled`.
    """
    both = line_up([left, right], seeds, weeks, root=root, column=column, outcome=outcome,
                   smooth=smooth, on_run=on_run, cancel=cancel)
    return Comparison(*both.sides, both.differences[0], both.seeds, both.weeks, column, outcome)


def line_up(scenarios: Sequence[Scenario], seeds: int | Sequence[int] = 10,
            weeks: int | None = None, *, root: int | None = None,
            column: str = "compliance_rate", outcome: str = "final_compliance",
            smooth: int = SMOOTH, on_run: Callable[[], None] | None = None,
            cancel: threading.Event | None = None) -> Lineup:
    """Run each of ``scenarios`` over the same seeds; each one's outcome, and the first one's
    difference from each other one, paired by seed (arguments as :func:`compare`'s, whose two
    sides are a line-up of two)."""
    first = scenarios[0]
    if isinstance(seeds, int):
        seeds = replicate_seeds(first.run.seed if root is None else root, seeds)
    seeds = tuple(int(s) for s in seeds)
    weeks = first.run.steps if weeks is None else weeks
    sides = tuple(side(run_seeds(s, seeds, weeks, on_run, cancel), column, outcome, smooth)
                  for s in scenarios)
    differences = tuple(Estimate(*mean_ci(sides[0].outcomes - other.outcomes))
                        for other in sides[1:])
    return Lineup(sides, differences, seeds, weeks, column, outcome)
