"""The app's charts keep every word inside the figure (the SVG would cut what runs past its
edge): long norm names, French, event labels late in a run, a population's calendar years."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from app_helpers import library_run
from normsim.app import live
from normsim.app import charts
from normsim.app.i18n import Translator, languages
from normsim.rules.norms import NORMS

WEEKS = 520


def words_outside(figure) -> list[str]:
    """The texts of a figure that do not lie wholly inside it once drawn."""
    canvas = FigureCanvasAgg(figure)
    with matplotlib.rc_context(charts.RC):
        canvas.draw()
    renderer, edge = canvas.get_renderer(), figure.bbox
    out = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in undrawn(figure):
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < edge.x0 - 0.5 or box.x1 > edge.x1 + 0.5 or box.y0 < edge.y0 - 0.5 \
                or box.y1 > edge.y1 + 0.5:
            out.append(text.get_text())
    return out


def undrawn(figure) -> set[int]:
    """Tick labels matplotlib keeps beyond an axis's limits but does not draw."""
    out = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    out |= {id(tick.label1), id(tick.label2)}
    return out


@pytest.fixture(scope="module")
def rows():
    return live.norm_rows(library_run(60, "deed_mines").records(), 0)


@pytest.mark.parametrize("language", languages())
def test_titles_ticks_and_late_event_labels_stay_inside_the_chart(language, rows):
    t = Translator(language)
    longest = max(NORMS, key=lambda n: len(t.norm_name(n)))
    label = f"{t.marker('commitment made')} ({t.norm_name(longest)})"
    marks = [(4, t.marker("first contact")), (WEEKS - 10, label), (WEEKS - 2, label)]
    data = next(iter(rows.values()))  # the first norm's rows, for each line
    builders = {"compliance": charts.compliance(t, WEEKS, tuple(NORMS)),
                "factors": charts.factors(t, WEEKS, longest),
                "trust": charts.trust(t, WEEKS, longest)}
    for name, build in builders.items():
        chart = charts.Live(build)
        chart.update({n: data for n in NORMS}, marks)
        assert not words_outside(chart.figure), (language, name, words_outside(chart.figure))


@pytest.mark.parametrize("language", languages())
def test_the_commitment_curve_keeps_its_title_and_last_year_inside(language):
    t = Translator(language)
    observed = live.observed_for("mine_ban")
    assert observed is not None  # the shipped calibration sets its counts beside the curve
    longest = max(NORMS, key=lambda n: len(t.norm_name(n)))
    records = library_run(26, "mine_ban").records()
    chart = charts.Live(charts.signatories(t, 936, longest, observed))
    chart.update(live.commitment_curve(records, "mines"))
    assert not words_outside(chart.figure), (language, words_outside(chart.figure))
