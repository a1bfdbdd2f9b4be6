"""Estimates from a sweep: trajectories with confidence intervals, effects, time to a threshold,
score-card stages, and SALib sensitivity indices. Plain tables in, plain tables out.

Runs are first pooled over their groups (compliance = 1 - violations / occasions of all living
groups, on the scenario's first norm; other columns averaged), then summarised over replicates
with a t-interval. Outcomes per run (:mod:`normsim.simulation.outcomes`) are computed from every run's
records at once.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from normsim.simulation.outcomes import OUTCOMES, outcomes
from normsim.simulation.records import STAGES, primary
from normsim.sweeps.store import read_conditions, read_manifest, read_runs, read_samples

LEVEL = 0.95
SMOOTHING_WEEKS = 13  # time to threshold: the 13-week mean must reach it (not one lucky week)
RUN = ["condition", "replicate"]


def first_norm(records: pd.DataFrame) -> pd.DataFrame:
    """Each run's rows of its scenario's first norm (the one summaries report)."""
    if "norm" not in records or records["norm"].nunique() <= 1:
        return records
    first = records.groupby(RUN)["norm"].transform("first")
    return records[records["norm"] == first]


def per_run(records: pd.DataFrame) -> pd.DataFrame:
    """One row per run and step, pooled over the run's living groups (first norm)."""
    records = first_norm(records)
    if "alive" in records:
        records = records[records["alive"].astype(bool)]
    numeric = records.select_dtypes(["number", "bool"]).columns.difference(
        ["group", "seed", *RUN, "step"])
    pooled = records.groupby([*RUN, "step"], sort=True)[list(numeric)].mean()
    counts = [c for c in ("occasions", "violations", "occasions_counterfactual",
                          "violations_counterfactual") if c in records]
    sums = records.groupby([*RUN, "step"], sort=True)[counts].sum()
    pooled["compliance_rate"] = 1.0 - sums["violations"] / sums["occasions"].where(
        sums["occasions"] > 0)
    if "violations_counterfactual" in sums:
        pooled["compliance_counterfactual"] = 1.0 - sums["violations_counterfactual"] / sums[
            "occasions_counterfactual"].where(sums["occasions_counterfactual"] > 0)
        pooled["engagement_effect"] = pooled["compliance_rate"] - pooled["compliance_counterfactual"]
    pooled[counts] = sums
    return pooled.reset_index()


def mean_ci(values, level: float = LEVEL) -> tuple[float, float, float, int]:
    """Mean and t-interval of the finite values: (mean, low, high, n)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return (np.nan, np.nan, np.nan, 0)
    m = float(x.mean())
    if n == 1:
        return (m, np.nan, np.nan, 1)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n)
    return (m, m - half, m + half, n)


def _ci_frame(groups, column: str) -> pd.DataFrame:
    rows = {key: mean_ci(g[column]) for key, g in groups}
    idx = pd.MultiIndex.from_tuples(rows) if rows and isinstance(next(iter(rows)), tuple) else None
    out = pd.DataFrame(list(rows.values()), columns=["mean", "ci_low", "ci_high", "n"],
                       index=idx if idx is not None else list(rows))
    return out


def trajectories(runs: pd.DataFrame, column: str = "compliance_rate") -> pd.DataFrame:
    """Per condition and step: mean of ``column`` over replicates with its 95% interval."""
    out = _ci_frame(runs.groupby(["condition", "step"]), column)
    out.index.names = ["condition", "step"]
    return out.reset_index()


def time_to_threshold(runs: pd.DataFrame, threshold: float, record_every: int = 1) -> pd.DataFrame:
    """Per run: the first week the 13-week mean compliance reaches ``threshold`` (NaN: never)."""
    window = max(1, round(SMOOTHING_WEEKS / record_every))
    live = runs[runs["step"] > 0].sort_values([*RUN, "step"])
    smooth = (live.groupby(RUN)["compliance_rate"].rolling(window, min_periods=window).mean()
              .reset_index(level=RUN, drop=True))
    first = live.loc[smooth.reindex(live.index) >= threshold].groupby(RUN)["step"].min()
    every = runs[RUN].drop_duplicates().set_index(RUN).index
    return (first.astype(float).reindex(every).rename("weeks_to_threshold").reset_index()
            .sort_values(RUN, ignore_index=True))


def run_outcomes(records: pd.DataFrame) -> pd.DataFrame:
    """Per run: every outcome of :data:`normsim.simulation.outcomes.OUTCOMES`, from the runs' records."""
    return outcomes(records, by=RUN).reset_index()


