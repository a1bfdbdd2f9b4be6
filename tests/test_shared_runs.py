"""The store of replicate runs the statistical tests share (tests/shared_runs.py): it gives what
normsim.run gives, cold or warm, shares a condition however it is spelled, computes a run once
when two workers ask at the same time, and forgets everything when the code changes."""

from __future__ import annotations

import threading

import pytest

import shared_runs
from normsim import run
from normsim.simulation.model import NormDiffusionModel

from conftest import SMALL

WEEKS = 30


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty store of its own, forgotten by the process afterwards."""
    monkeypatch.setenv("NORMSIM_TEST_RUNS", str(tmp_path / "store"))
    monkeypatch.setattr(shared_runs, "_memory", {})
    shared_runs.folder.cache_clear()
    yield tmp_path / "store"
    shared_runs.folder.cache_clear()


def stored(store) -> list:
    return sorted(p.name for p in store.rglob("*.pkl"))


def test_cold_and_warm_give_what_run_gives_twin_included(store):
    expected = [run(SMALL, seed=s, steps=WEEKS, counterfactual=True) for s in (0, 1)]
    cold = shared_runs.replicates(SMALL, n=2, steps=WEEKS, twin=True)
    assert len(stored(store)) == 4  # two runs and their two twins
    shared_runs._memory.clear()
    warm = shared_runs.replicates(SMALL, n=2, steps=WEEKS, twin=True)
    for e, c, w in zip(expected, cold, warm):
        assert "compliance_counterfactual" in c
        assert e.equals(c) and e.equals(w)


def test_a_condition_is_shared_however_it_is_spelled(store):
    """A default written out, a shipped file's name, and a twin that is a run without
    engagers: each is the same run as its plain spelling."""
    shared_runs.replicates(SMALL, seeds=[3], steps=WEEKS, twin=True)
    assert len(stored(store)) == 2
    shared_runs.replicates({**SMALL, "dialogue_principled": 1.0}, seeds=[3], steps=WEEKS)
    shared_runs.replicates(SMALL, seeds=[3], steps=WEEKS, scenario="baseline")
    shared_runs.replicates({**SMALL, "persuader_count": 0}, seeds=[3], steps=WEEKS)
    assert len(stored(store)) == 2
    shared_runs.replicates({**SMALL, "dialogue_principled": 0.5}, seeds=[3], steps=WEEKS)
    shared_runs.replicates(SMALL, seeds=[4], steps=WEEKS)
    shared_runs.replicates(SMALL, seeds=[3], steps=WEEKS + 1)
    assert len(stored(store)) == 5


def test_two_workers_asking_for_one_run_compute_it_once(store, monkeypatch):
    """The key's lock (flock, per open file, so threads contend as processes do)."""
    computed, original = [], NormDiffusionModel.run_model

    def counted(self, steps=None):
        computed.append(steps)
        original(self, steps)
    monkeypatch.setattr(NormDiffusionModel, "run_model", counted)
    settings = shared_runs.settings_of(SMALL)
    tables = [None, None]

    def worker(i):
        tables[i] = shared_runs.plain_run(settings, 5, WEEKS)
        shared_runs._memory.clear()  # the other "worker" has a memory of its own
    threads = [threading.Thread(target=worker, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert computed == [WEEKS]
    assert tables[0].equals(tables[1])
    assert not list(store.rglob("*.part"))  # written whole, then renamed


def test_a_change_to_the_code_starts_a_new_store(store, monkeypatch):
    shared_runs.replicates(SMALL, seeds=[0], steps=WEEKS)
    first = shared_runs.folder()
    monkeypatch.setattr(shared_runs, "code_fingerprint", lambda: "edited")
    shared_runs.folder.cache_clear()
    shared_runs._memory.clear()
    assert shared_runs.folder() != first
    shared_runs.replicates(SMALL, seeds=[0], steps=WEEKS)
    assert len(list(first.glob("*.pkl"))) == 1 and len(list(shared_runs.folder().glob("*.pkl"))) == 1


def test_the_fingerprint_reads_every_module_of_the_package(tmp_path):
    package = tmp_path / "pkg"
    (package / "wing").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "wing" / "rule.py").write_text("RATE = 0.1\n")
    first = shared_runs.fingerprint_of(package)
    assert shared_runs.fingerprint_of(package) == first
    (package / "wing" / "rule.py").write_text("RATE = 0.2\n")  # a rule deep in a wing edited
    edited = shared_runs.fingerprint_of(package)
    assert edited != first
    (package / "wing" / "new.py").write_text("")  # a module added, even empty
    assert shared_runs.fingerprint_of(package) != edited
    assert shared_runs.code_fingerprint() == shared_runs.fingerprint_of(shared_runs.PACKAGE)


def test_a_conditions_missing_replicates_run_once_as_one_batch(store, monkeypatch):
    """Two workers asking for the same replicates: one runs the missing ones as a batch of the
    batch engine (one call), the other waits and reads them; each is the run alone."""
    from normsim.simulation.batch_engine import BatchModel

    batches, original = [], BatchModel.run_model

    def counted(self, steps=None):
        batches.append(len(self.parts))
        original(self, steps)
    monkeypatch.setattr(BatchModel, "run_model", counted)
    tables = [None, None]

    def worker(i):
        tables[i] = shared_runs.replicates(SMALL, seeds=[4, 5, 6], steps=WEEKS)
        shared_runs._memory.clear()
    threads = [threading.Thread(target=worker, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert batches == [3]
    for seed, a, b in zip([4, 5, 6], *tables):
        assert a.equals(b) and a.equals(run(SMALL, seed=seed, steps=WEEKS))
