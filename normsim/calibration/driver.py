"""Run a calibration: the simulator, its generations saved one by one (so a rerun resumes), the
posterior, and forecasts that continue each posterior draw past the cutoff.

One simulation runs the calibration's scenario, with the fixed and sampled parameters, from
``start_year`` to the cutoff; a particle's distance is the mean over its ``replicates``
simulations of the Euclidean distance between the simulated and observed cumulative
signatories at every observed date up to the cutoff, each as a ratio to the observed count (so
each point weighs alike) -- joined, when the file fits the signatories' conduct
(``[conduct] fitted = true``), with how far their complying share falls short of the record's
majority (:meth:`Simulator.conduct_gap`). Seeds come from positions
(:func:`normsim.calibration.smc.seeds`), never from parameter values.

``OUT/generations/gen_NNN.csv`` holds each finished generation, written atomically; a rerun
reads them, drops a damaged one (and what follows it) and goes on. Because each generation
depends only on the root seed and the one before, a resumed calibration ends with exactly the
posterior an uninterrupted one does, on any number of workers or on Dask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from normsim.analysis.population import signatories
from normsim.calibration import selection, smc
from normsim.calibration.conduct import measure
from normsim.calibration.record import known_counts
from normsim.calibration.spec import POPULATION_PARAMETERS, CalibrationFile, is_integer
from normsim.settings.population import load_population
from normsim.settings.scenario import load, with_values, validate
from normsim.simulation.model import NormDiffusionModel
from normsim.sweeps import cluster
from normsim.sweeps.files import write_atomically
from normsim.sweeps.workers import LocalPool

GENERATIONS = "generations"


@dataclass(frozen=True)
class Simulator:
    """A picklable simulation function: plain data in, a distance (or a curve) out."""

    scenario: dict  # the scenario with the fixed parameters, as plain data
    population: dict | None  # its population file as plain data (emergence to the horizon)
    norm: str
    names: tuple[str, ...]  # the calibrated parameters, in order
    weeks: tuple[int, ...]  # observed dates (model weeks) up to the cutoff
    counts: tuple[float, ...]  # the observed counts there
    steps: int  # weeks to the cutoff
    record_every: int
    #: with ``[conduct] fitted``: (complying_threshold, majority, weight), else None
    conduct: tuple[float, float, float] | None = None

    def values(self, theta) -> dict:
        return {k: int(round(float(v))) if is_integer(k) else float(v)
                for k, v in zip(self.names, theta)}

    def curve(self, theta, seed: int, steps: int | None = None) -> pd.DataFrame:
        """The cumulative signatories over time for one parameter vector and seed."""
        return self.signatories(self.run(theta, seed, steps))

    def signatories(self, model, table: pd.DataFrame | None = None) -> pd.DataFrame:
        """The run's cumulative signatories (``table``: its records, if already built)."""
        curve = signatories(model.records() if table is None else table, by=())
        return curve[curve["norm"] == self.norm][["step", "signatories"]].reset_index(drop=True)

    def run(self, theta, seed: int, steps: int | None = None, overrides: dict | None = None):
        """The model run to ``steps`` (the cutoff by default) with ``theta``'s values and then
        ``overrides`` (a model variant's settings, :mod:`normsim.calibration.selection`)."""
        values = self.values(theta) | dict(overrides or {})
        scenario = dict(self.scenario)
        tmp = None
        try:
            if self.population is not None:
                pop = dict(self.population)
                for key in POPULATION_PARAMETERS:
                    if key in values:
                        pop[key.split(".", 1)[1]] = values.pop(key)
                fd, tmp = tempfile.mkstemp(prefix="normsim-population-", suffix=".toml")
                with os.fdopen(fd, "wb") as f:
                    tomli_w.dump(pop, f)
                scenario["population"] = tmp
            settings = with_values(validate(scenario, "calibration"), values, "calibration")
            model = NormDiffusionModel(rng=seed, settings=settings, agents=False,  # tables only
                                       record_every=self.record_every)
            model.run_model(steps or self.steps)  # it reads the population file again
        finally:
            if tmp is not None:
                os.unlink(tmp)
        return model

    def at(self, curve: pd.DataFrame, weeks) -> np.ndarray:
        return np.interp(weeks, curve["step"], curve["signatories"])

    def __call__(self, task: dict) -> tuple[int, float]:
        """``task``: index, theta, seeds -> (index, mean distance over the replicates)."""
        d = [self.fit(self.run(task["theta"], s)) for s in task["seeds"]]
        return task["index"], float(np.mean(d))

    def distance(self, curve: pd.DataFrame) -> float:
        """Euclidean distance of simulated / observed counts at the fitted dates, from 1."""
        obs = np.asarray(self.counts, dtype=float)
        return float(np.sqrt(np.sum((self.at(curve, self.weeks) / obs - 1) ** 2)))

    def fit(self, model) -> float:
        """A fitted simulation's distance: the counts', joined with the conduct's when it is
        fitted (:meth:`conduct_gap`)."""
        if self.conduct is None:
            return self.distance(self.signatories(model))
        table = model.records()  # built once for both statistics: it is most of their cost
        d = self.distance(self.signatories(model, table))
        return float(np.hypot(d, self.conduct[2] * self.conduct_gap(model, table)))

    def conduct_gap(self, model, table: pd.DataFrame | None = None) -> float:
        """How far the share of signatories that comply falls short of the record's majority
        (0 at or above it; the whole majority when no signatory had an occasion to comply);
        ``table``: the run's records, if already built."""
        threshold, majority, _ = self.conduct
        table = model.records() if table is None else table
        share = measure(table, model.events(), self.norm, threshold)["complying_share"]
        return majority if not np.isfinite(share) else max(0.0, majority - share)


