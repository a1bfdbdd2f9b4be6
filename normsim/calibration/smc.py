"""A deterministic ABC-SMC: the same posterior whoever computes the simulations, in any order.

Why not pyabc's samplers: they accept particles in the order simulations *finish*, so two runs
on two workers differ, and a resumed run differs from an uninterrupted one (issue 18). Here
every random choice is a function of the calibration's root seed and a position:

- generation ``t`` proposes candidates in batches of ``population_size``; batch ``b``'s
  proposals come from a generator seeded with ``(root_seed, t, b)``;
- candidate ``i`` of generation ``t`` is simulated ``replicates`` times with seeds drawn from
  ``(root_seed, t, i)`` -- never from its parameter values -- so no particle is accepted for a
  lucky seed that its values picked;
- its distance is the mean of the replicates' distances; the first ``population_size``
  candidates *by index* whose distance is within the threshold make the generation, however the
  batch was computed (one process, many, a Dask cluster).

The scheme is ABC-SMC with an adaptive threshold (Beaumont et al. 2009, Biometrika 96:983;
Del Moral et al. 2012, Stat Comput 22:1009): generation 0 is ``population_size`` draws from the
uniform prior (all accepted); each later threshold is the median distance of the previous
generation; proposals perturb a particle drawn by weight with a Gaussian kernel of twice the
previous generation's weighted covariance; weights are prior / proposal density.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal

from normsim.errors import UserError

#: what ``evaluate`` receives: per candidate, its index, its parameter vector and its seeds
Candidate = tuple[int, np.ndarray, tuple[int, ...]]


@dataclass(frozen=True)
class Settings:
    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    population_size: int
    replicates: int
    root_seed: int
    max_batches: int = 50  # per generation: a bound on the simulations one generation may take


def seeds(root_seed: int, t: int, index: int, replicates: int) -> tuple[int, ...]:
    """The replicate seeds of candidate ``index`` of generation ``t``: from positions only."""
    state = np.random.SeedSequence([root_seed, t, index]).generate_state(replicates, np.uint64)
    return tuple(int(s >> np.uint64(1)) for s in state)


def _proposal_rng(s: Settings, t: int, batch: int) -> np.random.Generator:
    return np.random.default_rng([s.root_seed, t, batch, 7])


def propose(s: Settings, t: int, batch: int, previous: pd.DataFrame | None) -> np.ndarray:
    """``population_size`` parameter vectors for batch ``batch`` of generation ``t``."""
    rng = _proposal_rng(s, t, batch)
    n, k = s.population_size, len(s.names)
    if previous is None:
        return s.low + rng.random((n, k)) * (s.high - s.low)
    x = previous[list(s.names)].to_numpy()
    w = previous["weight"].to_numpy()
    cov = _kernel(x, w)
    out = np.empty((n, k))
    for j in range(n):
        while True:  # redraw outside the prior's support: it has zero density there
            centre = x[rng.choice(len(x), p=w / w.sum())]
            y = rng.multivariate_normal(centre, cov)
            if np.all(y >= s.low) and np.all(y <= s.high):
                out[j] = y
                break
    return out


def _kernel(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    cov = 2.0 * np.atleast_2d(np.cov(x, rowvar=False, aweights=w))
    return cov + np.eye(len(cov)) * 1e-12 * (1 + np.abs(np.diag(cov)).max())


def weights(s: Settings, accepted: np.ndarray, previous: pd.DataFrame | None) -> np.ndarray:
    """Importance weights: prior (uniform, so constant) over the proposal's density."""
    if previous is None:
        return np.full(len(accepted), 1.0 / len(accepted))
    x = previous[list(s.names)].to_numpy()
    w = previous["weight"].to_numpy() / previous["weight"].sum()
    density = multivariate_normal(mean=np.zeros(len(s.names)), cov=_kernel(x, w),
                                  allow_singular=True)
    q = np.array([np.sum(w * density.pdf(x - a)) for a in accepted])
    out = 1.0 / q
    return out / out.sum()


def generation(s: Settings, t: int, previous: pd.DataFrame | None,
               evaluate: Callable[[Sequence[Candidate]], list[float]],
               scheme=None, progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Run generation ``t``: ``evaluate`` maps candidates to their mean distances (in order).
    Returns the particles (parameters, ``distance``, ``index``, ``weight``) with the generation's
    ``epsilon`` and ``simulations`` as attributes.

    ``scheme`` (default: this module's :func:`propose` and :func:`weights` over ``s.names``)
    says what a particle is: its ``columns``, how a batch is proposed (``propose``) and how accepted
    particles are weighted (``weights``) -- :class:`normsim.calibration.selection.ModelScheme` adds a
    model index in front of the parameters. ``progress``, if given, hears one line after each
    batch (a generation can take hours: the researcher sees it move)."""
    propose_batch = (lambda t, b, prev: propose(s, t, b, prev)) if scheme is None else scheme.propose
    weigh = (lambda x, prev: weights(s, x, prev)) if scheme is None else scheme.weights
    columns = list(s.names) if scheme is None else list(scheme.columns)
    epsilon = np.inf if previous is None else float(np.median(previous["distance"]))
    kept: list[tuple[int, np.ndarray, float]] = []
    evaluated = 0
    for batch in range(s.max_batches):
        theta = propose_batch(t, batch, previous)
        first = batch * s.population_size
        cands = [(first + j, theta[j], seeds(s.root_seed, t, first + j, s.replicates))
                 for j in range(len(theta))]
        dist = evaluate(cands)
        evaluated += len(cands)
        kept += [(i, th, d) for (i, th, _), d in zip(cands, dist) if d <= epsilon]
        if progress is not None:
            progress(f"generation {t}, batch {batch + 1}: {min(len(kept), s.population_size)} "
                     f"of {s.population_size} particles within epsilon {epsilon:.4g} after "
                     f"{evaluated} candidates ({evaluated * s.replicates} simulations)")
        if len(kept) >= s.population_size:
            break
    else:
        raise UserError(f"generation {t}: only {len(kept)} of {s.population_size} particles came "
                        f"within epsilon = {epsilon:.4g} after {evaluated} candidates (abc."
                        "max_batches batches): the model cannot come that close to the data; "
                        "raise abc.max_batches or abc.min_epsilon, or widen the priors. The "
                        "generations already saved stay; a rerun resumes from them.")
    kept = kept[: s.population_size]
    x = np.array([th for _, th, _ in kept])
    frame = pd.DataFrame(x, columns=columns)
    frame["distance"] = [d for *_, d in kept]
    frame["index"] = [i for i, *_ in kept]
    frame["weight"] = weigh(x, previous)
    frame.attrs.update(epsilon=epsilon, simulations=evaluated * s.replicates, t=t)
    return frame
