"""Figures: each function takes tidy tables and returns a matplotlib Figure (for notebooks and
scripts alike); saving is the caller's business.

``run_trajectory`` draws one run. The ``plot_*`` functions draw a sweep over time, one line per
series: they take a table keyed by ``condition`` and ``replicate`` with a ``series`` column
(:meth:`normsim.analysis.results.Results.with_series` adds it; without one, all runs are one
series). Means carry a 95% t-interval over runs (:func:`normsim.analysis.summaries.trajectories`).
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from normsim.analysis.narrative import milestones
from normsim.analysis.style import (MAX_SERIES, MILESTONES, PALETTE, apply_style, label,
                                    series_style)
from normsim.world.integration import FACTORS
from normsim.simulation.records import STAGES

BAND = "95% confidence band of the mean"
FAINT_RUNS = 200  # at most this many single runs drawn per series

ROLLING_WEEKS = 13  # a quarter: smooths week-to-week noise in single-run trajectories


def run_trajectory(records: pd.DataFrame, events: pd.DataFrame | None = None,
                   title: str = "") -> Figure:
    """One run: compliance over time (weekly, and its 13-week mean) with milestones marked, and
    below it the integration factors, trust and the top commander's acceptance."""
    apply_style()
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    many = records["group"].nunique() > 1
    for i, (g, df) in enumerate(records.groupby("group")):
        colour = PALETTE[i % len(PALETTE)]
        name = f"group {g}" if many else "weekly"
        top.plot(df["step"], df["compliance_rate"], color=colour, alpha=0.25, lw=0.8)
        top.plot(df["step"], df["compliance_rate"].rolling(ROLLING_WEEKS, min_periods=1).mean(),
                 color=colour, lw=2.2, label=f"{name} ({ROLLING_WEEKS}-week mean)")
    top.set_ylabel(label("compliance_rate"))
    top.set_ylim(0, 1.02)
    top.legend(loc="lower right")
    if events is not None and len(events):
        _mark_milestones(top, events[events["group"] <= 0])
    first = records[records["group"] == records["group"].min()]
    for i, factor in enumerate(FACTORS):
        bottom.plot(first["step"], first[factor], color=PALETTE[i], lw=2, label=label(factor))
    bottom.plot(first["step"], first["trust"], color=PALETTE[4], lw=1.5, ls="--",
                label="trust")
    bottom.plot(first["step"], first["acceptance_strategic"], color=PALETTE[7], lw=1.5, ls=":",
                label="top commander's acceptance")
    bottom.set_ylim(0, 1.02)
    bottom.set_ylabel("level (0–1)" + ("  [group 0]" if many else ""))
    bottom.set_xlabel(label("step"))
    bottom.legend(loc="upper left", ncol=3, fontsize=9)
    if title:
        fig.suptitle(title)
    return fig


def _mark_milestones(ax, events: pd.DataFrame) -> None:
    for k, (_, ev) in enumerate(milestones(events).iterrows()):
        ax.axvline(ev["step"], color="0.5", lw=0.8, ls=":")
        ax.text(ev["step"], 0.03 + 0.07 * (k % 4), " " + MILESTONES[ev["kind"]], rotation=0,
                fontsize=8.5, color="0.25", va="bottom")


# -- sweeps over time ------------------------------------------------------------------------

def _series(table: pd.DataFrame, series: str) -> pd.DataFrame:
    if series in table:
        return table
    return table.assign(**{series: pd.Categorical(["all runs"] * len(table))})


def _levels(table: pd.DataFrame, series: str) -> list:
    col = table[series]
    cats = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else pd.unique(col)
    present = set(col.dropna().unique())
    return [c for c in cats if c in present]