@dataclass(frozen=True)
class Continuation:
    """Run one posterior draw to the horizon with the seed of one of its fitted replicates."""

    sim: Simulator
    steps: int

    def __call__(self, task: dict) -> tuple[int, list[float], list[int]]:
        curve = self.sim.signatories(self.sim.run(task["theta"], task["seed"], self.steps,
                                                  task.get("overrides")))
        return task["index"], curve["signatories"].tolist(), curve["step"].tolist()


def simulator(spec: CalibrationFile) -> tuple[Simulator, pd.DataFrame]:
    """The simulator and the observations it is fitted to (exact counts dated by the cutoff)."""
    points = known_counts(spec.data.file, spec.data.norm, spec.start_year, spec.cutoff_date,
                          spec.data.pledge_type, tuple(spec.data.units))
    fitted = points[points["kind"] == "exact"].reset_index(drop=True)
    base = with_values(load(spec.scenario), spec.fixed_values(), "calibration: fixed")
    population = None
    if base.population:
        pop = load_population(base.population).model_dump(by_alias=True, exclude_none=True)
        # groups emerge uniformly over the whole span modelled (no source dated before the
        # cutoff says when later groups emerged); how many there are is calibrated or fixed
        pop["emergence"] = {**pop["emergence"], "last_week": spec.weeks(spec.predict_until)}
        population = pop
    sim = Simulator(scenario=base.model_dump(by_alias=True), population=population,
                    norm=spec.data.norm, names=tuple(spec.parameters),
                    weeks=tuple(int(w) for w in fitted["week"]),
                    counts=tuple(float(c) for c in fitted["count"]),
                    steps=spec.week_of(spec.cutoff_date), record_every=spec.record_every,
                    conduct=((spec.conduct.complying_threshold, spec.conduct.majority,
                              spec.conduct.weight) if spec.conduct and spec.conduct.fitted
                             else None))
    return sim, fitted


def settings(spec: CalibrationFile) -> smc.Settings:
    names = tuple(spec.parameters)
    return smc.Settings(names=names,
                        low=np.array([spec.parameters[k].min for k in names], dtype=float),
                        high=np.array([spec.parameters[k].max for k in names], dtype=float),
                        population_size=spec.abc.population_size,
                        replicates=spec.abc.replicates, root_seed=spec.root_seed,
                        max_batches=spec.abc.max_batches)


@contextlib.contextmanager
def running(workers: int, scheduler: str | None, log: Callable[[str], None]) -> Iterator[Runner]:
    """A :class:`Runner` on ``workers`` local processes, or on the Dask scheduler at
    ``scheduler`` (its own logging quiet: what goes wrong is said once, by us); the client is
    closed after."""
    if scheduler:
        cluster.check_address(scheduler)
    with cluster.quiet() if scheduler else contextlib.nullcontext():
        client = cluster.connect(scheduler) if scheduler else None
        try:
            with Runner(workers if client is None else 1, client, log) as runner:
                yield runner
        finally:
            if client is not None:
                cluster.close(client)


