"""What commanders and fighters share: individual dispositions, and how views move and settle.

Every person holds, per norm, four numbers in [0, 1]:

* ``origin`` -- his disposition before any engagement (drawn when he joins; never changes);
* ``baseline`` -- what he has internalised: it starts at ``origin`` and rises only through
  :mod:`normsim.rules.internalisation`; acceptance drifts back to it when not reinforced;
* ``acceptance`` -- his present acceptance of the norm;
* knowledge, with its own ``knowledge_origin`` to which it is forgotten back.

With no engagement nothing moves anyone away from his origin, so a group left alone keeps its
starting distribution (the stationary null): every weekly change below is proportional to a
signal that is zero without engagement or to a distance from where the person started.
"""

from __future__ import annotations

import numpy as np

from normsim.world.arrays import clip
from normsim.world.batch_streams import Owners

BASELINE_CONCENTRATION = 10.0  # assumption: spread of individual baselines, Beta(mu*10, (1-mu)*10)


def draw_baseline(rng, mean, n: int, owner=None) -> np.ndarray:
    """Individual dispositions around ``mean`` (a number, or one mean per person): Beta with
    concentration 10; exactly ``mean`` where it is 0 or 1. In a batch of runs (``rng`` a
    :class:`~normsim.world.batch_streams.RunStreams`), person ``i`` belongs to run ``owner[i]``
    and each run draws its people's as it would alone."""
    if not isinstance(rng, np.random.Generator):
        out = np.empty(n)
        mean = np.broadcast_to(np.asarray(mean, dtype=float), (n,))
        owners = Owners(owner, len(rng.generators))
        if n and (mean == mean[0]).all():  # one mean for every run: each run's scalar draw
            mean = mean[0]
            for r, gen in enumerate(rng.generators):
                out[owners.of(r)] = draw_baseline(gen, mean, owners.sizes[r])
            return out
        for r, gen in enumerate(rng.generators):
            mine = owners.of(r)
            out[mine] = draw_baseline(gen, mean[mine], owners.sizes[r])
        return out
    k = BASELINE_CONCENTRATION
    mean = np.asarray(mean, dtype=float)
    if mean.ndim and n and (mean == mean.flat[0]).all():
        mean = mean.flat[0]  # one mean for all: the scalar draw is several times faster
    if mean.ndim == 0:
        if mean <= 0.0 or mean >= 1.0:
            return np.full(n, float(mean))
        return rng.beta(mean * k, (1.0 - mean) * k, size=n)
    inner = (mean > 0.0) & (mean < 1.0)
    m = np.where(inner, mean, 0.5)
    draws = rng.beta(m * k, (1.0 - m) * k, size=n)
    return np.where(inner, draws, mean)


def excess(acceptance, origin):
    """How far a person has come towards full acceptance from where he started, in [0, 1]:
    ``(acceptance - origin) / (1 - origin)``, 0 at or below his origin."""
    room = np.maximum(1.0 - origin, 1e-9)
    return clip((acceptance - origin) / room, 0.0, 1.0)


def settle(acceptance, baseline, knowledge, knowledge_origin, *, decay, forgetting, kappa):
    """One week of drift, in place: acceptance drifts back to what was internalised at
    ``decay``; ``kappa`` of the gain above it is internalised (the baseline rises towards
    acceptance; :mod:`normsim.rules.internalisation`); knowledge is forgotten back to its origin at
    ``forgetting``. Arguments broadcast (per person, per group or one value)."""
    gain = acceptance - baseline
    acceptance -= decay * gain
    baseline += kappa * np.maximum(gain, 0.0)
    knowledge -= forgetting * (knowledge - knowledge_origin)


class Dispositions:
    """Per-norm views of a set of people: arrays of shape ``(N, n)``."""

    def __init__(self, rng: np.random.Generator, n_norms: int, knowledge_mean, acceptance_mean,
                 n: int):
        self.origin = np.zeros((n_norms, n))  # (no rows when these people decide no norm)
        self.knowledge_origin = np.zeros((n_norms, n))
        for k in range(n_norms):
            self.origin[k] = draw_baseline(rng, acceptance_mean, n)
            self.knowledge_origin[k] = draw_baseline(rng, knowledge_mean, n)
        self.baseline = self.origin.copy()
        self.acceptance = self.origin.copy()
        self.knowledge = self.knowledge_origin.copy()

    def renew(self, idx: np.ndarray, rng, knowledge_mean, acceptance_mean, keep=0.0,
              owner=None) -> None:
        """New people at ``idx`` (recruits, successors), drawn around the given means; a
        successor keeps ``keep`` (per index) of his predecessor's acceptance and knowledge above
        the new origin (seed 002: the priority "must also remain clear in case of personnel
        changes")."""
        if len(idx) == 0:
            return
        keep = np.asarray(keep, dtype=float)  # one value or one per index: it broadcasts
        for n in range(self.origin.shape[0]):
            origin = draw_baseline(rng, acceptance_mean, len(idx), owner)
            k_origin = draw_baseline(rng, knowledge_mean, len(idx), owner)
            kept_a = keep * np.maximum(self.acceptance[n, idx] - origin, 0.0)
            kept_k = keep * np.maximum(self.knowledge[n, idx] - k_origin, 0.0)
            self.origin[n, idx] = origin
            self.baseline[n, idx] = origin
            self.acceptance[n, idx] = origin + kept_a
            self.knowledge_origin[n, idx] = k_origin
            self.knowledge[n, idx] = k_origin + kept_k
