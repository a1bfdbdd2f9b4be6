"""What the model records: one row per (week, group, norm), the event log, the score card.

All of it goes through the model's DataCollector (:class:`Collector`: tables ``groups`` and
``events``, plus model reporters for ``mesa.batch_run``): one data-collection path. A recorded
week keeps copies of the state its rows read and the week's means (:func:`week_state`); the rows
of all weeks are made at once, as arrays over weeks, groups and norms, when the table is read
(:func:`columns`). Outcomes of a run are declared in :mod:`normsim.simulation.outcomes`.
"""

from __future__ import annotations

import math
from functools import partial

import mesa
import numpy as np
import pandas as pd

from normsim.world.arrays import clip
from normsim.world.commanders import LEVELS, TACTICAL
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
    conditions[5] = (np.logical_and.reduce(f >= INTEGRATED_LEVEL, axis=-1)
                     & (acceptance >= INTEGRATED_ACCEPTANCE))
    # the stage is the number of conditions met before the first that fails (ufuncs called
    # directly: this runs every recorded week on a few elements)
    return np.add.reduce(np.logical_and.accumulate(conditions, axis=0), axis=0, dtype=np.int8)


class Layout:
    """What stays fixed while a model runs, computed once (again after a splinter): which rows
    belong to which group and norm, each group's type and country, and where each command level's
    commanders of each group sit in the cohort."""

    def __init__(self, model):
        g, cc = model.groups, model.commanders
        G, N = g.n, g.n_norms
        self._rows(G, model.norms, g.type, model.country)
        self.levels = []
        for sl in cc.at_level:  # each level is ordered by group (contiguous until a splinter)
            groups = cc.group[sl]
            sizes = np.bincount(groups, minlength=G)
            starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            ordered = isinstance(sl, slice) and (sizes > 0).all()
            self.levels.append((sl, starts, sizes.astype(float), groups, ordered))
        # every level ordered: one reduceat gives every level's group sums at once (the levels
        # are consecutive slices, so each group's commanders of a level are one segment)
        self.all_ordered = all(level[-1] for level in self.levels)
        if self.all_ordered:
            self.all_starts = np.concatenate([sl.start + starts
                                              for sl, starts, *_ in self.levels])
        self.all_sizes = np.concatenate([sizes for _, _, sizes, *_ in self.levels])
        # otherwise (after a splinter) one bincount over (row, level, group) bins: each bin
        # sums its commanders in the cohort's order, as a bincount per level and row does
        self.cell = cc.level.astype(np.int64) * G + cc.group
        self._bins = {}
        self.fighter_norms = np.isin(np.arange(N), model.fighters.norms)

    def _rows(self, G: int, norms, types: np.ndarray, country: np.ndarray) -> None:
        """Which rows belong to which group and norm, and each row's type and country."""
        N = len(norms)
        self.G, self.N = G, N
        self.group = np.repeat(np.arange(G), N)
        self.norm = np.tile(np.array([n.key for n in norms], dtype=object), G)
        self.type = self.rep(np.where(types == "", UNTYPED, types))
        self.country = self.rep(country)

    @classmethod
    def rows(cls, G: int, norms, types: np.ndarray, country: np.ndarray) -> Layout:
        """A layout of rows only (what :func:`columns` reads) for ``G`` groups of these types
        and countries: a run's rows in a batch of runs (normsim.simulation.batch_engine)."""
        layout = cls.__new__(cls)
        layout._rows(G, norms, types, country)
        return layout

    def rep(self, x) -> np.ndarray:
        """One value per group -> one per (group, norm) (along the last axis)."""
        x = np.asarray(x)
        return x if self.N == 1 else np.repeat(x, self.N, axis=-1)

    def by_levels(self, values: np.ndarray) -> np.ndarray:
        """Mean per group of each level's commanders: ``(Q, commanders)`` ->
        ``(levels, Q, G)`` (NaN for a level a group has no one at)."""
        Q, cells = len(values), len(self.levels) * self.G
        if self.all_ordered:
            means = np.add.reduceat(values, self.all_starts, axis=1) / self.all_sizes
        else:
            if Q not in self._bins:
                self._bins[Q] = (np.arange(Q)[:, None] * cells + self.cell).ravel()
            sums = np.bincount(self._bins[Q], weights=values.ravel(), minlength=Q * cells)
            with np.errstate(invalid="ignore", divide="ignore"):
                means = sums.reshape(Q, cells) / self.all_sizes
        return means.reshape(Q, len(self.levels), self.G).transpose(1, 0, 2)


#: what a twin records (:func:`normsim.simulation.counterfactual.fork_twin`)
OUTCOME_COLUMNS = ["step", "group", "norm", "compliance_rate", "occasions", "violations"]


def outcome_state(model) -> dict:
    """What a twin's week rows (:data:`OUTCOME_COLUMNS`) are made of: copies of this week's
    occasions and violations."""
    g = model.groups
    return {"step": model.steps, "occasions": g.occasions.copy(),
            "violations": g.violations.copy()}


