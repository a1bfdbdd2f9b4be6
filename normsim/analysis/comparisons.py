"""Figures that compare conditions at the end of the runs: the effect of a factor, two factors
as a heatmap, and sensitivity indices. Each takes the per-run outcomes table of
:func:`normsim.analysis.results.load` (one row per run, with the factor values as columns) or the
sensitivity table, and returns a matplotlib Figure.

A factor with more than a handful of distinct values (LHS, Sobol, Morris samples) is cut into
equal-count bins; each point is then the mean over the runs of a bin, at their mean value.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure

from normsim.analysis.labels import factor_label, outcome_label, value_text, words
from normsim.analysis.style import PALETTE, apply_style, series_style, signed_text
from normsim.analysis.summaries import bounded_ci, bounds_of
from normsim.settings.schema import NEVER

CONTINUOUS = 6  # more distinct values than this: bin the factor
BINS = 5


def levels(outcomes: pd.DataFrame, factor: str, bins: int = BINS) -> pd.DataFrame:
    """Per run: the level of ``factor`` it belongs to (``level``, ordered), its text and its
    position on a numeric axis (the value, or the bin's mean value for a binned factor)."""
    col = outcomes[factor]
    if col.nunique() > CONTINUOUS:
        code = pd.qcut(col.astype(float), bins, labels=False, duplicates="drop").to_numpy()
        pos = col.astype(float).groupby(code).transform("mean").to_numpy()
        span = col.groupby(code).agg(["min", "max"])
        text = [f"{value_text(factor, span.at[c, 'min'])}–{value_text(factor, span.at[c, 'max'])}"
                for c in code]
        return pd.DataFrame({"level": code, "text": text, "pos": pos}, index=outcomes.index)
    values = col.to_numpy()
    numeric = col.dtype.kind in "iuf" and not (values == NEVER).any()
    if col.dtype.kind in "iufb":
        order = sorted(pd.unique(values), key=lambda v: (v == NEVER, v))
    else:  # names (a scenario, a type of group): in the order the experiment lists them
        order = list(pd.unique(values))
    code = np.array([order.index(v) for v in values])
    pos = values.astype(float) if numeric else code.astype(float)
    return pd.DataFrame({"level": code, "text": [value_text(factor, v) for v in values],
                         "pos": pos}, index=outcomes.index)


def effect_table(outcomes: pd.DataFrame, x: str, by: str | None = None,
                 column: str = "final_compliance") -> pd.DataFrame:
    """Per level of ``x`` (and of ``by``): mean of ``column`` over runs, 95% t-interval, runs
    counted, and how many have a value (for time to threshold: how many reached it)."""
    lx = levels(outcomes, x)
    keys = {"x_level": lx["level"], "x_text": lx["text"], "x_pos": lx["pos"]}
    if by is not None:
        lb = levels(outcomes, by, bins=3)
        keys.update({"by_level": lb["level"], "by_text": lb["text"]})
    table = pd.DataFrame(keys).assign(value=outcomes[column].to_numpy())
    group_keys = ["by_level", "x_level"] if by else ["x_level"]
    rows = []
    for key, g in table.groupby(group_keys, sort=True):
        m, lo, hi, _ = bounded_ci(g["value"], bounds_of(column))
        row = {"x_text": g["x_text"].iloc[0], "x_pos": g["x_pos"].mean(), "mean": m,
               "ci_low": lo, "ci_high": hi, "runs": len(g),
               "with_value": int(g["value"].notna().sum())}
        if by:
            row["by_text"] = g["by_text"].iloc[0]
        rows.append(dict(zip(group_keys, np.atleast_1d(key)), **row))
    return pd.DataFrame(rows)


def _draw_effect(ax, outcomes, x, by, column, show_runs, annotate_reached=False):
    table = effect_table(outcomes, x, by, column)
    lx = levels(outcomes, x)
    binned = outcomes[x].nunique() > CONTINUOUS
    lb = levels(outcomes, by, bins=3)["level"] if by else pd.Series(0, index=outcomes.index)
    groups = list(table.groupby("by_level", sort=True)) if by else [(0, table)]
    spread = float(np.ptp(table["x_pos"])) if len(table) > 1 else 1.0
    spread = spread or 1.0
    jitter = np.random.default_rng(0).uniform(-0.012, 0.012, len(outcomes)) * spread
    kinds = not pd.api.types.is_numeric_dtype(outcomes[x])  # names: no line between levels
    for i, (b, t) in enumerate(groups):
        style = series_style(i) if by else series_style(0)
        colour = style["color"]
        dodge = (i - (len(groups) - 1) / 2) * (0.06 if kinds else 0.015) * spread
        ok = t["mean"].notna()
        mean = t.loc[ok, "mean"]
        ax.errorbar(t.loc[ok, "x_pos"] + dodge, mean,
                    yerr=[mean - t.loc[ok, "ci_low"].fillna(mean),
                          t.loc[ok, "ci_high"].fillna(mean) - mean],
                    color=colour, marker=style["marker"], ms=7, lw=2.2, capsize=5, zorder=3,
                    ls="none" if kinds else style["linestyle"],
                    label=f"{words(by)}: {t['by_text'].iloc[0]}" if by else None)
        if show_runs:
            mask = (lb == b).to_numpy()
            at = (outcomes[x].astype(float).to_numpy() if binned
                  else lx["pos"].to_numpy() + dodge + jitter)
            ax.scatter(at[mask],
                       outcomes[column].to_numpy()[mask], s=10, color=colour, alpha=0.25, lw=0,
                       zorder=2)
        if annotate_reached:
            low = np.nanmin(table["ci_low"]) if table["ci_low"].notna().any() else 0.0
            for _, r in t.iterrows():
                y = r["mean"] if np.isfinite(r["mean"]) else low
                ax.annotate(f"{r['with_value']}/{r['runs']}", (r["x_pos"] + dodge, y),
                            textcoords="offset points", xytext=(8, 4), fontsize=9, color=colour)
    ticks = table.drop_duplicates("x_level")
    if not binned:
        ax.set_xticks(ticks["x_pos"], [textwrap.fill(t, 14) for t in ticks["x_text"]],
                      fontsize=10 if kinds else None)
    ax.set_xlabel(factor_label(x))
    return table


def plot_effect(outcomes: pd.DataFrame, x: str, by: str | None = None,
                threshold: float | None = None, title: str = "",
                column: str = "final_compliance") -> Figure:
    """``column`` (final compliance by default) and weeks to the threshold by level of ``x``
    (one series per level of ``by``): means over runs with 95% intervals; dots are single
    runs."""
    apply_style()
    fig = Figure(figsize=(13, 6.5), layout="constrained")
    left, right = fig.subplots(1, 2)
    _draw_effect(left, outcomes, x, by, column, show_runs=True)
    left.set_ylabel(textwrap.fill(outcome_label(column), 40))
    lo_b, hi_b = bounds_of(column)
    if hi_b is not None:
        left.set_ylim(top=min(hi_b, left.get_ylim()[1]))
    if lo_b == -1.0:
        left.axhline(0.0, color="0.3", lw=1)
    if threshold is not None and column == "final_compliance":
        left.axhline(threshold, color="0.3", lw=1, ls="--")
    _draw_effect(right, outcomes, x, by, "weeks_to_threshold", show_runs=False,
                 annotate_reached=True)
    thr = f" {threshold:g}" if threshold is not None else ""
    right.set_ylabel(f"weeks until compliance reaches{thr}\n(runs that reached it; "
                     "labels: reached/runs)")
    if by:
        handles, names = left.get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=min(4, len(names)),
                   frameon=False)
    fig.suptitle((title + "\n" if title else "") + f"Effect of {words(x)}: means over runs, "
                 "95% confidence intervals", fontsize=14)
    right.set_title("")
    return fig


