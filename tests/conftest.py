"""Shared test helpers. Small models keep the suite fast; scientific tests use the defaults."""

from __future__ import annotations

import pytest

#: a small model: 2 operational x 2 tactical commanders, 60 fighters, 2 communities
SMALL = {"group_fighters": 60, "group_operational_commanders": 2, "group_units_per_commander": 2,
         "community_per_group": 2}


@pytest.fixture
def small():
    return dict(SMALL)
