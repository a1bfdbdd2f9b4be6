"""A data dictionary for every table the analysis writes: each column in words, with its unit.

``describe(column)`` builds the words from the declarations that already exist -- outcomes
(:data:`normsim.simulation.outcomes.OUTCOMES`), parameters (their labels and units), the recorded columns
(:mod:`normsim.simulation.records`) -- and the suffixes the summaries add (``_ci_low``, ``_n`` ...).
``write_table`` writes a table as CSV and Parquet (with each column's description in the Parquet
schema's field metadata) and keeps a ``columns.md`` beside them that describes every column of
every table in the folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from normsim.analysis.labels import OUTCOME_LABELS, factor_label
from normsim.analysis.style import LABELS
from normsim.sweeps.files import write_atomically, write_text_atomically
from normsim.settings.scenario import PARAMETERS

#: columns that are neither outcomes nor parameters
COLUMNS = {
    "condition": "condition number (row of conditions.parquet; the factor columns give its values)",
    "replicate": "replicate number within the condition (its seed is the manifest's seeds[replicate])",
    "scenario": "the scenario the run starts from (a file in scenarios/)",
    "step": "week of the run (0 = before the first week)",
    "group": "armed group number within the run",
    "norm": "the norm the row is about",
    "type": "the group's type (normsim.world.typology)",
    "country": "the country (theatre) the group is in",
    "alive": "whether the group still exists (true/false)",
    "occasions": "encounters with civilians in which the norm applied, this week",
    "violations": "occasions on which the norm was broken, this week",
    "occasions_counterfactual": "occasions in the twin run without engagement, this week",
    "violations_counterfactual": "violations in the twin run without engagement, this week",
    "compliance_counterfactual": "compliance of the twin run without engagement (share, 0–1)",
    "occasions_lasting": "occasions in the lasting twin (the run whose engagement never ends), "
                         "this week",
    "violations_lasting": "violations in the lasting twin (the run whose engagement never "
                          "ends), this week",
    "posterior_draw": "the posterior draw the run's replicate uses (replicate mod draws)",
    "posterior_particle": "the row of the posterior file the draw picked (by weight)",
    "level": "the level of the compared factor (the scenario, or the first factor)",
    "other": "the level it is compared with",
    "probability": "share of posterior draws in which it holds",
    "p_low": "lower end of the probability's 95% Jeffreys interval (Beta(k + 1/2, n - k + 1/2))",
    "p_high": "upper end of the probability's 95% Jeffreys interval",
    "ties": "draws in which the two are equal (counted as neither better)",
    "draws": "posterior draws counted",
    "q05": "5% quantile over posterior draws of the per-draw mean",
    "q95": "95% quantile over posterior draws of the per-draw mean",
    "median": "median over posterior draws of the per-draw mean",
    "engagement_effect": "compliance minus the twin's (difference of shares, -1 to 1)",
    "sanctions_enforced": "internal sanctions enforced this week (count)",
    "fighters": "fighters in the group (count)",
    "fear_fighters": "fighters' fear of internal sanctions (0–1)",
    "emphasis_strategic": "emphasis the top commander puts on the norm in orders (0–1)",
    "internalised_strategic": "top commander's internalised gain (0–1)",
    "leverage": "engagers' combined leverage on the group (0–1)",
    "owned_doctrine": "share of the doctrine the group wrote itself (0–1)",
    "meetings": "meetings with engagers so far (count)",
    "practical_agreement": "a practical problem was solved together (true/false)",
    "community_pressure": "pressure communities put on the group (0–1)",
    "commitments": "public commitments made so far (count)",
    "committed": "the group holds a public commitment (true/false)",
    "stage": "score-card stage held this week (0–6; falls back when its conditions lapse)",
    "stage_name": "score-card stage held, in words",
    "intensity": "conflict intensity (0–1)",
    "listed": "the group is listed (e.g. as terrorist) (true/false)",
    "peace_process": "a peace process is under way (true/false)",
    "engaged": "an engager engages the group this week (true/false; in pooled tables: the "
               "share of groups engaged)",
    "replicates": "runs of the condition",
    "share_reaching_threshold": "share of runs whose 13-week mean compliance reached the "
                                "threshold (Wilson interval in the _ci columns)",
    "mean": "mean over runs", "ci_low": "lower end of the 95% interval of the mean",
    "ci_high": "upper end of the 95% interval of the mean", "n": "runs averaged",
    "measure": "'stage at the end' (the stage held in the last recorded week) or 'highest "
               "stage reached' (during the run)",
    "stage_name ": "the stage in words",
    "groups": "groups counted (runs × groups per run)",
    "share": "share of the groups at this stage",
    "share_ci_low": "lower end of the share's 95% Wilson interval",
    "share_ci_high": "upper end of the share's 95% Wilson interval",
    "outcome": "the outcome analysed",
    "parameter": "the parameter (flat name)",
    "S1": "Sobol first-order index (share of the outcome's variance from the factor alone)",
    "S1_conf": "half-width of S1's 95% interval",
    "ST": "Sobol total index (the factor alone and in interactions)",
    "ST_conf": "half-width of ST's 95% interval",
    "mu_star": "Morris mu*: mean absolute elementary effect", "mu": "Morris mu: mean effect",
    "mu_star_conf": "half-width of mu*'s 95% interval", "sigma": "Morris sigma: spread of effects",
    "rule": "a box of factor values, in words", "runs": "runs in the box or condition",
    "high": "runs in the box whose final compliance reached the threshold",
    "density": "share of the box's runs that are high", "coverage": "share of all high runs in the box",
    "panel": "the figure's panel", "row_text": "the row's level, in words",
    "mark_text": "the marker's level, in words", "effect_pp": "mean effect (percentage points)",
    "ci_low_pp": "lower end of its 95% interval (percentage points)",
    "ci_high_pp": "upper end of its 95% interval (percentage points)",
    "row": "the row's level (order)", "mark": "the marker's level (order)",
    "planned": "runs of the condition (some may not measure the outcome)",
}
SUFFIXES = {
    "_ci_low": "lower end of the 95% interval of the mean of: {}",
    "_ci_high": "upper end of the 95% interval of the mean of: {}",
    "_n": "runs with a value of: {}",
    "_median": "median over runs of: {}", "_min": "lowest over runs of: {}",
    "_max": "highest over runs of: {}",
}


def describe(column: str) -> str:
    """A column in words with its unit."""
    if column in COLUMNS:
        return COLUMNS[column]
    if column in OUTCOME_LABELS:
        return OUTCOME_LABELS[column]
    if column in PARAMETERS:
        return f"parameter: {factor_label(column)}"
    if column.startswith("drawn_") and column[6:] in PARAMETERS:
        return f"drawn from the posterior: {factor_label(column[6:])}"
    if column in LABELS:
        return LABELS[column]
    for suffix, text in SUFFIXES.items():
        if column.endswith(suffix) and column[: -len(suffix)]:
            return text.format(describe(column[: -len(suffix)]))
    m = re.fullmatch(r"(knowledge|acceptance)_(fighters|strategic|operational|tactical)", column)
    if m:
        who = "fighters'" if m[2] == "fighters" else f"{m[2]} commanders'"
        return f"{who} mean {m[1]} of the norm (0–1)"
    return column.replace("_", " ")


def dictionary(table: pd.DataFrame) -> dict[str, str]:
    return {str(c): describe(str(c)) for c in table.columns}


def write_table(folder: Path, name: str, table: pd.DataFrame, index: bool = False) -> Path:
    """Write ``table`` as ``name``.csv and ``name``.parquet (column descriptions in the
    Parquet field metadata) and add its columns to the folder's ``columns.md``."""
    # deferred: pyarrow is heavy; only writing a Parquet table needs it
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    table = table.reset_index() if index else table
    path = write_atomically(folder / f"{name}.csv", lambda p: table.to_csv(p, index=False))
    words = dictionary(table)
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    fields = [f.with_metadata({"description": words[f.name]}) for f in arrow.schema]
    arrow = arrow.cast(pa.schema(fields, metadata=arrow.schema.metadata))
    write_atomically(folder / f"{name}.parquet", lambda p: pq.write_table(arrow, p))
    _update_columns_md(folder, name, words)
    return path


def _update_columns_md(folder: Path, name: str, words: dict[str, str]) -> None:
    md = folder / "columns.md"
    sections = {}
    if md.exists():
        for block in md.read_text(encoding="utf-8").split("\n## ")[1:]:
            head, _, body = block.partition("\n")
            sections[head.strip()] = body
    rows = "\n".join(f"| `{c}` | {w} |" for c, w in words.items())
    sections[f"{name}.csv"] = (f"\nAlso `{name}.parquet` (the same, with these descriptions "
                               f"in its schema).\n\n| column | meaning |\n|---|---|\n{rows}\n")
    text = ("# Columns of the tables in this folder\n\nEvery table written here, each column "
            "in words with its unit (normsim.analysis.dictionary).\n\n"
            + "\n".join(f"## {k}\n{v}" for k, v in sorted(sections.items())))
    write_text_atomically(md, text)


__all__ = ["describe", "dictionary", "write_table"]
