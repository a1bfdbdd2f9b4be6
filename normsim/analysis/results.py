"""A sweep's results as pandas tables, in one call: ``load(out)``.

Built on :mod:`normsim.sweeps.store` (reading) and :mod:`normsim.analysis.summaries` (estimates): the
same per-run pooling, outcomes, time to threshold, effects and sensitivity indices as
``normsim summarize``, plus the raw tables the figures need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from normsim.analysis import summaries as S
from normsim.analysis.labels import condition_text, factor_label, value_text, words
from normsim.settings.scenario import PARAMETERS, ScenarioError, locate
from normsim.sweeps.readers import read_conditions, read_events, read_manifest, read_runs, read_samples

MAX_SERIES = 8  # more conditions than this are pooled (or split by --factor) in time figures
CONTINUOUS = 6  # a factor with more distinct values than this is binned into thirds


@dataclass
class Results:
    """Every table of one sweep folder. Runs are keyed by ``condition`` and ``replicate``."""

    out: Path
    manifest: dict  #: title, question, design, factors, fixed, steps, threshold, provenance ...
    conditions: pd.DataFrame  #: index condition; one column per factor (flat parameter names)
    records: pd.DataFrame  #: every run's tidy table: one row per run, recorded week and group
    runs: pd.DataFrame  #: one row per run and recorded week, pooled over groups
    outcomes: pd.DataFrame  #: one row per run: outcomes, weeks_to_threshold, factor values
    effects: pd.DataFrame  #: one row per condition: factor values, outcomes with 95% CIs
    events: pd.DataFrame  #: every run's event log
    threshold: float  #: compliance level for time to threshold and 'high' in discovery
    samples: pd.DataFrame | None = None  #: SALib's sample (Sobol, Morris)
    sensitivity: pd.DataFrame | None = None  #: SALib indices, once every sample point has run
    extra: dict = field(default_factory=dict)

    @property
    def factors(self) -> list[str]:
        return list(self.manifest["factors"])

    @property
    def design(self) -> str:
        return self.manifest["design"]

    @property
    def record_every(self) -> int:
        return int(self.manifest.get("record_every", 1))

    @property
    def finished(self) -> int:
        return len(self.outcomes)

    @property
    def planned(self) -> int:
        return int(self.manifest.get("runs", self.finished))

    def factor(self, name: str) -> str:
        """The flat name of a factor of this sweep (dotted or flat spelling accepted)."""
        where = locate(name)
        flat = next((k for k, v in PARAMETERS.items() if v == where), name) if where else name
        if flat not in self.factors:
            known = ", ".join(f"{dotted(f)} ({words(f)})" for f in self.factors)
            raise ScenarioError(f"'{name}' is not a factor of the sweep in {self.out}; its "
                                f"factors are: {known}.")
        return flat

    def is_continuous(self, name: str) -> bool:
        return self.conditions[name].nunique() > CONTINUOUS

    def series(self, factors=()) -> pd.Series:
        """A label per run, naming the series it belongs to in time figures.

        With ``factors``: their levels (continuous factors binned into thirds), pooling the
        others. Without: in a factorial design the condition (the first factor's level when
        there are more than :data:`MAX_SERIES` conditions); in a sampled design one series of
        all runs. An ordered categorical indexed by (condition, replicate).
        """
        runs = self.outcomes.set_index(["condition", "replicate"]).index
        names = [self.factor(f) for f in factors]
        if not names:
            if self.design != "factorial":
                return pd.Series(pd.Categorical(["all runs"] * len(runs)), index=runs)
            names = self.factors if len(self.conditions) <= MAX_SERIES else self.factors[:1]
        table = self.conditions.loc[runs.get_level_values("condition"), names]
        keys, texts = [], []
        for name in names:
            col = table[name]
            if self.is_continuous(name):
                codes = pd.qcut(col.astype(float), 3, labels=False, duplicates="drop")
                span = col.groupby(codes.to_numpy()).agg(["min", "max"])
                keys.append(codes.to_numpy())
                texts.append([f"{words(name)}: {value_text(name, span.at[c, 'min'])}–"
                              f"{value_text(name, span.at[c, 'max'])}" for c in codes])
            else:
                keys.append(_order_key(col))
                texts.append([f"{words(name)}: {value_text(name, v)}" for v in col])
        label = [", ".join(parts) for parts in zip(*texts)]
        order = np.lexsort(keys[::-1])
        categories = list(dict.fromkeys(np.asarray(label)[order]))
        return pd.Series(pd.Categorical(label, categories=categories, ordered=True), index=runs)

    def with_series(self, table: pd.DataFrame, factors=()) -> pd.DataFrame:
        """``table`` (keyed by condition and replicate) with a ``series`` column."""
        s = self.series(factors)
        idx = pd.MultiIndex.from_frame(table[["condition", "replicate"]])
        return table.assign(series=pd.Categorical(s.reindex(idx).to_numpy(),
                                                  categories=s.cat.categories, ordered=True))

    def condition_label(self, condition: int, short: bool = True) -> str:
        row = self.conditions.loc[condition]
        return condition_text(self.factors, [row[f] for f in self.factors], short)


def load(out: str | Path, threshold: float | None = None) -> Results:
    """Read a sweep folder and compute its estimates (the folder must hold finished runs).

    ``threshold``: compliance level for time to threshold and for 'high compliance' in scenario
    discovery (default: the experiment's).
    """
    out = Path(out)
    manifest = read_manifest(out)
    threshold = float(manifest["threshold"] if threshold is None else threshold)
    records, conditions, samples = read_runs(out), read_conditions(out), read_samples(out)
    est = S.estimates(records, conditions, manifest, threshold, samples)
    return Results(
        out=out, manifest=manifest, conditions=conditions, records=records, runs=est["runs"],
        outcomes=est["outcomes"], effects=est["effects"], events=read_events(out),
        threshold=threshold, samples=samples, sensitivity=est["sensitivity"])


def dotted(flat: str) -> str:
    """A flat parameter name in a file's dotted spelling: ``group_people_war`` -> ``group.people_war``."""
    section, fld = PARAMETERS.get(flat, (None, flat))
    return fld if section in (None, "hypotheses", "run") else f"{section}.{fld}"


def _order_key(col: pd.Series) -> np.ndarray:
    """Sort levels by value, with -1 weeks ('never') last; texts (a scenario, a group type) in
    the order the experiment lists them."""
    if not pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return pd.Categorical(col, categories=list(dict.fromkeys(col))).codes.astype(float)
    values = col.astype(float).to_numpy()
    return np.where(values == -1, np.inf, values)


__all__ = ["Results", "load", "factor_label", "MAX_SERIES"]
