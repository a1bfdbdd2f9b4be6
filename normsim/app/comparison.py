"""The Compare tab's state: what a visitor's settings are set against, over how many seeds, the
runs under way and the result shown.

A :class:`Comparer` belongs to one :class:`~normsim.app.session.Session` (its ``comparer``) and
compares that session's draft settings; it owns everything the comparison needs of its own:
the factor and its two values (``spec``), what the settings are set against (``against``), the
presets beside them, the seeds per side, the runs done so far, the result and its chart, and the
event that cancels the runs. The runs go in a thread of their own, through the library's
:func:`normsim.analysis.replicates.compare` and :func:`~normsim.analysis.replicates.line_up`
(one run per seed, the same seeds on every side); no model logic lives here.
"""

from __future__ import annotations

import logging
import threading

from normsim.analysis.replicates import Cancelled, Comparison, Lineup, compare, line_up
from normsim.app.controls import BUNDLES, side_name
from normsim.app.runs import presets, refusal
from normsim.settings.scenario import ScenarioError, load
from normsim.settings.schema import Scenario
from normsim.simulation.counterfactual import twin_settings

log = logging.getLogger(__name__)
MAX_PRESETS = 3  # presets beside the settings: four curves are as many as a room can follow
SEEDS = 10  # seeds per side until the visitor chooses


class Comparer:
    """The comparison a visitor sets up and runs beside their settings.

    ``against`` is "factor" (one factor set two ways: ``spec``, its name and two values),
    "control" (the same runs without engagers: their twins), "presets" (the settings beside
    one to :data:`MAX_PRESETS` shipped presets) or "preset:<name>" (one other preset). Any
    change to what is compared forgets the result and stops runs under way; ``shown_*`` say
    what the result on the page was run with.
    """

    def __init__(self, session, spec: tuple[str, object, object]):
        """``session``: the :class:`~normsim.app.session.Session` whose draft is compared (not
        imported here: the session imports this module)."""
        self.session = session
        self.spec = spec
        self.against = "factor"
        self.presets: list[str] = []
        self.seeds = SEEDS
        self.result: Comparison | Lineup | None = None
        self.chart: str | None = None  # the result's chart (a data URI)
        self.done = self.total = 0  # runs done, of how many
        self._cancel = threading.Event()
        self._cancel.set()  # no comparison under way
        self.thread: threading.Thread | None = None
        self.fit()
        self.shown_spec, self.shown_against = self.spec, self.against
        self.shown_presets: list[str] = []

    # -- what is compared ------------------------------------------------------------------
    def fit(self) -> None:
        """Keep the factor if the draft has it, else take the first control it has (at its draft
        value against the other end of its range)."""
        draft = self.session.draft
        if self.spec[0] in draft:
            return
        control = next(c for b in BUNDLES for c in b.controls
                       if c.shown(draft, self.session.many_groups) and not c.choice)
        self.spec = (control.name, *control.sides(draft[control.name]))

    def set_factor(self, name: str, left, right) -> None:
        """Vary ``name`` between ``left`` and ``right`` (refused, on the session's note, when a
        side does not fit the draft)."""
        session = self.session
        with session.lock:
            try:
                for value in (left, right):
                    session.scenario({**session.draft, name: value})
            except ScenarioError as err:
                session.refuse(refusal(err))
                return
            session.refuse(None)
            self.spec = (name, left, right)
            self.cancel()

    def set_against(self, against: str) -> None:
        with self.session.lock:
            self.against = against
            self.cancel()

    def set_presets(self, names) -> None:
        """The presets set beside the settings: at most :data:`MAX_PRESETS`, shipped ones."""
        with self.session.lock:
            shipped = presets()
            self.presets = [n for n in names if n in shipped][:MAX_PRESETS]
            self.cancel()

    def set_seeds(self, n: int) -> None:
        with self.session.lock:
            self.seeds = int(n)
            self.cancel()

    def sides(self, against: str | None = None) -> list[Scenario]:
        """The scenarios a comparison runs: the settings, and what they are set against."""
        against = self.against if against is None else against
        here = self.session.scenario
        if against == "presets":
            return [here(), *(load(name) for name in self.presets)]
        if against == "control":
            settings = here()
            return [settings, twin_settings(settings)]
        if against.startswith("preset:"):
            return [here(), load(against.split(":", 1)[1])]
        name, left, right = self.spec
        return [here({**self.session.draft, name: v}) for v in (left, right)]

    def names(self, t) -> tuple[str, ...]:
        """The sides of the result shown, in words ("principled", "conditional")."""
        session = self.session
        if self.shown_against == "presets":
            return tuple(f"“{t.scenario(key, load(key).title)[0]}”"
                         for key in (session.preset, *self.shown_presets))
        if self.shown_against == "control":
            return t._("its engagers"), t._("no engager (its control)")
        if self.shown_against.startswith("preset:"):
            key = self.shown_against.split(":", 1)[1]
            other = t.scenario(key, load(key).title)[0]
            return f"“{t.scenario(session.preset, session.title)[0]}”", f"“{other}”"
        name, left, right = self.shown_spec
        return side_name(name, left, t), side_name(name, right, t)

    # -- the runs --------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return not self._cancel.is_set()

    def cancel(self) -> None:
        """Forget the result and stop the runs under way (what is compared changed); a new
        comparison starts on request."""
        self._cancel.set()
        self.result, self.chart, self.done = None, None, 0

    def stop(self) -> None:
        """Stop the runs under way (the visitor has gone)."""
        self._cancel.set()

    def redraw(self) -> None:
        """Draw the result's chart again (in the session's language now)."""
        if self.result is not None:
            self.chart = self.session.painter.draw_compare(self, self.session.language)

    def start(self) -> None:
        """Run every side over :attr:`seeds` seeds (the session's seed their root) in a thread
        of their own; each run done counts in :attr:`done` and calls the session's
        ``on_update``."""
        session = self.session
        with session.lock:
            self._cancel.set()
            cancel = self._cancel = threading.Event()
            against = self.against
            if against == "presets" and not self.presets:
                cancel.set()
                return  # (Run waits for a preset to be chosen)
            sides = self.sides(against)
            chosen = list(self.presets)
            n, seed, weeks, spec = self.seeds, session.seed, session.weeks, self.spec
            self.result, self.chart, self.done, self.total = None, None, 0, n * len(sides)

        def progress():
            if not cancel.is_set():
                self.done += 1
                session.on_update()

        def work():
            try:
                result = (line_up if against == "presets" else compare)(
                    *([sides] if against == "presets" else sides), seeds=n, weeks=weeks,
                    root=seed, on_run=progress, cancel=cancel)
                with session.lock:
                    if cancel.is_set():
                        return
                    self.result, self.shown_spec = result, spec
                    self.shown_against, self.shown_presets = against, chosen
                self.chart = session.painter.draw_compare(self, session.language)
            except Cancelled:
                return
            except Exception:  # a bug must not leave the page waiting; the log says what
                log.exception("the comparison failed")
            finally:
                cancel.set()
            session.on_update()

        self.thread = threading.Thread(target=work, name="normsim-compare", daemon=True)
        self.thread.start()
