"""Outcomes of a run, declared as data: what a study would report.

Each outcome reduces a run's tidy table (the rows of its first norm) to one number. Levels
(final compliance) are here, but the outcomes a study reports are measured against the same run
without engagement -- its twin, with the same seed and every engager removed
(:mod:`normsim.simulation.counterfactual`): the engagement's effect, the violations it averted, the time
to a commitment or a doctrine, and how much of the gain is still there five years after the
engagement ends. Without a twin (no ``compliance_counterfactual`` column) those are NaN.
``retention`` also needs the lasting twin, the same run whose engagement never ends
(``violations_lasting`` and ``occasions_lasting``: an experiment asks for it with
``retention = true``).

``outcomes(table)`` gives a dict for one run; ``outcomes(table, by=["condition",
"replicate"])`` a DataFrame with one row per run, computed for all runs at once. SALib, EMA
Workbench, Dask and the sweep runner all read a run through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from normsim.world.integration import DOCTRINE_ADOPTED
from normsim.simulation.records import primary

FINAL_WEEKS = 52
DURABILITY_YEARS = 5
WEEKS_PER_YEAR = 52
MIN_GAIN = 0.005  # a gain smaller than this at the end of engagement has no durability to speak of
TWIN = "compliance_counterfactual"
LASTING = "occasions_lasting"  # the lasting twin's columns are there (normsim.simulation.counterfactual)


@dataclass(frozen=True)
class Outcome:
    name: str
    words: str  #: in words, with units, for axes and reports
    reduce: Callable[[pd.DataFrame, list], pd.Series]  #: table, run keys -> one value per run
    #: the values it can take, (low, high) with None where open: intervals stay inside them
    bounds: tuple[float | None, float | None] = (None, None)
    ordinal: bool = False  #: a rank (the score-card stage): report its distribution, not a mean


SHARE, DIFFERENCE, WEEKS, COUNT = (0.0, 1.0), (-1.0, 1.0), (0.0, None), (0.0, None)


# -- building blocks: each takes the table and the run keys, returns a Series per run ----------

def _final_year(df: pd.DataFrame, by: list) -> pd.Series:
    return df["step"] > df.groupby(by)["step"].transform("max") - FINAL_WEEKS


def _living(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["alive"].astype(bool) & (df["step"] >= 1)]


def _mean(column: str, final: bool = False):
    def reduce(df, by):
        sel = df[_final_year(df, by)] if final else df
        return _living(sel).groupby(by)[column].mean()
    return reduce


def _at_last(column: str):
    def reduce(df, by):
        last = df["step"] == df.groupby(by)["step"].transform("max")
        return df[last].groupby(by)[column].mean()
    return reduce


def _max(column: str):
    return lambda df, by: df.groupby(by)[column].max()


def _pooled(df: pd.DataFrame, by: list) -> pd.DataFrame:
    """Per run and recorded week, over living groups: compliance, the twin's, and engagement."""
    live = _living(df)
    cols = ["occasions", "violations", "fighters"]
    if TWIN in df:
        cols += ["occasions_counterfactual", "violations_counterfactual"]
    if LASTING in df:
        cols += ["occasions_lasting", "violations_lasting"]
    sums = live.groupby([*by, "step"])[cols].sum()
    out = pd.DataFrame({"compliance": 1.0 - sums["violations"] / sums["occasions"].where(
        sums["occasions"] > 0), "violations": sums["violations"], "fighters": sums["fighters"]})
    if TWIN in df:
        out["twin"] = 1.0 - sums["violations_counterfactual"] / sums[
            "occasions_counterfactual"].where(sums["occasions_counterfactual"] > 0)
        out["twin_violations"] = sums["violations_counterfactual"]
    if LASTING in df:
        out["lasting"] = 1.0 - sums["violations_lasting"] / sums["occasions_lasting"].where(
            sums["occasions_lasting"] > 0)
    out["engaged"] = df.groupby([*by, "step"])["engaged"].any()
    return out.reset_index()


def _nan(df, by) -> pd.Series:
    return df.groupby(by)["step"].max() * np.nan