class Runner:
    """Maps a function over tasks (dicts with an ``index``) serially, on local worker processes
    or on a Dask client, and returns the results in task order whatever order they finish in."""

    def __init__(self, workers: int = 1, client=None, say: Callable[[str], None] = print):
        self.workers, self.client, self.say = workers, client, say
        self.pool = None

    def __enter__(self) -> Runner:
        if self.client is None and self.workers > 1:
            self.pool = LocalPool(self.workers).__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.__exit__(*exc)

    def map(self, fn: Callable, tasks: list[dict], tag: str) -> list:
        if self.client is not None:
            found = cluster.run_on(self.client, tasks, fn, lambda t: f"normsim-{tag}-{t['index']}",
                                   cluster.GIVE_UP_AFTER, self.say)
        elif self.pool is not None:
            found = self.pool.map(fn, tasks)
        else:
            found = map(fn, tasks)
        return sorted(found, key=lambda r: r[0])


def run_abc(spec: CalibrationFile, out: Path, runner: Runner, tag: str,
            log: Callable[[str], None] = print) -> list[pd.DataFrame]:
    """Run (or resume) the generations; return them all, the last being the posterior."""
    sim, _ = simulator(spec)
    s = settings(spec)
    scheme = None
    if spec.models is not None:  # model selection: particles carry a model index
        scheme = selection.scheme(spec, s)
        sim = selection.variant_simulator(spec, sim)
    folder = out / GENERATIONS
    folder.mkdir(parents=True, exist_ok=True)
    done = load_generations(folder, s, log, columns(spec))
    if done:
        log(f"resuming: {len(done)} of {spec.abc.generations} generations already done")
    while len(done) < spec.abc.generations:
        t = len(done)
        if done and done[-1].attrs["epsilon"] <= spec.abc.min_epsilon:
            break

        def evaluate(cands, t=t):
            tasks = [{"index": i, "theta": [float(v) for v in th], "seeds": list(sd)}
                     for i, th, sd in cands]
            return [d for _, d in runner.map(sim, tasks, f"{tag}-g{t}")]

        gen = smc.generation(s, t, done[-1] if done else None, evaluate, scheme, progress=log)
        save_generation(folder, gen)
        done.append(gen)
        log(f"generation {t}: epsilon {gen.attrs['epsilon']:.4g}, "
            f"{gen.attrs['simulations']} simulations")
    return done


def save_generation(folder: Path, gen: pd.DataFrame) -> None:
    table = gen.assign(epsilon=gen.attrs["epsilon"], simulations=gen.attrs["simulations"])
    write_atomically(folder / f"gen_{gen.attrs['t']:03d}.csv",
                     lambda p: table.to_csv(p, index=False, float_format="%.17g"))


def columns(spec: CalibrationFile) -> list[str]:
    """What a particle is: its parameters, after a model index in a model selection."""
    return ([selection.MODEL] if spec.models is not None else []) + list(spec.parameters)


def read_generations(folder: Path, s: smc.Settings, names: list[str]
                     ) -> tuple[list[pd.DataFrame], list[Path]]:
    """The saved generations in order, as written (with their ``epsilon`` and ``simulations``
    columns), up to the first missing or damaged one; and the files from that one on (empty
    when every file was read). Reads only."""
    done = []
    files = sorted(folder.glob("gen_*.csv"))
    for t, path in enumerate(files):
        gen = _read_generation(path, s, names) if path.name == f"gen_{t:03d}.csv" else None
        if gen is None:
            return done, files[t:]
        done.append(gen)
    return done, []


def load_generations(folder: Path, s: smc.Settings, log,
                     names: list[str] | None = None) -> list[pd.DataFrame]:
    """The saved generations in order, up to the first missing or damaged one (which is removed
    with all after it: they will be computed again, identically)."""
    done, bad = read_generations(folder, s, list(s.names) if names is None else names)
    if bad:
        for later in bad:
            later.unlink(missing_ok=True)
        log(f"{bad[0]} was damaged or out of order: it and what follows will be run again")
    for t, gen in enumerate(done):
        gen.attrs.update(epsilon=float(gen.pop("epsilon").iloc[0]), t=t,
                         simulations=int(gen.pop("simulations").iloc[0]))
    for tmp in folder.glob(".gen_*.tmp"):  # a write cut short (a kill, a full disk)
        tmp.unlink(missing_ok=True)
    return done


def _read_generation(path: Path, s: smc.Settings, names: list[str]) -> pd.DataFrame | None:
    try:
        gen = pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    need = [*names, "distance", "index", "weight", "epsilon", "simulations"]
    if list(gen.columns) != need or len(gen) != s.population_size:
        return None
    if not np.isfinite(gen[[*names, "distance", "weight"]].to_numpy(float)).all():
        return None
    return gen


def posterior(last: pd.DataFrame, spec: CalibrationFile) -> pd.DataFrame:
    return last[[*columns(spec), "distance", "index", "weight"]].reset_index(drop=True)


