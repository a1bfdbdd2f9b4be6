"""Scenario discovery: which combinations of conditions lead to high compliance, as rules.

A run is *high* when its final compliance reaches the threshold (the experiment's, or one you
give). A shallow decision tree (scikit-learn) splits the factor space; each leaf where high runs
are more common than overall is a rule, a box of factor ranges, reported with

* **coverage**: the share of all high runs that fall in the box, and
* **density**: the share of runs in the box that are high

(the terms of PRIM and the EMA Workbench; Bryant & Lempert 2010). Works best on LHS, Sobol or
Morris samples, where every factor takes many values; on a factorial design the boxes are sets
of levels. A factor whose values are names (a scenario, a type of group) enters the tree one-hot
(one yes/no column per name), so a rule can say "engager: a deed of commitment or a peace
operation".
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from normsim.analysis.labels import factor_label, value_text, words
from normsim.analysis.style import PALETTE, apply_style
from normsim.settings.scenario import ScenarioError

CONTINUOUS = 6
DEPTH = 3


@dataclass
class Discovery:
    rules: pd.DataFrame  #: one row per rule: text, box, runs, high, density, coverage
    high: int  #: runs with high compliance
    runs: int  #: runs in all
    threshold: float
    column: str
    importance: pd.Series  #: the tree's importance of each factor (one-hot columns summed)
    categorical: tuple = ()  #: factors whose values are names (one-hot in the tree)


ONE_HOT = "="  # an encoded column: "<factor>=<value>"


def is_categorical(col: pd.Series) -> bool:
    """Values that are names, not numbers (booleans count as numbers: 0 and 1)."""
    return not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))


def encode(table: pd.DataFrame, factors) -> tuple[pd.DataFrame, list[str], dict]:
    """The factors as numbers for the tree: numeric ones as they are, each name of a categorical
    one as a 0/1 column "<factor>=<name>". Returns the table, its columns and, for each encoded
    column, the (factor, name) it stands for."""
    cols, onehot = {}, {}
    for f in factors:
        if is_categorical(table[f]):
            for value in pd.unique(table[f]):
                name = f"{f}{ONE_HOT}{value}"
                cols[name] = (table[f] == value).astype(float).to_numpy()
                onehot[name] = (f, value)
        else:
            cols[f] = table[f].astype(float).to_numpy()
    return pd.DataFrame(cols, index=table.index), list(cols), onehot


def rule_mask(table: pd.DataFrame, box: dict) -> np.ndarray:
    """Which rows fall in ``box``: factor -> (low, high), low exclusive, high inclusive (None:
    open)."""
    mask = np.ones(len(table), dtype=bool)
    for factor, (lo, hi) in box.items():
        x = table[factor].astype(float).to_numpy()
        if lo is not None:
            mask &= x > lo
        if hi is not None:
            mask &= x <= hi
    return mask


def rule_stats(table: pd.DataFrame, box: dict, high) -> dict:
    """Runs in the box, high runs in it, its density and its coverage."""
    high = np.asarray(high, dtype=bool)
    inside = rule_mask(table, box)
    hits = int((inside & high).sum())
    return {"runs": int(inside.sum()), "high": hits,
            "density": hits / inside.sum() if inside.any() else math.nan,
            "coverage": hits / high.sum() if high.any() else math.nan}


def describe_box(table: pd.DataFrame, box: dict, onehot: dict | None = None,
                 levels: dict | None = None) -> str:
    """A box in words, in terms of the values the runs actually took (``onehot``: encoded
    column -> (factor, name); ``levels``: each categorical factor's names)."""
    onehot, levels = onehot or {}, levels or {}
    parts = []
    allowed = {f: list(names) for f, names in levels.items()}
    for column, (lo, hi) in box.items():
        if column in onehot:
            factor, value = onehot[column]
            if lo is not None and lo >= 0.5:  # the column is 1: this name only
                allowed[factor] = [v for v in allowed[factor] if v == value]
            elif hi is not None and hi < 1:  # the column is 0: any other name
                allowed[factor] = [v for v in allowed[factor] if v != value]
    for factor, names in allowed.items():
        if 0 < len(names) < len(levels[factor]):
            parts.append(f"{words(factor)}: {' or '.join(value_text(factor, v) for v in names)}")
    for factor, (lo, hi) in box.items():
        if factor in onehot:
            continue
        values = np.sort(pd.unique(table[factor].astype(float)))
        inside = values[(values > lo if lo is not None else True)
                        & (values <= hi if hi is not None else True)]
        if len(inside) == len(values) or not len(inside):
            continue
        name = words(factor)
        if len(values) <= CONTINUOUS:
            shown = [value_text(factor, _native(table[factor], v)) for v in inside]
            parts.append(f"{name}: {' or '.join(shown)}")
        elif lo is not None and hi is not None:
            low, high = value_text(factor, inside[0]), value_text(factor, inside[-1])
            parts.append(f"{name} {low}–{high}")
        elif lo is not None:
            parts.append(f"{name} ≥ {value_text(factor, inside[0])}")
        else:
            parts.append(f"{name} ≤ {value_text(factor, inside[-1])}")
    return "; ".join(parts) or "every run"


def _native(col: pd.Series, v: float):
    return bool(v) if col.dtype == bool else (int(v) if col.dtype.kind in "iu" else float(v))


def _boxes(tree, names) -> list[tuple[int, dict]]:
    """Each leaf of a fitted tree and its box."""
    t = tree.tree_
    out = []

    def walk(node, box):
        if t.children_left[node] == -1:
            out.append((node, box))
            return
        f, thr = names[t.feature[node]], float(t.threshold[node])
        lo, hi = box.get(f, (None, None))
        walk(t.children_left[node], {**box, f: (lo, thr if hi is None else min(hi, thr))})
        walk(t.children_right[node], {**box, f: (thr if lo is None else max(lo, thr), hi)})

    walk(0, {})
    return out


def discover(outcomes: pd.DataFrame, factors, threshold: float,
             column: str = "final_compliance", depth: int = DEPTH,
             min_share: float = 0.05) -> Discovery:
    """Rules for ``column >= threshold`` over the ``factors`` (one row of ``outcomes`` per run)."""
    # deferred: scikit-learn is heavy; only scenario discovery needs it
    from sklearn.tree import DecisionTreeClassifier

    factors = list(factors)
    data = outcomes.dropna(subset=[column]).reset_index(drop=True)
    high = (data[column] >= threshold).to_numpy()
    if high.all() or not high.any():
        which = "every run" if high.all() else "no run"
        raise ScenarioError(f"{which} of {len(data)} reached {column.replace('_', ' ')} ≥ "
                            f"{threshold:g}, so there is nothing to tell apart; choose another "
                            f"--threshold (final compliance ranges from {data[column].min():.3f} "
                            f"to {data[column].max():.3f}).")
    enc, columns, onehot = encode(data, factors)
    levels = {f: list(pd.unique(data[f])) for f in factors if is_categorical(data[f])}
    leaf = max(2, math.ceil(min_share * len(data)))
    tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=0)
    tree.fit(enc.to_numpy(), high)
    base = high.mean()
    shown = pd.concat([data[[f for f in factors if f not in levels]], enc[list(onehot)]], axis=1)
    rows = []
    for _, box in _boxes(tree, columns):
        stats = rule_stats(enc, box, high)
        if stats["runs"] and stats["density"] > base:
            rows.append({"rule": describe_box(shown, box, onehot, levels), "box": box,
                         **stats})
    rules = pd.DataFrame(rows, columns=["rule", "box", "runs", "high", "density", "coverage"])
    rules = rules.sort_values(["density", "coverage"], ascending=False, ignore_index=True)
    per_column = pd.Series(tree.feature_importances_, index=columns)
    importance = per_column.groupby([onehot.get(c, (c,))[0] for c in columns]).sum()
    importance = importance.reindex(factors).sort_values(ascending=False)
    return Discovery(rules, int(high.sum()), len(data), threshold, column, importance,
                     tuple(levels))


