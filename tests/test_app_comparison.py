"""The Compare tab's state on its own, without a browser: :class:`normsim.app.comparison.Comparer`
runs the seeds chosen, keeps them across other choices, and stops when cancelled."""

from __future__ import annotations

import numpy as np
import pytest

from app_helpers import SHORT
from normsim.analysis.replicates import compare
from normsim.app.controls import COMPARE_DEFAULT
from normsim.app.i18n import translator
from normsim.app.session import Session
from normsim.settings.scenario import load
from normsim.simulation.counterfactual import twin_settings

JOIN_SECONDS = 300  # a loaded machine: the runs of one short comparison, many times over


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "short.toml"
    path.write_text(SHORT, encoding="utf-8")
    session = Session(str(path), COMPARE_DEFAULT)
    yield session
    session.close(wait=True)


def test_a_comparison_runs_the_seeds_chosen_and_keeps_them(session):
    """Three seeds per side, against the control: the library's numbers over the same seeds,
    every run counted; the seeds stay chosen when the sides change, and a change forgets the
    result."""
    comparer = session.comparer
    comparer.set_seeds(3)
    comparer.set_against("control")
    assert comparer.seeds == 3  # a change of what is compared keeps the seeds
    updates = []
    session.on_update = lambda: updates.append(comparer.done)
    comparer.start()
    comparer.thread.join(JOIN_SECONDS)
    assert not comparer.thread.is_alive() and not comparer.running
    base = load(str(session.preset))
    expected = compare(base, twin_settings(base), seeds=3, weeks=104, root=1)
    result = comparer.result
    assert result.seeds == expected.seeds and len(result.seeds) == 3
    assert result.left.estimate == expected.left.estimate
    assert result.right.estimate == expected.right.estimate
    np.testing.assert_array_equal(result.left.outcomes, expected.left.outcomes)
    assert comparer.done == comparer.total == 6
    assert updates == [1, 2, 3, 4, 5, 6, 6]  # each run, then the result
    assert comparer.chart.startswith("data:image/svg+xml")
    assert comparer.names(translator("en")) == ("its engagers", "no engager (its control)")
    english = comparer.chart
    session.set_language("fr")  # the chart is drawn again, in the visitor's new language
    assert comparer.chart.startswith("data:image/svg+xml") and comparer.chart != english
    comparer.set_against("factor")
    assert comparer.result is None and comparer.chart is None and comparer.seeds == 3
    session.choose_preset("baseline")
    assert comparer.seeds == 3 and comparer.against == "factor"


def test_cancelling_stops_the_runs_and_shows_no_result(session):
    """Cancelled after its first run, a comparison of 20 seeds per side makes no more progress,
    ends its thread and leaves nothing to show."""
    comparer = session.comparer
    comparer.set_seeds(20)
    calls = []

    def on_update():
        calls.append(comparer.done)
        if len(calls) == 1:
            comparer.cancel()

    session.on_update = on_update
    comparer.start()
    assert comparer.running and comparer.total == 40
    comparer.thread.join(JOIN_SECONDS)
    assert not comparer.thread.is_alive()
    assert calls == [1]  # no run counted, no result announced after the cancel
    assert comparer.result is None and comparer.chart is None and comparer.done == 0
    assert not comparer.running


def test_a_factor_that_does_not_fit_is_refused_and_the_last_one_kept(session):
    comparer = session.comparer
    before = comparer.spec
    comparer.set_factor("dialogue_principled", 1.0, 7.0)  # a share: at most 1
    assert session.refusal is not None and comparer.spec == before
    comparer.set_factor("dialogue_principled", 0.0, 0.5)
    assert session.refusal is None and comparer.spec == ("dialogue_principled", 0.0, 0.5)
