"""One visitor's runs: the settings they chose, the model(s), and what the views read from them.

Every browser session holds its own :class:`Session` (the page creates it with ``use_memo``), so
two visitors never share a model. No model logic lives here: this wraps the library's
``load``/``with_values``, ``NormDiffusionModel`` and ``records``/``events``.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import pandas as pd

from normsim.analysis.narrative import key_events, sentences
from normsim.model import NormDiffusionModel
from normsim.scenario import (ScenarioError, defaults, list_scenarios, load, to_flat,
                              with_values)
from normsim.schema import Scenario


_SERIALS = itertools.count()


def presets() -> dict[str, tuple[str, str]]:
    """Shipped scenarios: name -> (title, description in one paragraph)."""
    return {name: (title, " ".join(description.split()))
            for name, title, description, _ in list_scenarios()}


@dataclass
class Run:
    """One model and the settings it was built from."""

    settings: Scenario
    seed: int
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    serial: int = field(default_factory=lambda: next(_SERIALS))  # tells the views a new run
    model: NormDiffusionModel = field(init=False)
    _cache: dict = field(init=False, default_factory=dict)

    def __post_init__(self):
        self.model = NormDiffusionModel(rng=self.seed, settings=self.settings)

    @property
    def week(self) -> int:
        return self.model.steps

    def advance(self, weeks: int) -> None:
        for _ in range(weeks):
            self.model.step()

    def _cached(self, key, make):
        with self.lock:  # the play loop may be stepping the model in another thread
            hit = self._cache.get(key)
            if hit is None or hit[0] != self.week:
                hit = self._cache[key] = (self.week, make())
            return hit[1]

    def records(self) -> pd.DataFrame:
        return self._cached("records", self.model.records)

    def story(self) -> list[str]:
        """What happened and why, one sentence per key event, oldest first."""
        return self._cached("story", lambda: sentences(key_events(self.model.events())))

    def now(self) -> dict:
        """The latest row of the first group (the one the views follow)."""
        rec = self.records()
        return rec[rec["group"] == 0].iloc[-1].to_dict()


class Session:
    """A visitor's choices and runs: the main run and the two runs of the comparison.

    Changing any setting builds the runs anew from week 0 with the same seed, so that the
    difference between two runs comes from the settings alone. ``lock`` keeps the play loop
    and a button click from stepping or rebuilding at the same time.
    """

    def __init__(self, preset: str, compare: tuple[str, object, object]):
        self.lock = threading.RLock()
        self.error = ""
        self.preset = preset
        base = load(preset)
        self.values = to_flat(base)
        self.seed = base.run.seed
        self.weeks = base.run.steps
        self.compare = compare
        self.rebuild()

    # -- settings --------------------------------------------------------------------------
    def scenario(self, values: dict | None = None) -> Scenario:
        return with_values(load(self.preset), values or self.values, origin="the app's settings")

    def choose_preset(self, name: str) -> None:
        """Start from a shipped scenario: every control takes its values, and its seed."""
        with self.lock:
            base = load(name)
            self.preset, self.values, self.seed = name, to_flat(base), base.run.seed
            self.weeks = base.run.steps
            self.rebuild()

    def set_value(self, name: str, value) -> None:
        """Change one parameter; refused (with a message) when the settings would not fit."""
        self.set_values({name: value})

    def set_values(self, changes: dict) -> None:
        with self.lock:
            values = {**self.values, **changes}
            try:
                self.scenario(values)
            except ScenarioError as err:
                return self.refuse(str(err).removeprefix("the app's settings: "))
            self.values = values
            self.rebuild()

    def refuse(self, why: str) -> None:
        """Keep the settings as they are and say why (shown until the next accepted change)."""
        self.error = why

    def set_seed(self, seed: int) -> None:
        with self.lock:
            self.seed = int(seed)
            self.rebuild()

    def set_compare(self, name: str, left, right) -> None:
        with self.lock:
            try:
                for value in (left, right):
                    self.scenario({**self.values, name: value})
            except ScenarioError as err:
                return self.refuse(str(err).removeprefix("the app's settings: "))
            self.compare = (name, left, right)
            self.rebuild()

    def preset_sets(self) -> dict:
        """Parameters the chosen preset sets away from the library's defaults."""
        base, preset = defaults(), to_flat(load(self.preset))
        return {k: v for k, v in preset.items() if base[k] != v}

    def preset_changes(self) -> dict:
        """Parameters whose value differs from the chosen preset's (what the visitor changed)."""
        base = to_flat(load(self.preset))
        return {k: v for k, v in self.values.items() if base[k] != v}

    # -- runs ------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Build the main run and both comparison runs at week 0, all from the same seed."""
        with self.lock:
            self.error = ""
            self.main = Run(self.scenario(), self.seed, self.lock)
            name, left, right = self.compare
            self.pair = tuple(Run(self.scenario({**self.values, name: v}), self.seed, self.lock)
                              for v in (left, right))

    @property
    def week(self) -> int:
        return self.main.week

    @property
    def finished(self) -> bool:
        return self.week >= self.weeks

    def advance(self, weeks: int) -> int:
        """Advance every run by up to ``weeks`` (not past the scenario's length); the new week."""
        with self.lock:
            weeks = max(0, min(weeks, self.weeks - self.week))
            for run in (self.main, *self.pair):
                run.advance(weeks)
            return self.week
