"""Findings over a posterior: a posterior design's outcomes as probabilities over calibrated
uncertainty (:mod:`normsim.sweeps.posterior`).

Each draw of a posterior design is one parameter vector drawn from the calibration's posterior,
run in every condition with the same seeds. Per draw and condition, the outcome is averaged
over the replicates that share the draw; then, for each level of the other factors (e.g. each
type of group), the share of draws in which one level of the compared factor (the scenario
factor, e.g. the kind of engager; else the first factor) does better than another -- P(dialogue's
effect > the deed's | people's-war group) -- and the share in which each level is the best.

**Interval: Jeffreys, not a bootstrap.** The draws are independent (each its own generator) and
identically distributed (each picks a particle by weight), so the number of draws in which A
beats B is binomial given the posterior, and its 95% interval is the Jeffreys interval, the
central 95% of Beta(k + 1/2, n - k + 1/2), with 0 (k = 0) and 1 (k = n) as its ends there
(Brown, Cai and DasGupta 2001, Statistical Science 16:101-133: good coverage for small n). A
bootstrap over draws would give a zero-width interval whenever every draw agrees -- exactly where
few draws say least. What the interval covers: the Monte-Carlo error of drawing n times from the
posterior the calibration wrote (its particles as they are), and each draw's own chance (its
replicates' seeds, unless many replicates share a draw); not how well those particles
approximate the true posterior. Ties (equal means, e.g. two effects of exactly 0) count as
neither better and are reported.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from normsim.analysis.labels import factor_label, value_text, words
from normsim.analysis.results import Results, dotted
from normsim.analysis.tables import md_table
from normsim.sweeps.posterior import DRAW, DRAWN

LEVEL = 0.95


def is_posterior_design(res: Results) -> bool:
    return bool(res.manifest.get("posterior"))


def jeffreys(k: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Share k / n and its Jeffreys interval (NaN without draws)."""
    if n == 0:
        return np.nan, np.nan, np.nan
    a = (1 - level) / 2
    low = 0.0 if k == 0 else float(stats.beta.ppf(a, k + 0.5, n - k + 0.5))
    high = 1.0 if k == n else float(stats.beta.ppf(1 - a, k + 0.5, n - k + 0.5))
    return k / n, low, high


def compared_factor(res: Results) -> str:
    """The factor whose levels are compared: the scenario factor if any, else the first."""
    return "scenario" if "scenario" in res.factors else res.factors[0]


def draws_of_runs(res: Results) -> pd.DataFrame:
    """Per run: its draw and the values it drew (from the run's table)."""
    cols = [c for c in res.records.columns if c == DRAW or c.startswith(DRAWN)]
    return res.records.groupby(["condition", "replicate"])[cols].first().reset_index()


def per_draw(res: Results, outcome: str) -> pd.DataFrame:
    """Per condition and draw: the outcome's mean over the replicates sharing the draw, with
    the factor values."""
    runs = res.outcomes.merge(draws_of_runs(res)[["condition", "replicate", DRAW]],
                              on=["condition", "replicate"])
    means = runs.groupby(["condition", DRAW])[outcome].mean().rename(outcome).reset_index()
    return means.merge(res.conditions, left_on="condition", right_index=True)


