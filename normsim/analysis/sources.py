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
    """One row per parameter the experiment varies or fixes, and per calibrated parameter:
    its value(s) in this sweep, and where that value comes from."""
    factors, fixed = list(manifest["factors"]), {flat(k): v for k, v in
                                                 (manifest.get("fixed") or {}).items()}
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
    for stem, cal in calibrations().items():
        for p in cal["parameters"]:
            if p in factors or p in fixed or p not in PARAMETERS:
                continue
            used = [s for s in scenarios if p in values[s]]
            if not used:
                continue
            here = ", ".join(sorted({f"{values[s][p]:.3g}" for s in used}))
            if cal["scenario"] in scenarios:
                where = (f"calibrated: calibrations/{stem}.toml, scenario "
                         f"{cal['scenario']} ({DOCS}/{stem})")
            else:
                calibrated = (to_flat(load(cal["scenario"])).get(p) if cal["scenario"] else None)
                where = (f"assumed here ({here}); calibrated to "
                         f"{calibrated:.3g} on other data in scenario {cal['scenario']} "
                         f"({DOCS}/{stem})" if calibrated is not None else
                         f"assumed here; calibrations/{stem}.toml fits it")
            rows.append((p, f"{here} in these runs", "calibrated" if where.startswith(
                "calibrated") else f"not calibrated here ({basis(p)} declared)", where))
    return pd.DataFrame(rows, columns=["parameter", "value", "basis", "source"])


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
