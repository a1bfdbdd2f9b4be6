"""What the model records: one row per (step, group), the event log, the score card, outcomes.

All of it goes through the model's DataCollector (tables ``groups`` and ``events``, plus model
reporters for ``mesa.batch_run``): one data-collection path. Outcomes of a run are declared as
data (:data:`OUTCOMES`: a column and a reducer), so that SALib, EMA Workbench, Dask and the
sweep runner all read a run the same way.
"""

from __future__ import annotations

import math
from functools import partial
from statistics import fmean
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd

from normsim.cohort import LEVELS
from normsim.integration import FACTORS, SANCTIONS, TRAINING

if TYPE_CHECKING:
    from normsim.model import NormDiffusionModel

#: the ICRC-style score card (seed 002): "which stage the group has reached in the integration
#: process", each stage requiring the ones before it
STAGES = ("no contact", "contact", "dialogue", "commitment", "doctrine", "training and sanctions",
          "integrated")
INTEGRATED_LEVEL, INTEGRATED_ACCEPTANCE, STAGE_LEVEL = 0.7, 0.5, 0.5
DIALOGUE_TRUST = 0.3  # trust at which both sides 'speak openly about difficult issues'

EVENT_KINDS = ("first contact", "practical agreement", "commitment made", "commitment lapsed",
               "doctrine adopted", "doctrine slipped", "training cycle", "sanction enforced",
               "commander replaced", "setback", "violation spike", "peace process started",
               "peace process ended", "group listed")
EVENT_COLUMNS = ["step", "group", "agent", "agent_type", "kind", "detail", "value", "text"]

GROUP_COLUMNS = [
    "step", "group", "compliance_rate", "encounters", "violations", "sanctions_enforced",
    "fighters", "knowledge_fighters", "acceptance_fighters", "fear_fighters",
    *[f"{q}_{lvl}" for lvl in LEVELS for q in ("knowledge", "acceptance")],
    "emphasis_strategic", *FACTORS, "trust", "meetings", "practical_agreement",
    "community_support", "community_harm", "community_pressure", "commitments", "committed",
    "stage", "stage_name", "intensity", "politicisation", "peace_process",
]


def stage(group, acceptance_fighters: float) -> int:
    """The score-card stage a group holds now (it falls back when its conditions fail)."""
    f = group.factors
    conditions = (
        group.meetings > 0,
        group.trust >= DIALOGUE_TRUST,
        group.committed,
        f[0] >= STAGE_LEVEL,
        f[TRAINING] >= STAGE_LEVEL and f[SANCTIONS] >= STAGE_LEVEL,
        bool((f >= INTEGRATED_LEVEL).all()) and acceptance_fighters >= INTEGRATED_ACCEPTANCE,
    )
    reached = 0
    for ok in conditions:
        if not ok:
            break
        reached += 1
    return reached



def group_rows(model: NormDiffusionModel) -> list[dict]:
    """This week's row for each group."""
    fc, cc, n = model.fighters, model.commanders, len(model.group_agents)
    per_group = {q: fc.group_means(getattr(fc, q)) for q in ("knowledge", "acceptance", "fear")}
    per_level = {}
    for lvl, sl in zip(LEVELS, cc.slices):
        g = cc.group[sl]
        size = np.maximum(np.bincount(g, minlength=n), 1)
        for q in ("knowledge", "acceptance"):
            per_level[f"{q}_{lvl}"] = np.bincount(g, weights=getattr(cc, q)[sl], minlength=n) / size
    env, politic = model.environment, model.settings.persuader.politicisation
    rows = []
    for grp in model.group_agents:
        i, comm = grp.index, grp.communities
        acc = float(per_group["acceptance"][i])
        st = stage(grp, acc)
        row = {
            "step": model.steps, "group": i, "compliance_rate": grp.compliance_rate,
            "encounters": grp.encounters, "violations": grp.violations,
            "sanctions_enforced": grp.sanctions_enforced, "fighters": fc.per_group,
            "knowledge_fighters": float(per_group["knowledge"][i]), "acceptance_fighters": acc,
            "fear_fighters": float(per_group["fear"][i]),
            **{k: float(v[i]) for k, v in per_level.items()},
            "emphasis_strategic": float(cc.emphasis[i]),
            **{name: float(grp.factors[j]) for j, name in enumerate(FACTORS)},
            "trust": grp.trust, "meetings": grp.meetings,
            "practical_agreement": grp.practical_agreement,
            "community_support": fmean(c.support for c in comm),
            "community_harm": fmean(c.harm for c in comm),
            "community_pressure": fmean(c.pressure for c in comm),
            "commitments": grp.commitments, "committed": grp.committed,
            "stage": st, "stage_name": STAGES[st], "intensity": env.intensity,
            "politicisation": env.politicisation(politic), "peace_process": env.peace,
        }
        rows.append(row)
    return rows


