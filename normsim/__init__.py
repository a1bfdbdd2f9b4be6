"""normsim: how humanitarian norms diffuse to non-state armed groups, on Mesa.

    >>> from normsim import NormDiffusionModel, run
    >>> table = run({"group_centralisation": 0.3}, seed=1, steps=52)
"""

from normsim.agents import ArmedGroup, Commander, Community, Fighter
from normsim.engagers import KINDS as ENGAGER_KINDS
from normsim.engagers import Engager
from normsim.model import NormDiffusionModel
from normsim.run import run, run_model
from normsim.scenario import ScenarioError, load

__version__ = "0.1.0"
__all__ = ["NormDiffusionModel", "Engager", "ENGAGER_KINDS", "ArmedGroup", "Commander", "Fighter",
           "Community", "run", "run_model", "load", "ScenarioError", "__version__"]
