"""What a batch of runs records (normsim.simulation.batch_engine): the batch's weeks kept once,
each run's part of them read when its table is read, and the command levels' means of the runs
still stored group by group taken as a run alone takes them.

A batch records each week once, for all its runs (``records.week_state`` of the batch). Each
run's collector holds a :class:`RunWeeks`: its groups' part of a range of those weeks. When a
run's table is read, ``records.columns`` asks it for each array stacked over the weeks; the batch
stacks each array once (:class:`BatchWeeks`) and every run takes its part of it, instead of a view
per array, run and week.
"""

from __future__ import annotations

import numpy as np

from normsim.simulation import records
from normsim.simulation.records import GROUP_AXIS, PER_WEEK


class BatchWeeks:
    """The batch's recorded weeks; each state array stacked over a range of weeks once, for
    every run that reads it."""

    def __init__(self):
        self.states: list[dict] = []
        self._stacks: dict = {}

    def __len__(self) -> int:
        return len(self.states)

    def add(self, state: dict) -> None:
        self.states.append(state)
        self._stacks.clear()

    def stacked(self, key: str, first: int, last: int) -> np.ndarray:
        if (key, first, last) not in self._stacks:
            self._stacks[key, first, last] = np.stack([w[key] for w in self.states[first:last]])
        return self._stacks[key, first, last]


class RunWeeks(records.Weeks):
    """A run's recorded weeks in a batch (from ``first`` on, until closed): its groups' part
    (``mine``: a slice, or indices once a faction of its has broken away) of the batch's weeks.
    A segment holds weeks of one shape: it is closed when the batch's groups grow."""

    def __init__(self, weeks: BatchWeeks, mine, first: int):
        self.weeks, self.mine, self.first, self.last = weeks, mine, first, None

    def close(self, last: int) -> None:
        self.last = last

    def _range(self) -> tuple[int, int]:
        return self.first, len(self.weeks) if self.last is None else self.last

    def __len__(self) -> int:
        first, last = self._range()
        return last - first

    def stacked(self, key: str) -> np.ndarray:
        axis = 1 + GROUP_AXIS.get(key, 0)  # after the weeks' axis
        return self.weeks.stacked(key, *self._range())[(slice(None),) * axis + (self.mine,)]

    def each(self, key: str) -> np.ndarray:
        values = self.weeks.stacked(key, *self._range())
        if key not in PER_WEEK or values.ndim == 1:
            return values
        first = self.mine.start if isinstance(self.mine, slice) else self.mine[0]
        return values[:, first].astype(PER_WEEK[key])  # the run's value, typed as alone


class KeptLayout(records.Layout):
    """The batch's layout after a run's faction broke away: each command level's means of the
    runs still stored group by group (``kept``: their groups) are taken as alone, over their
    segments of the cohort as the ``first`` layout took them; the others' as a run with a
    faction takes them (numpy's ``reduceat`` adds pairwise, ``bincount`` in order)."""

    def __init__(self, model, first: records.Layout, kept: np.ndarray):
        super().__init__(model)
        self.first, self.kept = first, kept

    def by_levels(self, values: np.ndarray) -> np.ndarray:
        means = super().by_levels(values)
        means[..., self.kept] = self.first.by_levels(values)[..., self.kept]
        return means


__all__ = ["BatchWeeks", "RunWeeks", "KeptLayout"]
