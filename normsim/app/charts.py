"""The app's live figures, drawn with matplotlib on the server and sent as PNG images.

Server-side PNGs need no JavaScript charting library, so nothing has to be fetched from a CDN
and the page works offline. Words, colours (Okabe & Ito) and labels come from
:mod:`normsim.analysis.style`; sizes here are for a projector at the back of a room.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from normsim.analysis.style import PALETTE, label
from normsim.cohort import TACTICAL
from normsim.integration import FACTORS

RC = {"font.size": 15, "axes.titlesize": 17, "axes.labelsize": 15, "legend.fontsize": 13,
      "xtick.labelsize": 13, "ytick.labelsize": 13, "axes.spines.top": False,
      "axes.spines.right": False, "axes.titleweight": "bold", "axes.titlelocation": "left"}
SMOOTH = 8  # weeks in the running mean of the compliance line
ACCEPTANCE_MAP = "cividis"  # readable with the common colour-vision deficiencies
MAX_UNITS_DRAWN = 24  # beyond this, the structure shows the first branches only


def png(draw, *args, **kwargs) -> bytes:
    """Draw a figure with the projector style and return it as PNG bytes."""
    with matplotlib.rc_context(RC):
        fig = draw(*args, **kwargs)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=100, bbox_inches="tight")
    return out.getvalue()


def _axes(title: str, weeks: int, ylabel: str, height: float = 3.6, width: float = 8.0):
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_xlim(0, max(weeks, 1))
    ax.set_xlabel("weeks")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def _one_group(rec: pd.DataFrame) -> pd.DataFrame:
    return rec[rec["group"] == 0]


def compliance(rec: pd.DataFrame, weeks: int) -> Figure:
    """The compliance trajectory: weekly share of encounters that respect IHL, and its mean."""
    rec = _one_group(rec)
    fig, ax = _axes("Compliance: share of encounters with civilians that respect IHL", weeks,
                    "share respecting IHL", height=4.2)
    rate = rec["compliance_rate"]
    ax.plot(rec["step"], rate, color=PALETTE[5], lw=1, alpha=0.8, label="each week")
    ax.plot(rec["step"], rate.rolling(SMOOTH, min_periods=1).mean(), color=PALETTE[0], lw=3.5,
            label=f"{SMOOTH}-week average")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(loc="lower right")
    return fig


def factors(rec: pd.DataFrame, weeks: int) -> Figure:
    """The four integration factors (seed 002's mutually reinforcing cycle)."""
    rec = _one_group(rec)
    fig, ax = _axes("Integration: doctrine, training, equipment, sanctions", weeks, "level (0–1)")
    styles = ("-", "--", "-.", ":")
    for i, name in enumerate(FACTORS):
        ax.plot(rec["step"], rec[name], color=PALETTE[i], lw=3, ls=styles[i], label=label(name))
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", ncols=2)
    return fig


def trust(rec: pd.DataFrame, weeks: int) -> Figure:
    """Trust between persuader and group, and who has come to accept the norm."""
    rec = _one_group(rec)
    fig, ax = _axes("Trust, and acceptance of IHL", weeks, "level (0–1)")
    ax.plot(rec["step"], rec["trust"], color=PALETTE[0], lw=3.5, label="persuader–group trust")
    ax.plot(rec["step"], rec["acceptance_strategic"], color=PALETTE[3], lw=2.5, ls="--",
            label="top commander accepts IHL")
    ax.plot(rec["step"], rec["acceptance_fighters"], color=PALETTE[2], lw=2.5, ls=":",
            label="fighters accept IHL")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    return fig


def structure(model, group: int = 0) -> Figure:
    """The group's chain of command, coloured by acceptance of IHL, and its communities.

    Rows from the top: the top commander, the operational commanders, the tactical commanders
    (one per unit), the unit's fighters on average, and the communities where units are
    stationed (with the harm they suffer and their support for the group).
    """
    cc, fc = model.commanders, model.fighters
    cmap = matplotlib.colormaps[ACCEPTANCE_MAP]
    fig = Figure(figsize=(8.0, 5.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("The group: who accepts IHL", loc="left")
    ax.set_axis_off()
    mine = np.flatnonzero(cc.group == group)
    top = mine[cc.level[mine] == 0]
    ops = mine[cc.level[mine] == 1]
    tac = mine[cc.level[mine] == TACTICAL]
    shown_tac = tac[np.isin(cc.superior[tac], ops)][:MAX_UNITS_DRAWN]
    shown_ops = ops[np.isin(ops, cc.superior[shown_tac])]
    unit_acc = (np.bincount(fc.commander, weights=fc.acceptance, minlength=cc.n)
                / np.maximum(np.bincount(fc.commander, minlength=cc.n), 1))
    xs = {int(i): x for i, x in zip(shown_tac, np.linspace(0, 1, len(shown_tac) + 2)[1:-1])}
    for o in shown_ops:
        xs[int(o)] = float(np.mean([xs[int(t)] for t in shown_tac if cc.superior[t] == o]))
    xs[int(top[0])] = float(np.mean([xs[int(o)] for o in shown_ops]))
    y = {0: 4.0, 1: 3.0, TACTICAL: 2.0}
    size = {0: 900, 1: 600, TACTICAL: 320}
    for i, x in xs.items():
        sup = cc.superior[i]
        if sup >= 0 and int(sup) in xs:
            ax.plot([xs[int(sup)], x], [y[cc.level[sup]], y[cc.level[i]]], color="#999999", lw=1.2,
                    zorder=1)
    ids = list(xs)
    ax.scatter([xs[i] for i in ids], [y[cc.level[i]] for i in ids], s=[size[cc.level[i]] for i in ids],
               c=cc.acceptance[ids], cmap=cmap, vmin=0, vmax=1, edgecolors="black", zorder=2)
    ax.scatter([xs[int(t)] for t in shown_tac], [1.2] * len(shown_tac), marker="s", s=260,
               c=unit_acc[shown_tac], cmap=cmap, vmin=0, vmax=1, edgecolors="black", zorder=2)
    comms = [c for c in model.community_agents if c.group.index == group]
    cx = np.linspace(0, 1, len(comms) + 2)[1:-1]
    first_tac = cc.slices[TACTICAL].start
    for t in shown_tac:
        k = int(cc.unit_community[t - first_tac]) - comms[0].index
        if 0 <= k < len(comms):
            ax.plot([xs[int(t)], cx[k]], [1.2, 0.25], color="#bbbbbb", lw=0.8, zorder=1)
    for x, c in zip(cx, comms):
        ax.text(x, 0.0, f"community {c.index - comms[0].index + 1}\nharm {c.harm:.2f}\n"
                f"support {c.support:.2f}", ha="center", va="top", fontsize=12,
                bbox={"boxstyle": "round", "fc": "#f2f2f2", "ec": "#666666"})
    for yy, words in ((4.0, "top commander"), (3.0, "operational"), (2.0, "tactical"),
                      (1.2, "their units")):
        ax.text(-0.02, yy, words, ha="right", va="center", fontsize=13)
    hidden = len(tac) - len(shown_tac)
    if hidden > 0:
        ax.text(1.0, 4.0, f"(showing {len(shown_tac)} of {len(tac)} units)", ha="right", fontsize=12)
    ax.set_xlim(-0.25, 1.02)
    ax.set_ylim(-0.9, 4.4)
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(cmap=cmap), ax=ax, shrink=0.8, pad=0.01)
    bar.set_label("acceptance of IHL (0–1)")
    return fig


def comparison(left: pd.DataFrame, right: pd.DataFrame, names: tuple[str, str], weeks: int,
               column: str = "compliance_rate") -> Figure:
    """One outcome of the two compared runs on one axis (running mean for compliance)."""
    titles = {"compliance_rate": "Compliance, left and right (8-week average)",
              "stage": "Score-card stage"}
    fig, ax = _axes(titles.get(column, label(column)), weeks, label(column), height=4.0)
    for rec, name, colour, ls in ((left, names[0], PALETTE[0], "-"), (right, names[1], PALETTE[1], "--")):
        rec = _one_group(rec)
        y = rec[column]
        if column == "compliance_rate":
            y = y.rolling(SMOOTH, min_periods=1).mean()
        ax.plot(rec["step"], y, color=colour, lw=3.5, ls=ls, label=name)
    if column == "compliance_rate":
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(loc="lower right")
    return fig