def plot_engagement(outcomes: pd.DataFrame, x: str, by: str | None = None,
                    title: str = "") -> Figure:
    """What engagement did, measured against each run's twin without engagement, by level of
    ``x`` (one series per level of ``by``), for sampled designs: the engagement effect over the
    run, and the effect five years after engagement ended (or, where no engagement ended, in the
    final year). Factorial designs get :func:`normsim.analysis.brief.plot_brief`."""
    apply_style()
    fig = Figure(figsize=(13, 6), layout="constrained")
    left, right = fig.subplots(1, 2)
    _draw_effect(left, outcomes, x, by, "engagement_effect", show_runs=True)
    left.axhline(0.0, color="0.3", lw=1, ls="--")
    left.set_ylabel(outcome_label("engagement_effect").replace(": ", ":\n", 1))
    after = ("engagement_effect_after" in outcomes
             and outcomes["engagement_effect_after"].notna().any())
    column = "engagement_effect_after" if after else "engagement_effect_final_year"
    _draw_effect(right, outcomes, x, by, column, show_runs=True)
    for ax in (left, right):
        ax.annotate("0 = the same runs without engagement", (0, 0), xycoords=("axes fraction",
                    "data"), xytext=(3, 3), textcoords="offset points", fontsize=9, color="0.3")
    right.axhline(0.0, color="0.3", lw=1, ls="--")
    right.set_ylabel(outcome_label(column).replace(": ", ":\n", 1))
    if by:
        handles, names = left.get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=min(4, len(names)),
                   frameon=False)
    fig.suptitle((title + "\n" if title else "") + f"Engagement against the same runs without "
                 f"it, by {words(x)}: means over runs, 95% confidence intervals", fontsize=14)
    return fig


