"""The tables of docs/which_engager.md's comparison with each competing mechanism on and off.

Reads the sweeps of ``experiments/mechanisms/which_engager_<name>.toml``, each run with

    .venv/bin/normsim sweep experiments/mechanisms/which_engager_<name>.toml --workers 1 \\
        --out results/mechanisms/<name>

and prints, per outcome (effect over the ten years, effect in the last year, share of runs with a
commitment), a Markdown table: one row per engager kind and group type, one column per
mechanism, mean over replicates +- standard error (commitments: the share of runs). A cell a
mechanism cannot change (presence without a deploying engager, ownership under a dialogue, which
gives no support) was not run and shows ``= off``; a cell a variant leaves out on purpose
(``below_top_goal_ceiling`` runs the transnational group only) shows a dash; a cell with fewer runs than the others says
how many. Then, for ``off`` and ``splinter_causes`` where both were run, the factions that split
per run: over a commitment and for other causes (``faction splintered``, ``faction broke away``).
Usage:

    .venv/bin/python scripts/mechanism_table.py [RESULTS] [NAME ...]
    .venv/bin/python scripts/mechanism_table.py --screening [RESULTS] [NAME ...]

``--screening`` prints instead the Morris indices of the engagement effect from the sweeps of
``experiments/mechanisms/sensitivity_<name>.toml`` (RESULTS defaults to
results/mechanisms_sensitivity): mu* [95% interval] and sigma per parameter, one column per name.

RESULTS defaults to results/mechanisms; the names default to every folder in it, ``off`` first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from normsim.analysis.summaries import summarize
from normsim.simulation.outcomes import outcomes

KINDS = {"engager_dialogue": "dialogue", "engager_deed": "deed",
         "engager_peace_operation": "peace operation"}
TYPES = ["peoples_war", "secessionist", "predatory", "community_militia", "transnational"]
#: mechanisms run only with the engager kinds they can change (the others' runs are all-off's)
AS_OFF = ("presence", "ownership")
OUTCOMES = {"engagement_effect": "Effect (mean compliance minus the twin's over the ten years)",
            "engagement_effect_final_year": "Last year (year 10, five years after the "
                                            "engagement ended)",
            "committed": "Commits (share of runs in which the leadership made a commitment)"}


def per_run(folder: Path) -> pd.DataFrame:
    """One row per finished run: its condition's kind and type, and the outcomes."""
    table = pd.read_parquet(folder / "runs")
    conditions = pd.read_parquet(folder / "conditions.parquet")
    out = outcomes(table, names=["engagement_effect", "engagement_effect_final_year"],
                   by=["condition", "replicate"])
    out["committed"] = (table.groupby(["condition", "replicate"])["commitments"].max() > 0)
    out = out.reset_index().merge(conditions, on="condition")
    out["kind"] = out["scenario"].map(KINDS)
    return out


def cell(values: pd.Series, share: bool) -> str:
    if share:
        return f"{values.mean():.0%}"
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else np.nan
    return f"{values.mean():+.3f} ± {se:.3f}"


def tables(results: Path, names: list[str]) -> str:
    runs = {name: per_run(results / name) for name in names}
    counts = {name: r.groupby("condition").size() for name, r in runs.items()}
    usual = {name: int(c.mode().iloc[0]) for name, c in counts.items()}
    lines = ["Replicates per cell: " + ", ".join(f"{n} {usual[n]}" for n in names), ""]
    for outcome, title in OUTCOMES.items():
        lines += [f"**{title}**:", "",
                  "| engager | group type | " + " | ".join(names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for kind in KINDS.values():
            for i, kind_type in enumerate(TYPES):
                row = [kind if i == 0 else "", kind_type.replace("_", " ")]
                for name in names:
                    r = runs[name]
                    sel = r[(r["kind"] == kind) & (r["group_type"] == kind_type)][outcome]
                    if sel.empty:  # not run: the same as off where the mechanism cannot act
                        row.append("= off" if name in AS_OFF else "—")
                        continue
                    text = cell(sel.astype(float), outcome == "committed")
                    row.append(text + (f" ({len(sel)})" if len(sel) != usual[name] else ""))
                lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines)


SPLITS = {"faction splintered": "over a commitment", "faction broke away": "other causes"}


def splits(results: Path, names=("off", "splinter_causes")) -> str:
    """Factions that split per run (mean over runs), by cause, engager kind and group type."""
    lines = ["**Splinters** (factions that split per run, mean over runs: over a commitment / "
             "for other causes):", "", "| engager | group type | " + " | ".join(names) + " |",
             "|---|---|" + "---|" * len(names)]
    counts = {}
    for name in names:
        conditions = pd.read_parquet(results / name / "conditions.parquet")
        runs = pd.read_parquet(results / name / "runs", columns=["condition", "replicate"])
        runs = runs.drop_duplicates().merge(conditions, on="condition")
        events = pd.read_parquet(results / name / "events", columns=["condition", "replicate",
                                                                     "kind"])
        events = events[events["kind"].isin(list(SPLITS))]
        n = events.groupby(["condition", "replicate", "kind"]).size().unstack(fill_value=0)
        n = n.reindex(columns=list(SPLITS), fill_value=0)
        counts[name] = runs.merge(n.reset_index(), on=["condition", "replicate"],
                                  how="left").fillna({k: 0 for k in SPLITS})
    for scenario, kind in KINDS.items():
        for i, kind_type in enumerate(TYPES):
            row = [kind if i == 0 else "", kind_type.replace("_", " ")]
            for name in names:
                c = counts[name]
                sel = c[(c["scenario"] == scenario) & (c["group_type"] == kind_type)]
                row.append(" / ".join(f"{sel[k].mean():.2f}" for k in SPLITS))
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def screening(results: Path, names: list[str]) -> str:
    """Morris mu* [95% interval] (sigma) of the engagement effect per parameter and mechanism."""
    indices = {name: summarize(results / name)["sensitivity"].set_index("parameter")
               for name in names}
    lines = ["| parameter | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    first = indices[names[0]].sort_values("mu_star", ascending=False).index
    for parameter in first:
        row = [f"`{parameter}`"]
        for name in names:
            r = indices[name].loc[parameter]
            row.append(f"{r['mu_star']:.3f} ± {r['mu_star_conf']:.3f} ({r['sigma']:.3f})")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--screening":
        results = Path(argv[1]) if len(argv) > 1 else Path("results/mechanisms_sensitivity")
        print(screening(results, argv[2:] or ["off", "below_top"]))
        return
    results = Path(argv[0]) if argv else Path("results/mechanisms")
    names = argv[1:] or sorted((p.name for p in results.iterdir() if (p / "runs").is_dir()),
                               key=lambda n: (n != "off", n))
    print(tables(results, names))
    if {"off", "splinter_causes"} <= set(names):
        print(splits(results))


if __name__ == "__main__":
    main(sys.argv[1:])
