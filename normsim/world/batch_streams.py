"""Random draws for a batch of runs, each from its own run's generators (the batch engine's
first part; docs/performance.md, "A batch engine: the design").

A batch holds several runs' elements (groups, commanders, units, fighters) side by side on the
last axis of its arrays; ``owner`` says which run each element belongs to. A draw over a batch
array is made run by run: run ``r``'s generator draws for run ``r``'s elements, in the order they
stand, with the same shape a run alone would ask for. So each run's generator makes the same calls
with the same arguments as when the run is alone, and its draws are the same to the bit, whatever
else is in the batch (``tests/test_batch_streams.py``).

A run with no element in a draw still gets its call, with size 0: numpy's generators leave their
state as it was after a draw of size 0 (checked in the tests), so this matches a run alone that
draws nothing or skips the call.

Not yet used by the model (branch ``batch-engine``). Cost, measured on 6 December: a Poisson draw
over 64 runs of 600 elements takes 1.4 ms here against 0.58 ms as one call and 64 x 15.5 us for
the runs alone, so a run pays about 22 us a draw site in a batch, 6 us more than alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Owners:
    """Which run each element of a batch axis belongs to, and each run's elements in order."""

    def __init__(self, owner: np.ndarray, runs: int):
        owner = np.asarray(owner, dtype=np.int64)
        self.owner, self.runs = owner, runs
        if len(owner) and (owner.min() < 0 or owner.max() >= runs):
            raise ValueError(f"owners must lie in 0 .. {runs - 1}")
        self.contiguous = bool(np.all(owner[1:] >= owner[:-1]))
        if self.contiguous:  # runs one after another (a batch's usual layout): no sort needed
            bounds = np.searchsorted(owner, np.arange(runs + 1)).tolist()
            self.slices = [slice(bounds[r], bounds[r + 1]) for r in range(runs)]
            self.sizes = [bounds[r + 1] - bounds[r] for r in range(runs)]
        else:  # a stable sort keeps each run's elements in the order they stand
            order = np.argsort(owner, kind="stable")
            bounds = np.searchsorted(owner[order], np.arange(runs + 1))
            self.where = [order[bounds[r]:bounds[r + 1]] for r in range(runs)]
            self.sizes = [len(w) for w in self.where]

    def of(self, r: int):
        """Run ``r``'s elements: a slice when the runs stand one after another, else indices."""
        return self.slices[r] if self.contiguous else self.where[r]

    def counts(self) -> np.ndarray:
        return np.array(self.sizes, dtype=np.int64)


def draw(generators: Sequence[np.random.Generator], owners: Owners, method: str, *args,
         dtype=None) -> np.ndarray:
    """``generators[r].<method>(*args restricted to run r's elements)`` for every run, gathered
    into one batch array. Array arguments are cut along their last axis (which is the batch
    axis); scalars go to every run as they are. The result has the shape of the arguments
    broadcast together (last axis: the batch's elements)."""
    arrays = [np.asarray(a) for a in args]
    shape = np.broadcast_shapes(*(a.shape for a in arrays if a.ndim), (len(owners.owner),))
    full = [np.broadcast_to(a, shape) if a.ndim else a.item() for a in arrays]
    out = None
    for r, gen in enumerate(generators):
        sel = owners.of(r)
        values = getattr(gen, method)(*(a[..., sel] if isinstance(a, np.ndarray) else a
                                        for a in full))
        if out is None:
            out = np.empty(shape, dtype=dtype or values.dtype)
        out[..., sel] = values
    return out


def sized(generators: Sequence[np.random.Generator], counts: Sequence[int], method: str,
          *args) -> list[np.ndarray]:
    """``generators[r].<method>(*args, size=counts[r])`` for every run: draws whose number a
    run decides (its violators this week, its leavers), one array per run."""
    return [getattr(gen, method)(*args, size=int(n)) for gen, n in zip(generators, counts)]





class RunStreams:
    """One process's stream in a batch: each run's own generator, in the batch's run order."""

    def __init__(self, generators: Sequence[np.random.Generator]):
        self.generators = list(generators)


def each(stream, owner, method: str, *params) -> np.ndarray:
    """``stream.<method>(*params)``: one draw per element of the parameters (their last axis is
    the batch's elements, run ``owner[i]``'s for element ``i``). A run alone passes its
    generator (``owner`` is then not read)."""
    if isinstance(stream, np.random.Generator):
        return getattr(stream, method)(*params)
    return draw(stream.generators, Owners(owner, len(stream.generators)), method, *params)


def each_row(stream, owner, method: str, *params) -> np.ndarray:
    """:func:`each` for parameters whose *first* axis is the batch's elements (one row per
    group: a run draws its rows in row-major order, as alone)."""
    if isinstance(stream, np.random.Generator):
        return getattr(stream, method)(*params)
    owners = Owners(owner, len(stream.generators))
    out = None
    for r, gen in enumerate(stream.generators):
        sel = owners.of(r)
        values = getattr(gen, method)(*(p[sel] for p in params))
        if out is None:
            out = np.empty(params[0].shape, dtype=values.dtype)
        out[sel] = values
    return out


def count(stream, owner, n: int, method: str, *params) -> np.ndarray:
    """``stream.<method>(*params, size=n)``: ``n`` draws with the same parameters, element ``i``
    from run ``owner[i]``'s generator (each run draws as many as it has elements, in order)."""
    if isinstance(stream, np.random.Generator):
        return getattr(stream, method)(*params, size=n)
    owners = Owners(owner, len(stream.generators))
    out = None
    for r, gen in enumerate(stream.generators):
        sel = owners.of(r)
        values = getattr(gen, method)(*params, size=owners.sizes[r])
        if out is None:
            out = np.empty(n, dtype=values.dtype)
        out[sel] = values
    return out
__all__ = ["Owners", "draw", "sized", "RunStreams", "each", "each_row", "count"]