def _mean_band(ax, table: pd.DataFrame, column: str, series: str, runs_faint: bool = False,
               lw: float = 2.4, twin: str | None = None) -> None:
    """Per series: the mean over runs with its 95% band (and each run, faint); each series its
    colour, marker and line style (:func:`normsim.analysis.style.series_style`); with ``twin``
    (a column of the same runs without engagement) its mean as a thin dotted line."""
    # deferred: summaries load scipy, needed only when a sweep is drawn
    from normsim.analysis.summaries import trajectories

    levels = _levels(table, series)
    codes = table[series].map({lev: i for i, lev in enumerate(levels)}).astype(int)
    est = trajectories(table.assign(condition=codes), column)
    other = (trajectories(table.assign(condition=codes), twin)
             if twin and twin in table and table[twin].notna().any() else None)
    n_runs = table.groupby(["condition", "replicate"]).ngroups
    for i, lev in enumerate(levels):
        style = series_style(i)
        colour = style["color"]
        if runs_faint:
            alpha = max(0.03, min(0.3, 10.0 / max(n_runs, 1)))
            mine = list(table[codes == i].groupby(["condition", "replicate"]))
            if len(mine) > FAINT_RUNS:  # a random subset keeps the figure readable
                keep = np.random.default_rng(0).choice(len(mine), FAINT_RUNS, replace=False)
                mine = [mine[k] for k in sorted(keep)]
            for _, run in mine:
                ax.plot(run["step"], run[column], color=colour, lw=0.6, alpha=alpha, zorder=1)
        e = est[est["condition"] == i]
        ax.fill_between(e["step"], e["ci_low"], e["ci_high"], color=colour, alpha=0.22, lw=0,
                        zorder=2)
        ax.plot(e["step"], e["mean"], lw=lw, label=str(lev), zorder=3,
                markevery=max(1, len(e) // 8), ms=7, **style)
        if other is not None:
            o = other[other["condition"] == i]
            ax.plot(o["step"], o["mean"], color=colour, lw=1.3, ls=":", zorder=3,
                    label=TWIN_LABEL)


TWIN_LABEL = "_twin"  # the twins' lines: named for tests, left out of legends (leading _)


def shade_engagement(ax, runs: pd.DataFrame) -> bool:
    """Shade the weeks in which at least half of the runs' groups were engaged; True if any."""
    if "engaged" not in runs:
        return False
    share = runs.groupby("step")["engaged"].mean()
    on = (share >= 0.5).to_numpy()
    steps = share.index.to_numpy()
    first = True
    for k in range(len(on)):
        if on[k] and (k == 0 or not on[k - 1]):
            stop = next((j for j in range(k, len(on)) if not on[j]), len(on))
            end = steps[stop] if stop < len(on) else steps[-1]
            ax.axvspan(steps[k], end, color="0.85", alpha=0.6, lw=0, zorder=0)
            first = False
    return not first


def _legend(fig: Figure, ax, n: int, extra: list | None = None) -> None:
    handles, names = ax.get_legend_handles_labels()
    for h, t in extra or []:
        handles.append(h)
        names.append(t)
    if n > 1 or extra:
        width = max(len(t) for t in names)
        fig.legend(handles, names, loc="outside lower center", ncol=1 if width > 45 else 2,
                   frameon=False)


def _finish(fig: Figure, title: str, subtitle: str) -> Figure:
    if title:
        fig.suptitle(title + (f"\n{subtitle}" if subtitle else ""), fontsize=14)
    return fig


def _panels(runs: pd.DataFrame, series: str) -> list[tuple[str, pd.DataFrame]]:
    """The figure's panels: by the ``panel`` column if there is one, else chunks of at most
    :data:`MAX_SERIES` series (more series than colours are never drawn in one panel)."""
    if "panel" in runs:
        return [(str(p), runs[runs["panel"] == p]) for p in _levels(runs, "panel")]
    levels = _levels(runs, series)
    if len(levels) <= MAX_SERIES:
        return [("", runs)]
    chunks = [levels[i:i + MAX_SERIES] for i in range(0, len(levels), MAX_SERIES)]
    return [("", runs[runs[series].isin(c)].assign(**{series: runs[series].cat.remove_categories(
        [x for x in runs[series].cat.categories if x not in c])})) for c in chunks]


def _grid(fig: Figure, n: int, **kw):
    cols = 1 if n == 1 else 2
    rows = math.ceil(n / cols)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False, **kw)).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return axes[:n], cols


def plot_trajectories(runs: pd.DataFrame, column: str = "compliance_rate", series: str = "series",
                      threshold: float | None = None, title: str = "") -> Figure:
    """Compliance (or ``column``) over time: per series the mean over runs with a 95% band,
    each run faint, the twins without engagement dotted, engagement shaded; a dashed line at
    ``threshold``. A ``panel`` column (or more series than colours) splits it into panels."""
    apply_style()
    runs = _series(runs, series)
    parts = _panels(runs, series)
    fig = Figure(figsize=(11 if len(parts) == 1 else 14,
                          6.5 if len(parts) == 1 else 3.6 * math.ceil(len(parts) / 2) + 2.5),
                 layout="constrained")
    axes, cols = _grid(fig, len(parts), sharex=True, sharey=True)
    twin = "compliance_counterfactual" if column == "compliance_rate" else None
    shaded = False
    for ax, (name, part) in zip(axes, parts):
        shaded = shade_engagement(ax, part) or shaded
        _mean_band(ax, part, column, series, runs_faint=True, twin=twin)
        if name:
            ax.set_title(textwrap.fill(name, 60), fontsize=11)
        if threshold is not None:
            ax.axhline(threshold, color="0.3", lw=1, ls="--")
            ax.annotate(f"threshold {threshold:g}", (1, threshold), xycoords=("axes fraction",
                        "data"), xytext=(-4, 3), textcoords="offset points", ha="right",
                        va="bottom", fontsize=9, color="0.3")
    low = np.nanmin(runs[column].to_numpy(dtype=float)) if len(runs) else 0.0
    if column in ("compliance_rate",):
        axes[0].set_ylim(max(0.0, math.floor(low * 10) / 10), 1.0)
    for i, ax in enumerate(axes):
        if i + cols >= len(axes):  # the lowest panel of its column
            ax.xaxis.set_tick_params(labelbottom=True)
            ax.set_xlabel(label("step"))
    for ax in axes[::cols]:
        ax.set_ylabel(textwrap.fill(label(column), 32))
    extra = []
    if twin and twin in runs and runs[twin].notna().any():
        extra.append((Line2D([], [], color="0.3", lw=1.3, ls=":"),
                      "dotted: the same runs without engagement (twins)"))
    if shaded:
        extra.append((Patch(color="0.85"), "shaded: weeks of engagement (most runs)"))
    handles_from = max(axes, key=lambda a: len(a.get_legend_handles_labels()[0]))
    _legend(fig, handles_from, runs[series].nunique(), extra)
    n = runs.drop_duplicates(["condition", "replicate"]).groupby(series, observed=True).size()
    count = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
    faint = "some single runs" if n.max() > FAINT_RUNS else "single runs"
    return _finish(fig, title, f"mean of {count} runs per line, {BAND}; faint lines: {faint}")