def _effect(final: bool):
    def reduce(df, by):
        if TWIN not in df:
            return _nan(df, by)
        p = _pooled(df, by)
        if final:
            p = p[_final_year(p, by)]
        return (p["compliance"] - p["twin"]).groupby([p[k] for k in by]).mean()
    return reduce


def _averted(df, by):
    if TWIN not in df:
        return _nan(df, by)
    p = _pooled(df, by).groupby(by)[["violations", "twin_violations"]].sum()
    return 1.0 - p["violations"] / p["twin_violations"].where(p["twin_violations"] > 0)


def _violations_per_fighter_year(df, by):
    p = _pooled(df, by)
    p = p[_final_year(p, by)]
    return (p["violations"] / p["fighters"]).groupby([p[k] for k in by]).mean() * WEEKS_PER_YEAR


def _weeks_to(flag: Callable[[pd.DataFrame], pd.Series]):
    """Mean over the groups that got there of the first week they did (NaN if none did)."""
    def reduce(df, by):
        first = df[flag(df)].groupby([*by, "group"])["step"].min()
        out = first.groupby(level=list(range(len(by)))).mean().astype(float)
        return out.reindex(df.groupby(by)["step"].max().index)
    return reduce


def _windows(df, by):
    """Per run and recorded week: the gain over the twin, and whether the week lies in the
    engagement (``during``) or in the fifth year after it ended (``after``); per run, whether the
    fifth year after is in the run (``measurable``: engagement ended and the run went on long
    enough)."""
    p = _pooled(df, by)
    keys = [p[k] for k in by]
    last = p.groupby(keys)["step"].transform("max")
    end = p["step"].where(p["engaged"]).groupby(keys).transform("max") + 1
    still_on = p["engaged"] & (p["step"] == last)
    later = end + DURABILITY_YEARS * WEEKS_PER_YEAR
    p["gain"] = p["compliance"] - p["twin"]
    p["before"] = (p["step"] >= end - WEEKS_PER_YEAR) & (p["step"] < end)
    p["during"] = p["engaged"] & (p["step"] >= 1)
    p["after"] = (p["step"] >= later - WEEKS_PER_YEAR) & (p["step"] < later)
    ok = ((last >= later - 1) & ~still_on.groupby(keys).transform("any")).groupby(keys).all()
    return p, keys, ok


def _effect_during(df, by):
    """Mean gain over the twin in the weeks the group was engaged (NaN if never engaged)."""
    if TWIN not in df:
        return _nan(df, by)
    p, keys, _ = _windows(df, by)
    return p["gain"].where(p["during"]).groupby(keys).mean()


def _effect_after(df, by):
    """Mean gain over the twin in the fifth year after the engagement ended (NaN where that
    year is not in the run)."""
    if TWIN not in df:
        return _nan(df, by)
    p, keys, ok = _windows(df, by)
    return p["gain"].where(p["after"]).groupby(keys).mean().where(ok)


def _durability(df, by):
    """Share of the gain over the twin in the year before the engagement ended that is still
    there in the fifth year after (NaN where engagement never ends or is still on at the end,
    the run stops too early, or there was no gain to keep). A ratio: unbounded and noisy where
    the gain was small; :func:`_effect_after` is the same year's gain in percentage points."""
    if TWIN not in df:
        return _nan(df, by)
    p, keys, ok = _windows(df, by)
    g_before = p["gain"].where(p["before"]).groupby(keys).mean()
    g_after = p["gain"].where(p["after"]).groupby(keys).mean()
    return (g_after / g_before.where(g_before > MIN_GAIN)).where(ok)


def _retention(df, by):
    """The engagement's effect in the fifth year after it ended, divided by the effect in the
    same weeks of the lasting twin (the same run, same seed, whose engagement never ends): 1 if
    leaving costs nothing, 0 if nothing is left, above 1 if the group does better after the
    engager left. NaN where the lasting engagement's own effect there is within
    :data:`MIN_GAIN` of 0 (no effect to retain: the ratio would be noise), where the fifth year
    after is not in the run or engagement never ends, and without the lasting twin."""
    if TWIN not in df or LASTING not in df:
        return _nan(df, by)
    p, keys, ok = _windows(df, by)
    kept = p["gain"].where(p["after"]).groupby(keys).mean()
    lasting = (p["lasting"] - p["twin"]).where(p["after"]).groupby(keys).mean()
    return (kept / lasting.where(lasting.abs() > MIN_GAIN)).where(ok)


