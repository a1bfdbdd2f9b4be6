"""Each hypothesis function moves its multiplier in the direction seed 002 states, is neutral
when switched off, and stays within [1 - strength, 1 + strength]."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from normsim.rules import hypotheses as H

unit = st.floats(0, 1)
strength = st.floats(0, 1)


def h1(age, insecurity, s=0.8, on=True):
    return H.h1_new_or_insecure(age, insecurity, strength=s, enabled=on, halflife=104)


@given(unit, unit, strength)
def test_every_multiplier_stays_within_its_strength(f1, f2, s):
    values = [
        h1(f1 * 1000, f2, s), H.h2_current_views(f1, f2, strength=s, enabled=True),
        H.h3_renowned_in_group(f1, f2, strength=s, enabled=True),
        H.h4_principled_dialogue(f1, f2, strength=s, enabled=True),
        H.h5_depoliticised(f1, strength=s, enabled=True),
        H.h6_long_exposure(f1 * 1000, f2, strength=s, enabled=True, span_half=104),
    ]
    for v in values:
        assert 1 - s - 1e-12 <= v <= 1 + s + 1e-12


@given(unit, unit)
def test_switched_off_is_neutral_whatever_the_conditions(a, b):
    assert h1(a * 500, b, on=False) == 1.0
    assert H.h2_current_views(a, b, strength=1, enabled=False) == 1.0
    assert H.h3_renowned_in_group(a, b, strength=1, enabled=False) == 1.0
    assert H.h4_principled_dialogue(a, b, strength=1, enabled=False) == 1.0
    assert H.h5_depoliticised(a, strength=1, enabled=False) == 1.0
    assert H.h6_long_exposure(a * 500, b, strength=1, enabled=False, span_half=104) == 1.0


@given(st.floats(0, 2000), st.floats(1, 1000), unit)
def test_h1_older_groups_are_less_open(age, extra, insecurity):
    assert h1(age + extra, insecurity) <= h1(age, insecurity)


@given(unit, unit, unit)
def test_h1_insecure_groups_are_more_open(age, lo, hi):
    lo, hi = sorted((lo, hi))
    assert h1(age * 300, hi) >= h1(age * 300, lo)


@given(unit, unit, unit)
def test_h2_people_war_helps_and_contrary_practice_hurts(pw, c1, c2):
    lo, hi = sorted((c1, c2))
    assert H.h2_current_views(pw, lo, strength=0.8, enabled=True) >= \
        H.h2_current_views(pw, hi, strength=0.8, enabled=True)
    assert H.h2_current_views(hi, pw, strength=0.8, enabled=True) >= \
        H.h2_current_views(lo, pw, strength=0.8, enabled=True)


@given(unit, unit, unit)
def test_h3_reputation_and_aspiration_help(r, a1, a2):
    lo, hi = sorted((a1, a2))
    assert H.h3_renowned_in_group(r, hi, strength=0.8, enabled=True) >= \
        H.h3_renowned_in_group(r, lo, strength=0.8, enabled=True)
    assert H.h3_renowned_in_group(hi, r, strength=0.8, enabled=True) >= \
        H.h3_renowned_in_group(lo, r, strength=0.8, enabled=True)


def test_h4_a_conditional_persuader_scores_lowest_however_practical():
    conditional = H.h4_principled_dialogue(0.0, 1.0, strength=0.8, enabled=True)
    unpractical = H.h4_principled_dialogue(1.0, 0.0, strength=0.8, enabled=True)
    practical = H.h4_principled_dialogue(1.0, 1.0, strength=0.8, enabled=True)
    assert conditional == pytest.approx(0.2)
    assert practical > unpractical > conditional


@given(unit, unit)
def test_h5_politicisation_hurts(p1, p2):
    lo, hi = sorted((p1, p2))
    assert H.h5_depoliticised(lo, strength=0.8, enabled=True) >= \
        H.h5_depoliticised(hi, strength=0.8, enabled=True)


@given(st.integers(0, 1000), st.integers(1, 100), st.floats(0.01, 1))
def test_h6_a_longer_span_consolidates_more(span, more, regularity):
    m0 = H.h6_long_exposure(span, regularity, strength=0.8, enabled=True, span_half=104)
    m1 = H.h6_long_exposure(span + more, regularity, strength=0.8, enabled=True, span_half=104)
    assert m1 > m0


@given(st.integers(1, 1000), unit, unit)
def test_h6_regular_exposure_consolidates_more_than_irregular(span, r0, r1):
    lo, hi = sorted((r0, r1))
    m = [H.h6_long_exposure(span, r, strength=0.8, enabled=True, span_half=104) for r in (lo, hi)]
    assert m[1] >= m[0]


def test_h6_reads_the_time_span_not_a_count_of_meetings():
    """Weekly meetings for three months count for less than quarterly ones over three years."""
    crammed = H.h6_long_exposure(13, 1.0, strength=0.8, enabled=True, span_half=104)
    spread = H.h6_long_exposure(156, 1.0, strength=0.8, enabled=True, span_half=104)
    assert spread > crammed


def test_modulation_accepts_arrays():
    out = H.modulation(np.array([0.0, 0.5, 1.0]), 0.5, True)
    np.testing.assert_allclose(out, [0.5, 1.0, 1.5])
    np.testing.assert_allclose(H.modulation(np.zeros(3), 0.5, False), np.ones(3))


def test_every_hypothesis_belongs_to_a_bundle_named_in_seed_002():
    assert {f"h{i}" for i in range(1, 7)} <= set(H.BUNDLES)  # and any hypothesis added since
    assert set(H.BUNDLES.values()) <= {H.GROUP, H.PERSUADER, H.INTERACTION}
    assert H.BUNDLES["h1"] == H.BUNDLES["h2"] and H.BUNDLES["h5"] == H.BUNDLES["h6"]


@pytest.mark.parametrize("func", [H.h1_new_or_insecure, H.h2_current_views,
                                  H.h3_renowned_in_group, H.h4_principled_dialogue,
                                  H.h5_depoliticised, H.h6_long_exposure])
def test_each_docstring_quotes_seed_002(func):
    assert "Seed 002" in func.__doc__ and '"' in func.__doc__ and "Acts on" in func.__doc__
