"""A referee's check of a finished (or partly finished) calibration, without rerunning it.

A full calibration takes hours; its saved generations say, for every accepted particle, its
parameters, its index in the generation and its mean distance over its replicates, and the
replicates' seeds follow from the index alone (:func:`normsim.calibration.smc.seeds`). So a few
particles of each generation can be simulated again, on this machine and this code, and their
distances compared with the saved ones: equal to the last bit, the committed outputs are what
this code computes from this file; not equal, they are not, and the check says where.

It also checks what the saved tables must satisfy among themselves: every accepted distance is
within its generation's epsilon, and each generation's epsilon is the median distance of the one
before (the schedule :func:`normsim.calibration.smc.generation` follows).

Plain data in (the file, the folder), plain data out (one row per particle checked).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from normsim.calibration import driver, outputs, selection, smc
from normsim.calibration.spec import CalibrationFile
from normsim.errors import FolderError


def chosen(n: int, k: int) -> list[int]:
    """``k`` row positions spread over ``n`` rows, first and last included (all when k >= n)."""
    if k >= n:
        return list(range(n))
    return sorted({int(round(x)) for x in np.linspace(0, n - 1, k)})


def saved_generations(spec: CalibrationFile, out: Path, identity: dict) -> list[pd.DataFrame]:
    """The folder's generations, after checking it holds this calibration's work (read only:
    a damaged generation is reported, not removed as a resumed run would)."""
    theirs = outputs.owner(out)
    if theirs is None:
        raise FolderError(f"{out} holds no calibration's work ({outputs.OWNER} is missing or "
                          "unreadable): name the folder a calibration wrote, e.g. "
                          "docs/calibration/mine_ban_2007_orders.")
    if theirs != identity:
        raise FolderError(f"{out} holds another calibration's work (or this file's, before it or "
                          "its data changed): its outputs cannot be checked against this file.")
    folder = out / driver.GENERATIONS
    gens, bad = driver.read_generations(folder, driver.settings(spec), driver.columns(spec))
    if bad:
        raise FolderError(f"{bad[0]}: damaged or out of order (a resumed run would compute it "
                          "again); nothing to check from it on.")
    if not gens:
        raise FolderError(f"{folder} holds no finished generation: nothing to check.")
    return gens


def consistency(gens: list[pd.DataFrame]) -> list[str]:
    """What the saved tables get wrong among themselves (empty: nothing)."""
    problems = []
    for t, gen in enumerate(gens):
        eps = float(gen["epsilon"].iloc[0])
        expected = np.inf if t == 0 else float(np.median(gens[t - 1]["distance"]))
        if eps != expected:
            problems.append(f"generation {t}: epsilon {eps!r}, but the median distance of "
                            f"generation {t - 1} is {expected!r}")
        over = gen.loc[gen["distance"] > eps, "index"].tolist()
        if over:
            problems.append(f"generation {t}: particles {over[:5]} lie beyond epsilon {eps:.6g}")
    return problems


def audit(spec: CalibrationFile, gens: list[pd.DataFrame], runner, tag: str,
          per_generation: int = 3) -> pd.DataFrame:
    """Simulate again ``per_generation`` particles of each saved generation with their recorded
    seeds; one row per particle: generation, index, variant (a model selection's; else empty),
    saved and recomputed distance, equal."""
    sim, _ = driver.simulator(spec)
    if spec.models is not None:  # a model selection's particle names its variant first
        sim = selection.variant_simulator(spec, sim)
    s = driver.settings(spec)
    cols = driver.columns(spec)
    rows, tasks = [], []
    for t, gen in enumerate(gens):
        for pos in chosen(len(gen), per_generation):
            index = int(gen["index"].iloc[pos])
            # a task keyed by its place in this list: the runner returns results in that order
            tasks.append({"index": len(tasks), "theta": [float(v) for v in gen[cols].iloc[pos]],
                          "seeds": list(smc.seeds(s.root_seed, t, index, s.replicates))})
            variant = (list(spec.models.variants)[int(gen[selection.MODEL].iloc[pos])]
                       if spec.models is not None else "")
            rows.append((t, index, variant, float(gen["distance"].iloc[pos])))
    found = [d for _, d in runner.map(sim, tasks, f"{tag}-audit")]
    table = pd.DataFrame(rows, columns=["generation", "index", "variant", "saved_distance"])
    table["recomputed_distance"] = found
    table["equal"] = table["saved_distance"] == table["recomputed_distance"]
    return table


def check(spec: CalibrationFile, text: str, out: str | Path, *, per_generation: int = 3,
          workers: int = 1, scheduler: str | None = None, log=print) -> tuple[pd.DataFrame,
                                                                                 list[str]]:
    """Check the calibration folder ``out`` against ``spec`` (read only): the particles simulated
    again (:func:`audit`) and the tables' own consistency (:func:`consistency`)."""
    out = Path(out)
    _, fitted = driver.simulator(spec)
    ident = outputs.identity(spec, text, fitted)
    gens = saved_generations(spec, out, ident)
    with driver.running(workers, scheduler, log) as runner:
        table = audit(spec, gens, runner, ident["calibration_hash"][:8], per_generation)
    return table, consistency(gens)


__all__ = ["audit", "check", "chosen", "consistency", "saved_generations"]
