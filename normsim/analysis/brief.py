"""The brief figure: what engagement did, against the same runs without it, per condition.

For a factorial design: one row per level of one factor (e.g. the type of group), one marker
per level of the other (e.g. the kind of engager), dots at the mean effect in percentage points
with its 95% interval, no lines between levels (they are kinds, not a scale), and a labelled zero
line: the twin without engagement. Two panels side by side: the effect while engaged, and five
years after engagement ended (or, where no engagement ended in time, in the final year).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from normsim.analysis.comparisons import levels
from normsim.analysis.labels import value_text, words
from normsim.analysis.style import MAX_SERIES, apply_style, series_style
from normsim.analysis.summaries import bounded_ci, bounds_of
from normsim.settings.scenario import ScenarioError

PP = 100.0  # a share's difference in percentage points
SMALL_N = 10  # fewer runs per condition than this: the figure says its intervals are wide
ZERO = "0 = the same runs without engagement"


def panels(outcomes: pd.DataFrame) -> list[tuple[str, str]]:
    """The (outcome, panel title) pairs drawn: while engaged, then five years after it ended
    where any run measured that, else the final year."""
    after = ("engagement_effect_after" in outcomes
             and outcomes["engagement_effect_after"].notna().any())
    second = (("engagement_effect_after", "five years after engagement ended") if after else
              ("engagement_effect_final_year", "in the final year of the run"))
    return [("engagement_effect_during", "while engaged"), second]


def roles(outcomes: pd.DataFrame, factors) -> tuple[str, str | None]:
    """Which factor gives the rows and which the markers: a scenario (one per kind of engager)
    gives markers; else the factor with fewer levels does."""
    factors = list(factors)
    if len(factors) == 1:
        return factors[0], None
    a, b = factors[:2]
    if a == "scenario" or (b != "scenario" and outcomes[a].nunique() < outcomes[b].nunique()):
        a, b = b, a
    return a, b


def brief_table(outcomes: pd.DataFrame, rows: str, marks: str | None = None) -> pd.DataFrame:
    """Per row level, marker level and panel: the mean effect in percentage points, its 95%
    interval (inside ±100 points) and the runs that measured it."""
    lr = levels(outcomes, rows)
    lm = levels(outcomes, marks) if marks else pd.DataFrame({"level": 0, "text": ""},
                                                             index=outcomes.index)
    out = []
    for column, panel in panels(outcomes):
        data = pd.DataFrame({"row": lr["level"], "row_text": lr["text"], "mark": lm["level"],
                             "mark_text": lm["text"], "value": outcomes[column].to_numpy()})
        for (r, m), g in data.groupby(["row", "mark"], sort=True):
            mean, lo, hi, n = bounded_ci(g["value"], bounds_of(column))
            out.append({"outcome": column, "panel": panel, "row": r, "row_text":
                        g["row_text"].iloc[0], "mark": m, "mark_text": g["mark_text"].iloc[0],
                        "effect_pp": mean * PP, "ci_low_pp": lo * PP, "ci_high_pp": hi * PP,
                        "runs": n, "planned": len(g)})
    return pd.DataFrame(out)


def _common_tail(texts: list[str]) -> str:
    """The words all ``texts`` end with (" on the protection of civilians"), to say once."""
    split = [t.split() for t in texts]
    tail = []
    while all(len(s) > len(tail) + 1 for s in split) and len({s[-len(tail) - 1] for s in split}) == 1:
        tail.insert(0, split[0][-len(tail) - 1])
    return " ".join(tail)


def plot_brief(outcomes: pd.DataFrame, factors, title: str = "") -> Figure:
    """The brief figure (see the module's docstring) for one or two factors of a factorial
    sweep; more marker levels than the palette has are refused rather than repeated."""
    rows, marks = roles(outcomes, factors)
    table = brief_table(outcomes, rows, marks)
    mark_levels = table.drop_duplicates("mark").sort_values("mark")
    if len(mark_levels) > MAX_SERIES:
        raise ScenarioError(f"--kind engagement shows at most {MAX_SERIES} levels as markers; "
                            f"{words(marks)} has {len(mark_levels)}: give it as the first "
                            "--factor (the rows).")
    tail = _common_tail(list(mark_levels["mark_text"])) if marks and len(mark_levels) > 1 else ""
    row_levels = table.drop_duplicates("row").sort_values("row")
    apply_style()
    height = 1.6 + 0.45 * len(row_levels) * max(1, len(mark_levels)) ** 0.5 + 1.2
    fig = Figure(figsize=(12, max(4.8, height)), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    y_of = {r: len(row_levels) - 1 - i for i, r in enumerate(row_levels["row"])}
    step = 0.6 / max(1, len(mark_levels))
    for ax, (column, panel) in zip(axes, panels(outcomes)):
        part = table[table["panel"] == panel]
        ax.axvline(0, color="0.25", lw=1.2, zorder=1)
        for i, (_, m) in enumerate(mark_levels.iterrows()):
            style = series_style(i)
            dodge = (i - (len(mark_levels) - 1) / 2) * step
            t = part[part["mark"] == m["mark"]]
            ok = t["effect_pp"].notna()
            y = np.array([y_of[r] for r in t.loc[ok, "row"]]) - dodge
            mean = t.loc[ok, "effect_pp"].to_numpy()
            lo = t.loc[ok, "ci_low_pp"].fillna(t.loc[ok, "effect_pp"]).to_numpy()
            hi = t.loc[ok, "ci_high_pp"].fillna(t.loc[ok, "effect_pp"]).to_numpy()
            ax.errorbar(mean, y, xerr=[mean - lo, hi - mean], fmt=style["marker"],
                        color=style["color"], ms=8, capsize=3, lw=1.6, ls="none", zorder=3,
                        mfc=style["color"] if i % 2 == 0 else "white", mew=1.6)
        ax.set_title(panel, fontsize=12)
        ax.set_xlabel("change in compliance against the same runs\nwithout engagement "
                      "(percentage points)")
        ax.grid(axis="x", color="0.9", lw=0.8)
        ax.set_ylim(-1.0, len(row_levels) - 0.4)  # room below the last row for the zero's label
    lo_x = min(a.get_xlim()[0] for a in axes)
    hi_x = max(a.get_xlim()[1] for a in axes)
    for ax in axes:
        ax.set_xlim(min(lo_x, -1.0), max(hi_x, 1.0))
        ax.annotate(ZERO if ax is axes[0] else "0: no effect", (0, 0), xycoords=(
            "data", "axes fraction"), xytext=(4, 3), textcoords="offset points", fontsize=9,
            color="0.25", ha="left", va="bottom")
    axes[0].set_yticks(list(y_of.values()),
                       [textwrap.fill(t, 26) for t in row_levels["row_text"]])
    axes[0].set_ylabel(words(rows))
    if marks:
        handles = [Line2D([], [], ls="none", ms=8, mew=1.6,
                          mfc=series_style(i)["color"] if i % 2 == 0 else "white",
                          color=series_style(i)["color"], marker=series_style(i)["marker"])
                   for i in range(len(mark_levels))]
        names = [t[: len(t) - len(tail)].strip() if tail else t for t in mark_levels["mark_text"]]
        legend_title = ("engagement (scenario)" if marks == "scenario" else words(marks)) + (
            f" {tail}" if tail else "")
        fig.legend(handles, names, loc="outside lower center", ncol=min(4, len(names)),
                   frameon=False, title=legend_title)
    n = table["runs"]
    runs = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
    note = (f"dots: mean over {runs} runs per condition; bars: 95% interval"
            + (f" (few runs: wide and uncertain)" if n.max() < SMALL_N else ""))
    fig.suptitle((title + "\n" if title else "") + "What engagement changed, while engaged and "
                 "after it ended\n" + note, fontsize=13)
    return fig


__all__ = ["plot_brief", "brief_table", "panels", "roles", "value_text"]