def outcome_frame(collector: Collector) -> pd.DataFrame:
    """A twin's :data:`OUTCOME_COLUMNS`, typed as :func:`tidy` types them."""
    out = collector.frame(OUTCOME_COLUMNS).astype({"step": "int32", "group": "int32"})
    out["norm"] = out["norm"].astype("string")
    return out


def week_state(model, layout: Layout) -> dict:
    """What this week's rows are made of (one per group and norm): copies of the state they
    read, and the means over fighters, commanders and communities (the only work a recorded
    week needs; :func:`columns` makes the rows of many weeks at once)."""
    g, cc, fc = model.groups, model.commanders, model.fighters
    G, N = g.n, g.n_norms
    people = fc.people
    C = len(fc.norms)
    # the fighters' knowledge, acceptance, fear and internalised gain: means per group, at once
    fighters = np.full((4, G, N), np.nan)
    if C:
        means = fc.group_means(np.concatenate([people.knowledge, people.acceptance, fc.fear,
                                               people.baseline - people.origin]))
        fighters[:, :, fc.norms] = means.reshape(4, C, G).transpose(0, 2, 1)
    # each level's knowledge and acceptance ((levels, 2, G, N))
    levels = layout.by_levels(np.concatenate([cc.knowledge, cc.acceptance])).reshape(
        len(LEVELS), 2, N, G).transpose(0, 1, 3, 2)
    L = cc.leader
    engagements = [e.engagement for e in model.engager_agents]
    if len(engagements) == 1:  # the same numbers as below, without stacking a list
        e = engagements[0]
        trust, meetings = np.array(e.trust), np.array(e.meetings)
        leverage = clip(e.leverage, 0, 1)
        practical = np.array(e.practical_agreement, dtype=bool)
    elif engagements:
        trust = np.max([e.trust for e in engagements], axis=0)
        meetings = np.sum([e.meetings for e in engagements], axis=0)
        leverage = clip(np.sum([e.leverage for e in engagements], axis=0), 0, 1)
        practical = np.any([e.practical_agreement for e in engagements], axis=0)
    else:
        trust, meetings = np.zeros(G), np.zeros(G, dtype=np.int64)
        leverage, practical = np.zeros((G, N)), np.zeros(G, dtype=bool)
    deciders = np.where(layout.fighter_norms, fighters[1], levels[TACTICAL, 1])
    comm, env = model.communities, model.environment
    return {
        "step": model.steps, "alive": g.alive.copy(), "occasions": g.occasions.copy(),
        "violations": g.violations.copy(), "sanctions_enforced": np.array(g.sanctions_enforced),
        "fighters": fc.sizes.copy(), "fighter_means": fighters, "levels": levels,
        "internalised_strategic": (cc.baseline[:, L] - cc.origin[:, L]).T,
        "emphasis_strategic": cc.emphasis[:, L].T, "instruction": g.instruction.copy(),
        "leverage": leverage, "factors": g.factors.copy(), "owned_doctrine": g.owned.copy(),
        "trust": trust, "meetings": meetings, "practical_agreement": practical,
        "community_support": comm.group_means(comm.support, G),
        "community_harm": comm.group_means(comm.harm, G),
        "community_pressure": comm.group_means(comm.pressure, G),
        "commitments": g.commitments.copy(), "committed": g.committed.copy(),
        "stage": stages(g, trust, meetings, deciders),
        "intensity": env.intensity, "listed": env.listed, "peace_process": env.peace,
        "engaged": g.engaged.copy(),
    }


#: columns of the groups table that are one value per group, repeated over its norms
_PER_GROUP = ("alive", "sanctions_enforced", "fighters", "trust", "meetings",
              "practical_agreement", "community_support", "community_harm",
              "community_pressure", "engaged")
#: columns that are one value per (group, norm), kept under their own name
_PER_ROW = ("occasions", "violations", "internalised_strategic", "emphasis_strategic",
            "instruction", "leverage", "owned_doctrine", "commitments", "committed", "stage")
#: columns that are one value per week, for every row, and their type (a run alone records them
#: as numbers; a batch of runs as one value per group, its run's)
PER_WEEK = {"intensity": float, "listed": bool, "peace_process": bool}
#: where the group axis stands in a recorded week's arrays (:func:`week_state`; 0 unless named)
GROUP_AXIS = {"fighter_means": 1, "levels": 2}
_FIGHTER_MEANS = ("knowledge", "acceptance", "fear", "internalised")


