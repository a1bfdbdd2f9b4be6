"""Small array helpers the weekly processes share.

``clip`` is numpy's own clip ufunc, called directly: ``np.clip`` reaches the same ufunc through
two layers of Python dispatch that cost several microseconds a call, and a default run makes
about 25 clips a week on arrays of a few elements, where that dispatch is most of the cost.
Same ufunc, so the same numbers to the bit.
"""

from __future__ import annotations

import numpy as np

clip = np._core.umath.clip  # noqa: SLF001  (np.clip's ufunc, without its Python wrapper)
