"""The report's tables in Markdown: the effects per condition (the experiment's outcome, the
effect while engaged and after, final compliance, the share reaching the threshold, the stage at
the end and the highest reached) and the score-card stages; the full tables are written beside
the report with their data dictionary (:mod:`normsim.analysis.dictionary`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from normsim.analysis.dictionary import write_table
from normsim.analysis.findings import fmt, main_outcome, small_n
from normsim.analysis.labels import outcome_label, value_text, words
from normsim.analysis.results import Results
from normsim.analysis.summaries import stage_distribution
from normsim.simulation.records import STAGES


def md_table(table: pd.DataFrame) -> list[str]:
    """A DataFrame as Markdown table lines (index dropped)."""
    cells = [[str(v) for v in row] for row in table.itertuples(index=False)]
    head = [str(c) for c in table.columns]
    return (["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
            + ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in cells] + [""])


#: the columns of the report's effects table: outcome, words (the interval is added)
SHOWN = (("engagement_effect_during", "effect while engaged"),
         ("engagement_effect_after", "effect 5 years after"),
         ("final_compliance", "final compliance"))


def effects_section(res: Results, folder: Path) -> list[str]:
    eff = res.effects
    write_table(folder, "effects", eff, index=True)
    main = main_outcome(res)
    shown = [(main, words_of(main))] + [s for s in SHOWN if s[0] != main]
    lines = ["## Effects", "", "Per condition: means over runs with 95% intervals, kept inside "
             "what each quantity can take (shares and differences of shares: t-interval on the "
             "logit scale; weeks: on the log scale). Effects are in percentage points against "
             "each run's twin without engagement. Score-card stages are ranks: the median and range over runs, for the "
             "stage held at the end and the highest stage reached, apart (a group falls back "
             f"when trust lapses). 'Reached {res.threshold:g}': the share of runs whose 13-week "
             "mean compliance reached the threshold, with its Wilson interval. Every column, "
             "with its description, in [effects.csv](effects.csv) and "
             "[columns.md](columns.md).", ""]
    lines += small_n(res) + ([""] if small_n(res) else [])
    if len(eff) > 40:
        return lines + [f"{len(eff)} conditions: see [effects.csv](effects.csv).", ""]
    t = pd.DataFrame({words(f): [value_text(f, v) for v in eff[f]] for f in res.factors})
    for name, text in shown:
        if name in eff and eff[name].notna().any():
            t[f"{text} [95% CI]"] = [fmt(name, *r) for r in eff[
                [name, f"{name}_ci_low", f"{name}_ci_high"]].to_numpy()]
    t[f"reached {res.threshold:g}"] = [
        f"{s:.0%} [{lo:.0%}, {hi:.0%}]" for s, lo, hi in eff[
            ["share_reaching_threshold", "share_reaching_threshold_ci_low",
             "share_reaching_threshold_ci_high"]].to_numpy()]
    for name, text in (("final_stage", "stage at the end"),
                       ("highest_stage", "highest stage reached")):
        t[f"{text} (median, range)"] = [_stage(*r) for r in eff[
            [f"{name}_median", f"{name}_min", f"{name}_max"]].to_numpy()]
    t["runs"] = eff["replicates"].to_numpy()
    return lines + md_table(t)


def words_of(outcome: str) -> str:
    return outcome_label(outcome).split(" (")[0].split(":")[0]


def _stage(median, lo, hi) -> str:
    if not np.isfinite(median):
        return "–"
    if float(median).is_integer():
        text = f"{int(median)}: {STAGES[int(median)]}"
    else:  # an even number of runs split between two stages: the median lies between them
        below = int(np.floor(median))
        text = f"{median:g}: between {STAGES[below]} and {STAGES[below + 1]}"
    return f"{text} ({lo:g}–{hi:g})" if lo != hi else text


def stages_section(res: Results, folder: Path) -> list[str]:
    table = stage_distribution(res.records, res.conditions)
    write_table(folder, "stages", table)
    return ["## Score-card stages", "", "The share of groups at each stage, at the end and at "
            "their highest, per condition, with Wilson intervals (long format: one row per "
            "condition, measure and stage, with the factor values): "
            "[stages.csv](stages.csv).", ""]