def summarise(post: pd.DataFrame, spec: CalibrationFile) -> pd.DataFrame:
    """Per parameter: prior range, posterior mean, median and 90% interval, the share of the
    prior range the interval spans (near 1: not identified) and whether it presses on a bound."""
    rows = []
    for key, prior in spec.parameters.items():
        x, w = post[key].to_numpy(), post["weight"].to_numpy()
        q = weighted_quantiles(x, w, (0.05, 0.5, 0.95))
        span = prior.max - prior.min
        width = (q[2] - q[0]) / span
        pressed = ("lower" if q[0] - prior.min < 0.05 * span and q[1] - prior.min < 0.25 * span
                   else "upper" if prior.max - q[2] < 0.05 * span
                   and prior.max - q[1] < 0.25 * span else "")
        rows.append({"parameter": key, "prior_min": prior.min, "prior_max": prior.max,
                     "mean": float(np.average(x, weights=w)), "median": q[1], "q05": q[0],
                     "q95": q[2], "share_of_prior_range": width, "identified": width < 0.5,
                     "pressed_against": pressed})
    return pd.DataFrame(rows)


def weighted_quantiles(x, w, qs) -> list[float]:
    order = np.argsort(x)
    cdf = (np.cumsum(w[order]) - 0.5 * w[order]) / w.sum()
    return [float(np.interp(q, cdf, x[order])) for q in qs]


def forecast_draws(spec: CalibrationFile, post: pd.DataFrame, t_last: int, runner: Runner,
                   tag: str) -> pd.DataFrame:
    """``draws`` posterior draws, each continuing one fitted replicate past the cutoff: the
    draw's particle is picked by weight, its replicate at random (both from the root seed), and
    it is run with that replicate's seed, so up to the cutoff it *is* the fitted simulation
    (same parameters, same seed, same state) and after it continues. Returns one row per draw and
    recorded week: ``draw, step, signatories``."""
    sim, _ = simulator(spec)
    steps = spec.weeks(spec.predict_until)
    rows = runner.map(Continuation(sim, steps), draw_tasks(spec, post, t_last), f"{tag}-forecast")
    return pd.concat([pd.DataFrame({"draw": k, "step": st, "signatories": v})
                      for k, v, st in rows], ignore_index=True)


def draw_tasks(spec: CalibrationFile, post: pd.DataFrame, t_last: int) -> list[dict]:
    """The posterior draws as tasks ``index, theta, seed, overrides``: particles picked by
    weight, each with one of its fitted replicates' seeds (both from the root seed), so a draw
    run to the cutoff *is* a fitted simulation. The forecast continues them; the conduct and
    transfer checks (:mod:`normsim.calibration.conduct`, :mod:`normsim.calibration.transfer`)
    run the same draws."""
    rng = np.random.default_rng([spec.root_seed, 18, 4])
    p = post["weight"].to_numpy() / post["weight"].sum()
    picks = rng.choice(len(post), size=spec.predictive.draws, p=p)
    reps = rng.integers(spec.abc.replicates, size=spec.predictive.draws)
    tasks = []
    for k, (i, r) in enumerate(zip(picks, reps)):
        seeds = smc.seeds(spec.root_seed, t_last, int(post.at[i, "index"]), spec.abc.replicates)
        overrides = ({} if spec.models is None else
                     list(spec.models.variants.values())[int(post.at[i, selection.MODEL])].settings)
        tasks.append({"index": k, "theta": [float(post.at[i, n]) for n in spec.parameters],
                      "seed": seeds[r], "overrides": overrides})
    return tasks


def pit(fitted: pd.DataFrame, draws: pd.DataFrame) -> pd.DataFrame:
    """The probability integral transform of each fitted observation under the posterior
    predictive (mid-PIT: ties count half), and whether it lies in the central 80%."""
    values = _at_weeks(draws, fitted["week"])
    rows = []
    for j, obs in enumerate(fitted.itertuples()):
        v = values[:, j]
        u = float(np.mean(v < obs.count) + 0.5 * np.mean(v == obs.count))
        rows.append({"as_of": obs.as_of, "observed": int(obs.count), "pit": u,
                     "predictive_median": float(np.median(v)),
                     "inside_central_80": 0.1 <= u <= 0.9})
    return pd.DataFrame(rows)


def _at_weeks(draws: pd.DataFrame, weeks) -> np.ndarray:
    """draws x weeks: each draw's curve read at the weeks."""
    out = []
    for _, d in draws.groupby("draw", sort=True):
        out.append(np.interp(list(weeks), d["step"], d["signatories"]))
    return np.array(out)


def default_workers() -> int:
    return os.cpu_count() or 1
