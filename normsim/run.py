"""One entry point that SALib, EMA Workbench, Dask, the sweep runner and the CLI all drive.

``run(params, seed) -> table`` (or ``run(seed=..., **params)``): plain parameters in (flat
keywords, see ``normsim parameters``), a tidy table out (one row per step and group). Nothing but
parameters and a seed crosses a process boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

import tomli_w

from normsim.analysis import narrative
from normsim.files import write_atomically, write_table, write_text_atomically
from normsim.counterfactual import run_twin
from normsim.model import NormDiffusionModel
from normsim.provenance import content_hash, provenance
from normsim.outcomes import outcomes
from normsim.records import STAGES, primary
from normsim.scenario import load
from normsim.schema import Scenario


def run_model(params: Mapping[str, Any] | None = None, seed: int = 0, *, steps: int | None = None,
              scenario: Scenario | str | Path | None = None, counterfactual: bool = False,
              **keywords: Any) -> NormDiffusionModel:
    """Build a model from ``scenario`` (a Scenario, a shipped name or a file; defaults if None)
    with ``params`` and then ``keywords`` (flat parameter names) overriding it, seeded with
    ``seed``, and run it ``steps`` weeks (the scenario's ``run.steps`` if None). Returns the
    model, for its records and events.

    With ``counterfactual``, the run's twin without engagement (same settings and seed) runs
    too, and ``model.records()`` carries ``compliance_counterfactual``,
    ``violations_counterfactual`` and ``occasions_counterfactual``
    (:mod:`normsim.counterfactual`)."""
    if scenario is not None and not isinstance(scenario, Scenario):
        scenario = load(scenario)
    model = NormDiffusionModel(rng=seed, settings=scenario, **{**dict(params or {}), **keywords})
    model.run_model(steps)
    if counterfactual:
        model.attach_twin(run_twin(NormDiffusionModel, model.settings, seed, model.steps))
    return model


def run(params: Mapping[str, Any] | None = None, seed: int = 0, *, steps: int | None = None,
        scenario: Scenario | str | Path | None = None, counterfactual: bool = False,
        **keywords: Any) -> pd.DataFrame:
    """Run one simulation and return its tidy table (one row per recorded step, group and norm;
    with ``counterfactual``, the twin's compliance beside it).

    Parameters come as a mapping, as keywords, or both (keywords win):
    ``run({"group_centralisation": 0.3}, seed=1)`` is ``run(seed=1, group_centralisation=0.3)``,
    the form EMA Workbench calls."""
    return run_model(params, seed, steps=steps, scenario=scenario, counterfactual=counterfactual,
                     **keywords).records()


def save_run(model: NormDiffusionModel, out: str | Path, name: str = "run") -> list[Path]:
    """Write a finished run to ``out``: the tidy table and the events (Parquet and CSV), the
    compliance figure (PNG), the resolved scenario (TOML, runnable as is) and provenance (in the
    Parquet metadata and ``provenance.json``). Every file is written atomically."""
    import json

    from normsim.analysis.figures import run_trajectory

    out = Path(out)
    settings = model.settings.model_copy(update={"run": model.settings.run.model_copy(
        update={"seed": model.seed, "steps": int(model.steps)})})
    scenario_text = tomli_w.dumps(settings.model_dump(by_alias=True))
    meta = provenance(scenario=name, seed=model.seed, steps=int(model.steps),
                      scenario_hash=content_hash(scenario_text))
    records, events = model.records(), model.events()
    paths = [write_table(records, out / "records.parquet", meta),
             write_atomically(out / "records.csv", lambda p: records.to_csv(p, index=False)),
             write_table(events, out / "events.parquet", meta),
             write_atomically(out / "events.csv", lambda p: events.to_csv(p, index=False)),
             write_text_atomically(out / "scenario.toml", scenario_text),
             write_text_atomically(out / "provenance.json", json.dumps(meta, indent=2) + "\n")]
    fig = run_trajectory(records, events, title=settings.title)
    paths.append(write_atomically(out / "compliance.png",
                                  lambda p: fig.savefig(p, format="png")))
    return paths


def summary(model: NormDiffusionModel) -> str:
    """A few lines on a finished run: compliance at the start and the end, the score card, and
    the milestones."""
    table, events = model.records(), model.events()
    s = model.settings
    records = primary(table)
    year = records["step"] // 52
    first_year = records[(records["step"] >= 1) & (year == year[records["step"] >= 1].min())]
    first = first_year["compliance_rate"].mean()
    last = records[records["step"] > records["step"].max() - 52]["compliance_rate"].mean()
    final = records[records["step"] == records["step"].max()]
    stage = int(round(final["stage"].mean()))
    norm = model.norms[0]
    lines = [
        f"{s.title}",
        f"  seed {model.seed}, {model.steps} weeks, {s.group.count} group(s) of "
        f"{s.group.fighters} fighters; engagers: "
        + (", ".join(e.name for e in model.engager_agents) or "none"),
        f"  compliance with {norm.title} (share of occasions that respect it): {first:.2f} in "
        f"the first year, {last:.2f} in the last year",
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
