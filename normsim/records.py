"""What the model records: one row per (week, group, norm), the event log, the score card.

All of it goes through the model's DataCollector (tables ``groups`` and ``events``, plus model
reporters for ``mesa.batch_run``): one data-collection path. A week's rows are computed as
arrays over groups and norms at once and appended column by column. Outcomes of a run are
declared in :mod:`normsim.outcomes`.
"""

from __future__ import annotations

import math
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from normsim.commanders import LEVELS
from normsim.integration import FACTORS, SANCTIONS, TRAINING

if TYPE_CHECKING:
    from normsim.model import NormDiffusionModel

#: the ICRC-style score card (seed 002): "which stage the group has reached in the integration
#: process", each stage requiring the ones before it
STAGES = ("no contact", "contact", "dialogue", "commitment", "doctrine", "training and sanctions",
          "integrated")
INTEGRATED_LEVEL, INTEGRATED_ACCEPTANCE, STAGE_LEVEL = 0.7, 0.5, 0.5
DIALOGUE_TRUST = 0.3  # trust at which both sides 'speak openly about difficult issues'

EVENT_COLUMNS = ["step", "group", "norm", "agent", "agent_type", "engager", "kind", "detail",
                 "value", "text"]
GROUP_COLUMNS = [
    "step", "group", "norm", "alive", "compliance_rate", "occasions", "violations",
    "sanctions_enforced", "fighters", "knowledge_fighters", "acceptance_fighters",
    "internalised_fighters", "fear_fighters",
    *[f"{q}_{lvl}" for lvl in LEVELS for q in ("knowledge", "acceptance")],
    "internalised_strategic", "emphasis_strategic", "instruction", "leverage", *FACTORS,
    "owned_doctrine", "trust", "meetings", "practical_agreement", "community_support",
    "community_harm", "community_pressure", "commitments", "committed", "stage", "stage_name",
    "intensity", "listed", "peace_process", "engaged",
]
_DTYPES = {"step": "int32", "group": "int32", "fighters": "int64", "meetings": "int32",
           "commitments": "int32", "stage": "int8", "committed": "bool", "alive": "bool",
           "practical_agreement": "bool", "peace_process": "bool", "listed": "bool",
           "engaged": "bool"}


def stages(groups, trust: np.ndarray, meetings: np.ndarray, acceptance: np.ndarray) -> np.ndarray:
    """The score-card stage each group holds now per norm ``(G, N)`` (it falls back when its
    conditions fail): contact, dialogue (trust), commitment, doctrine, training and sanctions,
    integrated (all factors high and the people who decide the norm accept it)."""
    f = groups.factors
    conditions = np.stack([
        np.broadcast_to((meetings > 0)[:, None], groups.committed.shape),
        np.broadcast_to((trust >= DIALOGUE_TRUST)[:, None], groups.committed.shape),
        groups.committed,
        f[..., 0] >= STAGE_LEVEL,
        (f[..., TRAINING] >= STAGE_LEVEL) & (f[..., SANCTIONS] >= STAGE_LEVEL),
        (f >= INTEGRATED_LEVEL).all(axis=-1) & (acceptance >= INTEGRATED_ACCEPTANCE),
    ])
    return np.cumprod(conditions, axis=0).sum(axis=0).astype(np.int8)


