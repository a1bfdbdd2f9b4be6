"""What a single run leaves in its folder: the tidy table and events (Parquet and CSV), its
compliance figure, the resolved scenario (runnable as is) and provenance; and the few lines that
summarise it on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import tomli_w

from normsim.analysis import narrative
from normsim.analysis.figures import run_trajectory
from normsim.settings.scenario import ScenarioError
from normsim.simulation.model import NormDiffusionModel
from normsim.simulation.outcomes import outcomes
from normsim.simulation.records import STAGES, primary
from normsim.sweeps.files import (check_replaceable, write_atomically, write_folder_atomically,
                                  write_table, write_text_atomically)
from normsim.sweeps.provenance import content_hash, provenance
from normsim.sweeps.store import events_schema, records_schema

#: the files of a saved run (what ``save_run`` writes; a folder holding only these is replaced)
RUN_FILES = ("records.parquet", "records.csv", "events.parquet", "events.csv", "scenario.toml",
             "provenance.json", "compliance.png")


def check_run_folder(out: str | Path) -> None:
    """Raise FolderError now if :func:`save_run` would refuse ``out`` (before running)."""
    check_replaceable(out, RUN_FILES)


def save_run(model: NormDiffusionModel, out: str | Path, name: str = "run") -> list[Path]:
    """Write a finished run to ``out``: the tidy table and the events (Parquet and CSV), the
    compliance figure (PNG), the resolved scenario (TOML, runnable as is) and provenance (in the
    Parquet metadata and ``provenance.json``).

    The files are written into a temporary folder that is then renamed to ``out``, so a run
    killed while saving leaves no folder mixing two runs. An existing ``out`` is replaced only if
    it holds nothing but a run's files (:data:`RUN_FILES`)."""
    if model.seed is None:
        raise ScenarioError("save_run needs a model seeded with a whole number (rng=42), so that "
                            "its scenario.toml can replay it.")
    check_run_folder(out)
    settings = model.settings.model_copy(update={"run": model.settings.run.model_copy(
        update={"seed": model.seed, "steps": int(model.steps)})})
    scenario_text = tomli_w.dumps(settings.model_dump(by_alias=True))
    meta = provenance(scenario=name, seed=model.seed, steps=int(model.steps),
                      scenario_hash=content_hash(scenario_text))
    records, events = model.records(), model.events()
    fig = run_trajectory(records, events, title=settings.title)

    def write(folder: Path) -> list[Path]:
        return [write_table(records, folder / "records.parquet", meta, schema=records_schema(twin="compliance_counterfactual" in records)),
                write_atomically(folder / "records.csv", lambda p: records.to_csv(p, index=False)),
                write_table(events, folder / "events.parquet", meta, schema=events_schema()),
                write_atomically(folder / "events.csv", lambda p: events.to_csv(p, index=False)),
                write_text_atomically(folder / "scenario.toml", scenario_text),
                write_text_atomically(folder / "provenance.json", json.dumps(meta, indent=2) + "\n"),
                write_atomically(folder / "compliance.png", lambda p: fig.savefig(p, format="png"))]

    return write_folder_atomically(out, write, RUN_FILES)


def summary(model: NormDiffusionModel) -> str:
    """A few lines on a finished run: compliance at the start and the end, the score card, and
    the milestones."""
    table, events = model.records(), model.events()
    s = model.settings
    records = primary(table)
    after_start = records[records["step"] >= 1]
    first_weeks = after_start[after_start["step"] <= max(52, after_start["step"].min())]
    first = first_weeks["compliance_rate"].mean()  # the first year, or the first recorded week
    last = records[records["step"] > records["step"].max() - 52]["compliance_rate"].mean()
    final = records[records["step"] == records["step"].max()]
    stage = int(round(final["stage"].mean()))
    norm = model.norms[0]
    lines = [
        f"{s.title}",
        f"  seed {model.seed}, {model.steps} weeks, {_groups_in_words(model)}; engagers: "
        + (", ".join(e.name for e in model.engager_agents) or "none"),
        f"  compliance with {norm.title} (share of occasions that respect it): {first:.2f} in "
        f"the first {_year_or_week(first_weeks)}, {last:.2f} in the last year",
    ]
    if "compliance_counterfactual" in table:
        o = outcomes(table)
        lines.append(f"  against the same run without engagement: engagement effect "
                     f"{o['engagement_effect']:+.3f} over the run, "
                     f"{o['engagement_effect_final_year']:+.3f} in the last year; "
                     f"{o['violations_averted']:.0%} of its violations averted")
    lines.append(f"  score card at the end: stage {stage} of {len(STAGES) - 1}, '{STAGES[stage]}' "
                 f"(highest reached: {int(records['stage'].max())}); "
                 f"{int(final['violations'].sum())} violations in the last week")
    milestones = narrative.sentences(narrative.key_events(events))
    if milestones:
        lines.append("  milestones:")
        shown = milestones[:12]
        lines += [f"    {m}" for m in shown]
        if len(milestones) > len(shown):
            lines.append(f"    ... and {len(milestones) - len(shown)} more (events.csv)")
    return "\n".join(lines)


def _groups_in_words(model: NormDiffusionModel) -> str:
    """The groups the run started with: '1 group(s) of 600 fighters', or for a population the
    number drawn and the spread of their sizes."""
    s = model.settings
    if not s.population:
        return f"{s.group.count} group(s) of {s.group.fighters:,} fighters"
    sizes = model.fighters.sizes  # as drawn, before any splinter
    spread = (f"{sizes.min():,}" if sizes.min() == sizes.max()
              else f"{sizes.min():,} to {sizes.max():,}")
    return (f"{len(sizes)} groups of {spread} fighters ({sizes.sum():,} in all) drawn from "
            f"population '{s.population}'")


def _year_or_week(rows: pd.DataFrame) -> str:
    """'year', or 'recorded week (week N)' when records are further apart than a year."""
    last = rows["step"].max() if len(rows) else 52
    return "year" if last <= 52 else f"recorded week (week {last})"
