"""The model's counterpart of Stanton's (2016) population pattern of restraint, without engagement.

Stanton (Violence and Restraint in Civil War, 2016) finds that about 40% of 103 rebel groups
(1989-2010) used none of the high-casualty strategies of violence against civilians (massacres,
scorched earth, cleansing, terror bombing). The model has no strategies, only encounters: its
counterpart is the spread of groups' lifetime compliance with the civilians norm across the
shipped population (populations/mine_ban.toml, 150 groups) with no engager, and the share of
groups whose compliance lies clearly above the rest (the question being whether the population
splits into restrained and violent groups, as Stanton's does). Usage:

    .venv/bin/python scripts/restraint_pattern.py [SEEDS] [--set section.field=value ...]

Prints, per type and overall, the quantiles of lifetime compliance and the shares of groups
above 0.70, 0.75 and 0.80, over SEEDS runs (default 2).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from normsim.settings.scenario import apply_overrides, load
from normsim.simulation.run import run


def lifetime(seed: int, overrides: list[str]) -> pd.DataFrame:
    scenario = load("mine_ban").model_copy(update={"norms": ["civilians"], "engagers": []})
    scenario = apply_overrides(scenario, overrides) if overrides else scenario
    table = run(seed=seed, scenario=scenario)
    live = table[table["alive"] & (table["occasions"] > 0)]
    per = live.groupby(["group", "type"])[["violations", "occasions"]].sum().reset_index()
    per["compliance"] = 1.0 - per["violations"] / per["occasions"]
    return per.assign(seed=seed)


def main(argv: list[str]) -> None:
    seeds = int(argv[0]) if argv and argv[0].isdigit() else 2
    overrides = [a for a in argv if "=" in a]
    groups = pd.concat([lifetime(s, overrides) for s in range(seeds)])
    rows = []
    for kind, part in [*groups.groupby("type"), ("all", groups)]:
        c = part["compliance"].to_numpy()
        rows.append({"type": kind, "groups": len(c),
                     **{f"q{int(q * 100)}": np.quantile(c, q) for q in (0.1, 0.5, 0.9)},
                     **{f">{t:.2f}": (c > t).mean() for t in (0.70, 0.75, 0.80)}})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main(sys.argv[1:])