def plot_effects_grid(outcomes: pd.DataFrame, factors, column: str = "final_compliance",
                      title: str = "") -> Figure:
    """Sampled designs: ``column`` against each factor (runs as dots, binned means with 95%
    intervals), one panel per factor."""
    apply_style()
    factors = list(factors)
    cols = min(3, len(factors))
    rows = int(np.ceil(len(factors) / cols))
    fig = Figure(figsize=(4.6 * cols + 1, 3.9 * rows + 1), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, squeeze=False)).ravel()
    for ax, f in zip(axes, factors):
        _draw_effect(ax, outcomes, f, None, column, show_runs=True)
        ax.set_xlabel(factor_label(f), fontsize=11)
    for ax in axes[len(factors):]:
        ax.set_visible(False)
    for ax in axes[::cols]:
        ax.set_ylabel(outcome_label(column).split(" (")[0])
    fig.suptitle((title + "\n" if title else "") + f"{outcome_label(column)} against each factor:"
                 " runs (dots), binned means with 95% intervals", fontsize=13)
    return fig


def heatmap_table(outcomes: pd.DataFrame, x: str, y: str,
                  column: str = "final_compliance") -> pd.DataFrame:
    """Per level of ``x`` and ``y``: mean of ``column`` with its 95% interval and runs."""
    lx, ly = levels(outcomes, x, bins=4), levels(outcomes, y, bins=4)
    t = pd.DataFrame({"x_level": lx["level"], "x_text": lx["text"], "y_level": ly["level"],
                      "y_text": ly["text"], "value": outcomes[column]})
    rows = [(xl, yl, g["x_text"].iloc[0], g["y_text"].iloc[0],
             *bounded_ci(g["value"], bounds_of(column)))
            for (xl, yl), g in t.groupby(["x_level", "y_level"], sort=True)]
    return pd.DataFrame(rows, columns=["x_level", "y_level", "x_text", "y_text", "mean",
                                       "ci_low", "ci_high", "n"])


