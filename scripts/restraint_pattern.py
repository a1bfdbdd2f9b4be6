"""The model's counterpart of Stanton's (2016) population pattern of restraint, without engagement.

Stanton (Violence and Restraint in Civil War, 2016) finds that about 40% of 103 rebel groups
(1989-2010) used none of the high-casualty strategies of violence against civilians (massacres,
scorched earth, cleansing, terror bombing). The counterpart (docs/ODD.md, section 7.17): in the
shipped population (populations/mine_ban.toml, 150 groups, 18 years) with the civilians norm only
and no engager, a group *used none* when its leadership's mean willingness over its life is at
least 0.5 (:func:`normsim.analysis.population.restraint`, which says why); the spread of its
fighters' lifetime compliance is printed beside it. Usage:

    .venv/bin/python scripts/restraint_pattern.py [SEEDS] [--set section.field=value ...]

Prints, per type and overall, the share of groups that used none (mean over SEEDS runs, default
10, and its 95% t-interval) at the thresholds 0.4, 0.5 and 0.6, the mean compliance of the groups
that did and did not, and the quantiles of lifetime compliance over all runs.
"""

from __future__ import annotations

import sys

import pandas as pd

from normsim.analysis.population import restraint
from normsim.analysis.summaries import mean_ci
from normsim.settings.scenario import apply_overrides, load
from normsim.simulation.run import run

THRESHOLDS = (0.4, 0.5, 0.6)


def groups(seed: int, overrides: list[str]) -> pd.DataFrame:
    """Every group of one run of the population without engagement, with its restraint."""
    scenario = load("mine_ban").model_copy(update={"norms": ["civilians"], "engagers": []})
    scenario = apply_overrides(scenario, overrides) if overrides else scenario
    table = run(seed=seed, scenario=scenario).assign(replicate=seed)
    return restraint(table, by=("replicate",))


def summary(per: pd.DataFrame) -> pd.DataFrame:
    """Per type and overall: the share that used none (mean [95% CI] over runs) at each
    threshold, mean compliance of those that did and did not, quantiles of compliance."""
    rows = []
    for kind, part in [*per.groupby("type"), ("all", per)]:
        row = {"type": kind, "groups/run": len(part) / part["replicate"].nunique()}
        for t in THRESHOLDS:
            share = part.groupby("replicate")["willingness"].apply(lambda w: (w >= t).mean())
            m, lo, hi, _ = mean_ci(share)
            row[f"used none ({t})"] = f"{m:.3f} [{lo:.3f}, {hi:.3f}]"
        none = part["willingness"] >= 0.5
        row["compliance: used none"] = part.loc[none, "compliance"].mean()
        row["compliance: others"] = part.loc[~none, "compliance"].mean()
        for q in (0.1, 0.5, 0.9):
            row[f"compliance q{int(q * 100)}"] = part["compliance"].quantile(q)
        rows.append(row)
    return pd.DataFrame(rows)


def main(argv: list[str]) -> None:
    seeds = int(argv[0]) if argv and argv[0].isdigit() else 10
    overrides = [a for a in argv if "=" in a]
    per = pd.concat([groups(s, overrides) for s in range(seeds)])
    with pd.option_context("display.width", 250):
        print(summary(per).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"{seeds} runs; groups per run {len(per) / seeds:.0f}; overrides: {overrides or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1:])
