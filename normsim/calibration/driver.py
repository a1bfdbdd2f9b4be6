"""Run an ABC-SMC calibration with pyabc, resumably, locally or on Dask; then predict.

One simulation: the calibration's scenario with the fixed and sampled parameters, run from
``start_year`` to the end of ``fit_until``; its summary statistics are the cumulative numbers of
groups committed to the norm at each observed date, divided by the observed counts (so each
point weighs alike); the observed statistics are all 1. A simulation's seed is a hash of its
parameter values and the root seed, so any particle can be rerun exactly. pyabc's own database
(``OUT/abc.db``) holds every generation: rerunning the same command resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from normsim.calibration.spec import CalibrationFile

DB_NAME = "abc.db"


@dataclass(frozen=True)
class Simulator:
    """A picklable simulation function for pyabc: plain data in, summary statistics out."""

    scenario: dict  # the scenario with the fixed parameters, as plain data
    norm: str
    weeks: tuple[int, ...]  # observed dates (model weeks) to read
    counts: tuple[float, ...]  # the observed counts there
    steps: int
    record_every: int
    root_seed: int
    integers: tuple[str, ...]  # parameters that take whole numbers

    def params(self, theta: dict) -> dict:
        return {k: int(round(v)) if k in self.integers else float(v) for k, v in theta.items()}

    def seed(self, theta: dict) -> int:
        text = json.dumps([self.root_seed, sorted(self.params(theta).items())])
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1

    def curve(self, theta: dict, steps: int | None = None, seed: int | None = None) -> pd.DataFrame:
        """The cumulative signatories over time for one parameter set."""
        from normsim.analysis.population import signatories
        from normsim.simulation.model import NormDiffusionModel
        from normsim.settings.scenario import validate

        settings = validate(self.scenario, "calibration")
        model = NormDiffusionModel(rng=self.seed(theta) if seed is None else seed,
                                   settings=settings, record_every=self.record_every,
                                   **self.params(theta))
        model.run_model(steps or self.steps)
        curve = signatories(model.records(), by=())
        return curve[curve["norm"] == self.norm][["step", "signatories"]].reset_index(drop=True)

    def __call__(self, theta: dict) -> dict:
        curve = self.curve(dict(theta))
        at = np.interp(self.weeks, curve["step"], curve["signatories"])
        return {f"r{i}": float(v / c) for i, (v, c) in enumerate(zip(at, self.counts))}


def simulator(spec: CalibrationFile) -> tuple[Simulator, pd.DataFrame, pd.DataFrame]:
    """The simulator, the fitted observations and the held-out ones."""
    from normsim.settings.data import observed
    from normsim.settings.scenario import ALL_SECTIONS, flat_name, load, locate, with_values

    points = observed(spec.data.file, spec.data.norm, spec.start_year, spec.data.pledge_type,
                      tuple(spec.data.units))
    fitted = points[(points["year"] < spec.fit_until + 1) & (points["kind"] == "exact")]
    held = points[points["year"] >= spec.fit_until + 1]
    base = with_values(load(spec.scenario), spec.fixed, "calibration: fixed")
    integers = []
    for key in spec.parameters:
        section, field = locate(key)
        if ALL_SECTIONS[section].model_fields[field].annotation is int:
            integers.append(key)
    sim = Simulator(scenario=base.model_dump(by_alias=True), norm=spec.data.norm,
                    weeks=tuple(int(w) for w in fitted["week"]),
                    counts=tuple(float(c) for c in fitted["count"]),
                    steps=spec.weeks(spec.fit_until), record_every=spec.record_every,
                    root_seed=spec.root_seed, integers=tuple(integers))
    return sim, fitted, held


def _prior(spec: CalibrationFile):
    import pyabc

    return pyabc.Distribution(**{k: pyabc.RV("uniform", p.min, p.max - p.min)
                                 for k, p in spec.parameters.items()})


def _sampler(workers: int, client):
    import pyabc

    if client is not None:
        return pyabc.sampler.DaskDistributedSampler(dask_client=client)
    if workers > 1:
        return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)
    return pyabc.sampler.SingleCoreSampler()


def run_abc(spec: CalibrationFile, out: Path, *, workers: int = 1, client=None,
            log=print):
    """Run (or resume) the ABC-SMC; return pyabc's History."""
    import logging

    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    sim, fitted, _ = simulator(spec)
    out.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{(out / DB_NAME).resolve()}"
    np.random.seed(spec.root_seed % 2**32)  # pyabc draws its proposals from numpy's global state
    abc = pyabc.ABCSMC(sim, _prior(spec), pyabc.PNormDistance(p=2),
                       population_size=spec.abc.population_size,
                       sampler=_sampler(workers, client))
    done = 0
    if (out / DB_NAME).is_file():
        history = pyabc.History(db)
        if history.id is not None and history.n_populations > 0:
            done = history.max_t + 1
            abc.load(db, history.id)
            log(f"resuming: {done} of {spec.abc.generations} generations already done")
    if done == 0:
        abc.new(db, {f"r{i}": 1.0 for i in range(len(fitted))})
    left = spec.abc.generations - done
    if left > 0:
        abc.run(max_nr_populations=left, minimum_epsilon=spec.abc.min_epsilon)
    return pyabc.History(db)


