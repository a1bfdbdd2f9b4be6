"""Draws for a batch of runs (normsim.world.batch_streams): each run's draws are those its own
generator makes alone, to the bit, whatever else stands in the batch and in whatever order."""

from __future__ import annotations

import numpy as np
import pytest

from normsim.world.batch_streams import Owners, draw, sized


def generators(seeds):
    return [np.random.default_rng(s) for s in seeds]


def states(gens):
    return [g.bit_generator.state for g in gens]


@pytest.mark.parametrize("method", ["random", "poisson", "binomial", "integers", "normal", "beta"])
def test_a_draw_of_size_zero_leaves_a_generator_as_it_was(method):
    g = np.random.default_rng(11)
    before = g.bit_generator.state
    empty = np.zeros(0)
    {"random": lambda: g.random(0), "poisson": lambda: g.poisson(empty),
     "binomial": lambda: g.binomial(empty.astype(np.int64), empty),
     "integers": lambda: g.integers(4, size=0), "normal": lambda: g.normal(0, 1, size=0),
     "beta": lambda: g.beta(empty + 1, empty + 1)}[method]()
    assert g.bit_generator.state == before


def side_by_side(per_run, owner):
    """The runs' arrays (last axis: elements) in one batch array, element ``i`` from run
    ``owner[i]``, each run's elements in their order."""
    out = np.empty((*per_run[0].shape[:-1], len(owner)), dtype=per_run[0].dtype)
    for r, a in enumerate(per_run):
        out[..., owner == r] = a
    return out


@pytest.mark.parametrize("interleave", [False, True], ids=["run after run", "interleaved"])
@pytest.mark.parametrize("rows", [None, 2], ids=["1-d", "2-d"])
def test_each_run_gets_the_draws_it_makes_alone(interleave, rows):
    rng = np.random.default_rng(3)
    seeds = [5, 17, 99, 1234]
    sizes = [7, 0, 31, 3]  # a run with nothing to draw among them
    shape = (lambda n: (n,)) if rows is None else (lambda n: (rows, n))
    lam = [rng.gamma(2.0, 1.5, size=shape(n)) for n in sizes]
    trials = [rng.integers(0, 20, size=shape(n)) for n in sizes]
    p = [rng.random(shape(n)) for n in sizes]
    alone = generators(seeds)
    expected = [(g.poisson(lam[r]), g.binomial(trials[r], p[r])) for r, g in enumerate(alone)]
    owner = np.concatenate([np.full(n, r) for r, n in enumerate(sizes)])
    if interleave:
        owner = rng.permutation(owner)
    owners = Owners(owner, len(seeds))
    lam_b, trials_b, p_b = (side_by_side(x, owner) for x in (lam, trials, p))
    batch = generators(seeds)
    poisson = draw(batch, owners, "poisson", lam_b)
    binomial = draw(batch, owners, "binomial", trials_b, p_b)
    for r in range(len(seeds)):
        np.testing.assert_array_equal(poisson[..., owner == r], expected[r][0])
        np.testing.assert_array_equal(binomial[..., owner == r], expected[r][1])
    assert states(batch) == states(alone)


def test_a_scalar_argument_goes_to_every_run_and_sized_draws_follow_each_run():
    seeds = [8, 9, 10]
    owners = Owners(np.array([0, 0, 2, 2, 2]), 3)  # run 1 has no element here
    alone = generators(seeds)
    expected = [g.binomial(np.full(n, 6), 0.3) for g, n in zip(alone, owners.counts())]
    expected_k = [g.random(k) for g, k in zip(alone, (2, 5, 0))]
    batch = generators(seeds)
    got = draw(batch, owners, "binomial", np.full(5, 6), 0.3)
    got_k = sized(batch, (2, 5, 0), "random")
    np.testing.assert_array_equal(got[:2], expected[0])
    np.testing.assert_array_equal(got[2:], expected[2])
    for a, b in zip(got_k, expected_k):
        np.testing.assert_array_equal(a, b)
    assert states(batch) == states(alone)


def test_owners_out_of_range_are_refused():
    with pytest.raises(ValueError, match="0 .. 1"):
        Owners(np.array([0, 2]), 2)