def plot_discovery(found: Discovery, outcomes: pd.DataFrame | None = None,
                   title: str = "") -> Figure:
    """The rules as bars of density and coverage; beside them (with two or more factors) the
    runs over the two most important factors, high ones in colour, the best rule's box drawn."""
    apply_style()
    rules = found.rules.head(6)
    two = [f for f in found.importance.index
           if found.importance[f] > 0 and f not in found.categorical][:2]
    scatter = outcomes is not None and len(two) == 2
    fig = Figure(figsize=(16 if scatter else 12, max(5.5, 1.1 * len(rules) + 3)),
                 layout="constrained")
    axes = fig.subplots(1, 2, width_ratios=(1.3, 1)) if scatter else [fig.subplots()]
    ax = axes[0]
    y = np.arange(len(rules))[::-1]
    h = 0.38
    ax.barh(y + h / 2, rules["density"], h, color=PALETTE[0],
            label="density: share of runs in the rule that are high")
    ax.barh(y - h / 2, rules["coverage"], h, color=PALETTE[1],
            label="coverage: share of all high runs that the rule holds")
    base = found.high / found.runs
    ax.axvline(base, color="0.3", ls="--", lw=1)
    ax.text(base, len(rules) - 0.45, f" all runs: {base:.0%}", fontsize=9, color="0.3")
    for yi, (_, r) in zip(y, rules.iterrows()):
        ax.text(r["density"] + 0.01, yi + h / 2, f"{r['density']:.0%} ({r['high']}/{r['runs']})",
                va="center", fontsize=9)
        ax.text(r["coverage"] + 0.01, yi - h / 2, f"{r['coverage']:.0%}", va="center", fontsize=9)
    ax.set_yticks(y, [textwrap.fill(f"{i + 1}. {t}", 42) for i, t in enumerate(rules["rule"])],
                  fontsize=10)
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("share")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=10)
    if scatter:
        _scatter(axes[1], found, outcomes, two)
    fig.suptitle((title + "\n" if title else "") + f"Scenario discovery: which conditions lead to "
                 f"final compliance ≥ {found.threshold:g}? ({found.high} of {found.runs} runs)",
                 fontsize=13)
    return fig


