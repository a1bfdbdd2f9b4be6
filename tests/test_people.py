"""What commanders and fighters share (normsim.world.people): dispositions drawn around a mean,
the excess over one's origin, a week's drift, and newcomers who replace people -- expected
values by hand or from the Beta law."""

from __future__ import annotations

import numpy as np
import pytest

from normsim.world.people import (BASELINE_CONCENTRATION, Dispositions, draw_baseline, excess,
                                  settle)


def test_dispositions_follow_a_beta_with_the_stated_mean_and_concentration():
    rng = np.random.default_rng(1)
    x = draw_baseline(rng, 0.3, 200_000)
    k = BASELINE_CONCENTRATION
    assert x.mean() == pytest.approx(0.3, abs=0.002)
    assert x.var() == pytest.approx(0.3 * 0.7 / (k + 1), rel=0.02)  # Beta(mu k, (1-mu) k)
    assert ((x > 0) & (x < 1)).all()


def test_a_mean_of_zero_or_one_is_everyone_exactly_and_means_may_differ_per_person():
    rng = np.random.default_rng(2)
    assert (draw_baseline(rng, 0.0, 5) == 0.0).all() and (draw_baseline(rng, 1.0, 5) == 1.0).all()
    means = np.array([0.0, 1.0, 0.5] * 20_000)
    x = draw_baseline(rng, means, len(means))
    assert (x[0::3] == 0.0).all() and (x[1::3] == 1.0).all()
    assert x[2::3].mean() == pytest.approx(0.5, abs=0.01) and x[2::3].std() > 0.1


def test_one_mean_repeated_draws_as_the_single_mean_does():
    a = draw_baseline(np.random.default_rng(3), np.full(50, 0.4), 50)
    b = draw_baseline(np.random.default_rng(3), 0.4, 50)
    np.testing.assert_array_equal(a, b)


def test_excess_is_the_share_of_the_way_from_origin_to_full_acceptance():
    np.testing.assert_allclose(excess(np.array([0.6, 0.1, 1.0, 0.2]), np.array([0.2, 0.2, 0.5, 0.2])),
                               [0.5, 0.0, 1.0, 0.0])
    assert excess(1.0, 1.0) == 0.0  # no room left: nothing gained, no division by zero


def test_a_weeks_drift_by_hand():
    acceptance, baseline = np.array([0.8, 0.1]), np.array([0.2, 0.3])
    knowledge, k_origin = np.array([0.9, 0.2]), np.array([0.5, 0.2])
    settle(acceptance, baseline, knowledge, k_origin, decay=0.1, forgetting=0.1, kappa=0.05)
    np.testing.assert_allclose(acceptance, [0.8 - 0.1 * 0.6, 0.1 + 0.1 * 0.2])
    np.testing.assert_allclose(baseline, [0.2 + 0.05 * 0.6, 0.3])  # only gains are internalised
    np.testing.assert_allclose(knowledge, [0.9 - 0.1 * 0.4, 0.2])


def test_without_signals_nobody_moves_from_where_he_started():
    d = Dispositions(np.random.default_rng(4), 2, 0.4, 0.6, 100)
    start = [a.copy() for a in (d.acceptance, d.baseline, d.knowledge)]
    for _ in range(52):
        settle(d.acceptance, d.baseline, d.knowledge, d.knowledge_origin, decay=0.05,
               forgetting=0.02, kappa=0.01)
    for before, after in zip(start, (d.acceptance, d.baseline, d.knowledge)):
        np.testing.assert_array_equal(before, after)


def test_newcomers_are_drawn_anew_and_successors_keep_their_share_of_the_gain():
    d = Dispositions(np.random.default_rng(5), 1, 0.0, 0.0, 4)  # everyone starts at 0
    d.acceptance[:] = 0.8
    d.knowledge[:] = 0.6
    d.renew(np.array([0, 1]), np.random.default_rng(6), 0.0, 0.0, keep=np.array([0.0, 0.5]))
    np.testing.assert_allclose(d.acceptance[0], [0.0, 0.4, 0.8, 0.8])  # others untouched
    np.testing.assert_allclose(d.knowledge[0], [0.0, 0.3, 0.6, 0.6])
    np.testing.assert_allclose(d.baseline[0, :2], [0.0, 0.0])  # nothing internalised yet
    d.renew(np.array([], dtype=int), np.random.default_rng(7), 0.5, 0.5)  # no one: no change
    np.testing.assert_allclose(d.acceptance[0], [0.0, 0.4, 0.8, 0.8])
