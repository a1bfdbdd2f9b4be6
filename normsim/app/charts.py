"""The app's live figures, drawn with matplotlib on the server and sent as PNG images.

Server-side PNGs need no JavaScript charting library, so nothing has to be fetched from a CDN
and the page works offline. Each figure is built once (:class:`Live`) and then only gets new
data each week: matplotlib then reuses its text layout, which makes a redraw about 40% faster.
Words, colours (Okabe & Ito) and labels come from :mod:`normsim.analysis.style`; sizes are for
a projector at the back of a room.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from normsim.analysis.style import PALETTE, label
from normsim.commanders import OPERATIONAL, STRATEGIC, TACTICAL
from normsim.integration import FACTORS
from normsim.records import STAGES

RC = {"font.size": 15, "axes.titlesize": 17, "axes.labelsize": 15, "legend.fontsize": 13,
      "xtick.labelsize": 13, "ytick.labelsize": 13, "axes.spines.top": False,
      "axes.spines.right": False, "axes.titleweight": "bold", "axes.titlelocation": "left"}
SMOOTH = 8  # weeks in the running mean of the compliance line
ACCEPTANCE_MAP = "cividis"  # readable with the common colour-vision deficiencies
MAX_UNITS_DRAWN = 24  # beyond this, the structure shows the first branches only
MAX_COMMUNITIES_DRAWN = 6
DPI = 100


class Live:
    """A figure built once by ``build() -> (figure, update)``; ``png(*data)`` redraws it."""

    def __init__(self, build: Callable[[], tuple[Figure, Callable]]):
        with matplotlib.rc_context(RC):
            self.figure, self.update = build()
        FigureCanvasAgg(self.figure)

    def png(self, *data) -> bytes:
        with matplotlib.rc_context(RC):
            self.update(*data)
            out = io.BytesIO()
            self.figure.canvas.print_png(out)
        self.figure.set_layout_engine("none")  # keep the layout of the first draw: faster
        return out.getvalue()


def _axes(title: str, weeks: int, ylabel: str, height: float = 3.6, left: float = 0.13):
    fig = Figure(figsize=(7.2, height), dpi=DPI)  # fixed margins: a constrained layout is slower
    fig.subplots_adjust(left=left, right=0.98, bottom=0.17, top=0.89)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_xlim(0, max(weeks, 1))
    ax.set_xlabel("weeks")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


#: a line: its label, colour, width, style, and how to get (x, y) from the update's data
Series = tuple[str, str, float, str, Callable]


def _lines(title: str, ylabel: str, weeks: int, series: list[Series], *, percent=False,
           legend="upper left", ncols=1, steps=False, height=3.6):
    """A line chart with fixed axes whose lines take new data at each update."""
    def build():
        fig, ax = _axes(title, weeks, ylabel, height, left=0.3 if steps else 0.13)
        lines = [ax.plot([], [], label=name, color=colour, lw=lw, ls=ls,
                         drawstyle="steps-post" if steps else "default")[0]
                 for name, colour, lw, ls, _ in series]
        if steps:
            ax.set_yticks(range(len(STAGES)), STAGES)
            ax.set_ylim(-0.3, len(STAGES) - 0.7)
        else:
            ax.set_ylim(0, 1)
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.legend(loc=legend, ncols=ncols)

        def update(*data):
            for line, (*_, get) in zip(lines, series):
                line.set_data(*get(*data))
        return fig, update
    return build


def _group0(rec: pd.DataFrame) -> pd.DataFrame:
    return rec[rec["group"] == 0]


def _column(name: str, smooth: bool = False, which: int = 0):
    def get(*recs):
        rec = _group0(recs[which])
        y = rec[name]
        return rec["step"], (y.rolling(SMOOTH, min_periods=1).mean() if smooth else y)
    return get


def compliance(weeks: int):
    """The compliance trajectory: weekly share of encounters that respect IHL, and its mean."""
    return _lines("Compliance: encounters that respect IHL", "share respecting IHL", weeks, [
        ("each week", PALETTE[5], 1.0, "-", _column("compliance_rate")),
        (f"{SMOOTH}-week average", PALETTE[0], 3.5, "-", _column("compliance_rate", True)),
    ], percent=True, legend="lower right", height=4.0)


def factors(weeks: int):
    """The four integration factors (seed 002's mutually reinforcing cycle)."""
    return _lines("Integration of IHL into the group", "level (0–1)", weeks, [
        (label(name), PALETTE[i], 3.0, ("-", "--", "-.", ":")[i], _column(name))
        for i, name in enumerate(FACTORS)], ncols=2)


def trust(weeks: int):
    """Trust between engager and group, and who has come to accept the norm."""
    return _lines("Trust, and acceptance of IHL", "level (0–1)", weeks, [
        ("engager–group trust", PALETTE[0], 3.5, "-", _column("trust")),
        ("top commander accepts IHL", PALETTE[3], 2.5, "--", _column("acceptance_strategic")),
        ("fighters accept IHL", PALETTE[2], 2.5, ":", _column("acceptance_fighters")),
    ])


def comparison(weeks: int, names: tuple[str, str], column: str = "compliance_rate"):
    """One outcome of the two compared runs on one axis: compliance (running mean) or stage."""
    stage = column == "stage"
    series = [(names[i], PALETTE[i], 3.5, ("-", "--")[i], _column(column, not stage, i))
              for i in (0, 1)]
    if stage:
        return _lines("Score-card stage reached", "", weeks, series, steps=True)
    return _lines(f"Compliance ({SMOOTH}-week average)", "share respecting IHL", weeks, series,
                  percent=True, legend="lower right")


def structure(model, group: int = 0):
    """The group's chain of command, coloured by acceptance of IHL, and its communities.

    Rows from the top: the top commander, the operational commanders, the tactical commanders
    (one per unit), the unit's fighters on average, and the communities where units are
    stationed (with the harm they suffer and their support for the group). The layout is fixed
    for a model; each update recolours it.
    """
    cc = model.commanders
    mine = np.flatnonzero(cc.group == group)
    top = mine[cc.level[mine] == STRATEGIC]
    ops = mine[cc.level[mine] == OPERATIONAL]
    tac = mine[cc.level[mine] == TACTICAL][:MAX_UNITS_DRAWN]
    ops = ops[np.isin(ops, cc.superior[tac])]
    x = dict(zip(tac.tolist(), np.linspace(0, 1, len(tac) + 2)[1:-1]))
    for o in ops:
        x[int(o)] = float(np.mean([x[int(t)] for t in tac if cc.superior[t] == o]))
    x[int(top[0])] = float(np.mean([x[int(o)] for o in ops]))
    row = {STRATEGIC: 4.0, OPERATIONAL: 3.0, TACTICAL: 2.0}
    size = {STRATEGIC: 900, OPERATIONAL: 600, TACTICAL: 320}
    people = list(x)
    comms = [c for c in model.community_agents if c.group.index == group][:MAX_COMMUNITIES_DRAWN]
    cx = np.linspace(0.05, 0.95, len(comms)) if len(comms) > 1 else np.array([0.5])

    def build():
        cmap = matplotlib.colormaps[ACCEPTANCE_MAP]
        fig = Figure(figsize=(8.0, 5.6), dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
        ax.set_title("The group: who accepts IHL")
        ax.set_axis_off()
        for i in people:
            sup = int(cc.superior[i])
            if sup in x:
                ax.plot([x[sup], x[i]], [row[cc.level[sup]], row[cc.level[i]]], color="#999999",
                        lw=1.2, zorder=1)
        first_tac = cc.tactical[0]
        for t in tac:
            k = int(cc.unit_community[t - first_tac]) - comms[0].index
            if 0 <= k < len(comms):
                ax.plot([x[int(t)], cx[k]], [1.2, 0.25], color="#bbbbbb", lw=0.8, zorder=1)
        style = {"cmap": cmap, "vmin": 0, "vmax": 1, "edgecolors": "black", "zorder": 2}
        leaders = ax.scatter([x[i] for i in people], [row[cc.level[i]] for i in people],
                             s=[size[cc.level[i]] for i in people], c=np.zeros(len(people)),
                             **style)
        units = ax.scatter([x[int(t)] for t in tac], [1.2] * len(tac), marker="s", s=260,
                           c=np.zeros(len(tac)), **style)
        boxes = [ax.text(px, 0.0, "", ha="center", va="top", fontsize=11,
                         bbox={"boxstyle": "round", "fc": "#f2f2f2", "ec": "#666666"})
                 for px in cx]
        for y, words in ((4.0, "top commander"), (3.0, "operational"), (2.0, "tactical"),
                         (1.2, "their units")):
            ax.text(-0.02, y, words, ha="right", va="center", fontsize=13)
        total = int(np.sum(cc.level[mine] == TACTICAL))
        if total > len(tac):
            ax.text(1.0, 4.0, f"(showing {len(tac)} of {total} units)", ha="right", fontsize=12)
        ax.set_xlim(-0.25, 1.02)
        ax.set_ylim(-0.9, 4.4)
        bar = fig.colorbar(matplotlib.cm.ScalarMappable(cmap=cmap), ax=ax, shrink=0.8, pad=0.01)
        bar.set_label("acceptance of IHL (0–1)")

        def update(model):
            fc = model.fighters
            unit = (np.bincount(fc.commander, weights=fc.acceptance[0], minlength=cc.n)
                    / np.maximum(np.bincount(fc.commander, minlength=cc.n), 1))
            leaders.set_array(model.commanders.acceptance[0, people])
            units.set_array(unit[tac])
            for n, (box, c) in enumerate(zip(boxes, comms), start=1):
                box.set_text(f"community {n}\nharm {c.harm:.2f}\nsupport {c.support:.2f}")
        return fig, update
    return build
