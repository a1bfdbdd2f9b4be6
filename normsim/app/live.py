"""What a view of one run shows as it goes, computed from its tables (for the workshop app).

Plain tables in, plain tables out, per norm in the order the scenario lists them:

- :func:`norm_rows`: one group's rows, norm by norm;
- :func:`pooled`: compliance pooled over the living groups (1 - violations / occasions), with
  how many groups are alive, committed and engaged;
- :func:`standing`: where one group stands on each norm now (stage, highest, committed,
  compliance over the last weeks);
- :func:`stage_drops`: the weeks a group's score card fell back, and to which stage (the
  stage fallen to names the condition that failed: see :func:`normsim.simulation.records.stages`);
- :func:`stage_counts`: how many living groups hold each stage of the score card;
- :func:`commitment_curve`: the cumulative number of groups that have committed
  (:func:`normsim.analysis.population.signatories`);
- :func:`observed_for`: the observed counts a shipped calibration sets beside a scenario's
  curve (``calibrations/*.toml`` name the scenario, the data file and the year of week 0).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from normsim.analysis.population import signatories
from normsim.calibration.spec import CALIBRATION_DIR, load_calibration
from normsim.settings.data import NORM_NAMES, observed
from normsim.simulation.records import STAGES

SMOOTH_WEEKS = 8  # weeks in the running mean of "compliance now"


def norms_of(records: pd.DataFrame) -> list[str]:
    """The norms in the table, in the scenario's order (the first is the one outcomes report)."""
    return list(pd.unique(records["norm"])) if "norm" in records else []


def window(records: pd.DataFrame, weeks: int = SMOOTH_WEEKS) -> int:
    """Recorded rows covering about ``weeks`` weeks (records may be kept every few weeks)."""
    steps = np.unique(records["step"].to_numpy())
    every = int(np.median(np.diff(steps))) if len(steps) > 2 else 1
    return max(1, round(weeks / max(every, 1)))


def norm_rows(records: pd.DataFrame, group: int = 0) -> dict[str, pd.DataFrame]:
    """One group's rows, norm by norm: norm -> its rows in step order."""
    mine = records[records["group"] == group]
    return {norm: mine[mine["norm"] == norm].reset_index(drop=True) for norm in norms_of(records)}


def pooled(records: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Norm -> per recorded step, over the living groups: ``compliance_rate`` (pooled: 1 -
    violations / occasions), ``alive``, ``committed`` and ``engaged`` (counts of groups)."""
    live = records[records["alive"].astype(bool)]
    out = {}
    for norm in norms_of(records):
        rows = live[live["norm"] == norm]
        sums = rows.groupby("step")[["occasions", "violations"]].sum()
        counts = rows.groupby("step").agg(alive=("group", "size"), committed=("committed", "sum"),
                                          engaged=("engaged", "sum"))
        table = counts.join(sums).reindex(pd.unique(records["step"]), fill_value=0)
        table["compliance_rate"] = 1.0 - table["violations"] / table["occasions"].where(
            table["occasions"] > 0)
        out[norm] = table.rename_axis("step").reset_index()
    return out


@dataclass(frozen=True)
class Standing:
    """Where a group stands on one norm now."""

    norm: str
    stage: int
    highest: int
    committed: bool
    compliance: float | None  # running mean over the last weeks (None: no occasion yet)


def recent(rows: pd.DataFrame, weeks: int = SMOOTH_WEEKS) -> float | None:
    """Mean compliance over the last ``weeks`` weeks of these rows (None when nothing to say)."""
    if len(rows) == 0 or int(rows["step"].iloc[-1]) == 0:
        return None
    value = rows["compliance_rate"].tail(window(rows, weeks)).mean()
    return None if pd.isna(value) else float(value)


def standing(records: pd.DataFrame, group: int = 0) -> list[Standing]:
    """One group's standing on each norm at the last recorded week."""
    out = []
    for norm, rows in norm_rows(records, group).items():
        last = rows.iloc[-1]
        out.append(Standing(norm, int(last["stage"]), int(rows["stage"].max()),
                            bool(last["committed"]), recent(rows)))
    return out


@dataclass(frozen=True)
class Drop:
    """A group's score card fell from ``before`` to ``after`` in ``week`` on ``norm``."""

    week: int
    norm: str
    before: int
    after: int


def stage_drops(records: pd.DataFrame, group: int = 0) -> list[Drop]:
    """Every week one group's stage fell back, norm by norm, oldest first. The stages are
    cumulative (each needs the ones before it), so the stage fallen to is the first whose
    condition failed: 1 (contact) means trust fell below a dialogue's level, and so on."""
    out = []
    for norm, rows in norm_rows(records, group).items():
        stage, week = rows["stage"].to_numpy(int), rows["step"].to_numpy(int)
        fell = np.flatnonzero(stage[1:] < stage[:-1]) + 1
        out += [Drop(int(week[i]), norm, int(stage[i - 1]), int(stage[i])) for i in fell]
    return sorted(out, key=lambda d: d.week)


def stage_counts(records: pd.DataFrame) -> dict[str, list[int]]:
    """Norm -> how many living groups hold each stage of the score card at the last week."""
    last = records[(records["step"] == records["step"].max()) & records["alive"].astype(bool)]
    return {norm: np.bincount(last.loc[last["norm"] == norm, "stage"].astype(int),
                              minlength=len(STAGES)).tolist() for norm in norms_of(records)}


def commitment_curve(records: pd.DataFrame, norm: str) -> pd.DataFrame:
    """Per recorded step: how many distinct groups have committed to ``norm`` at least once."""
    curve = signatories(records, by=())
    return curve[curve["norm"] == norm][["step", "signatories"]].reset_index(drop=True)


def emerged(records: pd.DataFrame) -> int:
    """How many groups have taken up arms so far (alive in some recorded week)."""
    return int(records.loc[records["alive"].astype(bool), "group"].nunique())


@dataclass(frozen=True)
class Observed:
    """Observed counts to set beside a scenario's commitment curve."""

    norm: str  # the model's norm they count
    start_year: int  # the calendar year of week 0
    fit_until: int  # years up to this one were fitted; later ones are held out
    points: pd.DataFrame  # week, year, count, kind (exact / lower_bound), source
    calibration: str  # the calibration file that links them to the scenario
    fitted: bool = False  # the scenario is the calibration's result (fitted to these counts)
    title: str = ""  # the calibration's title


@cache
def observed_for(scenario: str) -> Observed | None:
    """The observed counts a shipped calibration sets beside ``scenario`` (a shipped name), or
    None when no calibration names it. The calibration names the scenario it starts from (its
    settings are then illustrative, not fitted); ``<that name>_calibrated``, the shipped result
    of the calibration (``normsim calibrate`` writes it), is fitted to the counts."""
    for path in sorted(CALIBRATION_DIR.glob("*.toml")):
        try:
            named = tomllib.loads(path.read_text(encoding="utf-8")).get("scenario")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # not ours to judge here: 'normsim calibrate' says what is wrong with it
        if scenario not in (named, f"{named}_calibrated"):
            continue
        spec, _ = load_calibration(path)
        d = spec.data
        points = observed(d.file, d.norm, spec.start_year, d.pledge_type, tuple(d.units))
        return Observed(NORM_NAMES.get(d.norm, d.norm), spec.start_year, spec.fit_until, points,
                        path.name, fitted=scenario != named, title=spec.title)
    return None