class Weeks:
    """Recorded weeks that are not a list of states: what :func:`columns` reads of them is each
    state array stacked over the weeks (``stacked``) and each one-per-week value (``each``).
    A batch of runs keeps its weeks once and gives each run its part
    (:mod:`normsim.simulation.batch_engine`)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def stacked(self, key: str) -> np.ndarray:
        raise NotImplementedError

    def each(self, key: str) -> np.ndarray:
        raise NotImplementedError


def columns(layout: Layout, weeks: list[dict] | Weeks, names: list[str]) -> dict[str, np.ndarray]:
    """The rows of recorded ``weeks`` (states from :func:`week_state` or :func:`outcome_state`
    under one ``layout``) as columns ``names``: weeks outer, then groups, then norms."""
    W, rows = len(weeks), layout.G * layout.N

    stacks = {}

    def stacked(key):  # each state array over the weeks, stacked once
        if key not in stacks:
            stacks[key] = (weeks.stacked(key) if isinstance(weeks, Weeks)
                           else np.stack([w[key] for w in weeks]))
        return stacks[key]

    def each(key):  # one value per week
        return weeks.each(key) if isinstance(weeks, Weeks) else np.array([w[key] for w in weeks])

    out = {}
    for name in names:
        if name == "step":
            out[name] = np.repeat(each("step"), rows)
        elif name in ("group", "norm", "type", "country"):
            out[name] = np.tile(getattr(layout, name), W)
        elif name == "compliance_rate":
            occ, viol = stacked("occasions"), stacked("violations")
            with np.errstate(invalid="ignore", divide="ignore"):
                out[name] = np.where(occ > 0, 1.0 - viol / occ, np.nan).reshape(-1)
        elif name in _PER_GROUP:
            out[name] = layout.rep(stacked(name)).reshape(-1)
        elif name in _PER_ROW:
            out[name] = stacked(name).reshape(-1)
        elif name in PER_WEEK:
            out[name] = np.repeat(each(name), rows)
        elif name == "stage_name":
            out[name] = STAGE_NAMES[stacked("stage").reshape(-1)]
        elif name in FACTORS:
            out[name] = stacked("factors")[..., FACTORS.index(name)].reshape(-1)
        elif name.endswith("_fighters"):
            q = _FIGHTER_MEANS.index(name.removesuffix("_fighters"))
            out[name] = stacked("fighter_means")[:, q].reshape(-1)
        else:  # knowledge_<level> or acceptance_<level>
            q, level = name.split("_", 1)
            out[name] = stacked("levels")[:, LEVELS.index(level),
                                          ("knowledge", "acceptance").index(q)].reshape(-1)
    return out


class Collector(mesa.DataCollector):
    """The model's DataCollector, whose ``groups`` table is kept as each recorded week's state.

    A week's state (:func:`week_state`: copies of a few arrays and the week's means) is kept
    (:meth:`add_week`), and the rows of every week are made at once, as arrays, when the table
    is read with :meth:`get_table_dataframe` (``model.records()`` reads it that way): making
    a week's rows every week was most of the cost of recording. ``tables["groups"]`` stays
    empty; read the table through :meth:`get_table_dataframe`. The ``events`` table and the
    model reporters are Mesa's own.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._segments: list[tuple[Layout, list[dict]]] = []  # weeks recorded under one layout

    def add_week(self, state: dict, layout: Layout) -> None:
        """Keep a recorded week's state (from :func:`week_state`, or :func:`outcome_state` on
        a twin), made under ``layout``."""
        if not self._segments or self._segments[-1][0] is not layout:
            self._segments.append((layout, []))
        self._segments[-1][1].append(state)

    def add_weeks(self, weeks: Weeks, layout: Layout) -> None:
        """Keep recorded weeks held elsewhere (:class:`Weeks`: a run's in a batch of runs)."""
        self._segments.append((layout, weeks))

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
        # whole weeks only, even while another thread steps the model
        parts = [columns(layout, weeks if isinstance(weeks, Weeks) else list(weeks), names)
                 for layout, weeks in list(self._segments)]
        return pd.DataFrame({name: (np.concatenate([p[name] for p in parts]) if parts
                                    else np.empty(0)) for name in names})

    def get_table_dataframe(self, table_name: str) -> pd.DataFrame:
        if table_name != "groups":
            return super().get_table_dataframe(table_name)
        return self.frame(GROUP_COLUMNS)


def totals(state: dict) -> dict[str, float]:
    """Model-level figures of one recorded week (a :func:`week_state`) for the first norm,
    over living groups (the model reporters of ``mesa.batch_run``). Sums are ``np.add.reduce``
    (what ``sum`` and ``mean`` compute, without their Python wrappers: this runs every week)."""
    total = np.add.reduce
    sel = state["alive"]
    n = int(np.count_nonzero(sel))
    occ, viol = total(state["occasions"][sel, 0]), total(state["violations"][sel, 0])
    f = state["fighters"][sel]
    f_sum = total(f)

    def mean(x):
        return float(total(x[sel], dtype=np.float64) / n) if n else math.nan

    return {
        "compliance_rate": 1.0 - viol / occ if occ else math.nan,
        "violations": float(viol),
        "acceptance_fighters": (float(total(state["fighter_means"][1][sel, 0] * f) / f_sum)
                                if f_sum else math.nan),
        "trust": mean(state["trust"]), "doctrine": mean(state["factors"][:, 0, 0]),
        "stage": mean(state["stage"][:, 0]),
        "commitments": float(total(state["commitments"][sel, 0])),
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


