"""Model selection inside the deterministic ABC-SMC: which variants of the model (emulation among
groups on or off, internalisation on or off) the record favours (issue 18, item 5).

A calibration file's ``[models]`` section names the variants, each a prior probability and the
settings it sets over the fixed and sampled ones (``"emulation.strength" = 0.0``). A particle
carries a model index in front of its parameters; the scheme is ABC-SMC for model selection
(Toni et al. 2009, J R Soc Interface 6:187; Toni and Stumpf 2010, Bioinformatics 26:104):

- generation 0 draws the model from its prior and the parameters from their uniform prior;
- later generations draw a model from the previous generation's model probabilities, keep it
  with probability ``stay`` or jump to another model still alive, then draw a particle *of that
  model* by weight and perturb it with that model's Gaussian kernel (twice its weighted
  covariance; the pooled kernel of all particles when the model's are too few to span the
  parameter space); a proposal
  outside the prior's support is redrawn whole, model included, so the truncation's normaliser
  is one constant for every particle and cancels;
- a particle's weight is prior(m) prior(theta) / [sum over m' of P(m') K(m | m')  x  sum over j
  in m of w_j K_m(theta - theta_j)]; a model's posterior probability is its particles' weight.

A model whose particles all die stays dead (as in Toni's scheme). Every parameter is sampled in
every model: a setting a variant overrides is inert there, which leaves each model's marginal
likelihood unchanged (its prior integrates to one). Every draw comes from ``(root_seed, t,
batch)`` as in :mod:`normsim.calibration.smc`, so the model probabilities are the same on any
number of workers and after a resume.

**What the record lets the selection see.** The counts (as in :mod:`normsim.calibration.driver`)
and, from ``data/signing_events.csv``, one statistic of its structure: among pairs of signature
*decisions* made in the same country before the cutoff, the share made within ``window_months``
of each other (a collective signing -- one ceremony -- is one decision, as the data's README asks).
The event list names only a quarter of the signatures, but a share over pairs is unbiased under
random thinning of the signatories, which a count of rows or of gaps between them is not; that
the list is a *random* sample is an assumption (press releases favour ceremonies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal

from normsim.calibration import smc
from normsim.calibration.record import read_events
from normsim.settings.data import NORM_NAMES, decimal_year

MODEL = "model"


@dataclass(frozen=True)
class ModelScheme:
    """Proposals and weights of particles ``(model, *parameters)`` (see the module's docstring)."""

    s: smc.Settings
    prior: tuple[float, ...]  # the models' prior probabilities, in the file's order
    stay: float = 0.7  # the model kernel's probability to keep the model drawn

    @property
    def columns(self) -> tuple[str, ...]:
        return (MODEL, *self.s.names)

    def propose(self, t: int, batch: int, previous: pd.DataFrame | None) -> np.ndarray:
        s, n, k = self.s, self.s.population_size, len(self.s.names)
        rng = np.random.default_rng([s.root_seed, t, batch, 11])
        if previous is None:
            models = rng.choice(len(self.prior), size=n, p=np.asarray(self.prior))
            return np.column_stack([models, s.low + rng.random((n, k)) * (s.high - s.low)])
        parts, p_prev = _by_model(self, previous), probabilities(previous, len(self.prior))
        out = np.empty((n, 1 + k))
        for j in range(n):
            while True:
                m = _jump(rng, int(rng.choice(len(p_prev), p=p_prev)), p_prev > 0, self.stay)
                x, w, cov = parts[m]
                y = rng.multivariate_normal(x[rng.choice(len(x), p=w)], cov)
                if np.all(y >= s.low) and np.all(y <= s.high):
                    out[j] = (m, *y)
                    break
        return out

    def weights(self, accepted: np.ndarray, previous: pd.DataFrame | None) -> np.ndarray:
        prior = np.asarray(self.prior)
        models = accepted[:, 0].astype(int)
        if previous is None:  # drawn from the prior: equal weights
            return np.full(len(accepted), 1.0 / len(accepted))
        parts, p_prev = _by_model(self, previous), probabilities(previous, len(prior))
        alive = p_prev > 0
        out = np.empty(len(accepted))
        for i, (m, theta) in enumerate(zip(models, accepted[:, 1:])):
            into = sum(p_prev[a] * _kernel_prob(m, a, alive, self.stay) for a in np.flatnonzero(alive))
            x, w, cov = parts[m]
            density = multivariate_normal(mean=np.zeros(len(theta)), cov=cov, allow_singular=True)
            q = into * np.sum(w * density.pdf(x - theta))
            out[i] = prior[m] / q
        return out / out.sum()


def _by_model(scheme: ModelScheme, previous: pd.DataFrame) -> dict:
    """Per living model: its particles, their normalised weights and its perturbation kernel."""
    names = list(scheme.s.names)
    x_all, w_all = previous[names].to_numpy(), previous["weight"].to_numpy()
    pooled = smc._kernel(x_all, w_all / w_all.sum())
    parts = {}
    for m, group in previous.groupby(MODEL):
        x, w = group[names].to_numpy(), group["weight"].to_numpy()
        cov = smc._kernel(x, w) if len(x) > len(names) else pooled
        if np.linalg.matrix_rank(cov) < len(names):  # too few particles to span the space
            cov = pooled
        parts[int(m)] = (x, w / w.sum(), cov)
    return parts


def _jump(rng: np.random.Generator, m: int, alive: np.ndarray, stay: float) -> int:
    others = [a for a in np.flatnonzero(alive) if a != m]
    if not others or rng.random() < stay:
        return m
    return int(others[rng.integers(len(others))])


def _kernel_prob(to: int, frm: int, alive: np.ndarray, stay: float) -> float:
    """K(to | frm) of :func:`_jump`."""
    others = int(alive.sum()) - 1
    if not alive[to]:
        return 0.0
    if others == 0:
        return 1.0 if to == frm else 0.0
    return stay if to == frm else (1 - stay) / others


def probabilities(gen: pd.DataFrame, n_models: int) -> np.ndarray:
    """Each model's posterior probability: the weight its particles hold."""
    w = gen["weight"].to_numpy() / gen["weight"].sum()
    return np.bincount(gen[MODEL].to_numpy().astype(int), weights=w, minlength=n_models)


def reweighted(p: np.ndarray, prior: np.ndarray, other_prior: np.ndarray) -> np.ndarray:
    """The model probabilities under ``other_prior`` instead of ``prior``: each model's ABC
    likelihood does not depend on the model prior, so P'(m) is proportional to P(m) pi'(m) / pi(m)."""
    q = p * np.asarray(other_prior) / np.asarray(prior)
    return q / q.sum()


# --- the structure of the event list ------------------------------------------------------

def decisions(events: pd.DataFrame, norm: str, pledge_type: str, cutoff) -> pd.DataFrame:
    """Signature decisions dated by the cutoff: one per lone signature, one per collective
    occasion; rows of unknown size (no ``n_groups``) are left out. Columns ``year`` (decimal,
    the middle of the period the date names), ``country``."""
    wanted = {norm} | {k for k, v in NORM_NAMES.items() if v == norm}
    sig = events[events["norm"].isin(wanted) & (events["pledge_type"] == pledge_type)
                 & (events["event"] == "signature") & (events["ends"] <= cutoff)
                 & events["n"].notna()]
    key = sig["collective"].where(sig["collective"] != "", sig["group"])
    one = sig.assign(key=key).drop_duplicates("key")
    return pd.DataFrame({"year": one["date"].map(decimal_year).astype(float).to_numpy(),
                         "country": one["country"].to_numpy()})


def clustering(years, countries, window_years: float) -> tuple[int, int]:
    """(same-country pairs of decisions, those within ``window_years`` of each other)."""
    years, countries = np.asarray(years, float), np.asarray(countries)
    same = np.triu(countries[:, None] == countries[None, :], k=1)
    close = np.abs(years[:, None] - years[None, :]) <= window_years
    return int(same.sum()), int((same & close).sum())


def observed_clustering(spec) -> dict:
    """The event list's clustering before the cutoff (what the selection may see)."""
    d = decisions(read_events(spec.models.events), spec.data.norm, spec.data.pledge_type,
                  spec.cutoff_date)
    pairs, close = clustering(d["year"], d["country"], spec.models.window_months / 12)
    return {"decisions": len(d), "countries": int(d["country"].nunique()),
            "same_country_pairs": pairs, "within_window": close,
            "share": close / pairs if pairs else float("nan")}


def simulated_clustering(model, norm_index: int, window_years: float,
                         start_year: int) -> float:
    """The same share among a run's signatories (first commitments), or NaN with no pair."""
    events = model.events()
    made = events[events["kind"] == "commitment made"]
    norm_key = model.settings.norms[norm_index]
    made = made[made["norm"] == norm_key].drop_duplicates("group")
    if made.empty:
        return float("nan")
    country = np.asarray(model.country)[made["group"].to_numpy()]
    pairs, close = clustering(start_year + made["step"].to_numpy() / 52, country, window_years)
    return close / pairs if pairs else float("nan")


@dataclass(frozen=True)
class VariantSimulator:
    """A particle ``(model, *parameters)`` simulated ``replicates`` times: its mean distance is the
    count distance of :class:`normsim.calibration.driver.Simulator`, joined (Euclidean) with
    ``weight`` x the gap between the simulated and observed clustering share (1 when the run has
    no same-country pair of signatories to measure it on)."""

    sim: object  # a normsim.calibration.driver.Simulator
    variants: tuple[dict, ...]  # per model index: the settings it sets
    observed_share: float  # NaN: the record has no pair, the counts alone are compared
    window_years: float
    weight: float
    start_year: int

    def distance(self, theta, seed: int) -> float:
        model = self.sim.run(theta[1:], seed, overrides=self.variants[int(round(theta[0]))])
        d = self.sim.fit(model)  # the counts' distance (and the conduct's, when fitted)
        if self.weight > 0 and np.isfinite(self.observed_share):
            share = simulated_clustering(model, 0, self.window_years, self.start_year)
            gap = 1.0 if not np.isfinite(share) else abs(share - self.observed_share)
            d = float(np.hypot(d, self.weight * gap))
        return d

    def __call__(self, task: dict) -> tuple[int, float]:
        d = [self.distance(task["theta"], s) for s in task["seeds"]]
        return task["index"], float(np.mean(d))


def variant_simulator(spec, sim) -> VariantSimulator:
    obs = observed_clustering(spec)
    return VariantSimulator(sim=sim, variants=tuple(v.settings for v in spec.models.variants.values()),
                            observed_share=obs["share"], window_years=spec.models.window_months / 12,
                            weight=spec.models.clustering_weight, start_year=spec.start_year)


def scheme(spec, s: smc.Settings) -> ModelScheme:
    return ModelScheme(s, tuple(v.prior for v in spec.models.variants.values()), spec.models.stay)


def summary(post: pd.DataFrame, spec) -> pd.DataFrame:
    """Per variant: its settings, prior, posterior probability, particles, the probability's
    Monte Carlo standard error (binomial over the effective sample size; at least 1 / ESS, so a
    variant with no particle is not read as impossible), and its probability under a uniform
    model prior (the Bayes factors' view)."""
    names = list(spec.models.variants)
    prior = np.array([v.prior for v in spec.models.variants.values()])
    p = probabilities(post, len(names))
    uniform = reweighted(p, prior, np.full(len(names), 1 / len(names)))
    counts = np.bincount(post[MODEL].to_numpy().astype(int), minlength=len(names))
    w = post["weight"].to_numpy() / post["weight"].sum()
    ess = 1 / np.sum(w ** 2)  # Kish's effective sample size of the weighted particles
    return pd.DataFrame({
        "variant": names,
        "settings": [", ".join(f"{k} = {v}" for k, v in spec.models.variants[n].settings.items())
                     or "(as the scenario)" for n in names],
        "prior": prior, "posterior": p, "particles": counts,
        "monte_carlo_se": np.sqrt(np.maximum(p * (1 - p), 1 / ess) / ess),
        "posterior_if_uniform_prior": uniform})


def features(spec) -> dict[str, list[int]]:
    """Each setting a variant switches, with the variants that keep the scenario's value (the
    feature present): ``{"emulation.strength": [0, 2]}``."""
    variants = list(spec.models.variants.values())
    keys = sorted({k for v in variants for k in v.settings})
    return {k: [i for i, v in enumerate(variants) if k not in v.settings] for k in keys}


def sensitivity(post: pd.DataFrame, spec, shares=(0.25, 0.5, 0.75)) -> pd.DataFrame:
    """Per switched setting: P(feature present | data) under the file's prior and with the
    feature's prior moved to each of ``shares`` (the other factors' priors kept), and the Bayes
    factor (posterior odds over prior odds), which no model prior changes."""
    prior = np.array([v.prior for v in spec.models.variants.values()])
    p = probabilities(post, len(prior))
    rows = []
    for key, present in features(spec).items():
        on = np.zeros(len(prior), bool)
        on[present] = True
        pi_on, p_on = prior[on].sum(), p[on].sum()
        row = {"setting": key, "present_when": "as the scenario (not overridden)",
               "prior_present": pi_on, "posterior_present": p_on,
               "bayes_factor": _bayes_factor(p_on, pi_on)}
        for a in shares:
            other = np.where(on, prior * a / pi_on, prior * (1 - a) / (1 - pi_on))
            row[f"posterior_if_prior_{a:g}"] = float(reweighted(p, prior, other)[on].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _bayes_factor(p: float, prior: float) -> float:
    """Posterior odds over prior odds; infinite (or 0) when every particle holds (or none does):
    then the particles are too few to say more than that the odds exceed (or fall below) what
    one particle's weight can show."""
    if p >= 1:
        return float("inf")
    return (p / (1 - p)) / (prior / (1 - prior))


def restricted(post: pd.DataFrame, spec_or_variants, name: str, low: float, high: float,
               prior_low: float, prior_high: float) -> np.ndarray:
    """The model probabilities had parameter ``name``'s uniform prior been ``[low, high]`` instead
    of ``[prior_low, prior_high]``, by reweighting (no rerun): each model's evidence is multiplied
    by its posterior mass inside the narrower range over the prior mass there -- exactly 1 in a
    variant that sets ``name`` itself (there it is inert). Only narrower priors can be had this
    way: no particle lies outside the prior that was run."""
    variants = (spec_or_variants if isinstance(spec_or_variants, (list, tuple))
                else [v.settings for v in spec_or_variants.models.variants.values()])
    p = probabilities(post, len(variants))
    w = post["weight"].to_numpy() / post["weight"].sum()
    inside = ((post[name] >= low) & (post[name] <= high)).to_numpy()
    share = (high - low) / (prior_high - prior_low)
    factor = np.ones(len(variants))
    models = post[MODEL].to_numpy().astype(int)
    for m, settings in enumerate(variants):
        if name in settings or p[m] == 0:
            continue
        factor[m] = np.sum(w[(models == m) & inside]) / p[m] / share
    q = p * factor
    return q / q.sum() if q.sum() > 0 else q


def prior_sensitivity(post: pd.DataFrame, spec) -> pd.DataFrame:
    """Per parameter a variant switches off and the file samples: each feature's posterior had
    that parameter's prior been only the lower or the upper half of its range (reweighted)."""
    rows = []
    for key, present in features(spec).items():
        if key not in spec.parameters:
            continue
        lo, hi = spec.parameters[key].min, spec.parameters[key].max
        for a, b, label in ((lo, (lo + hi) / 2, "lower half"), ((lo + hi) / 2, hi, "upper half")):
            q = restricted(post, spec, key, a, b, lo, hi)
            rows.append({"setting": key, "prior": f"[{a:g}, {b:g}] ({label})",
                         "posterior_present": float(q[present].sum()),
                         "particles_inside": int(((post[key] >= a) & (post[key] <= b)).sum())})
    return pd.DataFrame(rows)
