"""What the model records: one row per (week, group, norm), the event log, the score card.

All of it goes through the model's DataCollector (:class:`Collector`: tables ``groups`` and
``events``, plus model reporters for ``mesa.batch_run``): one data-collection path. A week's rows
are computed as arrays over groups and norms at once, kept as arrays and joined into a table
once. Outcomes of a run are declared in :mod:`normsim.simulation.outcomes`.
"""

from __future__ import annotations

import math
from functools import partial

import mesa
import numpy as np
import pandas as pd

from normsim.world.arrays import clip
from normsim.world.commanders import LEVELS
from normsim.world.integration import FACTORS, SANCTIONS, TRAINING

#: the ICRC-style score card (seed 002): "which stage the group has reached in the integration
#: process", each stage requiring the ones before it
STAGES = ("no contact", "contact", "dialogue", "commitment", "doctrine", "training and sanctions",
          "integrated")
INTEGRATED_LEVEL, INTEGRATED_ACCEPTANCE, STAGE_LEVEL = 0.7, 0.5, 0.5
DIALOGUE_TRUST = 0.3  # trust at which both sides 'speak openly about difficult issues'
STAGE_NAMES = np.array(STAGES, dtype=object)
UNTYPED = "untyped"  # the type column of a group given no type (normsim.world.typology)

EVENT_COLUMNS = ["step", "group", "norm", "agent", "agent_type", "engager", "kind", "detail",
                 "value", "text"]
GROUP_COLUMNS = [
    "step", "group", "norm", "type", "country", "alive", "compliance_rate", "occasions", "violations",
    "sanctions_enforced", "fighters", "knowledge_fighters", "acceptance_fighters",
    "internalised_fighters", "fear_fighters",
    *[f"{q}_{lvl}" for lvl in LEVELS for q in ("knowledge", "acceptance")],
    "internalised_strategic", "emphasis_strategic", "instruction", "leverage", *FACTORS,
    "owned_doctrine", "trust", "meetings", "practical_agreement", "community_support",
    "community_harm", "community_pressure", "commitments", "committed", "stage", "stage_name",
    "intensity", "listed", "peace_process", "engaged",
]
_DTYPES = {"step": "int32", "group": "int32", "country": "int32", "fighters": "int64", "meetings": "int32",
           "commitments": "int32", "stage": "int8", "committed": "bool", "alive": "bool",
           "practical_agreement": "bool", "peace_process": "bool", "listed": "bool",
           "engaged": "bool"}


def stages(groups, trust: np.ndarray, meetings: np.ndarray, acceptance: np.ndarray) -> np.ndarray:
    """The score-card stage each group holds now per norm ``(G, N)`` (it falls back when its
    conditions fail): contact, dialogue (trust), commitment, doctrine, training and sanctions,
    integrated (all factors high and the people who decide the norm accept it)."""
    f, committed = groups.factors, groups.committed
    conditions = np.empty((6, *committed.shape), dtype=bool)  # filled in place: no stack
    conditions[0] = (meetings > 0)[:, None]
    conditions[1] = (trust >= DIALOGUE_TRUST)[:, None]
    conditions[2] = committed
    conditions[3] = f[..., 0] >= STAGE_LEVEL
    conditions[4] = (f[..., TRAINING] >= STAGE_LEVEL) & (f[..., SANCTIONS] >= STAGE_LEVEL)
    conditions[5] = (f >= INTEGRATED_LEVEL).all(axis=-1) & (acceptance >= INTEGRATED_ACCEPTANCE)
    return np.cumprod(conditions, axis=0).sum(axis=0).astype(np.int8)


