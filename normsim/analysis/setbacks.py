"""How a setback in one integration factor propagates to the others: an event-aligned average.

For every ``setback`` event (its ``detail`` names the factor hit), take the group's records in a
window around it, measure each factor's change since the last record before the setback, and
average over setbacks of the same factor with a 95% t-interval. Records may be every few weeks,
so lags are binned on the recording period: bin 0 holds the first record at or after the week of
the setback, bin -k the last record before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from normsim.analysis.style import apply_style, label, series_style
from normsim.analysis.summaries import mean_ci
from normsim.world.integration import FACTORS

KEYS = ["condition", "replicate", "group"]


def aligned_setbacks(records: pd.DataFrame, events: pd.DataFrame, record_every: int = 1,
                     before: int = 52, after: int = 104) -> pd.DataFrame:
    """Per factor hit, lag (weeks, binned) and factor: the mean change of the factor's level since
    the last record before the setback, its 95% interval and the number of setbacks averaged.

    ``records``: the group-level tidy table of a sweep; ``events``: its event log.
    """
    columns = ["hit", "weeks", "factor", "mean", "ci_low", "ci_high", "n"]
    if events is None or not len(events) or "kind" not in events:
        return pd.DataFrame(columns=columns)
    hits = events.loc[events["kind"] == "setback", [*KEYS, "step", "detail"]]
    hits = hits[hits["detail"].isin(FACTORS)].reset_index(drop=True)
    if hits.empty:
        return pd.DataFrame(columns=columns)
    hits = hits.rename(columns={"step": "setback_week", "detail": "hit"})
    hits["setback"] = np.arange(len(hits))
    around = hits.merge(records[[*KEYS, "step", *FACTORS]], on=KEYS)
    lag = around["step"] - around["setback_week"]
    around = around[(lag >= -before - record_every) & (lag < after + record_every)].copy()
    around["weeks"] = (np.floor((around["step"] - around["setback_week"]) / record_every)
                       * record_every).astype(int)
    levels = around.groupby(["setback", "hit", "weeks"])[list(FACTORS)].mean().reset_index()
    baseline = levels[levels["weeks"] == -record_every].set_index("setback")[list(FACTORS)]
    levels = levels[levels["setback"].isin(baseline.index)]  # the last record before it exists
    change = levels.copy()
    change[list(FACTORS)] = (levels[list(FACTORS)].to_numpy()
                             - baseline.loc[levels["setback"]].to_numpy())
    long = change.melt(id_vars=["setback", "hit", "weeks"], value_vars=list(FACTORS),
                                     var_name="factor", value_name="change")
    long = long[(long["weeks"] >= -before) & (long["weeks"] <= after)]
    rows = [(hit, weeks, factor, *mean_ci(g["change"]))
            for (hit, weeks, factor), g in long.groupby(["hit", "weeks", "factor"], sort=True)]
    out = pd.DataFrame(rows, columns=columns)
    out["hit"] = pd.Categorical(out["hit"], categories=FACTORS, ordered=True)
    out["factor"] = pd.Categorical(out["factor"], categories=FACTORS, ordered=True)
    return out.sort_values(["hit", "factor", "weeks"], ignore_index=True)


def plot_setbacks(aligned: pd.DataFrame, title: str = "") -> Figure:
    """One panel per factor hit by a setback: the mean change of each of the four factors in
    the weeks around it, with 95% bands."""
    apply_style()
    fig = Figure(figsize=(12, 8.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True, sharey=True).ravel()
    for ax, hit in zip(axes, FACTORS):
        part = aligned[aligned["hit"] == hit]
        n = int(part.loc[part["weeks"] == 0, "n"].max()) if len(part) else 0
        for i, factor in enumerate(FACTORS):
            f = part[part["factor"] == factor]
            style = series_style(i)  # colour and line style: tells factors apart in grey
            ax.fill_between(f["weeks"], f["ci_low"], f["ci_high"], color=style["color"],
                            alpha=0.2, lw=0)
            ax.plot(f["weeks"], f["mean"], color=style["color"], ls=style["linestyle"],
                    lw=3 if factor == hit else 1.8, label=label(factor))
        ax.axvline(0, color="0.4", lw=1, ls=":")
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_title(f"setback in {label(hit)} (n = {n})" if n else
                     f"no setback in {label(hit)}")
    for ax in axes:  # levels are 0-1, so a change is within ±1; a wide band of few setbacks
        lo, hi = ax.get_ylim()  # must not stretch the axis past what is possible
        ax.set_ylim(max(lo, -1.0), min(hi, 1.0))
    for ax in axes[2:]:
        ax.set_xlabel("weeks since the setback")
    for ax in axes[::2]:
        ax.set_ylabel("change in level (0–1 scale)\nsince just before the setback")
    handles, names = axes[0].get_legend_handles_labels()
    if not handles:
        handles, names = next((a.get_legend_handles_labels() for a in axes
                               if a.get_legend_handles_labels()[0]), ([], []))
    fig.legend(handles, names, loc="outside lower center", ncol=4, frameon=False)
    fig.suptitle((title + "\n" if title else "") + "How a setback in one integration factor "
                 "propagates: mean change, 95% band", fontsize=14)
    return fig