def probabilities(res: Results, outcome: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``pairs``: per level of the other factors and ordered pair (a, b) of the compared
    factor's levels, P(outcome under a > under b) over draws with its Jeffreys interval, the
    ties and the draws counted; ``best``: per level of the other factors and level a, P(a is
    the highest) likewise. Draws where either outcome is not measured are left out."""
    compared = compared_factor(res)
    given = [f for f in res.factors if f != compared]
    table = per_draw(res, outcome)
    levels = list(pd.unique(res.conditions[compared]))
    pairs, best = [], []
    groups = table.groupby(given, sort=False) if given else [((), table)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        wide = g.pivot_table(index=DRAW, columns=compared, values=outcome, aggfunc="first")
        wide = wide.reindex(columns=levels)
        fixed = dict(zip(given, key))
        for a, b in itertools.permutations(levels, 2):
            both = wide[[a, b]].dropna()
            k, ties = int((both[a] > both[b]).sum()), int((both[a] == both[b]).sum())
            p, low, high = jeffreys(k, len(both))
            pairs.append({**fixed, "level": a, "other": b, "probability": p, "p_low": low,
                          "p_high": high, "ties": ties, "draws": len(both)})
        full = wide.dropna()
        top = full.max(axis=1)
        unique = (full.eq(top, axis=0).sum(axis=1) == 1)
        for a in levels:
            k = int((full[a].eq(top) & unique).sum())
            p, low, high = jeffreys(k, len(full))
            best.append({**fixed, "level": a, "probability": p, "p_low": low, "p_high": high,
                         "draws": len(full)})
    return pd.DataFrame(pairs), pd.DataFrame(best)


def over_draws(res: Results, outcome: str) -> pd.DataFrame:
    """Per condition: the median of the per-draw means and their 5% and 95% quantiles (how the
    outcome varies over the posterior), and the draws counted."""
    table = per_draw(res, outcome).dropna(subset=[outcome])
    q = table.groupby("condition")[outcome].quantile([0.05, 0.5, 0.95]).unstack()
    out = res.conditions.copy()
    out["median"], out["q05"], out["q95"] = q[0.5], q[0.05], q[0.95]
    out["draws"] = table.groupby("condition").size()
    return out


def calibrated(res: Results) -> list[str]:
    """Which parameters were drawn from the posterior, which of the posterior's were left out,
    and that everything else is an assumption; in Markdown."""
    post = res.manifest["posterior"]
    drawn = draws_of_runs(res)
    rows = []
    for name in post["drawn"]:
        x = drawn[DRAWN + name]
        q = x.quantile([0.05, 0.5, 0.95])
        rows.append(f"| `{dotted(name)}` | {factor_label(name)} | {q[0.5]:.3g} "
                    f"[{q[0.05]:.3g}, {q[0.95]:.3g}] |")
    n_draws = drawn[DRAW].nunique()
    lines = ["## Calibrated and assumed", "",
             f"Drawn from the posterior `{post['file']}` ({post['particles']} weighted particles, "
             f"`{post['content'][:19]}`): {n_draws} draws, each replicate one (replicate r uses "
             f"draw r mod {post['draws'] or 'replicates'}), the same in every condition. An "
             "engager kind's parameter is set only in the runs of scenarios with that kind.", "",
             "| calibrated parameter | meaning | drawn: median [5%, 95%] |", "|---|---|---|",
             *rows, ""]
    if post["unused"]:
        lines += ["In the posterior but not carried over (the experiment file says why): "
                  + ", ".join(f"`{u}`" for u in post["unused"]) + ".", ""]
    lines += ["**Every other parameter is an assumption**: the factors and fixed values above, "
              "and the base scenarios' values or the defaults (their sources in 'Where the "
              "values come from'; `normsim parameters`).", ""]
    return lines


def section(res: Results, outcomes, write) -> list[str]:
    """The report's sections on a posterior design: what is calibrated, then for each of
    ``outcomes`` that the runs measure, per level of the other factors, the probability that
    each level of the compared factor does best and does better than each other, with Jeffreys
    intervals. ``write(name, table)`` saves a table."""
    lines = calibrated(res)
    for outcome in outcomes:
        if outcome in res.outcomes and res.outcomes[outcome].notna().any():
            lines += _over_the_posterior(res, outcome, write)
    return lines


def _over_the_posterior(res: Results, outcome: str, write) -> list[str]:
    compared = compared_factor(res)
    given = [f for f in res.factors if f != compared]
    pairs, best = probabilities(res, outcome)
    spread = over_draws(res, outcome)
    write(f"posterior_pairs_{outcome}", pairs)
    write(f"posterior_best_{outcome}", best)
    write(f"posterior_spread_{outcome}", spread.reset_index())
    lines = [
        f"## Over the posterior: {words(outcome)}", "",
        f"Per draw, the outcome ({outcome}) is averaged over the replicates sharing the draw; "
        f"a probability is the share of draws in which a {words(compared)} does better, with "
        "its 95% Jeffreys interval (a Beta interval: the draws are independent, so the count "
        "is binomial; unlike a bootstrap it does not collapse when every draw agrees). It "
        "covers the draws' Monte-Carlo error and each draw's chance, not how well the "
        "calibration's particles approximate the posterior. Ties count as neither better. "
        f"Tables: [posterior_best_{outcome}.csv](posterior_best_{outcome}.csv), "
        f"[posterior_pairs_{outcome}.csv](posterior_pairs_{outcome}.csv), "
        f"[posterior_spread_{outcome}.csv](posterior_spread_{outcome}.csv).", ""]

    def given_text(row) -> str:
        return ", ".join(value_text(f, row[f]) for f in given) or "all runs"

    t = pd.DataFrame({
        **({"given": [given_text(r) for _, r in best.iterrows()]} if given else {}),
        words(compared): [value_text(compared, v) for v in best["level"]],
        f"{words(outcome)} over the posterior: median [5%, 95%]": [
            _spread(spread, compared, given, r) for _, r in best.iterrows()],
        "P(the best) [95%]": [_p(*r) for r in best[["probability", "p_low", "p_high"]].to_numpy()],
        "draws": best["draws"].to_numpy()})
    lines += md_table(t)
    shown = pairs[pairs["level"].map(lambda v: list(pd.unique(res.conditions[compared])).index(v))
                  < pairs["other"].map(lambda v: list(pd.unique(res.conditions[compared])).index(v))]
    t = pd.DataFrame({
        **({"given": [given_text(r) for _, r in shown.iterrows()]} if given else {}),
        "comparison": [f"P({value_text(compared, a)} > {value_text(compared, b)})"
                       for a, b in shown[["level", "other"]].to_numpy()],
        "probability [95%]": [_p(*r) for r in shown[["probability", "p_low", "p_high"]].to_numpy()],
        "ties": shown["ties"].to_numpy(), "draws": shown["draws"].to_numpy()})
    return lines + md_table(t)


def _spread(spread: pd.DataFrame, compared: str, given: list[str], row) -> str:
    match = spread[(spread[compared] == row["level"])
                   & np.logical_and.reduce([spread[f] == row[f] for f in given] or [True])]
    if match.empty or not np.isfinite(match["median"].iloc[0]):
        return "not measured"
    m = match.iloc[0]
    return f"{m['median']:.3f} [{m['q05']:.3f}, {m['q95']:.3f}]"


def _p(p: float, low: float, high: float) -> str:
    return "—" if not np.isfinite(p) else f"{p:.2f} [{low:.2f}, {high:.2f}]"


__all__ = ["jeffreys", "probabilities", "over_draws", "per_draw", "calibrated", "section",
           "is_posterior_design", "compared_factor"]