class Layout:
    """What stays fixed while a model runs, computed once: which rows belong to which group and
    norm, and where each command level's commanders of each group sit in the cohort."""

    def __init__(self, model):
        g, cc = model.groups, model.commanders
        G, N = g.n, g.n_norms
        self.G, self.N = G, N
        self.group = np.repeat(np.arange(G), N)
        self.norm = np.tile(np.array([n.key for n in model.norms], dtype=object), G)
        self.levels = []
        for sl in cc.at_level:  # each level is ordered by group (contiguous until a splinter)
            groups = cc.group[sl]
            sizes = np.bincount(groups, minlength=G)
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            ordered = isinstance(sl, slice) and (sizes > 0).all()
            self.levels.append((sl, starts, sizes.astype(float), groups, ordered))
        self.fighter_norms = np.isin(np.arange(N), model.fighters.norms)

    def rep(self, x) -> np.ndarray:
        """One value per group -> one per (group, norm)."""
        x = np.asarray(x)
        return x if self.N == 1 else np.repeat(x, self.N)

    def by_level(self, values: np.ndarray, level: int) -> np.ndarray:
        """Mean per group of one level's commanders: ``(N, commanders)`` -> ``(G, N)``."""
        sl, starts, sizes, groups, ordered = self.levels[level]
        if ordered:
            return (np.add.reduceat(values[:, sl], starts, axis=1) / sizes).T
        sums = np.stack([np.bincount(groups, weights=row, minlength=self.G)
                         for row in values[:, sl]])
        with np.errstate(invalid="ignore", divide="ignore"):
            return (sums / sizes).T


#: what a twin records (:func:`normsim.simulation.counterfactual.fork_twin`)
OUTCOME_COLUMNS = ["step", "group", "norm", "compliance_rate", "occasions", "violations"]


def outcome_columns(model, layout: Layout) -> dict[str, np.ndarray]:
    """This week's :data:`OUTCOME_COLUMNS`, computed as :func:`week_columns` does."""
    g = model.groups
    with np.errstate(invalid="ignore", divide="ignore"):
        compliance = np.where(g.occasions > 0, 1.0 - g.violations / g.occasions, np.nan)
    return {"step": np.full(g.n * g.n_norms, model.steps), "group": layout.group,
            "norm": layout.norm, "compliance_rate": compliance.ravel(),
            "occasions": g.occasions.ravel(), "violations": g.violations.ravel()}


def outcome_frame(collector: Collector) -> pd.DataFrame:
    """A twin's :data:`OUTCOME_COLUMNS`, typed as :func:`tidy` types them."""
    out = collector.frame(OUTCOME_COLUMNS).astype({"step": "int32", "group": "int32"})
    out["norm"] = out["norm"].astype("string")
    return out


def week_columns(model, layout: Layout) -> dict[str, np.ndarray]:
    """This week's rows as columns: one entry per (group, norm), groups outer."""
    g, cc, fc = model.groups, model.commanders, model.fighters
    G, N = g.n, g.n_norms
    rep = layout.rep

    def per_norm(arr_cn: np.ndarray) -> np.ndarray:  # fighters' (C, G) -> (G, N), NaN elsewhere
        if N == len(fc.norms):
            return arr_cn.T
        out = np.full((G, N), np.nan)
        out[:, fc.norms] = arr_cn.T
        return out

    people = fc.people
    fighters = {"knowledge": people.knowledge, "acceptance": people.acceptance, "fear": fc.fear,
                "internalised": people.baseline - people.origin}
    fighters = {q: per_norm(fc.group_means(v)) for q, v in fighters.items()}
    levels = {f"{q}_{lvl}": layout.by_level(getattr(cc, q), i)
              for i, lvl in enumerate(LEVELS) for q in ("knowledge", "acceptance")}
    L = cc.leader
    engagements = [e.engagement for e in model.engager_agents]
    if engagements:
        trust = np.max([e.trust for e in engagements], axis=0)
        meetings = np.sum([e.meetings for e in engagements], axis=0)
        leverage = clip(np.sum([e.leverage for e in engagements], axis=0), 0, 1)
        practical = np.any([e.practical_agreement for e in engagements], axis=0)
    else:
        trust, meetings = np.zeros(G), np.zeros(G, dtype=np.int64)
        leverage, practical = np.zeros((G, N)), np.zeros(G, dtype=bool)
    engaged = g.engaged
    deciders = np.where(layout.fighter_norms, fighters["acceptance"], levels["acceptance_tactical"])
    st = stages(g, trust, meetings, deciders).ravel()
    comm = model.communities
    env = model.environment
    with np.errstate(invalid="ignore", divide="ignore"):
        compliance = np.where(g.occasions > 0, 1.0 - g.violations / g.occasions, np.nan)
    full = np.full
    return {
        "step": full(G * N, model.steps), "group": layout.group, "norm": layout.norm,
        "type": layout.rep(np.where(g.type == "", UNTYPED, g.type)),
        "country": layout.rep(model.country),
        "alive": rep(g.alive), "compliance_rate": compliance.ravel(),
        "occasions": g.occasions.ravel(), "violations": g.violations.ravel(),
        "sanctions_enforced": rep(g.sanctions_enforced), "fighters": rep(fc.sizes),
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
        "stage": st, "stage_name": STAGE_NAMES[st],
        "intensity": full(G * N, env.intensity), "listed": full(G * N, env.listed),
        "peace_process": full(G * N, env.peace), "engaged": rep(engaged),
    }


