"""Signatories' conduct with and without ``leadership.commitment_orders``, over a posterior.

Issue 18, item 7: in the calibrated population signatories violated the norm they signed at
about a quarter of their occasions, against the record's "by and large complied". The model
changed (a standing commitment orders the chain of command, docs/ODD.md section 7.5 step 3);
this script measures what the change does, and whether it moves the fitted curve.

For ``DRAWS`` parameter vectors drawn by weight from a calibration's generation file (with a
fixed generator, so the draws are the same every time), each is run to the calibration's cutoff
twice with the same seed: the switch off (the model before the change) and on. Per run it
measures the conduct (:func:`normsim.calibration.conduct.measure`), the fitted curve (the
cumulative signatories at every recorded week) and the commitments made. Paired by draw, it
prints per measure the mean off and on, the mean paired difference with its 95% t-interval,
and how many of the fitted curves are identical to the bit.

Usage (from the project's root)::

    .venv/bin/python scripts/conduct_orders.py GENERATION.csv DRAWS WORKERS OUT.csv \\
        [CALIBRATION.toml]

CALIBRATION defaults to calibrations/mine_ban_2007.toml. Each run costs about as much as one
fitted simulation (1-2 s of one core).
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from normsim.analysis.summaries import mean_ci
from normsim.calibration.conduct import measure
from normsim.calibration.driver import simulator
from normsim.calibration.spec import load_calibration

MEASURES = ["violation_rate_committed", "violation_rate_first_year", "violation_rate_later",
            "violation_rate_uncommitted", "complying_share", "lapsed_share",
            "lapses_at_succession", "signatories", "at_cutoff", "made"]
PICK_SEED, RUN_SEED = 7, 1000  # the draws' generator and the first run seed: fixed, not tuned


def one(job: tuple) -> dict:
    sim, theta, seed, on, draw = job
    model = sim.run(theta, seed, overrides={"leadership.commitment_orders": on})
    row = measure(model.records(), model.events(), sim.norm)
    curve = sim.signatories(model)["signatories"]
    row.update(at_cutoff=float(curve.iloc[-1]) if len(curve) else 0.0,
               curve=",".join(str(int(v)) for v in curve), on=on, draw=draw,
               made=int((model.events()["kind"] == "commitment made").sum()))
    return row


def main(generation: str, draws: int, workers: int, out: str,
         calibration: str = "calibrations/mine_ban_2007.toml") -> None:
    spec, _ = load_calibration(calibration)
    sim, _ = simulator(spec)
    gen = pd.read_csv(generation)
    names = list(spec.parameters)
    pick = np.random.default_rng(PICK_SEED).choice(len(gen), size=draws,
                                                   p=gen["weight"] / gen["weight"].sum())
    jobs = [(sim, gen.loc[k, names].to_numpy(float), RUN_SEED + d, on, d)
            for d, k in enumerate(pick) for on in (False, True)]
    with ProcessPoolExecutor(workers) as pool:
        table = pd.DataFrame(list(pool.map(one, jobs)))
    table.to_csv(out, index=False)
    off, on = table[~table["on"]].set_index("draw"), table[table["on"]].set_index("draw")
    print(f"{draws} draws from {generation}, each run off and on with one seed")
    print("| measure | off | on | on - off [95% interval] | draws |\n|---|---|---|---|---|")
    for name in MEASURES:
        diff = (on[name] - off[name]).dropna()
        mean, lo, hi, n = mean_ci(diff)
        print(f"| {name} | {off[name].mean():.3f} | {on[name].mean():.3f} | "
              f"{mean:+.3f} [{lo:+.3f}, {hi:+.3f}] | {n} |")
    same = int((off["curve"] == on["curve"]).sum())
    print(f"\nfitted curves identical to the bit: {same} of {draws}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) not in (4, 5):
        sys.exit(__doc__)
    main(args[0], int(args[1]), int(args[2]), args[3], *args[4:])
