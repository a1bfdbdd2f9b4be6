"""What a calibration writes: the posterior, the posterior predictive against the data, the
held-out check, a report with provenance, and the calibrated scenario.

    OUT/abc.db                 pyabc's database (every generation; resumes)
    OUT/posterior.csv          the last generation's particles and weights
    OUT/posterior_summary.csv  per parameter: prior range, mean, median, 90% interval, identified
    OUT/predictive.csv         5/50/95% quantiles of the cumulative signatories per week
    OUT/held_out.csv           each held-out count beside its predictive interval
    OUT/signatories.png        the predictive band beside the fitted and held-out counts
    OUT/calibrated.toml        the scenario with the posterior medians, saying where they came from
    OUT/report.md              all of it in words
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from normsim.calibration import driver
from normsim.calibration.spec import CalibrationFile
from normsim.sweeps.files import write_atomically, write_text_atomically
from normsim.sweeps.provenance import content_hash, provenance


def calibrate(spec: CalibrationFile, text: str, out: str | Path, *, workers: int = 1,
              scheduler: str | None = None, log=print) -> Path:
    """Run (or resume) the calibration of ``spec`` into ``out`` and write every output; return
    the report's path."""
    out = Path(out)
    client = None
    if scheduler:
        from normsim.sweeps.engines import _connect
        client = _connect(scheduler)
    try:
        history = driver.run_abc(spec, out, workers=workers, client=client, log=log)
    finally:
        if client is not None:
            client.close()
    post = driver.posterior(history)
    summary = driver.summarise(post, spec)
    rng = np.random.default_rng(spec.root_seed)
    every, quantiles = driver.predict(spec, post, rng)
    _, fitted, held = driver.simulator(spec)
    check = driver.check_held_out(held, quantiles)
    meta = provenance(calibration=spec.title, calibration_hash=content_hash(text),
                      root_seed=spec.root_seed, generations=int(history.max_t + 1),
                      population_size=spec.abc.population_size)
    for name, table in (("posterior", post), ("posterior_summary", summary),
                        ("predictive", quantiles), ("held_out", check)):
        write_atomically(out / f"{name}.csv", lambda p, t=table: t.to_csv(p, index=False))
    from normsim.analysis.population import plot_signatories
    from normsim.settings.data import observed

    points = observed(spec.data.file, spec.data.norm, spec.start_year, spec.data.pledge_type,
                      tuple(spec.data.units))
    fig = plot_signatories(None, points, start_year=spec.start_year, quantiles=quantiles,
                           fit_until=spec.fit_until + 1,
                           title=f"{spec.title}: posterior prediction against the data")
    write_atomically(out / "signatories.png", lambda p: fig.savefig(p, format="png"))
    write_text_atomically(out / "calibrated.toml", calibrated_scenario(spec, summary, meta))
    epsilons = history.get_all_populations()
    report = _report(spec, summary, check, fitted, epsilons, meta)
    write_text_atomically(out / "provenance.json", json.dumps(meta, indent=2, default=str) + "\n")
    return write_text_atomically(out / "report.md", report)


def calibrated_scenario(spec: CalibrationFile, summary: pd.DataFrame, meta: dict) -> str:
    """The calibration's scenario with the fixed values and the posterior medians, as TOML."""
    from normsim.settings.scenario import load, with_values

    medians = {row.parameter: row.median for row in summary.itertuples()}
    settings = with_values(load(spec.scenario), {**spec.fixed, **medians}, "calibration")
    from normsim.settings.scenario import locate, ALL_SECTIONS
    for key in medians:  # whole-number parameters take the rounded median
        section, field = locate(key)
        if ALL_SECTIONS[section].model_fields[field].annotation is int:
            settings = with_values(settings, {key: int(round(medians[key]))}, "calibration")
    words = ", ".join(f"{k} = {v:.4g}" for k, v in medians.items())
    description = (f"Calibrated by ABC-SMC ('{spec.title}') on {spec.data.file} ({spec.data.norm}, "
                   f"{spec.data.pledge_type}) up to {spec.fit_until}: posterior medians {words}. "
                   f"normsim {meta.get('normsim', '')}, commit {meta.get('git_commit', '')}, "
                   f"root seed {spec.root_seed}, {meta.get('generations')} generations of "
                   f"{spec.abc.population_size} particles. "
                   + settings.description)
    settings = settings.model_copy(update={"title": f"{settings.title} (calibrated)",
                                           "description": description})
    return tomli_w.dumps(settings.model_dump(by_alias=True))


def _table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:.6g}" if isinstance(v, float) else str(v)
                                       for v in row) + " |")
    return "\n".join(lines)


def _report(spec, summary, check, fitted, populations, meta) -> str:
    unidentified = summary.loc[~summary["identified"], "parameter"].tolist()
    inside = (check["verdict"].isin(["inside", "consistent"])).sum()
    lines = [
        f"# {spec.title}", "", f"> {' '.join(spec.question.split())}" if spec.question else "",
        "", "## What was fitted", "",
        f"Scenario `{spec.scenario}`, week 0 = start of {spec.start_year}. Data: "
        f"`{spec.data.file}`, norm {spec.data.norm}, pledge type {spec.data.pledge_type}; the "
        f"{len(fitted)} exact counts up to {spec.fit_until} are fitted, later ones held out. "
        "Summary statistics: simulated cumulative signatories at the observed dates divided by "
        "the observed counts; distance: Euclidean. Priors: uniform over the ranges below "
        "(inside each parameter's declared range).", "",
        _table(fitted[["year", "count", "kind", "source"]].round({"year": 2})), "",
        "## Posterior", "",
        _table(summary), "",
        ("Every parameter's 90% posterior interval spans less than half of its prior range."
         if not unidentified else
         "Not identified by these data (the 90% posterior interval still spans half of the "
         f"prior range or more): {', '.join(unidentified)}. That is a finding: the counts "
         "fitted cannot tell these values apart."), "",
        "ABC-SMC generations (epsilon: the acceptance threshold on the distance):", "",
        _table(populations[["t", "epsilon", "samples"]].astype(
            {"t": int, "samples": int}) if "samples" in populations else populations), "",
        "## Held-out prediction", "",
        f"{spec.predictive.draws} draws from the posterior, run to the end of "
        f"{spec.predict_until}: {inside} of {len(check)} held-out counts fall inside the 90% "
        "predictive interval (a lower bound counts when the interval reaches it).", "",
        _table(check), "", "![prediction](signatories.png)", "",
        "## Provenance", "", "```json", json.dumps(meta, indent=2, default=str), "```", "",
    ]
    return "\n".join(lines)
