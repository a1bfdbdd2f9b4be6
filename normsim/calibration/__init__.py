"""Calibration against observed counts by a blind, deterministic ABC-SMC.

``normsim calibrate FILE.toml`` (:func:`normsim.calibration.outputs.calibrate`) fits chosen
parameters to the counts of armed groups' commitments (``data/``) dated on or before the file's
``cutoff`` (:mod:`~normsim.calibration.record`), with several simulations per particle seeded by
position (:mod:`~normsim.calibration.smc`, :mod:`~normsim.calibration.driver`); each forecast
draw continues a fitted simulation past the cutoff, and every later count is scored beside the
baselines the file declares (:mod:`~normsim.calibration.baselines`, ``scoringrules``). Each
generation is saved as it ends: rerunning the same command resumes, to the same posterior, on
any number of workers or on Dask (``--scheduler``).
"""

from normsim.calibration.spec import CalibrationFile, load_calibration

__all__ = ["CalibrationFile", "load_calibration"]
