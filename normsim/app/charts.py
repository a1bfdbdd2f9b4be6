"""The app's live figures, drawn with matplotlib on the server and sent as SVG.

SVG stays sharp at whatever size the page shows it, on any screen, and needs no JavaScript
charting library, so the page works offline. Each figure is built once per language
(:class:`Live`) and then only gets new data: matplotlib reuses its text layout, which makes a
redraw faster. Words come from the visitor's catalogue (``t``), colours from
:mod:`normsim.analysis.style` (Okabe & Ito); sizes are for a projector at the back of a room.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from normsim.app.live import window
from normsim.analysis.replicates import SMOOTH
from normsim.analysis.style import PALETTE
from normsim.world.commanders import OPERATIONAL, STRATEGIC, TACTICAL
from normsim.world.integration import FACTORS

RC = {"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "legend.fontsize": 12,
      "xtick.labelsize": 12, "ytick.labelsize": 12, "axes.spines.top": False,
      "axes.spines.right": False, "axes.titleweight": "bold", "axes.titlelocation": "left",
      "svg.fonttype": "none",  # text as text: half the size, a third faster than glyph paths
      "svg.hashsalt": "normsim"}  # the same drawing gives the same file
ACCEPTANCE_MAP = "cividis"  # readable with the common colour-vision deficiencies
MAX_UNITS_DRAWN = 24  # beyond this, the structure shows the first branches only
MAX_COMMUNITIES_DRAWN = 6
MARKER_COLOUR = "#555555"
EXPORT_DPI = 200
WEEKS_PER_YEAR = 52
TITLE_PAD = 0.02  # of the figure's width kept free right of a title (browsers' fonts differ)
EFFECT_COLOUR = PALETTE[2]  # bluish green: apart from both sides' colours (blue, orange)
MARKS_TURN = 0.6  # past this share of the x axis, a marker's label goes left of its line
MARK_SIZE = 11  # points: an event's label on a chart
MARK_ROWS = 4  # rows of event labels under the top of a chart
MARK_ROW_STEP = 0.1  # axes fraction between two rows of labels
MARK_MARGIN_PX = 4  # around a label's measured box: the browser's fonts are not matplotlib's


class Live:
    """A figure built once by ``build() -> (figure, update)``; ``svg(*data)`` redraws it."""

    def __init__(self, build: Callable[[], tuple[Figure, Callable]]):
        with matplotlib.rc_context(RC):
            self.figure, self.update = build()

    def _save(self, fmt: str, *data, **kw) -> bytes:
        with matplotlib.rc_context(RC):
            self.update(*data)
            out = io.BytesIO()
            self.figure.savefig(out, format=fmt, **kw)
        self.figure.set_layout_engine("none")  # keep the layout of the first draw: faster
        return out.getvalue()

    def svg(self, *data) -> str:
        """The figure as a data URI for an ``<img>``."""
        return "data:image/svg+xml;base64," + base64.b64encode(self._save("svg", *data)).decode()

    def png(self, *data, dpi: int = EXPORT_DPI) -> bytes:
        return self._save("png", *data, dpi=dpi)


def _percent(t):
    return FuncFormatter(lambda y, _: t.percent(y))


def _axes(t, title: str, weeks: int, ylabel: str, size=(6.4, 3.5), left=0.14, right=0.98):
    fig = Figure(figsize=size)  # fixed margins: a constrained layout is slower
    fig.subplots_adjust(left=left, right=right, bottom=0.17, top=0.89)
    ax = fig.add_subplot()
    _fit(fig, ax.set_title(title))
    ax.set_xlim(0, max(weeks, 1))
    ax.set_xlabel(t._("weeks"))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def _fit(fig, title, smallest: float = 10.0) -> None:
    """Shrink a title that would run past the figure's right edge (a long norm's name, a
    longer language): the fixed margins leave it no room to grow, and the SVG would cut it."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    room = fig.bbox.width * (1 - TITLE_PAD) - title.get_window_extent(renderer).x0
    size = title.get_fontsize()
    while size > smallest and title.get_window_extent(renderer).width > room:
        size -= 0.5
        title.set_fontsize(size)