def _by_group(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Mean per group of ``values`` ``(N, k)`` -> ``(G, N)`` (NaN where a group has none)."""
    size = np.bincount(group, minlength=n).astype(float)
    sums = np.stack([np.bincount(group, weights=row, minlength=n) for row in values])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sums / size).T


def week_columns(model: NormDiffusionModel) -> dict[str, np.ndarray]:
    """This week's rows as columns: one entry per (group, norm), groups outer."""
    g, cc, fc = model.groups, model.commanders, model.fighters
    G, N = g.n, g.n_norms
    nan = np.full((G, N), np.nan)

    def per_norm(arr_cn: np.ndarray) -> np.ndarray:  # fighters' (C, G) -> (G, N), NaN elsewhere
        out = nan.copy()
        out[:, fc.norms] = arr_cn.T
        return out

    fighters = {q: per_norm(fc.group_means(getattr(fc, q) if q != "internalised" else
                                           fc.baseline - fc.origin))
                for q in ("knowledge", "acceptance", "fear", "internalised")}
    levels = {}
    for lvl, idx in zip(LEVELS, cc.at_level):
        for q in ("knowledge", "acceptance"):
            levels[f"{q}_{lvl}"] = _by_group(getattr(cc, q)[:, idx], cc.group[idx], G)
    L = cc.leader
    engagements = [e.engagement for e in model.engager_agents]
    trust = np.max([e.trust for e in engagements], axis=0) if engagements else np.zeros(G)
    meetings = np.sum([e.meetings for e in engagements], axis=0) if engagements else np.zeros(G)
    leverage = (np.clip(np.sum([e.leverage for e in engagements], axis=0), 0, 1) if engagements
                else np.zeros((G, N)))
    engaged = np.zeros(G, dtype=bool)
    for e in model.engager_agents:
        if e.active(model.steps):
            engaged |= e.engagement.engaged
    practical = (np.any([e.practical_agreement for e in engagements], axis=0) if engagements
                 else np.zeros(G, dtype=bool))
    deciders = np.where(np.isin(np.arange(N), fc.norms), fighters["acceptance"],
                        levels["acceptance_tactical"])
    st = stages(g, trust, meetings, deciders)
    comm = model.communities
    env = model.environment
    with np.errstate(invalid="ignore", divide="ignore"):
        compliance = np.where(g.occasions > 0, 1.0 - g.violations / g.occasions, np.nan)

    def rep(x):  # one value per group -> one per (group, norm)
        return np.repeat(np.asarray(x), N)

    cols = {
        "step": np.full(G * N, model.steps), "group": rep(np.arange(G)),
        "norm": np.tile(np.array([n.key for n in model.norms], dtype=object), G),
        "alive": rep(g.alive), "compliance_rate": compliance.ravel(),
        "occasions": g.occasions.ravel(), "violations": g.violations.ravel(),
        "sanctions_enforced": rep(g.sanctions_enforced), "fighters": rep(g.fighters),
        **{f"{q}_fighters": v.ravel() for q, v in fighters.items()},
        **{k: v.ravel() for k, v in levels.items()},
        "internalised_strategic": (cc.baseline[:, L] - cc.origin[:, L]).T.ravel(),
        "emphasis_strategic": cc.emphasis[:, L].T.ravel(),
        "instruction": g.instruction.ravel(), "leverage": leverage.ravel(),
        **{name: g.factors[..., j].ravel() for j, name in enumerate(FACTORS)},
        "owned_doctrine": g.owned.ravel(), "trust": rep(trust), "meetings": rep(meetings),
        "practical_agreement": rep(practical),
        "community_support": rep(comm.group_means(comm.support, G)),
        "community_harm": rep(comm.group_means(comm.harm, G)),
        "community_pressure": rep(comm.group_means(comm.pressure, G)),
        "commitments": g.commitments.ravel(), "committed": g.committed.ravel(),
        "stage": st.ravel(), "stage_name": np.array(STAGES, dtype=object)[st.ravel()],
        "intensity": np.full(G * N, env.intensity), "listed": np.full(G * N, env.listed),
        "peace_process": np.full(G * N, env.peace), "engaged": rep(engaged),
    }
    return cols


def append(table: dict[str, list], columns: dict[str, np.ndarray]) -> None:
    """Append a week's columns to a DataCollector table (its columns are lists)."""
    for name in GROUP_COLUMNS:
        table[name].extend(columns[name].tolist())


def totals(columns: dict[str, np.ndarray], primary: np.ndarray) -> dict[str, float]:
    """Model-level figures of one week for the first norm, over living groups (the model
    reporters of ``mesa.batch_run``)."""
    sel = primary & columns["alive"]
    occ, viol = columns["occasions"][sel].sum(), columns["violations"][sel].sum()
    f = columns["fighters"][sel]
    mean = (lambda c: float(np.mean(columns[c][sel])) if sel.any() else math.nan)
    return {
        "compliance_rate": 1.0 - viol / occ if occ else math.nan,
        "violations": float(viol),
        "acceptance_fighters": (float((columns["acceptance_fighters"][sel] * f).sum() / f.sum())
                                if f.sum() else math.nan),
        "trust": mean("trust"), "doctrine": mean("doctrine"), "stage": mean("stage"),
        "commitments": float(columns["commitments"][sel].sum()),
    }


def read_total(name: str, model: NormDiffusionModel) -> float:
    """A model reporter: one of the week's totals (as a partial it pickles, unlike a lambda)."""
    return model._totals[name]


MODEL_REPORTERS = {name: partial(read_total, name) for name in
                   ("compliance_rate", "violations", "acceptance_fighters", "trust", "doctrine",
                    "stage", "commitments")}


def tidy(table: pd.DataFrame) -> pd.DataFrame:
    """The groups table with stable column order and types."""
    table = table.reindex(columns=GROUP_COLUMNS)
    out = table.astype(_DTYPES).reset_index(drop=True)
    out["norm"] = out["norm"].astype("string")
    out["stage_name"] = out["stage_name"].astype("string")
    return out


def tidy_events(table: pd.DataFrame) -> pd.DataFrame:
    """The events table with stable column order and types (also when it is empty)."""
    table = table.reindex(columns=EVENT_COLUMNS)
    out = table.astype({"step": "int32", "group": "int32", "agent": "int64", "value": "float64"})
    for c in ("norm", "agent_type", "engager", "kind", "detail", "text"):
        out[c] = out[c].astype("string")
    return out.reset_index(drop=True)


def primary(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of the scenario's first norm (the one outcomes report by default)."""
    if "norm" not in table or table.empty:
        return table
    return table[table["norm"] == table["norm"].iloc[0]]


