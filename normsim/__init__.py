"""normsim: how humanitarian norms diffuse to non-state armed groups, on Mesa.

    >>> from normsim import NormDiffusionModel, run
    >>> table = run({"group_centralisation": 0.3}, seed=1, steps=52)

The package's folders, read from the ground up (docs/ARCHITECTURE.md):
``world`` (who lives in the model), ``rules`` (what happens each week), ``engagers``,
``settings`` (what users write), ``simulation`` (one run), ``sweeps`` (many runs),
``analysis``, ``calibration``, and the shells: ``cli``, ``app``, ``adapters``.

Adapters for the tools researchers use: :func:`salib_problem` (SALib), ``normsim.adapters.ema``
(EMA Workbench: ``from normsim import ema``; needs the ``ema_workbench`` package),
:func:`seeds` (a sweep's replicate seeds).

Every user mistake -- a bad argument, parameter, file or folder -- raises
:class:`UserError` (``normsim.errors``), with one message naming where, what and what is allowed;
:class:`ScenarioError` is its kind for scenarios and parameters. Anything else is a bug.
"""

from importlib import import_module
from importlib.metadata import version

from normsim.adapters.salib import salib_problem
from normsim.engagers import KINDS as ENGAGER_KINDS
from normsim.engagers import Engager
from normsim.errors import UserError
from normsim.settings.scenario import ScenarioError, load
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.run import run, run_model
from normsim.sweeps.design import seeds
from normsim.world.agents import ArmedGroup, Commander, Community, Fighter

__version__ = version("normsim")  # one version, pyproject.toml's
__all__ = ["NormDiffusionModel", "Engager", "ENGAGER_KINDS", "ArmedGroup", "Commander", "Fighter",
           "Community", "run", "run_model", "load", "seeds", "salib_problem", "ScenarioError",
           "UserError", "ema", "__version__"]


def __getattr__(name):
    """``normsim.adapters.ema``: the EMA Workbench adapter, imported when asked for (EMA Workbench is an
    optional, heavy dependency)."""
    if name == "ema":
        return import_module("normsim.adapters.ema")
    raise AttributeError(f"module 'normsim' has no attribute {name!r}")
