"""Small array helpers the weekly processes share.

``clip`` is numpy's own clip ufunc, called directly: ``np.clip`` reaches the same ufunc through
two layers of Python dispatch that cost several microseconds a call, and a default run makes
about 25 clips a week on arrays of a few elements, where that dispatch is most of the cost.
Same ufunc, so the same numbers to the bit.
"""

from __future__ import annotations

import numpy as np

clip = np._core.umath.clip  # noqa: SLF001  (np.clip's ufunc, without its Python wrapper)


# -- values of a run, read per group, unit or fighter (the batch engine) -----------------------
# A run alone holds its environment's and the State's figures as numbers; a batch of runs holds
# them as one value per group (normsim.simulation.batch_engine). These read either.

def at(x, index):
    """``x`` (a number, or one value per group) for the groups ``index``."""
    return x if np.ndim(x) == 0 else x[index]


def column(x):
    """``x`` (a number, or one value per group) against a ``(G, N)`` array."""
    return x if np.ndim(x) == 0 else x[:, None]


def runs_of(groups, index):
    """The run of each of the groups ``index`` in a batch (None for a run alone)."""
    return None if groups.run is None else groups.run[index]