_DECLARED = [
    Outcome("final_compliance", "final compliance (share of occasions that respect the norm, "
            "last 52 weeks)", _mean("compliance_rate", final=True), SHARE),
    Outcome("mean_compliance", "mean compliance over the run (share of occasions that respect "
            "the norm)", _mean("compliance_rate"), SHARE),
    Outcome("engagement_effect", "engagement effect: mean compliance minus the twin's without "
            "engagement, over the run", _effect(final=False), DIFFERENCE),
    Outcome("engagement_effect_final_year", "engagement effect in the final year (compliance "
            "minus the twin's)", _effect(final=True), DIFFERENCE),
    Outcome("engagement_effect_during", "engagement effect while engaged (compliance minus the "
            "twin's, weeks of engagement)", _effect_during, DIFFERENCE),
    Outcome("engagement_effect_after", "engagement effect five years after it ended "
            "(compliance minus the twin's, fifth year after)", _effect_after, DIFFERENCE),
    Outcome("violations_averted", "share of the twin's violations averted by engagement",
            _averted, (None, 1.0)),
    Outcome("durability", "durability: share of the gain at the end of engagement still there "
            "5 years later (a ratio)", _durability),
    Outcome("retention", "retention: effect 5 years after engagement ended, as a share of the "
            "effect at that date had engagement never ended (a ratio)", _retention),
    Outcome("weeks_to_commitment", "weeks until the group commits publicly",
            _weeks_to(lambda df: df["committed"].astype(bool)), WEEKS),
    Outcome("weeks_to_doctrine", "weeks until the norm is in the group's doctrine",
            _weeks_to(lambda df: df["doctrine"] >= DOCTRINE_ADOPTED), WEEKS),
    Outcome("violations_per_fighter_year", "violations per fighter per year (final year)",
            _violations_per_fighter_year, COUNT),
    Outcome("final_acceptance", "fighters' final acceptance of the norm (0–1)",
            _mean("acceptance_fighters", final=True), SHARE),
    Outcome("final_internalised", "fighters' final internalised gain (baseline above their "
            "starting view, 0–1)", _mean("internalised_fighters", final=True), DIFFERENCE),
    Outcome("final_doctrine", "final level of the norm in doctrine (0–1)", _at_last("doctrine"),
            SHARE),
    Outcome("final_trust", "final engager–group trust (0–1)", _at_last("trust"), SHARE),
    Outcome("final_stage", "score-card stage held at the end (0–6; it falls back when its "
            "conditions lapse)", _at_last("stage"), (0.0, 6.0), ordinal=True),
    Outcome("highest_stage", "highest score-card stage reached during the run (0–6)",
            _max("stage"), (0.0, 6.0), ordinal=True),
    Outcome("commitments", "public commitments made", _at_last("commitments"), COUNT),
]
#: outcome name -> its declaration (name, words, reducer)
OUTCOMES: dict[str, Outcome] = {o.name: o for o in _DECLARED}


def outcomes(table: pd.DataFrame, names=None, by=None):
    """Reduce a run's tidy table to its outcomes (all of :data:`OUTCOMES` by default), on the
    rows of each run's first norm.

    With ``by`` (e.g. ``["condition", "replicate"]``), reduce many runs at once: a DataFrame with
    one row per run instead of a dict.
    """
    chosen = [OUTCOMES[n] for n in (names or OUTCOMES)]
    keys = list(by) if by else ["_run"]
    df = table.assign(_run=0) if not by else table
    if "norm" in df and df["norm"].nunique() > 1:
        first = df.groupby(keys)["norm"].transform("first")
        df = df[df["norm"] == first]
    out = pd.DataFrame({o.name: o.reduce(df, keys) for o in chosen})
    if by:
        return out
    return {k: (float(v) if pd.notna(v) else np.nan) for k, v in out.iloc[0].items()}


__all__ = ["OUTCOMES", "Outcome", "outcomes", "primary", "FINAL_WEEKS"]
