"""The guard of refactors: every shipped scenario gives the same records and events, to the last
bit, as when ``tests/golden/fingerprints.json`` was written (see ``tests/golden/fingerprints.py``
for when and why it may be rewritten)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
_spec = importlib.util.spec_from_file_location("fingerprints", GOLDEN / "fingerprints.py")
fingerprints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fingerprints)
RECORDED = json.loads((GOLDEN / "fingerprints.json").read_text())


def test_every_shipped_scenario_has_a_recorded_fingerprint():
    assert sorted(RECORDED) == sorted(fingerprints.key(n, c) for n, c in fingerprints.cases())


@pytest.mark.parametrize("name,counterfactual", fingerprints.cases(),
                         ids=[fingerprints.key(n, c) for n, c in fingerprints.cases()])
def test_runs_at_fixed_seeds_are_bit_identical(name, counterfactual):
    assert fingerprints.fingerprint(name, counterfactual) == RECORDED[fingerprints.key(name, counterfactual)]
