"""Fingerprints of runs at fixed seeds: the guard that a refactor changes no number.

Each shipped scenario runs 156 weeks at seed 11 (the baseline also with its twin); the SHA-256 of
its records and events, written as CSV with Python's exact float repr, is kept in
``fingerprints.json``. The file was written by the code *before* a change that must not alter
results (a move of modules, a faster engine); ``tests/test_bit_identical.py`` recomputes them.
A change that is meant to alter results rewrites the file in its own commit, saying why:

    .venv/bin/python tests/golden/fingerprints.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILE = HERE / "fingerprints.json"
STEPS, SEED = 156, 11


def digest(frame) -> str:
    text = frame.to_csv(index=False, float_format=None, lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()


def cases() -> list[tuple[str, bool]]:
    names = sorted(p.stem for p in (HERE.parent.parent / "scenarios").glob("*.toml"))
    return [(name, False) for name in names] + [("baseline", True)]


def fingerprint(name: str, counterfactual: bool) -> dict[str, str]:
    from normsim import run_model
    model = run_model(seed=SEED, steps=STEPS, scenario=name, counterfactual=counterfactual)
    return {"records": digest(model.records()), "events": digest(model.events())}


def key(name: str, counterfactual: bool) -> str:
    return f"{name}+twin" if counterfactual else name


def main() -> None:
    prints = {key(n, c): fingerprint(n, c) for n, c in cases()}
    if "--write" in sys.argv:
        FILE.write_text(json.dumps(prints, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(prints)} fingerprints to {FILE}")
    else:
        old = json.loads(FILE.read_text())
        bad = [k for k in prints if old.get(k) != prints[k]]
        print("identical" if not bad else f"changed: {bad}")


if __name__ == "__main__":
    main()
