"""Signatories' conduct in the calibrated population, checked as a held-out pattern (issue 18,
item 7): never fitted, measured on posterior draws and set beside what the record says.

The record has no numbers on conduct, only words (data/README.md, "Compliance"): signatories
"by and large complied" (Geneva Call, Progress Report 2000-2007, the period up to the cutoff);
"all signatories to the deeds of commitment have met their monitoring obligations" (seed 001).
The file's ``[conduct]`` section says, before anything is measured, how the first is read: a
signatory *complies* when its compliance at occasions while committed is at least
``complying_threshold`` (0.9 by default, the threshold :func:`normsim.analysis.population.yearly`
uses for "complying"), and "by and large" means more than ``majority`` of the signatories do.
The second has no counterpart in the model: a deed's engager monitors every signatory and no
signatory can refuse monitoring, so the model meets it by construction and it tests nothing;
the report says so and shows instead how many signatories were *reported* for a violation.

Each draw is one fitted simulation (a posterior particle picked by weight, one of its fitted
replicate seeds, its variant in a model selection) run to the cutoff: what the posterior
predicts for the period the record speaks of. Per draw, from the run's records (every
``record_every`` weeks: a systematic sample of weeks) and events:

- ``violation_rate_committed``: violations / occasions of the norm at recorded weeks while the
  group is committed and alive (pooled over groups);
- ``violation_rate_first_year`` and ``..._later``: the same in a signatory's first year after
  its first signature, and after it (the lag through which a commitment reaches the units);
- ``violation_rate_uncommitted``: the same among living groups not committed (any group), for
  comparison;
- ``complying_share``: the share of signatories (with an occasion while committed) that comply;
- ``lapsed_share``, ``resigned_share``: the share of signatories whose commitment lapsed at least
  once, and that signed again; ``lapses_at_succession``: the share of lapses at a new top
  commander's arrival (the rest: the leadership's acceptance fell);
- ``reported_share``: the share of signatories the engager reported for a violation.

Mean over draws with a 95% t-interval, and the 5-95% range of the draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from normsim.analysis.summaries import mean_ci

WEEKS_PER_YEAR = 52
MEASURES = ("violation_rate_committed", "violation_rate_first_year", "violation_rate_later",
            "violation_rate_uncommitted",
            "complying_share", "lapsed_share", "resigned_share", "lapses_at_succession",
            "reported_share", "signatories")


def measure(records: pd.DataFrame, events: pd.DataFrame, norm: str,
            complying_threshold: float = 0.9) -> dict:
    """The conduct measures of one run (see the module's docstring)."""
    made = events[(events["kind"] == "commitment made") & (events["norm"] == norm)]
    first = made.groupby("group")["step"].min()
    out = dict.fromkeys(MEASURES, float("nan"))
    out["signatories"] = len(first)
    if first.empty:
        return out
    rows = records[(records["norm"] == norm) & records["committed"].astype(bool)
                   & records["alive"].astype(bool)]
    rows = rows[rows["group"].isin(first.index)]
    since = rows["step"] - rows["group"].map(first)
    out["violation_rate_committed"] = _rate(rows)
    out["violation_rate_first_year"] = _rate(rows[since < WEEKS_PER_YEAR])
    out["violation_rate_later"] = _rate(rows[since >= WEEKS_PER_YEAR])
    out["violation_rate_uncommitted"] = _rate(records[
        (records["norm"] == norm) & ~records["committed"].astype(bool)
        & records["alive"].astype(bool)])
    per = rows.groupby("group")[["violations", "occasions"]].sum()
    per = per[per["occasions"] > 0]
    if len(per):
        out["complying_share"] = float(np.mean(1 - per["violations"] / per["occasions"]
                                               >= complying_threshold))
    lapsed = events[(events["kind"] == "commitment lapsed") & (events["norm"] == norm)]
    out["lapsed_share"] = lapsed["group"].nunique() / len(first)
    out["resigned_share"] = float(np.mean(made.groupby("group").size() >= 2))
    if len(lapsed):
        at_succession = lapsed["text"].str.contains("new top commander", regex=False)
        out["lapses_at_succession"] = float(at_succession.fillna(False).mean())
    reported = events[(events["kind"] == "violation reported") & (events["norm"] == norm)]
    out["reported_share"] = reported.loc[reported["group"].isin(first.index),
                                         "group"].nunique() / len(first)
    return out


def _rate(rows: pd.DataFrame) -> float:
    occ = rows["occasions"].sum()
    return float(rows["violations"].sum() / occ) if occ > 0 else float("nan")


@dataclass(frozen=True)
class ConductTask:
    """One draw: run a fitted simulation to the cutoff and measure its signatories' conduct."""

    sim: object  # a normsim.calibration.driver.Simulator
    complying_threshold: float

    def __call__(self, task: dict) -> tuple[int, dict]:
        model = self.sim.run(task["theta"], task["seed"], overrides=task.get("overrides"))
        norm = self.sim.norm
        return task["index"], measure(model.records(), model.events(), norm,
                                      self.complying_threshold)


def summarise(per_draw: pd.DataFrame) -> pd.DataFrame:
    """Per measure: mean over draws, its 95% t-interval, the 5-95% range, draws measured."""
    rows = []
    for name in MEASURES:
        x = per_draw[name].dropna().to_numpy(float)
        mean, lo, hi, n = mean_ci(pd.Series(x)) if len(x) else (np.nan, np.nan, np.nan, 0)
        q05, q95 = (np.quantile(x, [0.05, 0.95]) if len(x) else (np.nan, np.nan))
        rows.append({"measure": name, "mean": mean, "ci_low": lo, "ci_high": hi,
                     "q05": float(q05), "q95": float(q95), "draws": int(n)})
    return pd.DataFrame(rows)


def verdict(table: pd.DataFrame, majority: float) -> str:
    """Whether the calibrated population agrees with "by and large complied" as the file reads it."""
    row = table.set_index("measure").loc["complying_share"]
    if not row["draws"]:
        return "no signatory in any draw: nothing to check"
    if row["ci_low"] > majority:
        return (f"agrees: the complying share's 95% interval ({row['ci_low']:.2f}-"
                f"{row['ci_high']:.2f}) lies above {majority:g}")
    if row["ci_high"] < majority:
        return (f"**contradicts the record**: the complying share's 95% interval "
                f"({row['ci_low']:.2f}-{row['ci_high']:.2f}) lies below {majority:g}")
    return (f"undecided: the complying share's 95% interval ({row['ci_low']:.2f}-"
            f"{row['ci_high']:.2f}) straddles {majority:g}")