def _scatter(ax, found: Discovery, outcomes: pd.DataFrame, two) -> None:
    data = outcomes.dropna(subset=[found.column])
    high = (data[found.column] >= found.threshold).to_numpy()
    rng = np.random.default_rng(0)
    pos = []
    for f in two:
        v = data[f].astype(float).to_numpy()
        span = np.ptp(v) or 1.0
        pos.append(v + (rng.uniform(-0.03, 0.03, len(v)) * span
                        if data[f].nunique() <= CONTINUOUS else 0))
    ax.scatter(pos[0][~high], pos[1][~high], s=14, color="0.65", alpha=0.6, lw=0,
               label="not high")
    ax.scatter(pos[0][high], pos[1][high], s=16, color=PALETTE[2], alpha=0.8, lw=0,
               label=f"final compliance ≥ {found.threshold:g}")
    if len(found.rules):
        box = found.rules["box"].iloc[0]
        (x0, x1), (y0, y1) = [_limits(box.get(f, (None, None)), p) for f, p in zip(two, pos)]
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, lw=2, ls="--",
                               edgecolor=PALETTE[3], label="rule 1 (these two factors)"))
    ax.set_xlabel(factor_label(two[0]))
    ax.set_ylabel(factor_label(two[1]))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False, fontsize=10,
              ncol=2)


def _limits(bounds, pos):
    lo, hi = bounds
    pad = 0.04 * (np.ptp(pos) or 1.0)
    return (pos.min() - pad if lo is None else lo, pos.max() + pad if hi is None else hi)
