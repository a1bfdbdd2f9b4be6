"""One visitor's runs: the settings they chose, the live model and its picture, the address.

Every browser tab holds its own :class:`Session` (the page keeps it in its Solara kernel, which
outlives a dropped connection, so a reconnect finds the run where it was). No model logic lives
here: this wraps the library's ``load``/``with_values``, ``NormDiffusionModel`` and
:func:`normsim.app.interventions.change`. The Compare tab's state is the session's ``comparer``
(:class:`normsim.app.comparison.Comparer`), which compares the session's draft.

Settings the visitor moves are a *draft*: its values (flat parameters), its engagers (one table
each, as a scenario's ``[[engager]]`` tables) and its norms in play. At week 0 a change applies
at once (the run starts again); later it waits for "from this week on" (:meth:`Session.apply_now`)
or "restart with these settings" (:meth:`Session.restart`). The engagers and the norms make up
the model, so they change only with a new run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from normsim.app.address import Recipe
from normsim.app.comparison import Comparer
from normsim.app.interventions import FIXED_AT_START, change
from normsim.app.picture import Painter
from normsim.app.runs import (ORIGIN, SEED_LIMIT, Refusal, Run, engager_tables, kind_defaults,
                              refusal, values_of)
from normsim.app.worker import Worker
from normsim.engagers import KINDS
from normsim.settings.scenario import ScenarioError, load, to_flat, validate, with_values
from normsim.settings.schema import Scenario


class Session:
    """A visitor's choices, their run and its comparison; safe to use from several threads.

    ``on_update`` (set by the page) is called from the worker's thread after each step or redraw
    and from the comparison's thread as it progresses. ``compare_spec`` is the factor the
    comparison varies first: its name and two values.
    """

    def __init__(self, preset: str, compare_spec: tuple[str, object, object],
                 language: str = "en", painter=None, recipe: Recipe | None = None):
        self.lock = threading.RLock()
        self.on_update: Callable[[], None] = lambda: None
        self.painter = painter or Painter()
        self.language = language
        self.refusal: Refusal | None = None
        self.preset = preset
        base = load(preset)
        self.draft, self.engagers, self.norms = values_of(base), engager_tables(base), base.norms
        self.seed, self.weeks = base.run.seed, base.run.steps
        self.control_shown = False  # the run's control drawn beside it (Run.show_control)
        self.comparer = Comparer(self, compare_spec)  # the Compare tab (normsim.app.comparison)
        self.run = Run(self.scenario(), self.seed)
        if recipe is not None and not recipe.empty:
            self.replay(recipe)
        self.painter.draw(self)  # self.view: the picture of the run (normsim.app.picture)
        self.worker = Worker(self.step, lambda: self.painter.draw(self), lambda: self.on_update())
        self.joined_before = 0  # quick clicks joined into a step before this run (the clock)

    # -- settings --------------------------------------------------------------------------
    def scenario(self, values: dict | None = None, engagers: list | None = None,
                 norms: list | None = None) -> Scenario:
        """The preset with the draft's (or these) engagers, norms and values."""
        data = load(self.preset).model_dump(by_alias=True)
        data["engager"] = self.engagers if engagers is None else engagers
        data["norms"] = list(self.norms if norms is None else norms)
        base = validate(data, ORIGIN)
        have = to_flat(base)
        values = self.draft if values is None else values
        return with_values(base, {k: v for k, v in values.items() if k in have}, ORIGIN)

    @property
    def population(self) -> bool:
        return bool(load(self.preset).population)

    @property
    def many_groups(self) -> bool:
        """Several groups in play (a population, or more than one group)."""
        return self.population or self.draft.get("group_count", 1) > 1

    @property
    def pending(self) -> dict:
        """Draft values that differ from the run's: name -> value."""
        now = self.run.values
        return {k: v for k, v in self.draft.items() if now.get(k) != v}

    @property
    def make_up_pending(self) -> list[str]:
        """What the draft makes the run of differently ("engagers", "norms")."""
        now = self.run.make_up
        return [k for k, v in (("engagers", self.engagers), ("norms", list(self.norms)))
                if now[k] != v]

    @property
    def fixed_pending(self) -> list[str]:
        """Pending changes that only a new run can take (the number of fighters, the engagers
        ...)."""
        return self.make_up_pending + [k for k in self.pending if k in FIXED_AT_START]

    def _take(self, scenario: Scenario) -> None:
        """Make a validated scenario the draft; at week 0 the run starts again with it."""
        self.refusal = None
        self.draft, self.engagers = values_of(scenario), engager_tables(scenario)
        self.norms = list(scenario.norms)
        self.comparer.fit()
        if self.run.week == 0:
            self.restart()
        else:
            self.worker.redraw()

    def choose_preset(self, name: str) -> None:
        """Start from a shipped scenario: every control takes its values, and its seed."""
        with self.lock:
            base = load(name)
            self.preset, self.seed, self.weeks = name, base.run.seed, base.run.steps
            self.draft, self.engagers, self.norms = values_of(base), engager_tables(base), \
                list(base.norms)
            self.comparer.fit()
            self.comparer.cancel()
            self.restart()

    def set_value(self, name: str, value) -> None:
        """Change one setting of the draft (refused when it does not fit); at week 0 it applies.
        A group type sets the settings it names, as in a scenario file."""
        with self.lock:
            try:
                scenario = with_values(self.scenario(), {name: value}, ORIGIN)
            except ScenarioError as err:
                self.refusal = refusal(err)
                return
            self._take(scenario)

    def add_engager(self, kind: str, norm: str | None = None) -> None:
        """One more engager of ``kind`` (a deed on ``norm``, which comes into play if it was
        not); it starts with its kind's settings, or the draft's for that kind."""
        with self.lock:
            table = {"kind": kind, **({"norm": norm} if norm else {})}
            norms = list(self.norms) + ([norm] if norm and norm not in self.norms else [])
            handles = KINDS[kind].handles
            if not any(n in handles for n in norms):
                self.refusal = Refusal("handles", {"kind": kind, "norms": list(handles)})
                return
            try:
                scenario = self.scenario(engagers=[*self.engagers, table], norms=norms)
            except ScenarioError as err:
                self.refusal = refusal(err)
                return
            self._take(scenario)

    def remove_engager(self, index: int) -> None:
        """No more engager ``index`` (none left: the control, no engagement)."""
        with self.lock:
            engagers = [t for i, t in enumerate(self.engagers) if i != index]
            self._take(self.scenario(engagers=engagers))

    def set_norm(self, norm: str, in_play: bool) -> None:
        """Bring a norm into play (after the others) or take it out (refused in words when an
        engager needs it or it is the last)."""
        with self.lock:
            norms = [n for n in self.norms if n != norm] + ([norm] if in_play else [])
            if in_play and norm in self.norms:
                return
            if not norms:
                self.refusal = Refusal("last_norm")
                return
            if not in_play and any(norm in (t.get("norms") or []) or t.get("norm") == norm
                                   for t in self.engagers):
                self.refusal = Refusal("norm_needed", {"norm": norm})
                return
            try:
                scenario = self.scenario(norms=norms)
            except ScenarioError as err:
                self.refusal = refusal(err)
                return
            self._take(scenario)

    def discard(self) -> None:
        """Put the draft back to the run's settings."""
        with self.lock:
            self.draft, self.refusal = self.run.values, None
            self.engagers, self.norms = self.run.make_up["engagers"], self.run.make_up["norms"]
            self.worker.redraw()

    def apply_now(self) -> None:
        """The draft applies from this week on: the run carries on under the new conditions."""
        with self.lock:
            if self.make_up_pending:
                self.refusal = Refusal("fixed", {"names": self.fixed_pending})
                return
            pending = self.pending
            try:
                change(self.run.model, pending, origin=ORIGIN)
                self.run.change_twin(pending)
                self.run.changes.append((self.run.week, pending))
            except ScenarioError as err:
                self.refusal = Refusal("fixed", {"names": self.fixed_pending}, str(err)) \
                    if self.fixed_pending else refusal(err)
                return
            self.refusal = None
            self.worker.redraw()

    @property
    def title(self) -> str:
        """The scenario's title (as its file says it)."""
        return load(self.preset).title

    def restart(self) -> None:
        """A new run from week 0 with the draft and the seed (Reset does the same)."""
        with self.lock:
            self.worker.play(False)
            self.joined_before = self.worker.coalesced  # the clock's note starts again
            self.refusal = None
            self.run = Run(self.scenario(), self.seed)
            self.run.show_control(self.control_shown)
            self.worker.redraw()

    def show_control(self, on: bool) -> None:
        """Show the run's control (the same run without engagers) beside it, or not."""
        with self.lock:
            self.control_shown = on
            self.run.show_control(on)
            self.worker.redraw()

    def set_seed(self, seed) -> None:
        with self.lock:
            if not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
                self.refusal = Refusal("seed", {"value": str(seed)[:30]})
                return
            self.seed = seed
            self.restart()

    def refuse(self, why: Refusal | None) -> None:
        """Say why a choice was refused (None: the last choice fitted)."""
        self.refusal = why

    def set_language(self, language: str) -> None:
        """Say everything in ``language`` from now on (the pictures are drawn again)."""
        self.language = language
        self.comparer.redraw()
        self.worker.redraw()

    def preset_sets(self) -> dict:
        """Parameters the chosen preset sets away from the defaults of its engagers' kinds."""
        preset = load(self.preset)
        base = kind_defaults(preset)
        return {k: v for k, v in values_of(preset).items() if base.get(k) != v}

    def preset_changes(self) -> dict:
        """Parameters whose draft value differs from the chosen preset's (an engager added
        since: from its kind's defaults)."""
        base = {**kind_defaults(self.scenario()), **values_of(load(self.preset))}
        return {k: v for k, v in self.draft.items() if base.get(k) != v}

    def preset_make_up(self) -> bool:
        """Whether the draft's engagers or norms differ from the preset's."""
        preset = load(self.preset)
        return (engager_tables(preset), list(preset.norms)) != (self.engagers, list(self.norms))

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
                self.run.step()
            return weeks > 0

    def close(self, wait: bool = False) -> None:
        """The visitor has gone: stop the threads (``wait``: until they have stopped)."""
        self.comparer.stop()
        self.worker.close(wait)

    # -- the address (normsim.app.address) -------------------------------------------------
    def recipe(self) -> Recipe:
        """What the run shown was made from: enough to make it again, week for week."""
        with self.lock:
            run, preset = self.run, load(self.preset)
            make = None if run.start_make == {"engagers": engager_tables(preset),
                                              "norms": list(preset.norms)} else run.start_make
            base = {**kind_defaults(run.model.settings), **values_of(preset)}
            start = {k: v for k, v in run.start_values.items() if base.get(k) != v}
            return Recipe(self.preset, run.seed, run.week, start, make, list(run.changes))

    def replay(self, recipe: Recipe) -> None:
        """Make the run ``recipe`` describes (its preset already chosen): the same seed, settings
        and changes of conditions give the same weeks again. What does not fit is not applied,
        and :attr:`refusal` lists it."""
        problems = list(recipe.problems)
        with self.lock:
            if recipe.seed is not None:
                if recipe.seed < SEED_LIMIT:
                    self.seed = recipe.seed
                else:
                    problems.append(f"seed={recipe.seed}")
            if recipe.make is not None:
                self.engagers = recipe.make.get("engagers", self.engagers)
                self.norms = recipe.make.get("norms", self.norms)
            try:
                self.draft = values_of(self.scenario(values=recipe.start))
            except (ScenarioError, AttributeError, TypeError) as err:
                problems.append(str(err).split(": ", 1)[-1])
                base = load(self.preset)
                self.draft, self.engagers, self.norms = values_of(base), engager_tables(base), \
                    list(base.norms)
            self.run = Run(self.scenario(), self.seed)
            for week, values in recipe.changes:
                self.step(week - self.week)
                try:
                    change(self.run.model, values, origin=ORIGIN)
                    self.run.changes.append((self.run.week, values))
                except (ScenarioError, TypeError) as err:
                    problems.append(str(err).split(": ", 1)[-1])
                    break
            self.step(recipe.week - self.week)
            self.draft = self.run.values
            if problems:
                self.refusal = Refusal("address", {"items": problems})