def estimates(records: pd.DataFrame, conditions: pd.DataFrame, manifest: dict, threshold: float,
              samples: pd.DataFrame | None = None) -> dict[str, pd.DataFrame | None]:
    """The estimates of a sweep from its tables: ``runs`` (pooled per run and step), ``outcomes``
    (per run, with weeks to threshold and factor values), ``effects`` (per condition, 95% CIs)
    and ``sensitivity`` (SALib indices, or None)."""
    runs = per_run(records)
    per = run_outcomes(records).merge(time_to_threshold(runs, threshold, manifest["record_every"]),
                                   on=RUN)
    per = per.merge(conditions, left_on="condition", right_index=True, how="left")
    finished = conditions.loc[sorted(per["condition"].unique())]
    return {"runs": runs, "outcomes": per, "effects": effects(per, finished),
            "sensitivity": sensitivity(manifest, per, samples)}


def effects(per_run_outcomes: pd.DataFrame, conditions: pd.DataFrame,
            names=("final_compliance", "mean_compliance", "engagement_effect",
                   "engagement_effect_final_year", "violations_averted", "durability",
                   "weeks_to_commitment", "weeks_to_doctrine", "weeks_to_threshold",
                   "final_stage")) -> pd.DataFrame:
    """Per condition: the factor values, and each outcome's mean with its 95% interval."""
    table = conditions.copy()
    for name in names:
        if name not in per_run_outcomes:
            continue
        ci = _ci_frame(per_run_outcomes.groupby("condition"), name)
        table[[f"{name}", f"{name}_ci_low", f"{name}_ci_high"]] = ci[["mean", "ci_low", "ci_high"]]
    table["replicates"] = per_run_outcomes.groupby("condition").size()
    if "weeks_to_threshold" in per_run_outcomes:
        table["share_reaching_threshold"] = per_run_outcomes.groupby("condition")[
            "weeks_to_threshold"].apply(lambda s: s.notna().mean())
    return table


def stage_distribution(records: pd.DataFrame) -> pd.DataFrame:
    """Per condition: the share of groups (over replicates) at each score-card stage at the end."""
    records = first_norm(records)
    last = records[records["step"] == records["step"].max()]
    shares = (last.groupby("condition")["stage"].value_counts(normalize=True)
              .unstack(fill_value=0.0).reindex(columns=range(len(STAGES)), fill_value=0.0))
    shares.columns = [f"stage {s}: {STAGES[s]}" for s in shares.columns]
    return shares


def stage_shares_over_time(records: pd.DataFrame) -> pd.DataFrame:
    """Per condition and step: the share of groups at each stage (for the stage figure)."""
    records = first_norm(records)
    shares = (records.groupby(["condition", "step"])["stage"].value_counts(normalize=True)
              .unstack(fill_value=0.0).reindex(columns=range(len(STAGES)), fill_value=0.0))
    return shares.reset_index()