def plot_harm(runs: pd.DataFrame, series: str = "series", title: str = "") -> Figure:
    """Violations per 100 fighters per week and harm to communities over time, per series (mean,
    95% band), from week 1 (week 0 has no encounters yet)."""
    apply_style()
    runs = _series(runs, series)
    runs = runs[runs["step"] >= 1].assign(
        violations_per_100=lambda d: 100 * d["violations"] / d["fighters"].where(d["fighters"] > 0))
    fig = Figure(figsize=(11, 8), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    _mean_band(top, runs, "violations_per_100", series)
    _mean_band(bottom, runs, "community_harm", series)
    top.set_ylabel("violations per 100 fighters\nper week")
    bottom.set_ylabel(label("community_harm"))
    bottom.set_xlabel(label("step"))
    top.set_ylim(bottom=0)
    bottom.set_ylim(0, 1)
    _legend(fig, top, runs[series].nunique())
    return _finish(fig, title, f"mean over runs, {BAND}")


def plot_integration(runs: pd.DataFrame, series: str = "series", title: str = "") -> Figure:
    """The four integration factors over time, one panel each, per series (mean, 95% band)."""
    apply_style()
    runs = _series(runs, series)
    fig = Figure(figsize=(12, 8.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True, sharey=True).ravel()
    for ax, factor in zip(axes, FACTORS):
        _mean_band(ax, runs, factor, series)
        ax.set_title(label(factor).capitalize())
        ax.set_ylim(0, 1)
    for ax in axes[2:]:
        ax.set_xlabel(label("step"))
    for ax in axes[::2]:
        ax.set_ylabel("level (0–1)")
    _legend(fig, axes[0], runs[series].nunique())
    return _finish(fig, title, f"mean over runs, {BAND}")


def stage_colours() -> list:
    """One colour per score-card stage, light (no contact) to dark (integrated): viridis, a
    perceptually ordered map that reads with the common colour-vision deficiencies."""
    cmap = colormaps["viridis"]
    return [cmap(x) for x in np.linspace(0.97, 0.0, len(STAGES))]


def stage_shares(records: pd.DataFrame, series: str = "series") -> pd.DataFrame:
    """Per series and step: the share of groups (over runs) at each stage (columns 0 to 6)."""
    # deferred: summaries load scipy, needed only when a sweep is drawn
    from normsim.analysis.summaries import stage_shares_over_time

    records = _series(records, series)
    levels = _levels(records, series)
    codes = records[series].map({lev: i for i, lev in enumerate(levels)}).astype(int)
    shares = stage_shares_over_time(records.assign(condition=codes))
    shares.insert(0, series, [levels[c] for c in shares.pop("condition")])
    return shares


def plot_stages(records: pd.DataFrame, series: str = "series", title: str = "") -> Figure:
    """Score-card stages over time: per series, the share of groups at each stage (stacked)."""
    apply_style()
    records = _series(records, series)
    levels = _levels(records, series)
    cols = 1 if len(levels) == 1 else 2
    rows = math.ceil(len(levels) / cols)
    fig = Figure(figsize=(11 if cols == 1 else 13, 5.5 if rows == 1 else 3.6 * rows + 1),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)).ravel()
    colours = stage_colours()
    shares = stage_shares(records, series)
    for ax, lev in zip(axes, levels):
        s = shares[shares[series] == lev]
        ax.stackplot(s["step"], *[s[k] for k in range(len(STAGES))], colors=colours,
                     labels=[f"{k}: {name}" for k, name in enumerate(STAGES)], lw=0)
        ax.set_ylim(0, 1)
        ax.set_xlim(s["step"].min(), s["step"].max())
        if len(levels) > 1:
            ax.set_title(str(lev).replace(", ", "\n"), fontsize=11)
    for ax in axes[len(levels):]:
        ax.set_visible(False)
    for ax in axes[max(0, len(levels) - cols):len(levels)]:  # the lowest panel of each column
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_xlabel(label("step"))
    for ax in axes[::cols]:
        ax.set_ylabel("share of runs at stage")
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles[::-1], names[::-1], loc="outside right center", title="score-card stage",
               frameon=False)
    return _finish(fig, title, "share of runs (groups) at each stage of the score card")