class Markers:
    """Vertical lines with short labels at the weeks of key events, redrawn on each update."""

    def __init__(self, ax):
        self.ax, self.artists = ax, []

    def show(self, marks) -> None:
        for artist in self.artists:
            artist.remove()
        self.artists = []
        transform = self.ax.get_xaxis_transform()
        lo, hi = self.ax.get_xlim()
        renderer = FigureCanvasAgg(self.ax.figure).get_renderer()
        placed: list = []  # the boxes of the labels drawn so far, in display units
        for week, words in marks:
            self.artists.append(self.ax.axvline(week, color=MARKER_COLOUR, lw=1.3, ls=":",
                                                zorder=1))
            # late in the run a label reads leftwards, or it would run off the figure
            late = week > lo + MARKS_TURN * (hi - lo)
            label = self.ax.text(week, 0.98, f" {words} ", transform=transform,
                                 fontsize=MARK_SIZE, color=MARKER_COLOUR, va="top",
                                 ha="right" if late else "left", clip_on=False,
                                 zorder=1.5,  # under the lines
                                 bbox={"fc": "white", "ec": "none", "alpha": 0.75, "pad": 1})
            box = _free_place(label, renderer, placed)
            if box is None:  # every row is taken here: the line stays, the story tells it
                label.remove()
                continue
            placed.append(box)
            self.artists.append(label)


def _free_place(label, renderer, placed):
    """Move ``label`` down row by row to the first place where its box (measured, with a
    margin) meets no label already placed; its box there, or None if there is none."""
    for row in range(MARK_ROWS):
        label.set_y(0.98 - MARK_ROW_STEP * row)
        box = label.get_window_extent(renderer).padded(MARK_MARGIN_PX)
        if not any(box.overlaps(other) for other in placed):
            return box
    return None


#: a line: its label, colour, width, style, and how to get (x, y) from the update's rows
Series = tuple[str, str, float, str, Callable]
STYLES = ("-", "--", "-.", ":")


def _lines(t, title: str, ylabel: str, weeks: int, series: list[Series], *, percent=False,
           legend="upper left", ncols=1, size=(6.4, 3.5), control: Series | None = None):
    """A line chart with fixed axes whose lines (and event markers) take new data each update:
    ``update(rows, marks, control_rows)``, ``rows`` a norm -> table mapping
    (:mod:`normsim.app.live`). With ``control`` (a series read from the control's rows), the
    run's control is drawn too, and the area between it and the last series is shaded: the
    engagement's effect."""
    def build():
        fig, ax = _axes(t, title, weeks, ylabel, size)
        lines = [ax.plot([], [], label=name, color=colour, lw=lw, ls=ls)[0]
                 for name, colour, lw, ls, _ in series]
        fills = []
        if control is not None:
            name, colour, lw, ls, _ = control
            lines.append(ax.plot([], [], label=name, color=colour, lw=lw, ls=ls)[0])
            ax.fill_between([], [], [], color=EFFECT_COLOUR, alpha=0.45, hatch="//", lw=0,
                            label=t._("the engagement's effect"))
        ax.set_ylim(0, 1)
        if percent:
            ax.yaxis.set_major_formatter(_percent(t))
        ax.legend(loc=legend, ncols=ncols)
        markers = Markers(ax)

        def update(rows, marks=(), control_rows=None):
            for line, (*_, get) in zip(lines, series):
                line.set_data(*get(rows))
            for fill in fills:
                fill.remove()
            fills.clear()
            if control is not None and control_rows is not None:
                x, y = control[-1](control_rows)
                lines[-1].set_data(x, y)
                run = pd.DataFrame(dict(zip(("step", "run"), series[-1][-1](rows))))
                both = run.merge(pd.DataFrame({"step": x, "control": y}), on="step")
                fills.append(ax.fill_between(both["step"], both["control"], both["run"],
                                             color=EFFECT_COLOUR, alpha=0.45, hatch="//",
                                             lw=0))
            markers.show(marks)
        return fig, update
    return build


