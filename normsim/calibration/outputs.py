"""What a calibration writes, and the folder it writes into.

    OUT/calibration.json       which calibration (file hash, fitted rows' hash) owns the folder
    OUT/generations/gen_NNN.csv  each finished ABC-SMC generation (a rerun resumes from them)
    OUT/posterior.csv          the last generation's particles and weights
    OUT/posterior_summary.csv  per parameter: prior, mean, median, 90% interval, identified, bound
    OUT/forecast.csv           per target and date: quantiles and every draw
    OUT/pit.csv                the probability integral transform of each fitted observation
    OUT/scores.csv             per held-out date: observed, median, CRPS, 90% interval score,
                               for the model and each declared baseline
    OUT/signatories.png        the predictive band beside the fitted and held-out counts
    OUT/models.csv             with [models]: each variant's prior and posterior probability
    OUT/models_sensitivity.csv with [models]: each switched setting's posterior under other priors
    OUT/models_prior_sensitivity.csv  the same with a sampled parameter's prior narrowed
    OUT/transfer.csv           with [transfer]: each later deed's predicted first signatures, hits
    OUT/conduct.csv            with [conduct]: signatories' conduct over the posterior draws
    OUT/report.md              all of it in words, with provenance

The folder is taken under the same lock as a sweep's (:mod:`normsim.sweeps.lock`); a folder that holds
something else, or another calibration's work, is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from normsim.analysis.population import plot_signatories
from normsim.calibration import baselines, conduct, driver, selection, transfer
from normsim.calibration.record import later_counts
from normsim.calibration.report import conduct_section, report, selection_section, transfer_section
from normsim.calibration.spec import CalibrationFile
from normsim.errors import FolderError
from normsim.sweeps import cluster
from normsim.sweeps.files import write_atomically, write_text_atomically
from normsim.sweeps.lock import FolderLock
from normsim.sweeps.provenance import content_hash, provenance

OWNER = "calibration.json"
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
_OURS = {OWNER, ".lock", driver.GENERATIONS, "posterior.csv", "posterior_summary.csv",
         "forecast.csv", "pit.csv", "scores.csv", "report.md", "signatories.png", "models.csv",
         "models_sensitivity.csv", "models_prior_sensitivity.csv", "transfer.csv", "conduct.csv"}


def claim(out: Path, identity: dict) -> None:
    """Refuse ``out`` unless it is new, empty, or this calibration's own; create it."""
    target, here = out.resolve(), Path.cwd().resolve()
    if target == here or target in here.parents:
        raise FolderError(f"'{out}' is the current folder or holds it; name a new folder for the "
                          "results, e.g. results/my-calibration.")
    if target.exists() and not target.is_dir():
        raise FolderError(f"{out} is a file, not a folder; name a new folder for the results.")
    if target.is_dir():
        if (target / OWNER).is_file():
            if owner(target) != identity:
                raise FolderError(f"{out} holds another calibration's work (or this file's, before "
                                  "it or its data changed); nothing was changed. Use another "
                                  "--out folder, or remove that one.")
        else:
            other = sorted(p.name for p in target.iterdir() if p.name not in _OURS)
            if other or any((target / n).exists() for n in _OURS - {".lock"}):
                shown = ", ".join((other or ["files"])[:3])
                raise FolderError(f"{out} already holds something else ({shown}); a calibration "
                                  "writes only into a new or empty folder, or its own. Use another "
                                  "--out folder.")
    target.mkdir(parents=True, exist_ok=True)


