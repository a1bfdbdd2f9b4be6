"""Baselines a calibrated model must beat, declared in the calibration file before it runs and
fitted to exactly the rows the model is fitted to.

Each baseline is a curve of the expected cumulative count against years since ``start_year``
(the instrument's launch), fitted by maximum likelihood with Poisson counts:

- ``loglinear_poisson``: exp(a + b t), the trend of a Poisson regression on time;
- ``logistic``: K / (1 + exp(-r (t - t0))), logistic growth to a ceiling K;
- ``bass``: m (1 - exp(-(p+q) t)) / (1 + (q/p) exp(-(p+q) t)), Bass diffusion (Bass 1969,
  Management Science 15:215) from the launch, with innovation p, imitation q and ceiling m.

The logistic's and Bass's ceilings are bounded by the file's ``[baselines] ceiling``. A forecast
is a parametric bootstrap (Efron & Tibshirani 1993, ch. 6): Poisson counts are drawn at the
fitted dates from the fitted curve, the curve is fitted again to them, and a Poisson count is
drawn from the refitted curve at each target date -- so the forecast carries both the parameters'
uncertainty and the counts' own noise. Every draw comes from a generator seeded from the
calibration's root seed.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, gammaln


def _loglinear(theta, t):
    a, b = theta
    return np.exp(np.clip(a + b * t, -50, 50))


def _logistic(theta, t):
    k, log_r, t0 = theta
    return k * expit(np.exp(log_r) * (t - t0))


def _bass(theta, t):
    m, log_p, log_q = theta
    p, q = np.exp(log_p), np.exp(log_q)
    e = np.exp(-(p + q) * t)
    return m * (1 - e) / (1 + (q / p) * e)


CURVES = {"loglinear_poisson": _loglinear, "logistic": _logistic, "bass": _bass}


def _starts(name: str, t: np.ndarray, y: np.ndarray, ceiling) -> list[np.ndarray]:
    top = max(float(y.max()), ceiling[0])
    if name == "loglinear_poisson":
        b = np.polyfit(t, np.log(np.maximum(y, 0.5)), 1)
        return [np.array([b[1], b[0]])]
    if name == "logistic":
        return [np.array([k, np.log(r), t0]) for k in (top * 1.2, top * 3, min(ceiling[1], top * 10))
                for r in (0.2, 0.6) for t0 in (float(t.mean()), float(t.max()) + 3)]
    return [np.array([m, np.log(p), np.log(q)]) for m in (top * 1.2, top * 3, min(ceiling[1], top * 10))
            for p in (0.01, 0.1) for q in (0.1, 0.5)]


def fit(name: str, t, y, ceiling=(1.0, 1000.0), start=None) -> np.ndarray:
    """Maximum-likelihood parameters of baseline ``name`` for counts ``y`` at years ``t``
    (from several starting points, or from ``start`` alone when given)."""
    t, y = np.asarray(t, float), np.asarray(y, float)
    curve = CURVES[name]

    def nll(theta):
        mu = np.maximum(curve(theta, t), 1e-9)
        return float(np.sum(mu - y * np.log(mu) + gammaln(y + 1)))

    bounds = None
    if name != "loglinear_poisson":
        bounds = [(max(ceiling[0], 1e-6), ceiling[1]), (-12, 3), (-10, 60) if name == "logistic"
                  else (-12, 3)]
    best = None
    for x0 in ([start] if start is not None else _starts(name, t, y, ceiling)):
        if bounds:
            x0 = np.clip(x0, [b[0] for b in bounds], [b[1] for b in bounds])
        res = minimize(nll, x0, method="Nelder-Mead", bounds=bounds,
                       options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 4000})
        if best is None or res.fun < best.fun:
            best = res
    return best.x


def forecast(name: str, t, y, targets, draws: int, rng: np.random.Generator,
             ceiling=(1.0, 1000.0)) -> np.ndarray:
    """``draws`` x ``len(targets)`` predictive counts of baseline ``name`` (parametric bootstrap)."""
    t, y, targets = np.asarray(t, float), np.asarray(y, float), np.asarray(targets, float)
    curve = CURVES[name]
    best = fit(name, t, y, ceiling)
    mu = curve(best, t)
    out = np.empty((draws, len(targets)))
    for k in range(draws):  # refits start from the fit to the data: fast, and near the optimum
        again = fit(name, t, rng.poisson(mu), ceiling, start=best)
        # a refit to few counts can run away (a trend through two zeros): cap the mean where
        # numpy's Poisson sampler stops, far above any count a forecast could be scored on
        out[k] = rng.poisson(np.clip(curve(again, targets), 0, 1e15))
    return out
