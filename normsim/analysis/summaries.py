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
from normsim.simulation.records import STAGES
from normsim.sweeps.readers import read_conditions, read_manifest, read_runs, read_samples

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
    """One row per run and step, pooled over the run's living groups (first norm): counts
    (occasions, violations, fighters) summed, compliance from the sums, other columns averaged
    (``engaged``: the share of groups engaged)."""
    records = first_norm(records)
    if "alive" in records:
        records = records[records["alive"].astype(bool)]
    numeric = records.select_dtypes(["number", "bool"]).columns.difference(
        ["group", "seed", *RUN, "step"])
    pooled = records.groupby([*RUN, "step"], sort=True)[list(numeric)].mean()
    counts = [c for c in ("occasions", "violations", "occasions_counterfactual",
                          "violations_counterfactual", "fighters") if c in records]
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


#: how close to a bound a value is taken to be on the transformed scale (a share of the range):
#: a run at exactly 1.0 compliance has no logit, so it counts as 1 - 0.001
EDGE = 1e-3


def bounds_of(column: str) -> tuple[float | None, float | None]:
    """The values an outcome (or weeks to threshold) can take, as declared in
    :data:`normsim.simulation.outcomes.OUTCOMES`; (None, None) for anything else."""
    if column == "weeks_to_threshold":
        return (0.0, None)
    o = OUTCOMES.get(column)
    return o.bounds if o is not None else (None, None)


def bounded_ci(values, bounds=(None, None), level: float = LEVEL
               ) -> tuple[float, float, float, int]:
    """Mean and a 95% interval that stays inside ``bounds``: the t-interval on the logit scale
    for a quantity bounded on both sides (a share, a difference of shares), on the log scale
    for one bounded below (weeks, counts), back-transformed; widened to hold the mean where a
    skewed sample puts it outside. Unbounded: the plain t-interval (:func:`mean_ci`)."""
    lo_b, hi_b = bounds
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    m, lo, hi, n = mean_ci(x, level)
    if n < 2 or (lo_b is None and hi_b is None):
        return (m, lo, hi, n)
    if lo_b is not None and hi_b is not None:
        span = hi_b - lo_b
        u = np.clip((x - lo_b) / span, EDGE, 1 - EDGE)
        _, a, b, _ = mean_ci(np.log(u / (1 - u)), level)
        back = (lambda z: lo_b + span / (1 + np.exp(-z)))
    elif lo_b is not None:
        shift = x - lo_b
        _, a, b, _ = mean_ci(np.log1p(shift), level)
        back = (lambda z: lo_b + max(0.0, np.expm1(z)))  # log(1 + x) goes below 0 for z < 0
    else:
        _, a, b, _ = mean_ci(np.log1p(hi_b - x), level)
        a, b = b, a
        back = (lambda z: hi_b - max(0.0, np.expm1(z)))
    return (m, float(min(back(a), m)), float(max(back(b), m)), n)


def wilson(successes: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """A share and its Wilson score interval (Wilson 1927; inside [0, 1], sound at small n and
    at 0 or n successes, unlike the normal approximation)."""
    if n == 0:
        return (np.nan, np.nan, np.nan)
    z = stats.norm.ppf(0.5 + level / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (p, max(0.0, centre - half), min(1.0, centre + half))


def _ci_frame(groups, column: str) -> pd.DataFrame:
    bounds = bounds_of(column)
    rows = {key: bounded_ci(g[column], bounds) for key, g in groups}
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
                   "engagement_effect_final_year", "engagement_effect_during",
                   "engagement_effect_after", "violations_averted", "durability", "retention",
                   "weeks_to_commitment", "weeks_to_doctrine", "weeks_to_threshold"),
            stages=("final_stage", "highest_stage")) -> pd.DataFrame:
    """Per condition: the factor values, and each outcome's mean with its 95% interval (inside
    the outcome's bounds, :func:`bounded_ci`); the share of runs reaching the threshold with its
    Wilson interval; score-card stages (ordinal) as the median and range over runs, never a
    mean. ``*_n`` columns count the runs with a value."""
    table = conditions.copy()
    by = per_run_outcomes.groupby("condition")
    for name in names:
        if name not in per_run_outcomes:
            continue
        ci = _ci_frame(by, name)
        table[[f"{name}", f"{name}_ci_low", f"{name}_ci_high", f"{name}_n"]] = ci[
            ["mean", "ci_low", "ci_high", "n"]]
    table["replicates"] = by.size()
    if "weeks_to_threshold" in per_run_outcomes:
        shares = by["weeks_to_threshold"].apply(
            lambda s: pd.Series(wilson(int(s.notna().sum()), len(s)),
                                index=["share", "low", "high"])).unstack()
        table["share_reaching_threshold"] = shares["share"]
        table["share_reaching_threshold_ci_low"] = shares["low"]
        table["share_reaching_threshold_ci_high"] = shares["high"]
    for name in stages:
        if name in per_run_outcomes:
            q = by[name].quantile([0.0, 0.5, 1.0]).unstack()
            table[f"{name}_median"], table[f"{name}_min"], table[f"{name}_max"] = (
                q[0.5], q[0.0], q[1.0])
    return table