def sensitivity(manifest: dict, per_run_outcomes: pd.DataFrame, samples: pd.DataFrame | None,
                outcome: str | None = None) -> pd.DataFrame | None:
    """SALib indices for a Sobol or Morris sweep (None for other designs).

    Sobol: first-order (S1) and total (ST) indices with 95% intervals; Morris: mu*, its 95%
    interval, and sigma. The outcome is averaged over replicates of each sample point.
    """
    design = manifest["design"]
    if design not in ("sobol", "morris") or samples is None:
        return None
    outcome = outcome or manifest.get("outcome", "final_compliance")
    y = per_run_outcomes.groupby("condition")[outcome].mean().reindex(range(len(samples)))
    if y.isna().any():
        return None  # the sweep is not finished: indices need every sample point
    problem = {"num_vars": len(manifest["factors"]), "names": manifest["factors"],
               "bounds": manifest["bounds"]}  # the declared ranges the sample was drawn from
    seed = manifest["root_seed"] % 2**32
    if design == "sobol":
        from SALib.analyze import sobol
        res = sobol.analyze(problem, y.to_numpy(), calc_second_order=False, conf_level=LEVEL,
                            seed=seed)
        table = pd.DataFrame({"S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                              "ST_conf": res["ST_conf"]}, index=manifest["factors"])
    else:
        from SALib.analyze import morris
        res = morris.analyze(problem, samples.to_numpy(), y.to_numpy(), conf_level=LEVEL,
                             seed=seed)
        table = pd.DataFrame({"mu_star": res["mu_star"], "mu_star_conf": res["mu_star_conf"],
                              "sigma": res["sigma"], "mu": res["mu"]}, index=manifest["factors"])
    table.index.name = "parameter"
    table.insert(0, "outcome", outcome)
    return table.reset_index()


def summarize(out: str | Path, threshold: float | None = None) -> dict[str, pd.DataFrame]:
    """Every estimate of a sweep folder, as tables: ``trajectories``, ``effects``, ``stages``,
    ``outcomes`` (per run) and, for Sobol or Morris designs, ``sensitivity``."""
    manifest = read_manifest(out)
    threshold = manifest["threshold"] if threshold is None else threshold
    records, conditions = read_runs(out), read_conditions(out)
    est = estimates(records, conditions, manifest, threshold, read_samples(out))
    tables = {
        "trajectories": trajectories(est["runs"]).merge(conditions, left_on="condition",
                                                        right_index=True),
        "effects": est["effects"],
        "stages": stage_distribution(records),
        "outcomes": est["outcomes"],
    }
    if est["sensitivity"] is not None:
        tables["sensitivity"] = est["sensitivity"]
    return tables


__all__ = ["per_run", "mean_ci", "trajectories", "time_to_threshold", "run_outcomes", "effects",
           "stage_distribution", "stage_shares_over_time", "sensitivity", "estimates", "summarize",
           "OUTCOMES"]


def write_summary(out: str | Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write each table as CSV in ``OUT/summary/`` (atomically); return the paths."""
    from normsim.sweeps.files import write_atomically
    folder = Path(out) / "summary"
    paths = []
    for name, table in tables.items():
        keep_index = name in ("effects", "stages")
        paths.append(write_atomically(folder / f"{name}.csv",
                                      lambda p, t=table, k=keep_index: t.to_csv(p, index=k)))
    return paths


def describe(manifest: dict, tables: dict[str, pd.DataFrame], threshold: float) -> str:
    """The summary in words and small tables, for the terminal."""
    eff = tables["effects"]
    factors = [c for c in manifest["factors"] if c in eff.columns]
    lines = [manifest["title"], textwrap.fill(" ".join(manifest["question"].split()), 96), "",
             f"{len(eff)} conditions x {manifest['replicates']} replicates, "
             f"{manifest['steps']} weeks ({manifest['design']} design)", ""]
    if manifest["design"] != "factorial":  # hundreds of sample points: describe the spread
        per = tables["outcomes"]
        q = per["final_compliance"].quantile([0.05, 0.5, 0.95])
        lines.append(f"final compliance over the {len(per)} runs: median {q[0.5]:.3f}, "
                     f"90% of runs within [{q[0.05]:.3f}, {q[0.95]:.3f}]; "
                     f"{per['weeks_to_threshold'].notna().mean():.0%} reach {threshold:g}")
        if "engagement_effect" in per and per["engagement_effect"].notna().any():
            e = per["engagement_effect"].quantile([0.05, 0.5, 0.95])
            lines.append(f"engagement effect (against each run's twin without engagement): "
                         f"median {e[0.5]:.3f}, 90% of runs within [{e[0.05]:.3f}, {e[0.95]:.3f}]")
        if "sensitivity" in tables:
            lines += ["", "Sensitivity of " + tables["sensitivity"]["outcome"].iloc[0] + ":",
                      tables["sensitivity"].drop(columns="outcome").round(3).to_string(index=False)]
        return "\n".join(lines)
    fmt = pd.DataFrame(index=eff.index)
    for f in factors:
        fmt[f] = eff[f]
    fmt["final compliance [95% CI]"] = [
        f"{m:.3f} [{lo:.3f}, {hi:.3f}]" for m, lo, hi in
        zip(eff["final_compliance"], eff["final_compliance_ci_low"], eff["final_compliance_ci_high"])]
    fmt[f"weeks to {threshold:g} [95% CI] (if reached)"] = [
        "never" if np.isnan(m) else f"{m:.0f} [{lo:.0f}, {hi:.0f}]" for m, lo, hi in
        zip(eff["weeks_to_threshold"], eff["weeks_to_threshold_ci_low"],
            eff["weeks_to_threshold_ci_high"])]
    fmt["reached"] = [f"{s:.0%}" for s in eff["share_reaching_threshold"]]
    for name, words in (("engagement_effect", "engagement effect"), ("durability", "durability")):
        if name in eff and eff[name].notna().any():
            fmt[f"{words} [95% CI]"] = [
                "n/a" if np.isnan(m) else f"{m:.3f} [{lo:.3f}, {hi:.3f}]" for m, lo, hi in
                zip(eff[name], eff[f"{name}_ci_low"], eff[f"{name}_ci_high"])]
    fmt["final stage"] = eff["final_stage"].round(1)
    lines.append(fmt.to_string(max_rows=40))
    return "\n".join(lines)