def owner(out: Path) -> dict | None:
    """The identity of the calibration whose work ``out`` holds (None: none, or unreadable)."""
    try:
        return json.loads((out / OWNER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def identity(spec: CalibrationFile, text: str, fitted: pd.DataFrame) -> dict:
    rows = fitted.to_csv(index=False).encode()
    return {"calibration_hash": content_hash(text),
            "fitted_rows_hash": hashlib.sha256(rows).hexdigest()[:16], "title": spec.title}


def calibrate(spec: CalibrationFile, text: str, out: str | Path, *, workers: int = 1,
              scheduler: str | None = None, log=print) -> Path:
    """Run (or resume) the calibration of ``spec`` into ``out`` and write every output; return
    the report's path."""
    if str(out).strip() == "":
        raise FolderError(f"the output folder {str(out)!r} is empty: name a folder for the "
                          "results, e.g. results/my-calibration.")
    out = Path(out)
    _, fitted = driver.simulator(spec)
    ident = identity(spec, text, fitted)
    if scheduler:  # a malformed address is refused before the folder is touched
        cluster.check_address(scheduler)
    claim(out, ident)
    tag = ident["fitted_rows_hash"][:8] + ident["calibration_hash"][:8]
    with FolderLock(out, holder="calibration"):
        claim(out, ident)  # again, now that no one else can write here: then mark it ours
        write_text_atomically(out / OWNER, json.dumps(ident, indent=1) + "\n")
        try:
            with driver.running(workers, scheduler, log) as runner:
                gens = driver.run_abc(spec, out, runner, tag, log)
                post = driver.posterior(gens[-1], spec)
                draws = driver.forecast_draws(spec, post, len(gens) - 1, runner, tag)
                checks = patterns(spec, post, len(gens) - 1, runner, tag)
        except KeyboardInterrupt:
            saved = len(list((out / driver.GENERATIONS).glob("gen_*.csv")))
            log(f"stopped: {saved} generation(s) are saved in {out}; rerun the same command to "
                "resume.")
            raise
        return write_outputs(spec, out, gens, post, draws, fitted, ident, checks)


def patterns(spec, post, t_last: int, runner, tag: str) -> dict:
    """What the file asks beyond the fit, on the forecast's posterior draws: the transfer to
    later deeds and the signatories' conduct (held-out patterns, never fitted)."""
    sim, _ = driver.simulator(spec)
    tasks = driver.draw_tasks(spec, post, t_last)
    found = {}
    if spec.conduct is not None:
        rows = runner.map(conduct.ConductTask(sim, spec.conduct.complying_threshold), tasks,
                          f"{tag}-conduct")
        found["conduct"] = pd.DataFrame([r for _, r in rows])
    if spec.transfer is not None:
        found["transfer"] = [(deed, transfer.predict(deed, spec, sim, tasks, runner, tag))
                             for deed in spec.transfer.deeds]
    return found


def write_outputs(spec, out: Path, gens, post, draws, fitted, ident, checks=None) -> Path:
    summary = driver.summarise(post, spec)
    held = later_counts(spec.data.file, spec.data.norm, spec.start_year, spec.cutoff_date,
                        spec.data.pledge_type, tuple(spec.data.units))
    forecast = forecast_table(spec, draws, fitted, held)
    pit = driver.pit(fitted, draws)
    scores = score(spec, draws, fitted, held)
    meta = provenance(calibration=spec.title, **ident, root_seed=spec.root_seed,
                      generations=len(gens), population_size=spec.abc.population_size,
                      replicates=spec.abc.replicates,
                      simulations=int(sum(g.attrs["simulations"] for g in gens)))
    for name, table in (("posterior", post), ("posterior_summary", summary),
                        ("forecast", forecast), ("pit", pit), ("scores", scores)):
        write_atomically(out / f"{name}.csv", lambda p, t=table: t.to_csv(p, index=False))
    _figure(spec, out, draws, fitted, held)
    sections = []
    if spec.models is not None:
        table, sens = selection.summary(post, spec), selection.sensitivity(post, spec)
        narrower = selection.prior_sensitivity(post, spec)
        for name, t in (("models", table), ("models_sensitivity", sens),
                        ("models_prior_sensitivity", narrower)):
            write_atomically(out / f"{name}.csv", lambda p, t=t: t.to_csv(p, index=False))
        sections.append(selection_section(spec, table, sens,
                                          selection.observed_clustering(spec), narrower))
    checks = checks or {}
    if "transfer" in checks:
        rows = [transfer.score(deed, spec, d, transfer.observed(deed, spec))
                for deed, d in checks["transfer"]]
        table = pd.DataFrame(rows)
        write_atomically(out / "transfer.csv", lambda p: table.to_csv(p, index=False))
        sections.append(transfer_section(spec, table))
    if "conduct" in checks:
        table = conduct.summarise(checks["conduct"])
        write_atomically(out / "conduct.csv", lambda p: table.to_csv(p, index=False))
        sections.append(conduct_section(spec, table, conduct.verdict(
            table, spec.conduct.majority)))
    return write_text_atomically(out / "report.md", report(
        spec, summary, gens, fitted, held, pit, scores, meta, sections))


def _figure(spec, out: Path, draws: pd.DataFrame, fitted, held) -> None:
    q = draws.groupby("step")["signatories"].quantile([0.05, 0.5, 0.95]).unstack()
    q.columns = ["q05", "q50", "q95"]
    points = pd.concat([fitted, held], ignore_index=True)
    cutoff_year = spec.cutoff_date.year + (spec.cutoff_date.timetuple().tm_yday / 365)
    fig = plot_signatories(None, points, start_year=spec.start_year, quantiles=q.reset_index(),
                           fit_until=cutoff_year,
                           title=f"{spec.title}: forecast from the cutoff {spec.cutoff}")
    write_atomically(out / "signatories.png", lambda p: fig.savefig(p, format="png"))


def forecast_table(spec, draws: pd.DataFrame, fitted, held) -> pd.DataFrame:
    """Per target (cumulative signatories) and date -- every observed date and each year's end
    -- the predictive quantiles and every draw."""
    dates = [("fitted", r.as_of, r.week) for r in fitted.itertuples()]
    dates += [("held_out", r.as_of, r.week) for r in held.itertuples()
              if r.week <= spec.weeks(spec.predict_until)]
    dates += [("year_end", str(y), spec.weeks(y)) for y in range(spec.start_year,
                                                                  spec.predict_until + 1)]
    values = driver._at_weeks(draws, [w for *_, w in dates])
    rows = []
    for j, (role, as_of, week) in enumerate(dates):
        v = values[:, j]
        row = {"target": "signatories", "role": role, "as_of": as_of, "week": int(week)}
        row |= {f"q{int(q * 100):02d}": float(np.quantile(v, q)) for q in QUANTILES}
        row |= {f"draw_{k}": float(x) for k, x in enumerate(v)}
        rows.append(row)
    return pd.DataFrame(rows)


def score(spec, draws: pd.DataFrame, fitted, held) -> pd.DataFrame:
    """Every exact held-out count scored for the model and each declared baseline: the
    forecast's median, CRPS and 90% interval score (scoringrules)."""
    # deferred: scoringrules is heavy (about 500 modules); only the forecast scores need it
    import scoringrules as sr

    horizon = spec.weeks(spec.predict_until)
    exact = held[(held["kind"] == "exact") & (held["week"] <= horizon)].reset_index(drop=True)
    if exact.empty:
        return pd.DataFrame(columns=["as_of", "observed", "forecaster", "median", "crps",
                                     "interval_score_90"])
    ensembles = {"model": driver._at_weeks(draws, exact["week"])}
    t_fit, t_out = fitted["year"] - spec.start_year, exact["year"] - spec.start_year
    ceiling = (spec.baselines.ceiling.min, spec.baselines.ceiling.max)
    for k, name in enumerate(spec.baselines.models):
        rng = np.random.default_rng([spec.root_seed, 23, k])
        ensembles[name] = baselines.forecast(name, t_fit, fitted["count"], t_out,
                                             spec.baselines.draws, rng, ceiling)
    rows = []
    for name, ens in ensembles.items():
        obs = exact["count"].to_numpy(float)
        crps = np.asarray(sr.crps_ensemble(obs, ens.T))
        lo, hi = np.quantile(ens, 0.05, axis=0), np.quantile(ens, 0.95, axis=0)
        interval = np.asarray(sr.interval_score(obs, lo, hi, 0.1))
        for j, r in enumerate(exact.itertuples()):
            rows.append({"as_of": r.as_of, "observed": int(r.count), "forecaster": name,
                         "median": float(np.median(ens[:, j])), "crps": float(crps[j]),
                         "interval_score_90": float(interval[j])})
    return pd.DataFrame(rows)