class Collector(mesa.DataCollector):
    """The model's DataCollector, whose ``groups`` table is kept as each week's column arrays.

    A week's rows are copied as arrays (:meth:`add_week`) and joined into a DataFrame once, when
    the table is read with :meth:`get_table_dataframe` (``model.records()`` reads it that way):
    turning every value into a Python object each week was most of the cost of recording and of
    the memory a long run holds. ``tables["groups"]`` stays empty; read the table through
    :meth:`get_table_dataframe`. The ``events`` table and the model reporters are Mesa's own.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._weeks: list[dict[str, np.ndarray]] = []

    def add_week(self, columns: dict[str, np.ndarray]) -> None:
        """Keep a copy of a week's columns (they may be views of the model's live arrays): all
        of :data:`GROUP_COLUMNS`, or only :data:`OUTCOME_COLUMNS` on a twin."""
        self._weeks.append({name: np.array(values) for name, values in columns.items()})

    def add_table_rows(self, table_name: str, columns: dict[str, list]) -> None:
        """Add several rows at once to one of Mesa's tables (``events``): ``columns`` holds a
        list per column of the table, all of one length (what ``add_table_row`` does row by
        row)."""
        table = self.tables[table_name]
        if set(columns) != set(table):
            raise ValueError(f"rows for table {table_name!r} need columns {sorted(table)}, "
                             f"got {sorted(columns)}")
        for name, values in columns.items():
            table[name].extend(values)

    def frame(self, names: list[str]) -> pd.DataFrame:
        """The groups table's columns ``names`` as recorded so far."""
        weeks = list(self._weeks)  # whole weeks only, even while another thread steps the model
        return pd.DataFrame({name: (np.concatenate([w[name] for w in weeks]) if weeks
                                    else np.empty(0)) for name in names})

    def get_table_dataframe(self, table_name: str) -> pd.DataFrame:
        if table_name != "groups":
            return super().get_table_dataframe(table_name)
        return self.frame(GROUP_COLUMNS)


def totals(columns: dict[str, np.ndarray], primary: np.ndarray) -> dict[str, float]:
    """Model-level figures of one week for the first norm, over living groups (the model
    reporters of ``mesa.batch_run``). Sums are ``np.add.reduce`` (what ``sum`` and ``mean``
    compute, without their Python wrappers: this runs every week)."""
    total = np.add.reduce
    sel = primary & columns["alive"]
    n = int(np.count_nonzero(sel))
    occ, viol = total(columns["occasions"][sel]), total(columns["violations"][sel])
    f = columns["fighters"][sel]
    f_sum = total(f)

    def mean(c):
        return float(total(columns[c][sel], dtype=np.float64) / n) if n else math.nan

    return {
        "compliance_rate": 1.0 - viol / occ if occ else math.nan,
        "violations": float(viol),
        "acceptance_fighters": (float(total(columns["acceptance_fighters"][sel] * f) / f_sum)
                                if f_sum else math.nan),
        "trust": mean("trust"), "doctrine": mean("doctrine"), "stage": mean("stage"),
        "commitments": float(total(columns["commitments"][sel])),
    }


def read_total(name: str, model) -> float:
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
    out["type"] = out["type"].astype("string")
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


