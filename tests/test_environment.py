"""The conflict environment (normsim.world.environment): its peace window, the listing, intensity
that reverts to its base and calms during talks, and the politicisation a listing adds."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from normsim.params import NEVER
from normsim.world.environment import (LISTED, PEACE_ENDED, PEACE_STARTED, PERSISTENCE,
                                       Environment, EnvironmentSettings)


def environment(seed=1, **settings):
    return Environment(EnvironmentSettings(**settings), np.random.default_rng(seed))


def test_talks_open_and_close_on_their_weeks_with_one_event_each():
    env = environment(peace_start_week=5, peace_end_week=8, intensity_volatility=0.0)
    seen = {week: env.advance(week) for week in range(1, 12)}
    assert [w for w, ev in seen.items() if ev] == [5, 8]
    assert seen[5] == [PEACE_STARTED] and seen[8] == [PEACE_ENDED]
    assert [env.in_peace(w) for w in (4, 5, 7, 8)] == [False, True, True, False]


def test_talks_without_an_end_last_to_the_end_and_none_means_never():
    assert environment(peace_start_week=3).in_peace(10**5)
    assert not any(environment().in_peace(w) for w in (0, 1, 520))
    assert environment(peace_start_week=0).peace  # talks under way from the first week


def test_talks_that_end_before_they_start_are_refused_with_both_weeks():
    with pytest.raises(ValidationError) as err:
        EnvironmentSettings(peace_start_week=10, peace_end_week=10)
    assert "peace_end_week = 10" in str(err.value) and "peace_start_week = 10" in str(err.value)


def test_without_shocks_intensity_is_its_base_and_talks_lower_it_by_their_share():
    env = environment(conflict_intensity=0.6, intensity_volatility=0.0, peace_calming=0.5,
                      peace_start_week=2)
    assert env.intensity == 0.6
    env.advance(1)
    assert env.intensity == 0.6
    env.advance(2)
    assert env.intensity == pytest.approx(0.6 * (1 - 0.5))


def test_shocks_revert_to_the_base_with_the_stated_spread():
    """The shock is an AR(1) with persistence 0.95 started in its stationary law: over many
    weeks intensity averages its base and its spread is volatility / sqrt(1 - 0.95^2)."""
    env = environment(seed=7, conflict_intensity=0.5, intensity_volatility=0.02)
    shocks = []
    for week in range(1, 40_001):
        env.advance(week)
        shocks.append(env.shock)
    shocks = np.array(shocks)
    stationary = 0.02 / np.sqrt(1 - PERSISTENCE**2)
    assert abs(shocks.mean()) < 4 * stationary / np.sqrt(40_000 / 40)  # ~40 weeks per independent draw
    assert shocks.std() == pytest.approx(stationary, rel=0.1)
    lag = np.corrcoef(shocks[:-1], shocks[1:])[0, 1]
    assert lag == pytest.approx(PERSISTENCE, abs=0.01)


def test_intensity_stays_within_zero_and_one_whatever_the_shocks():
    env = environment(seed=3, conflict_intensity=0.95, intensity_volatility=0.5)
    levels = [env.intensity]
    for week in range(1, 500):
        env.advance(week)
        levels.append(env.intensity)
    assert min(levels) >= 0.0 and max(levels) <= 1.0
    assert max(levels) == 1.0 and min(levels) < 0.5  # the clip is reached, and shocks do move it


def test_a_listing_happens_once_on_its_week_and_politicises_every_engagement_after():
    env = environment(listing_week=4, listing_politicisation=0.4)
    assert env.politicisation(0.3) == 0.3
    events = [env.advance(w) for w in range(1, 10)]
    assert [i + 1 for i, ev in enumerate(events) if LISTED in ev] == [4]
    assert env.listed and env.politicisation(0.3) == pytest.approx(0.7)
    assert env.politicisation(0.8) == 1.0  # capped
    assert environment(listing_week=0).listed
    assert not environment(listing_week=NEVER).listed