def plot_heatmap(outcomes: pd.DataFrame, x: str, y: str, column: str = "final_compliance",
                 title: str = "") -> Figure:
    """Mean ``column`` for each combination of two factors, with its 95% interval in the cell;
    a signed quantity (an effect) on a diverging scale centred on zero, in percentage points."""
    apply_style()
    t = heatmap_table(outcomes, x, y, column)
    signed = bounds_of(column)[0] == -1.0
    k = 100.0 if signed else 1.0  # a difference of shares in percentage points
    grid = t.pivot(index="y_level", columns="x_level", values="mean") * k
    xt = t.drop_duplicates("x_level").set_index("x_level")["x_text"].reindex(grid.columns)
    yt = t.drop_duplicates("y_level").set_index("y_level")["y_text"].reindex(grid.index)
    fig = Figure(figsize=(max(7.5, 2.2 * len(xt) + 3.5), max(5.5, 1.3 * len(yt) + 2.5)),
                 layout="constrained")
    ax = fig.subplots()
    vmin, vmax = np.nanmin(grid.to_numpy()), np.nanmax(grid.to_numpy())
    if signed:
        cmap, edge = colormaps["RdBu"], max(abs(vmin), abs(vmax), 1e-9)
        vmin, vmax = -edge, edge
    else:
        cmap = colormaps["viridis"]
    im = ax.imshow(grid.to_numpy(), cmap=cmap, vmin=vmin, vmax=vmax, origin="lower",
                   aspect="auto")
    digits = 1 if signed else 2
    show = (lambda v: signed_text(v, digits)) if signed else (lambda v: f"{v:.{digits}f}")
    for _, r in t.iterrows():
        i, j = list(grid.index).index(r["y_level"]), list(grid.columns).index(r["x_level"])
        m = r["mean"] * k
        shade = (m - vmin) / (vmax - vmin) if vmax > vmin else 0.5
        dark = abs(shade - 0.5) > 0.3 if signed else shade < 0.6
        ci = ("" if not np.isfinite(r["ci_low"]) else
              f"\n[{show(r['ci_low'] * k)}, {show(r['ci_high'] * k)}]")
        ax.text(j, i, f"{show(m)}{ci}\nn = {r['n']}", ha="center", va="center",
                fontsize=10, color="white" if dark else "black")
    ax.set_xticks(range(len(xt)), [textwrap.fill(v, 16) for v in xt], fontsize=10)
    ax.set_yticks(range(len(yt)), [textwrap.fill(v, 22) for v in yt], fontsize=10)
    ax.set_xlabel(factor_label(x))
    ax.set_ylabel(factor_label(y))
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(im, ax=ax, shrink=0.9)
    name = outcome_label(column).split(" (")[0].split(":")[0]
    bar.set_label(textwrap.fill(name + (" (percentage points)" if signed else ""), 40))
    fig.suptitle((title + "\n" if title else "") + f"{name}: mean over runs [95% CI]"
                 + (" in percentage points; 0 = no effect" if signed else ""), fontsize=13)
    return fig


def plot_sensitivity(table: pd.DataFrame, title: str = "") -> Figure:
    """Sobol first-order and total indices, or Morris mu* and sigma, with 95% intervals, as
    bars sorted by importance (most influential on top)."""
    apply_style()
    sobol = "ST" in table
    main, other = ("ST", "S1") if sobol else ("mu_star", "sigma")
    t = table.sort_values(main, ascending=True, ignore_index=True)
    fig = Figure(figsize=(12, 0.5 * len(t) + 2.5), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(t))
    h = 0.38
    if sobol:
        ax.barh(y + h / 2, t["ST"], h, xerr=t["ST_conf"], color=PALETTE[0], capsize=3,
                label="total order (ST): alone and in interactions")
        ax.barh(y - h / 2, t["S1"], h, xerr=t["S1_conf"], color=PALETTE[1], capsize=3,
                label="first order (S1): alone")
        ax.set_xlabel("Sobol index: share of the variance of the outcome")
        ax.axvline(0, color="0.3", lw=0.8)
    else:
        ax.barh(y + h / 2, t["mu_star"], h, xerr=t["mu_star_conf"], color=PALETTE[0],
                capsize=3, label="mu* (mean absolute elementary effect): influence")
        ax.barh(y - h / 2, t["sigma"], h, color=PALETTE[1],
                label="sigma: non-linearity or interactions")
        ax.set_xlabel("Morris elementary effect: change in the outcome over the factor's range")
    ax.set_yticks(y, [words(p) for p in t["parameter"]])
    ax.legend(loc="lower right", frameon=False)
    outcome = outcome_label(table["outcome"].iloc[0]).split(" (")[0] if "outcome" in t else ""
    kind = "Sobol indices" if sobol else "Morris screening"
    fig.suptitle((title + "\n" if title else "") + f"{kind} of {outcome}, 95% intervals",
                 fontsize=13)
    return fig
