"""One visitor's runs: the settings they chose, the live model, its picture and a comparison.

Every browser tab holds its own :class:`Session` (the page keeps it in its Solara kernel, which
outlives a dropped connection, so a reconnect finds the run where it was). No model logic lives
here: this wraps the library's ``load``/``with_values``, ``NormDiffusionModel``,
:func:`normsim.interventions.change` and :func:`normsim.analysis.replicates.compare`.

Settings the visitor moves are a *draft*: at week 0 they apply at once (the run starts again);
later they wait for "from this week on" (:meth:`Session.apply_now`) or "restart with these
settings" (:meth:`Session.restart`).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from normsim.analysis.replicates import Cancelled, Comparison, compare
from normsim.app.controls import side_name
from normsim.app.worker import Worker
from normsim.interventions import FIXED_AT_START, change
from normsim.model import NormDiffusionModel
from normsim.scenario import ScenarioError, defaults, list_scenarios, load, to_flat, with_values
from normsim.schema import Scenario

_SERIALS = itertools.count(1)
log = logging.getLogger(__name__)
SEED_LIMIT = 2**63


def presets() -> dict[str, tuple[str, str]]:
    """Shipped scenarios: name -> (title, description in one paragraph)."""
    return {name: (title, " ".join(description.split()))
            for name, title, description, _ in list_scenarios()}


@dataclass(frozen=True)
class Refusal:
    """Why a change was not applied: a typed reason (``kind`` and its ``context``, which the page
    words in the visitor's language) or the library's own message (``kind`` = "text")."""

    kind: str
    context: dict = field(default_factory=dict)
    text: str = ""


def refusal(err: ScenarioError) -> Refusal:
    """A ScenarioError as a Refusal, typed when the schema raised a typed error."""
    cause = err.__context__  # scenario.validate raises ScenarioError from a ValidationError
    if isinstance(cause, ValidationError):
        for e in cause.errors():
            if e["type"] in ("peace_window", "engagement_window"):
                return Refusal(e["type"], dict(e.get("ctx", {})), str(err))
    return Refusal("text", {}, str(err).split(": ", 1)[-1])


class Run:
    """One model, built from settings and a seed; its settings may change mid-run."""

    def __init__(self, settings: Scenario, seed: int):
        self.serial = next(_SERIALS)
        self.seed = seed
        self.model = NormDiffusionModel(rng=seed, settings=settings)

    @property
    def week(self) -> int:
        return self.model.steps

    @property
    def values(self) -> dict:
        return to_flat(self.model.settings)


class Session:
    """A visitor's choices, their run and its comparison; safe to use from several threads.

    ``on_update`` (set by the page) is called from the worker's thread after each step or redraw
    and from the comparison's thread as it progresses.
    """

    def __init__(self, preset: str, compare_spec: tuple[str, object, object],
                 language: str = "en", painter=None):
        from normsim.app.picture import Painter

        self.lock = threading.RLock()
        self.on_update: Callable[[], None] = lambda: None
        self.painter = painter or Painter()
        self.language = language
        self.refusal: Refusal | None = None
        self.preset = preset
        base = load(preset)
        self.draft = to_flat(base)
        self.seed, self.weeks = base.run.seed, base.run.steps
        self.compare_spec, self.compare_seeds = compare_spec, 10
        self.comparison: Comparison | None = None
        self.compared_spec = compare_spec  # the settings of the comparison shown
        self.compare_chart: str | None = None
        self.compare_done = 0
        self._compare_cancel = threading.Event()
        self._compare_cancel.set()  # no comparison under way
        self.run = Run(self.scenario(), self.seed)
        self.painter.draw(self)  # self.view: the picture of the run (normsim.app.picture)
        self.worker = Worker(self.step, lambda: self.painter.draw(self), lambda: self.on_update())

    # -- settings --------------------------------------------------------------------------
    def scenario(self, values: dict | None = None) -> Scenario:
        return with_values(load(self.preset), values or self.draft, origin="the app's settings")

    @property
    def pending(self) -> dict:
        """Draft values that differ from the run's: name -> value."""
        now = self.run.values
        return {k: v for k, v in self.draft.items() if now[k] != v}

    @property
    def fixed_pending(self) -> list[str]:
        """Pending changes that only a new run can take (the number of fighters ...)."""
        return [k for k in self.pending if k in FIXED_AT_START]

    def choose_preset(self, name: str) -> None:
        """Start from a shipped scenario: every control takes its values, and its seed."""
        with self.lock:
            base = load(name)
            self.preset, self.draft, self.seed = name, to_flat(base), base.run.seed
            self.weeks = base.run.steps
            self.restart()

    def set_value(self, name: str, value) -> None:
        """Change one setting of the draft (refused when it does not fit); at week 0 it applies."""
        with self.lock:
            draft = {**self.draft, name: value}
            try:
                self.scenario(draft)
            except ScenarioError as err:
                self.refusal = refusal(err)
                return
            self.refusal, self.draft = None, draft
            if self.run.week == 0:
                self.restart()
            else:
                self.worker.redraw()

    def discard(self) -> None:
        """Put the draft back to the run's settings."""
        with self.lock:
            self.draft, self.refusal = self.run.values, None
            self.worker.redraw()

    def apply_now(self) -> None:
        """The draft applies from this week on: the run carries on under the new conditions."""
        with self.lock:
            try:
                change(self.run.model, self.pending, origin="the app's settings")
            except ScenarioError as err:
                self.refusal = Refusal("fixed", {"names": self.fixed_pending}, str(err)) \
                    if self.fixed_pending else refusal(err)
                return
            self.refusal = None
            self.worker.redraw()

    def restart(self) -> None:
        """A new run from week 0 with the draft and the seed (Reset does the same)."""
        with self.lock:
            self.worker.play(False)
            self.refusal = None
            self.run = Run(self.scenario(), self.seed)
            self.worker.redraw()

    def set_seed(self, seed) -> None:
        with self.lock:
            if not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
                self.refusal = Refusal("seed")
                return
            self.seed = seed
            self.restart()

    def refuse(self, why: Refusal) -> None:
        self.refusal = why

    def set_language(self, language: str) -> None:
        """Say everything in ``language`` from now on (the pictures are drawn again)."""
        self.language = language
        if self.comparison is not None:
            self.compare_chart = self.painter.draw_compare(self)
        self.worker.redraw()

    def preset_sets(self) -> dict:
        """Parameters the chosen preset sets away from the library's defaults."""
        base, preset = defaults(), to_flat(load(self.preset))
        return {k: v for k, v in preset.items() if base[k] != v}

    def preset_changes(self) -> dict:
        """Parameters whose draft value differs from the chosen preset's."""
        base = to_flat(load(self.preset))
        return {k: v for k, v in self.draft.items() if base[k] != v}

    # -- the run ---------------------------------------------------------------------------
    @property
    def week(self) -> int:
        return self.run.week

    @property
    def finished(self) -> bool:
        return self.week >= self.weeks

    def step(self, weeks: int) -> bool:
        """Advance the run by up to ``weeks`` (not past the scenario's length); did it move?"""
        with self.lock:
            weeks = max(0, min(weeks, self.weeks - self.week))
            for _ in range(weeks):
                self.run.model.step()
            return weeks > 0

    def close(self, wait: bool = False) -> None:
        """The visitor has gone: stop the threads (``wait``: until they have stopped)."""
        self._compare_cancel.set()
        self.worker.close(wait)

    # -- the comparison --------------------------------------------------------------------
    def set_compare(self, name: str, left, right) -> None:
        with self.lock:
            try:
                for value in (left, right):
                    self.scenario({**self.draft, name: value})
            except ScenarioError as err:
                self.refusal = refusal(err)
                return
            self.refusal = None
            self.compare_spec = (name, left, right)
            self.cancel_compare()

    def set_compare_seeds(self, n: int) -> None:
        with self.lock:
            self.compare_seeds = int(n)
            self.cancel_compare()

    def cancel_compare(self) -> None:
        """Forget the comparison (its settings changed); a new one starts on request."""
        self._compare_cancel.set()
        self.comparison, self.compare_chart, self.compare_done = None, None, 0

    def compared_names(self, t) -> tuple[str, str]:
        """The two sides of the comparison shown, in words ("principled", "conditional")."""
        name, left, right = self.compared_spec
        return side_name(name, left, t), side_name(name, right, t)

    @property
    def comparing(self) -> bool:
        return not self._compare_cancel.is_set()

    def start_compare(self) -> None:
        """Run both sides over ``compare_seeds`` seeds in a thread of their own."""
        with self.lock:
            self._compare_cancel.set()
            cancel = self._compare_cancel = threading.Event()
            name, left, right = self.compare_spec
            sides = [self.scenario({**self.draft, name: v}) for v in (left, right)]
            n, seed, weeks, spec = self.compare_seeds, self.seed, self.weeks, self.compare_spec
            self.comparison, self.compare_chart, self.compare_done = None, None, 0

        def progress():
            if not cancel.is_set():
                self.compare_done += 1
                self.on_update()

        def work():
            try:
                result = compare(*sides, seeds=n, weeks=weeks, root=seed, on_run=progress,
                                 cancel=cancel)
                with self.lock:
                    if cancel.is_set():
                        return
                    self.comparison, self.compared_spec = result, spec
                self.compare_chart = self.painter.draw_compare(self)
            except Cancelled:
                return
            except Exception:  # a bug must not leave the page waiting; the log says what
                log.exception("the comparison failed")
            finally:
                cancel.set()
            self.on_update()

        threading.Thread(target=work, name="normsim-compare", daemon=True).start()
