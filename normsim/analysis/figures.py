"""Figures: each function takes tidy tables and returns a matplotlib Figure (for notebooks and
scripts alike); saving is the caller's business."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from normsim.analysis.style import MILESTONES, PALETTE, apply_style, label
from normsim.integration import FACTORS

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
    shown = events[events["kind"].isin(MILESTONES)
                   & ~((events["kind"] == "commander replaced") & (events["detail"] != "strategic"))]
    for k, (_, ev) in enumerate(shown.drop_duplicates(["step", "kind"]).iterrows()):
        ax.axvline(ev["step"], color="0.5", lw=0.8, ls=":")
        ax.text(ev["step"], 0.03 + 0.07 * (k % 4), " " + MILESTONES[ev["kind"]], rotation=0,
                fontsize=8.5, color="0.25", va="bottom")
