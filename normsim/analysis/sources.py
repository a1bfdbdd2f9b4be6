"""Which of a sweep's parameter values are calibrated, which rest on a cited source, and which
are assumptions -- for the report's table "Where the values come from".

A value is *calibrated* when the scenario the runs start from was written by a calibration
(``normsim calibrate``: its description begins "Calibrated by ... ('<calibration title>')") and
the parameter is one the calibration fitted. Otherwise its basis is the ``source=`` declared with
the parameter (:func:`normsim.params.P`): an *assumption* when the source says so, else the seed
documents or literature it cites.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from normsim.analysis.labels import words
from normsim.sweeps.experiment import flat
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, SCENARIO_DIR, load, to_flat

CALIBRATION_DIR = Path(__file__).resolve().parent.parent.parent / "calibrations"
DOCS = "docs/calibration"


def source_of(name: str) -> str:
    """The declared source of a parameter (flat name), one line."""
    section, field = PARAMETERS[name]
    extra = ALL_SECTIONS[section].model_fields[field].json_schema_extra or {}
    return " ".join(str(extra.get("source", "")).split())


def basis(name: str) -> str:
    """'assumption' or 'cited source', from the declared source's words."""
    return "assumption" if "assumption" in source_of(name).lower() else "cited source"


@lru_cache(maxsize=1)
def calibrations() -> dict[str, dict]:
    """Calibration file stem -> {title, parameters (flat), scenario (the calibrated one, if a
    shipped scenario was written by it)}."""
    out = {}
    for path in sorted(CALIBRATION_DIR.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        out[path.stem] = {"title": data.get("title", path.stem),
                          "parameters": [flat(k) for k in data.get("parameters", {})],
                          "scenario": None}
    for path in sorted(SCENARIO_DIR.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"Calibrated by [^(]*\('([^']+)'\)", text)
        for stem, cal in out.items():
            if m and m.group(1) == cal["title"]:
                cal["scenario"] = path.stem
    return out


def where_values_come_from(manifest: dict, conditions: pd.DataFrame) -> pd.DataFrame:
    """One row per parameter the experiment varies, fixes or draws from a posterior, and per
    calibrated parameter: its value(s) in this sweep, and where that value comes from."""
    factors, fixed = list(manifest["factors"]), {flat(k): v for k, v in
                                                 (manifest.get("fixed") or {}).items()}
    posterior = manifest.get("posterior") or {}
    drawn = [flat(p) for p in posterior.get("drawn", [])]
    scenarios = list(pd.unique(conditions["scenario"])) if "scenario" in conditions else [
        manifest["scenario"]]
    values = {s: to_flat(load(s)) for s in scenarios}
    rows = []
    for f in factors:
        if f in PARAMETERS:
            rows.append((f, "varied by the experiment", basis(f), _short(source_of(f))))
    for f, v in fixed.items():
        if f in PARAMETERS:
            rows.append((f, f"set to {v} by the experiment", basis(f), _short(source_of(f))))
    n = posterior.get("draws")
    how = (f"one of {n} draws per replicate" if n else "one draw per replicate")
    for p in drawn:  # a run's value is its draw's: calibrated, whatever the scenario says
        used = [s for s in scenarios if p in values[s]]
        where = "" if len(used) == len(scenarios) else f", in the runs of {', '.join(used)}"
        rows.append((p, f"drawn from the posterior, {how}{where}", "calibrated",
                     f"calibrated: drawn from {_project_path(posterior.get('file', ''))}"))
    fitted_by: dict[str, list[str]] = {}  # parameter -> the calibration files that fit it
    for stem, cal in calibrations().items():
        if stem.endswith("_demo"):  # a small demonstration of the machinery fits nothing
            continue
        for p in cal["parameters"]:
            if p in PARAMETERS and p not in factors and p not in fixed and p not in drawn:
                fitted_by.setdefault(p, []).append(stem)
    for p, stems in fitted_by.items():
        used = [s for s in scenarios if p in values[s]]
        if not used:
            continue
        here = ", ".join(sorted({f"{values[s][p]:.3g}" for s in used}))
        # the scenario each file wrote, and the value it holds there (None: it has none)
        wrote = {stem: calibrations()[stem]["scenario"] for stem in stems
                 if calibrations()[stem]["scenario"]}
        ours = [stem for stem, scen in wrote.items() if scen in scenarios]
        elsewhere = {stem: to_flat(load(scen)).get(p) for stem, scen in wrote.items()
                     if scen not in scenarios}
        elsewhere = {stem: v for stem, v in elsewhere.items() if v is not None}
        if ours:
            stem = ours[0]
            where = (f"calibrated: calibrations/{stem}.toml, scenario {wrote[stem]} "
                     f"({DOCS}/{stem})")
        elif elsewhere:
            stem, value = next(iter(elsewhere.items()))
            where = (f"assumed here ({here}); calibrated to {value:.3g} on other data in "
                     f"scenario {wrote[stem]} ({DOCS}/{stem})")
        else:
            files = ", ".join(f"calibrations/{stem}.toml" for stem in stems)
            where = (f"assumed here; {files} {'fits' if len(stems) == 1 else 'fit'} it "
                     f"({DOCS}/README.md)")
        rows.append((p, f"{here} in these runs", "calibrated" if where.startswith(
            "calibrated") else f"not calibrated here ({basis(p)} declared)", where))
    return pd.DataFrame(rows, columns=["parameter", "value", "basis", "source"])


def _project_path(file: str) -> str:
    """A posterior's path as the project names it (relative to the project's folder when it
    lies inside it), else as recorded."""
    if not file:
        return "the experiment's posterior"
    path = Path(file).resolve()
    root = CALIBRATION_DIR.parent.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def summary(manifest: dict) -> str:
    """How many of the base scenario's parameters cite a source and how many are assumptions."""
    names = list(to_flat(load(manifest["scenario"])))
    kinds = pd.Series([basis(n) for n in names]).value_counts()
    return (f"Of the {len(names)} parameters of the base scenario `{manifest['scenario']}`, "
            f"{kinds.get('cited source', 0)} cite the seed documents or the literature and "
            f"{kinds.get('assumption', 0)} are declared assumptions (`normsim parameters` lists "
            "each with its source). Those that cite a source take their direction or rough size "
            "from it, not a measured value; only calibrated values were fitted to data.")


def section(manifest: dict, conditions: pd.DataFrame) -> list[str]:
    # deferred: tables load scipy (summaries); listing the sources needs none
    from normsim.analysis.tables import md_table

    t = where_values_come_from(manifest, conditions)
    t["parameter"] = [f"`{p}` ({words(p)})" for p in t["parameter"]]
    return (["## Where the values come from", "", summary(manifest), ""]
            + md_table(t))


__all__ = ["where_values_come_from", "basis", "calibrations", "section"]