def stage_distribution(records: pd.DataFrame, conditions: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """Long format, one row per condition, measure and stage: the share of groups (over runs)
    that hold each score-card stage at the end (``measure`` = "stage at the end") and that
    reached it at some point (``measure`` = "highest stage reached"), with the runs counted and
    a Wilson interval; the factor values of the condition as columns."""
    records = first_norm(records)
    if "alive" in records:
        records = records[records["alive"].astype(bool) | (records["step"] == 0)]
    last = records[records["step"] == records.groupby(RUN)["step"].transform("max")]
    highest = records.groupby([*RUN, "group"])["stage"].max().reset_index()
    rows = []
    for measure, table in (("stage at the end", last), ("highest stage reached", highest)):
        for condition, g in table.groupby("condition"):
            counts = g["stage"].value_counts()
            for k, name in enumerate(STAGES):
                share, lo, hi = wilson(int(counts.get(k, 0)), len(g))
                rows.append({"condition": condition, "measure": measure, "stage": k,
                             "stage_name": name, "groups": len(g), "share": share,
                             "share_ci_low": lo, "share_ci_high": hi})
    out = pd.DataFrame(rows)
    if conditions is not None:
        out = conditions.reset_index().merge(out, on="condition", how="right")
    return out


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
        # deferred: SALib is heavy; only a sensitivity analysis needs it
        from SALib.analyze import sobol
        res = sobol.analyze(problem, y.to_numpy(), calc_second_order=False, conf_level=LEVEL,
                            seed=seed)
        table = pd.DataFrame({"S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                              "ST_conf": res["ST_conf"]}, index=manifest["factors"])
    else:
        # deferred: SALib is heavy; only a sensitivity analysis needs it
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
        "stages": stage_distribution(records, conditions),
        "outcomes": est["outcomes"],
    }
    if est["sensitivity"] is not None:
        tables["sensitivity"] = est["sensitivity"]
    return tables


__all__ = ["per_run", "mean_ci", "trajectories", "time_to_threshold", "run_outcomes", "effects",
           "stage_distribution", "stage_shares_over_time", "sensitivity", "estimates", "summarize",
           "OUTCOMES", "bounded_ci", "wilson", "bounds_of"]


def write_summary(out: str | Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write each table as CSV and Parquet in ``OUT/summary/`` (atomically), with a
    ``columns.md`` describing every column (:mod:`normsim.analysis.dictionary`); return the CSV
    paths."""
    # deferred: the columns' dictionary loads matplotlib (the figures' labels)
    from normsim.analysis.dictionary import write_table
    folder = Path(out) / "summary"
    return [write_table(folder, name, table, index=name == "effects")
            for name, table in tables.items()]


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
    fmt["stage at the end (median)"] = eff["final_stage_median"]
    fmt["highest stage reached (median)"] = eff["highest_stage_median"]
    lines.append(fmt.to_string(max_rows=40))
    return "\n".join(lines)
