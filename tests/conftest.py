"""Shared test helpers. Small models keep the suite fast; scientific tests use the defaults."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

try:  # pytest 9.2 keeps a test's id here (see _groups_reach_the_scheduler)
    from _pytest.nodeid import NodeId
except ImportError:  # an older pytest reads `_nodeid`, where pytest-xdist writes the group itself
    NodeId = None

# The app's fixtures, declared here once so that each pytest worker starts one Chromium and one of
# each server for all the app's modules (tests/app_helpers.py)
from app_helpers import browser, open_page, server, short_server  # noqa: F401

# In CI the property and fuzz tests draw the same examples every time (a failure there can be
# rerun as it was); on a developer's machine they explore afresh at each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

#: a small model: 2 operational x 2 tactical commanders, 60 fighters, 2 communities
SMALL = {"group_fighters": 60, "group_operational_commanders": 2, "group_units_per_commander": 2,
         "community_per_group": 2}


@pytest.fixture
def small():
    return dict(SMALL)


#: fixtures that start a real Chromium, and fixtures that start other processes (the app's
#: server, a Dask cluster): a test that uses one carries the matching mark
BROWSER_FIXTURES = {"browser", "open_page"}
PROCESS_FIXTURES = {"server", "short_server", "cluster"}


def pytest_collection_modifyitems(config, items):
    """Mark the tests 'make test-fast' leaves out by the fixtures they use (the rest are marked
    where they are written: statistical tests, and tests that start processes themselves), then
    make the `xdist_group` marks hold."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))  # with the fixtures they depend on
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        # a module names its own fixtures that start processes (e.g. a sweep on worker processes)
        own = getattr(getattr(item, "module", None), "PROCESS_FIXTURES", set())
        if used & (PROCESS_FIXTURES | own):
            item.add_marker(pytest.mark.multiprocess)
    _groups_reach_the_scheduler(config, items)


def _groups_reach_the_scheduler(config, items):
    """pytest-xdist 3.8 appends a test's `xdist_group` to `item._nodeid`, but pytest 9.2 reads a
    test's id from `item._id`, so the group never reaches the scheduler and every mark is silently
    ignored (docs/testing.md). On a pytest worker under `--dist loadgroup` (which a worker sees
    as the option `loadgroup`, its `dist` being 'no'), write the same
    `id@group` into `_id`: the scheduler then sends a group's tests to one worker, which builds
    the module's fixtures once instead of once per worker."""
    if NodeId is None or not hasattr(config, "workerinput") or not config.getoption("loadgroup",
                                                                                   False):
        return
    for item in items:
        names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                        for mark in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")
