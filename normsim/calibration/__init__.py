"""Calibration against observed counts by approximate Bayesian computation (ABC-SMC, pyabc).

``normsim calibrate FILE.toml`` (:func:`normsim.calibration.driver.calibrate`) fits chosen
parameters to observed counts of armed groups' commitments (``data/``): priors are uniform over
ranges inside each parameter's declared range, the summary statistics are the simulated
cumulative signatories at the observed dates up to ``fit_until``, the distance is Euclidean on
their ratios to the observed counts. pyabc's database in the output folder makes it resumable;
``--scheduler`` runs the particles on a Dask cluster. Afterwards it draws from the posterior to
predict the counts after ``fit_until`` -- the held-out test -- and writes a report.
"""

from normsim.calibration.spec import CalibrationFile, load_calibration

__all__ = ["CalibrationFile", "load_calibration"]