def totals(rows: list[dict]) -> dict[str, float]:
    """Model-level figures of one week, over all groups (for the model reporters)."""
    enc = sum(r["encounters"] for r in rows)
    viol = sum(r["violations"] for r in rows)
    fighters = sum(r["fighters"] for r in rows)
    return {
        "compliance_rate": 1.0 - viol / enc if enc else math.nan,
        "violations": viol,
        "acceptance_fighters": sum(r["acceptance_fighters"] * r["fighters"] for r in rows) / fighters,
        "trust": fmean(r["trust"] for r in rows),
        "doctrine": fmean(r["doctrine"] for r in rows),
        "stage": fmean(r["stage"] for r in rows),
        "commitments": sum(r["commitments"] for r in rows),
    }


def read_total(name: str, model: NormDiffusionModel) -> float:
    """A model reporter: one of the week's totals (as a partial it pickles, unlike a lambda)."""
    return model._totals[name]


MODEL_REPORTERS = {name: partial(read_total, name) for name in
                   ("compliance_rate", "violations", "acceptance_fighters", "trust", "doctrine",
                    "stage", "commitments")}

_DTYPES = {"step": "int32", "group": "int32", "fighters": "int64", "meetings": "int32",
           "commitments": "int32", "stage": "int8", "stage_name": "str", "committed": "bool",
           "practical_agreement": "bool", "peace_process": "bool"}
#: the event log's column types (text columns stay text in a run that logged no event)
EVENT_DTYPES = {"step": "int32", "group": "int32", "agent": "int64", "agent_type": "str",
                "kind": "str", "detail": "str", "value": "float64", "text": "str"}


def tidy(table: pd.DataFrame) -> pd.DataFrame:
    """The groups table with stable column order and types."""
    table = table.reindex(columns=GROUP_COLUMNS)
    return table.astype({k: v for k, v in _DTYPES.items()}).reset_index(drop=True)


def tidy_events(table: pd.DataFrame) -> pd.DataFrame:
    """The events table with stable column order and types."""
    table = table.reindex(columns=EVENT_COLUMNS)
    return table.astype(EVENT_DTYPES).reset_index(drop=True)


# -- outcomes of a run, declared as data --------------------------------------------------
FINAL_WEEKS = 52


def _select(df: pd.DataFrame, by, keep) -> pd.DataFrame:
    """Rows whose step passes ``keep(step, last step of their run)``."""
    last = df.groupby(by)["step"].transform("max") if by else df["step"].max()
    return df[keep(df["step"], last)]


def _reduce(df: pd.DataFrame, column: str, by, how: str):
    if by:
        return df.groupby(by)[column].agg(how)
    return float(df[column].agg(how))


#: reducer name -> f(table, column, by): a float for one run (by=None), or a Series per ``by``
REDUCERS: dict[str, Callable] = {
    "last": lambda df, c, by=None: _reduce(_select(df, by, lambda s, last: s == last), c, by, "mean"),
    "mean": lambda df, c, by=None: _reduce(df, c, by, "mean"),
    "max": lambda df, c, by=None: _reduce(df, c, by, "max"),
    "final_year_mean": lambda df, c, by=None: _reduce(
        _select(df, by, lambda s, last: s > last - FINAL_WEEKS), c, by, "mean"),
}

#: outcome name -> (column of the tidy table, reducer name); each averages over groups
OUTCOMES: dict[str, tuple[str, str]] = {
    "final_compliance": ("compliance_rate", "final_year_mean"),
    "mean_compliance": ("compliance_rate", "mean"),
    "final_acceptance": ("acceptance_fighters", "final_year_mean"),
    "final_doctrine": ("doctrine", "last"),
    "final_trust": ("trust", "last"),
    "final_stage": ("stage", "last"),
    "highest_stage": ("stage", "max"),
    "commitments": ("commitments", "last"),
}


def outcomes(table: pd.DataFrame, names=None, by=None):
    """Reduce one run's tidy table to its outcomes (all of :data:`OUTCOMES` by default).

    With ``by`` (e.g. ``["condition", "replicate"]``), reduce many runs at once: a DataFrame with
    one row per run instead of a dict.
    """
    values = {name: REDUCERS[OUTCOMES[name][1]](table, OUTCOMES[name][0], by)
              for name in (names or OUTCOMES)}
    return pd.DataFrame(values) if by else values
