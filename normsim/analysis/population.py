"""Population curves: how many groups have committed to each norm by each year, and how many
comply, by type -- from the tidy table (one row per week, group and norm).

Plain tables in, plain tables out; :func:`restraint` is the model's counterpart of Stanton's
(2016) population pattern (which groups used no strategy of violence against civilians);
:func:`plot_signatories` draws the cumulative signatory curve
with its band over replicates beside the observed counts (:mod:`normsim.settings.data`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from normsim.analysis.summaries import mean_ci

WEEKS_PER_YEAR = 52


def signatories(records: pd.DataFrame, by=("condition", "replicate")) -> pd.DataFrame:
    """Per run, norm and recorded week: how many distinct groups have committed at least once
    (a cumulative count: groups stay counted after they end, as the data count them)."""
    by = [c for c in by if c in records]
    first = (records[records["commitments"] > 0]
             .groupby([*by, "norm", "group"], observed=True)["step"].min().rename("first"))
    weeks = records[[*by, "norm", "step"]].drop_duplicates()
    merged = weeks.merge(first.reset_index(), on=[*by, "norm"], how="left")
    merged["counted"] = merged["first"] <= merged["step"]
    out = merged.groupby([*by, "norm", "step"], observed=True)["counted"].sum()
    return out.rename("signatories").reset_index()


def yearly(records: pd.DataFrame, threshold: float = 0.9,
           by=("condition", "replicate")) -> pd.DataFrame:
    """Per run, year, norm and type of group: living groups, the share committed, the share
    complying (yearly compliance at or above ``threshold``) and mean compliance."""
    by = [c for c in by if c in records]
    live = records[records["alive"].astype(bool) & (records["step"] >= 1)].assign(
        year=lambda d: (d["step"] - 1) // WEEKS_PER_YEAR)
    per_group = live.groupby([*by, "year", "norm", "type", "group"], observed=True).agg(
        occasions=("occasions", "sum"), violations=("violations", "sum"),
        committed=("committed", "last"))
    per_group["compliance"] = 1.0 - per_group["violations"] / per_group["occasions"].where(
        per_group["occasions"] > 0)
    per_group["complying"] = per_group["compliance"] >= threshold
    out = per_group.groupby(level=[*by, "year", "norm", "type"], observed=True).agg(
        groups=("committed", "size"), committed_share=("committed", "mean"),
        complying_share=("complying", "mean"), mean_compliance=("compliance", "mean"))
    return out.reset_index()


#: a leadership "stands for" a norm when its willingness is at least this (the midpoint: more for
#: the norm than against it; not fitted to any figure)
RESTRAINED = 0.5


def restraint(records: pd.DataFrame, norm: str = "civilians", threshold: float = RESTRAINED,
              by=("condition", "replicate")) -> pd.DataFrame:
    """Per run and group, over its life (living weeks after the start): compliance with ``norm``
    at its fighters' encounters, its leadership's mean *willingness* -- the larger of the top
    commander's acceptance and the restraint it instructs, as in
    :func:`normsim.rules.leadership.willingness` -- and ``used_none``: willingness at least
    ``threshold``. Stanton (2016) codes strategies of violence (massacres, scorched earth,
    cleansing, terror bombing), which a leadership chooses, not the violations of single fighters
    (her restrained groups still commit some); the leadership's willingness is the model's one
    stance of a group's command on a norm, so it is the counterpart of having used none."""
    by = [c for c in by if c in records]
    live = records[records["alive"].astype(bool) & (records["step"] >= 1)
                   & (records["norm"] == norm)]
    live = live.assign(willingness=np.maximum(live["acceptance_strategic"], live["instruction"]))
    out = live.groupby([*by, "group", "type"], observed=True).agg(
        occasions=("occasions", "sum"), violations=("violations", "sum"),
        willingness=("willingness", "mean")).reset_index()
    out["compliance"] = 1.0 - out["violations"] / out["occasions"].where(out["occasions"] > 0)
    out["used_none"] = out["willingness"] >= threshold
    return out


def band(curves: pd.DataFrame, value: str, keys=("norm", "step")) -> pd.DataFrame:
    """Mean and 95% t-interval of ``value`` over replicates, per ``keys``."""
    rows = [(*key, *mean_ci(g[value])) for key, g in curves.groupby(list(keys), observed=True)]
    return pd.DataFrame(rows, columns=[*keys, "mean", "ci_low", "ci_high", "n"])


def plot_signatories(curves: pd.DataFrame, observed: pd.DataFrame | None = None, *,
                     start_year: int = 0, fit_until: float | None = None, title: str = "",
                     quantiles: pd.DataFrame | None = None):
    """The cumulative number of signatory groups over time: mean and 95% band over replicates
    (or given predictive ``quantiles``: columns step, q05, q50, q95), beside observed counts
    (filled: fitted; open: held out; triangles: lower bounds)."""
    # deferred: matplotlib is heavy; the calibration's runs need only the counts
    from matplotlib.figure import Figure

    from normsim.analysis.style import PALETTE, apply_style

    apply_style()
    fig = Figure(figsize=(8.0, 4.8), layout="constrained")
    ax = fig.add_subplot()
    to_year = (lambda w: start_year + np.asarray(w) / WEEKS_PER_YEAR) if start_year else (
        lambda w: np.asarray(w) / WEEKS_PER_YEAR)
    if quantiles is not None:
        x = to_year(quantiles["step"])
        ax.fill_between(x, quantiles["q05"], quantiles["q95"], color=PALETTE[0], alpha=0.25,
                        lw=0, label="90% predictive interval")
        ax.plot(x, quantiles["q50"], color=PALETTE[0], lw=2.5, label="median prediction")
    else:
        b = band(curves, "signatories", keys=("step",))
        x = to_year(b["step"])
        ax.fill_between(x, b["ci_low"], b["ci_high"], color=PALETTE[0], alpha=0.25, lw=0,
                        label="95% interval of the mean")
        ax.plot(x, b["mean"], color=PALETTE[0], lw=2.5, label="model: mean over replicates")
    if observed is not None and len(observed):
        fitted = observed["year"] <= (fit_until if fit_until is not None else np.inf)
        for mask, face, words in ((fitted, PALETTE[3], "observed (fitted)"),
                                  (~fitted, "white", "observed (held out)")):
            for kind, marker in (("exact", "o"), ("lower_bound", "^")):
                sel = observed[mask & (observed["kind"] == kind)]
                if len(sel):
                    label = words + (" - lower bound" if kind == "lower_bound" else "")
                    ax.scatter(sel["year"], sel["count"], marker=marker, s=70, zorder=3,
                               facecolor=face, edgecolor=PALETTE[3], lw=1.8, label=label)
    ax.set_xlabel("year" if start_year else "years")
    ax.set_ylabel("groups that have committed (cumulative)")
    ax.set_title(title or "Groups that have committed, over time")
    ax.legend(loc="upper left", frameon=False)
    return fig