def _column(name: str, smooth: bool = False, norm: str | None = None):
    """(weeks, values) of a column of one norm's rows (the first norm's by default), as a
    running mean over about SMOOTH weeks when ``smooth``."""
    def get(rows):
        rec = rows[norm] if norm is not None else next(iter(rows.values()))
        y = rec[name]
        if smooth:
            y = y.rolling(window(rec, SMOOTH), min_periods=1).mean()
        return rec["step"], y
    return get


def compliance(t, weeks: int, norms: tuple[str, ...], pooled: bool = False,
               control: bool = False):
    """The compliance trajectory. One norm: its weekly share of occasions that respect it, and
    the running mean; several: the running mean of each. ``pooled``: over every living group.
    ``control``: the run's control too (the first norm's running mean), the effect shaded."""
    average = t._("{n}-week average").format(n=SMOOTH)
    if len(norms) == 1:
        title = t._("Compliance with {norm}").format(norm=t.norm(norms[0]))
        series = [(t._("each week"), PALETTE[5], 1.0, "-", _column("compliance_rate")),
                  (average, PALETTE[0], 3.5, "-", _column("compliance_rate", True))]
    else:
        title = t._("Compliance with each norm ({n}-week average)").format(n=SMOOTH)
        series = [(t.norm_name(n), PALETTE[i], 3.0, STYLES[i % 4],
                   _column("compliance_rate", True, n)) for i, n in enumerate(norms)]
    if pooled:
        title = t._("Compliance of all living groups with each norm")
    if control:  # the first norm's running mean last, so that the effect is shaded against it
        series = series[1:] + series[:1] if len(norms) > 1 else series
    twin = ((t._("without engagement (its control)"), "#000000", 2.5, ":",
             _column("compliance_rate", True, norms[0])) if control else None)
    return _lines(t, title, t._("share respecting the norm"), weeks, series,
                  percent=True, legend="lower right", control=twin)


def factors(t, weeks: int, norm: str):
    """The four integration factors (seed 002's mutually reinforcing cycle), for one norm."""
    return _lines(t, t._("Integration into the group ({norm})").format(norm=t.norm_name(norm)),
                  t._("level (0–1)"), weeks, [
                      (t.pgettext("detail", name), PALETTE[i], 3.0, STYLES[i], _column(name))
                      for i, name in enumerate(FACTORS)], ncols=2)


def trust(t, weeks: int, norm: str):
    """Trust between the engagers and the group, and who has come to accept the norm."""
    return _lines(t, t._("Trust, and acceptance ({norm})").format(norm=t.norm_name(norm)),
                  t._("level (0–1)"), weeks, [
                      (t._("engager–group trust"), PALETTE[0], 3.5, "-", _column("trust")),
                      (t._("the top commander accepts it"), PALETTE[3], 2.5, "--",
                       _column("acceptance_strategic")),
                      (t._("the fighters accept it"), PALETTE[2], 2.5, ":",
                       _column("acceptance_fighters")),
                  ])


def bands(t, weeks: int, names: tuple[str, ...], effect: bool = False):
    """Settings over many seeds (two, or up to four presets): each side's mean compliance with
    its 95% band; with
    ``effect`` (the runs against their control), the area between the two means shaded and
    named: the engagement's effect, seen as a surface a room can point at."""
    def build():
        fig, ax = _axes(t, t._("Compliance ({n}-week average), mean of the seeds").format(n=SMOOTH),
                        weeks, t._("share respecting IHL"))
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(_percent(t))
        styles = (("-", PALETTE[0]), ("--", PALETTE[1]), ("-.", PALETTE[3]), (":", PALETTE[4]))
        lines = [ax.plot([], [], ls=ls, color=c, lw=3.5, label=n)[0]
                 for (ls, c), n in zip(styles, names)]
        fills = []
        if effect:  # a legend entry for the shaded area, drawn with the data below
            ax.fill_between([], [], [], color=EFFECT_COLOUR, alpha=0.45, hatch="//", lw=0,
                            label=t._("the engagement's effect"))
        ax.legend(loc="lower right")

        def update(*sides: pd.DataFrame):
            for fill in fills:
                fill.remove()
            fills.clear()
            for line, band, (_, colour) in zip(lines, sides, styles):
                band = band[band["n"] > 0]
                line.set_data(band["step"], band["mean"])
                fills.append(ax.fill_between(band["step"], band["ci_low"], band["ci_high"],
                                             color=colour, alpha=0.25, lw=0))
            if effect:
                left, right = sides
                both = left[left["n"] > 0].merge(right[right["n"] > 0], on="step")
                fills.append(ax.fill_between(both["step"], both["mean_x"], both["mean_y"],
                                             color=EFFECT_COLOUR, alpha=0.45, hatch="//", lw=0))
        return fig, update
    return build


