"""The narrow view of the model (normsim.world.view): one random stream per process, spawned
from the run's seed, independent of each other, and the model provides every part of World."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from normsim import NormDiffusionModel
from normsim.world.view import RandomStreams, World

from conftest import SMALL


def test_each_process_has_its_own_stream_fixed_by_the_seed():
    a = RandomStreams.spawn(np.random.default_rng(11))
    b = RandomStreams.spawn(np.random.default_rng(11))
    names = [f.name for f in fields(RandomStreams)]
    assert len(names) == 6
    first = {n: getattr(a, n).random() for n in names}
    assert first == {n: getattr(b, n).random() for n in names}  # same seed, same draws
    assert len(set(first.values())) == len(names)  # no two processes share a stream


def test_drawing_from_one_stream_leaves_the_others_in_step():
    """Common random numbers: more draws in one process shift no other process's draws."""
    a = RandomStreams.spawn(np.random.default_rng(5))
    b = RandomStreams.spawn(np.random.default_rng(5))
    a.meetings.random(1000)
    for name in ("environment", "groups", "commanders", "fighters", "monitoring"):
        assert getattr(a, name).random() == getattr(b, name).random(), name


def test_the_model_provides_every_part_of_the_world_view():
    m = NormDiffusionModel(rng=1, **SMALL)
    for name in World.__annotations__:
        assert hasattr(m, name), name
    assert callable(m.log) and callable(m.leader_agent)
    assert isinstance(m.streams, RandomStreams)
