"""The one kind of error a user's mistake raises: :class:`UserError`.

Every check of user input (scenario, experiment, population and data files, ``--set``, the
arguments of :func:`normsim.run`, :func:`normsim.run_model`, :func:`normsim.seeds`,
:func:`normsim.salib_problem` and :func:`normsim.adapters.ema.model`, a results folder, a size over the
budget, a cluster address) raises a ``UserError`` (also ``normsim.UserError``) whose message
names the file or argument, the field, the value and what is allowed.
The command line turns any of them into that one message on stderr and exit status 2; anything
else is a bug in normsim and keeps its traceback.

``UserError`` is a ``ValueError``, so code that caught ``ValueError`` for bad parameters still
works. Its kinds say where the mistake is, for callers that want to tell them apart:
:class:`normsim.settings.scenario.ScenarioError` (a scenario, a parameter, an argument), and the ones
below.
"""

from __future__ import annotations


class UserError(ValueError):
    """Bad input from the user; the message says where, what, and what is allowed."""


class BudgetError(UserError):
    """A model, a run or a design is larger than :mod:`normsim.settings.budget` allows."""


class FolderError(UserError):
    """An output folder cannot be used: not a sweep folder, another experiment's, damaged."""


class FolderLocked(FolderError):
    """Another sweep is writing to this folder now."""


class ClusterError(UserError):
    """The Dask scheduler cannot be used: a malformed address, no answer, no workers."""


class DiskFull(UserError):
    """The disk filled up while writing results; what was written before is kept."""


class DamagedFilesWarning(UserWarning):
    """Some files of a sweep folder cannot be read; they were skipped (the rest was read)."""


__all__ = ["DamagedFilesWarning", "UserError", "BudgetError", "FolderError", "FolderLocked", "ClusterError", "DiskFull"]