def posterior(history) -> pd.DataFrame:
    """The last generation's particles with their weights."""
    df, w = history.get_distribution(m=0, t=history.max_t)
    return df.assign(weight=w).reset_index(drop=True)


def summarise(post: pd.DataFrame, spec: CalibrationFile) -> pd.DataFrame:
    """Per parameter: the prior range, the posterior mean, median and 90% interval, and how
    much of the prior range the interval still spans (near 1: the data do not identify it)."""
    rows = []
    for key, prior in spec.parameters.items():
        x, w = post[key].to_numpy(), post["weight"].to_numpy()
        order = np.argsort(x)
        cdf = np.cumsum(w[order]) / w.sum()
        q = {p: float(np.interp(p, cdf, x[order])) for p in (0.05, 0.5, 0.95)}
        width = (q[0.95] - q[0.05]) / (prior.max - prior.min)
        rows.append({"parameter": key, "prior_min": prior.min, "prior_max": prior.max,
                     "mean": float(np.average(x, weights=w)), "median": q[0.5],
                     "q05": q[0.05], "q95": q[0.95], "share_of_prior_range": width,
                     "identified": width < 0.5})
    return pd.DataFrame(rows)


def predict(spec: CalibrationFile, post: pd.DataFrame, rng: np.random.Generator
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posterior predictive: run ``draws`` parameter sets drawn from the posterior (by weight)
    to the end of ``predict_until``; return every curve and the 5/50/95% quantiles per week."""
    sim, _, _ = simulator(spec)
    picks = rng.choice(len(post), size=spec.predictive.draws, p=post["weight"] / post["weight"].sum())
    curves = []
    for k, i in enumerate(picks):
        theta = {key: post.at[i, key] for key in spec.parameters}
        seed = int(rng.integers(2**62))
        c = sim.curve(theta, steps=spec.weeks(spec.predict_until), seed=seed)
        curves.append(c.assign(draw=k))
    every = pd.concat(curves, ignore_index=True)
    q = every.groupby("step")["signatories"].quantile([0.05, 0.5, 0.95]).unstack()
    q.columns = ["q05", "q50", "q95"]
    return every, q.reset_index()


def check_held_out(held: pd.DataFrame, quantiles: pd.DataFrame) -> pd.DataFrame:
    """Each held-out count beside its 90% predictive interval: inside, above or below (a lower
    bound is met when the interval reaches it)."""
    rows = []
    for _, obs in held.iterrows():
        lo = float(np.interp(obs["week"], quantiles["step"], quantiles["q05"]))
        mid = float(np.interp(obs["week"], quantiles["step"], quantiles["q50"]))
        hi = float(np.interp(obs["week"], quantiles["step"], quantiles["q95"]))
        if obs["kind"] == "lower_bound":
            verdict = "consistent" if hi >= obs["count"] else "below the bound"
        else:
            verdict = ("inside" if lo <= obs["count"] <= hi else
                       "above the interval" if obs["count"] > hi else "below the interval")
        rows.append({"year": round(float(obs["year"]), 2), "observed": int(obs["count"]),
                     "kind": obs["kind"], "source": obs["source"], "predicted_median": mid,
                     "interval_low": lo, "interval_high": hi, "verdict": verdict})
    return pd.DataFrame(rows)


def default_workers() -> int:
    return os.cpu_count() or 1
