"""normsim: how humanitarian norms diffuse to non-state armed groups, on Mesa.

    >>> from normsim import NormDiffusionModel, run
    >>> table = run({"group_centralisation": 0.3}, seed=1, steps=52)

Adapters for the tools researchers use: :func:`salib_problem` (SALib), :mod:`normsim.ema`
(EMA Workbench; needs the ``ema_workbench`` package), :func:`seeds` (a sweep's replicate seeds).

Every user mistake -- a bad argument, parameter, file or folder -- raises
:class:`UserError` (``normsim.errors``), with one message naming where, what and what is allowed;
:class:`ScenarioError` is its kind for scenarios and parameters. Anything else is a bug.
"""

from importlib.metadata import version

from normsim.agents import ArmedGroup, Commander, Community, Fighter
from normsim.engagers import KINDS as ENGAGER_KINDS
from normsim.engagers import Engager
from normsim.errors import UserError
from normsim.experiment import seeds
from normsim.model import NormDiffusionModel
from normsim.run import run, run_model
from normsim.salib import salib_problem
from normsim.scenario import ScenarioError, load

__version__ = version("normsim")  # one version, pyproject.toml's
__all__ = ["NormDiffusionModel", "Engager", "ENGAGER_KINDS", "ArmedGroup", "Commander", "Fighter",
           "Community", "run", "run_model", "load", "seeds", "salib_problem", "ScenarioError", "UserError",
           "__version__"]
