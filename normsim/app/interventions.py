"""The app's changes of conditions in a running model ("what if the fighting calms now?").

A thin caller: the model changes its own conditions through its one public method,
:meth:`~normsim.simulation.model.NormDiffusionModel.change_conditions` (its rules are in
:mod:`normsim.simulation.conditions`: what may change, how each population refreshes what it
derived from its settings, the ``conditions changed`` event in words).

    >>> model = NormDiffusionModel(rng=1)
    >>> for _ in range(100): model.step()
    >>> change(model, {"environment_conflict_intensity": 0.2})
    ['conflict intensity: 0.5 → 0.2']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from normsim.simulation.conditions import FIXED_AT_START  # noqa: F401 (the app's sliders read it)


def change(model, values: Mapping[str, Any], origin: str = "change of conditions") -> list[str]:
    """Apply ``values`` (flat or dotted parameter names) to ``model`` from its current week on;
    the changes in words (see :meth:`NormDiffusionModel.change_conditions`)."""
    return model.change_conditions(values, origin)