def structure(t, model, group: int = 0):
    """The group's chain of command, coloured by acceptance of the first norm, and its
    communities.

    Rows from the top: the top commander, the operational commanders, the tactical commanders
    (one per unit), the unit's fighters on average (when fighters decide the norm in their
    encounters; a norm the command decides, its units carry out), and the communities where
    units are stationed (with the harm they suffer and their support for the group). The
    layout is fixed for a model; each update recolours it.
    """
    cc, norm = model.commanders, model.norms[0].key
    fighters_decide = 0 in model.fighters.norms.tolist()
    mine = np.flatnonzero(cc.group == group)
    top = mine[cc.level[mine] == STRATEGIC]
    ops = mine[cc.level[mine] == OPERATIONAL]
    tac = mine[cc.level[mine] == TACTICAL][:MAX_UNITS_DRAWN]
    ops = ops[np.isin(ops, cc.superior[tac])]
    x = dict(zip(tac.tolist(), np.linspace(0, 1, len(tac) + 2)[1:-1]))
    for o in ops:
        x[int(o)] = float(np.mean([x[int(u)] for u in tac if cc.superior[u] == o]))
    x[int(top[0])] = float(np.mean([x[int(o)] for o in ops]))
    row = {STRATEGIC: 4.0, OPERATIONAL: 3.0, TACTICAL: 2.0}
    size = {STRATEGIC: 900, OPERATIONAL: 600, TACTICAL: 320}
    people = list(x)
    comms = [c for c in model.community_agents if c.group.index == group][:MAX_COMMUNITIES_DRAWN]
    cx = np.linspace(0.05, 0.95, len(comms)) if len(comms) > 1 else np.array([0.5])

    def build():
        cmap = matplotlib.colormaps[ACCEPTANCE_MAP]
        fig = Figure(figsize=(8.0, 5.6), layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(t._("The group: who accepts {norm}").format(norm=t.norm(norm)))
        ax.set_axis_off()
        for i in people:
            sup = int(cc.superior[i])
            if sup in x:
                ax.plot([x[sup], x[i]], [row[cc.level[sup]], row[cc.level[i]]], color="#999999",
                        lw=1.2, zorder=1)
        first_tac = cc.tactical[0]
        for u in tac:
            k = int(cc.unit_community[u - first_tac]) - comms[0].index
            if 0 <= k < len(comms):
                ax.plot([x[int(u)], cx[k]], [1.2, 0.25], color="#bbbbbb", lw=0.8, zorder=1)
        style = {"cmap": cmap, "vmin": 0, "vmax": 1, "edgecolors": "black", "zorder": 2}
        leaders = ax.scatter([x[i] for i in people], [row[cc.level[i]] for i in people],
                             s=[size[cc.level[i]] for i in people], c=np.zeros(len(people)),
                             **style)
        units = ax.scatter([x[int(u)] for u in tac], [1.2] * len(tac), marker="s", s=260,
                           c=np.zeros(len(tac)), **style)
        if not fighters_decide:  # the command decides this norm: its units carry it out
            units.set_cmap(matplotlib.colors.ListedColormap(["#dddddd"]))
            ax.text(0.5, 1.55, t._("their units carry out the command's policy"), ha="center",
                    fontsize=12, color="#444444")
        boxes = [ax.text(px, 0.0, "", ha="center", va="top", fontsize=12,  # (18 px presented)
                         bbox={"boxstyle": "round", "fc": "#f2f2f2", "ec": "#666666"})
                 for px in cx]
        for y, words in ((4.0, t._("top commander")), (3.0, t._("operational")),
                         (2.0, t._("tactical")), (1.2, t._("their units"))):
            ax.text(-0.02, y, words, ha="right", va="center", fontsize=13)
        total = int(np.sum(cc.level[mine] == TACTICAL))
        if total > len(tac):
            ax.text(1.0, 4.0, t._("(showing {shown} of {total} units)").format(
                shown=len(tac), total=total), ha="right", fontsize=12)
        ax.set_xlim(-0.25, 1.02)
        ax.set_ylim(-0.9, 4.4)
        bar = fig.colorbar(matplotlib.cm.ScalarMappable(cmap=cmap), ax=ax, shrink=0.8, pad=0.01)
        bar.set_label(t._("acceptance of the norm (0–1)"))

        def update(model):
            fc = model.fighters
            leaders.set_array(model.commanders.acceptance[0, people])
            if fighters_decide:
                unit = (np.bincount(fc.commander, weights=fc.acceptance[0], minlength=cc.n)
                        / np.maximum(np.bincount(fc.commander, minlength=cc.n), 1))
                units.set_array(unit[tac])
            for n, (box, c) in enumerate(zip(boxes, comms), start=1):
                box.set_text(t._("community {n}\nharm {harm}\nsupport {support}").format(
                    n=n, harm=t.number(c.harm), support=t.number(c.support)))
        return fig, update
    return build


def signatories(t, weeks: int, norm: str, observed=None):
    """A population's groups that have committed to ``norm`` (cumulative, as the data count
    them), week by week, beside the observed counts (filled: fitted by the calibration; open:
    held out; triangles: lower bounds). In calendar years when the observed counts give week
    0 a year (:class:`normsim.app.live.Observed`), else in weeks."""
    start = observed.start_year if observed is not None else None
    to_x = (lambda w: start + np.asarray(w, dtype=float) / WEEKS_PER_YEAR) if start else (
        lambda w: np.asarray(w, dtype=float))

    def build():
        fig, ax = _axes(t, t._("Groups that have committed ({norm})").format(
            norm=t.norm_name(norm)), weeks, t._("groups (cumulative)"), size=(6.4, 3.5),
                        right=0.95)  # room for the last year's label under the axis
        ax.set_xlim(*to_x([0, max(weeks, 1)]))
        if start:
            ax.set_xlabel(t._("year"))
        line = ax.plot([], [], color=PALETTE[0], lw=3.5, label=t._("this run"))[0]
        top = 10.0
        if observed is not None and len(observed.points):
            p = observed.points
            fitted = p["year"] <= observed.fit_until + 1
            # "fitted" only where the run's settings are the calibration's result; beside
            # illustrative settings the counts are only observed (a trainer read "fitted" as a
            # claim about the run shown)
            kinds = (((fitted, PALETTE[3], t._("observed (fitted)")),
                      (~fitted, "white", t._("observed (held out)"))) if observed.fitted
                     else ((fitted | ~fitted, PALETTE[3], t._("observed")),))
            for mask, face, words in kinds:
                for kind, marker in (("exact", "o"), ("lower_bound", "^")):
                    sel = p[mask & (p["kind"] == kind)]
                    if len(sel):
                        label = words if kind == "exact" else t._("{what}: at least").format(
                            what=words)
                        ax.scatter(sel["year"], sel["count"], marker=marker, s=80, zorder=3,
                                   facecolor=face, edgecolor=PALETTE[3], lw=2, label=label)
            top = max(top, float(p["count"].max()))
        ax.set_ylim(0, top * 1.15)
        ax.legend(loc="upper left")

        def update(curve, marks=()):
            line.set_data(to_x(curve["step"]), curve["signatories"])
            highest = float(curve["signatories"].max()) if len(curve) else 0.0
            if highest > ax.get_ylim()[1] / 1.15:
                ax.set_ylim(0, highest * 1.15)
        return fig, update
    return build
