"""Posterior designs: each replicate's shared parameters drawn from a calibration's posterior.

An experiment file may declare ``[posterior] file = "posterior.csv"`` (the weighted particles
``normsim calibrate`` writes: one column per calibrated parameter, then ``distance``, ``index``
and ``weight``), optionally ``draws = N`` and ``parameters = [...]`` (the posterior's
parameters that carry over to the experiment's scenarios; default: all of them). ``normsim
sweep --posterior FILE`` names the file from the command line.

**Draws.** Draw ``d`` picks one particle with probability proportional to its weight, with a
generator seeded from the experiment's ``root_seed`` and ``d`` alone
(``numpy.random.default_rng([STREAM, root_seed, d])``): the same draws for the same seed,
whatever the number of workers or the order runs finish in, and drawing more keeps the first
ones. Replicate ``r`` uses draw ``r mod draws`` (``draws`` defaults to the number of
replicates: one draw per replicate), in every condition: like the replicates' seeds, the draws
are common to the conditions, so that comparisons between conditions are paired. Particles are
resampled as they are, without a kernel: the posterior is what the calibration wrote.

**What carries over.** A posterior parameter must be a model parameter (``normsim
parameters``) that none of the experiment's factors or fixed values also sets; an engager
kind's parameter (``deed.persuasion_rate``) must belong to a kind that at least one of the
experiment's scenarios has, and is set only in the runs of those scenarios (the deed's rate
does not touch a dialogue run). ``population.groups`` sizes a population file, which a sweep
cannot redraw: leave it out with ``parameters``. Whole-number parameters (``deed.capacity``)
are rounded as sampled designs round them. Every run's table records its replicate's draw
(columns ``posterior_draw``, ``posterior_particle`` and ``drawn_<parameter>``), also in the runs
where a drawn parameter does not apply (a dialogue run carries the deed's drawn rates unused).

Bad input (a missing or garbled file, no weights, a parameter the scenarios lack, a value out
of its range) raises :class:`normsim.settings.scenario.ScenarioError` naming the file, the
field, the value and what is allowed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from normsim.settings.ranges import parameter_range
from normsim.settings.scenario import (PARAMETERS, ScenarioError, locate, suggest,
                                       with_values)
from normsim.settings.schema import ENGAGER_SECTIONS, Scenario

#: the columns of a calibration's posterior that are not parameters
NOT_PARAMETERS = ("distance", "index", "weight")
#: first word of every posterior draw's seed: keeps these generators apart from the replicates'
#: seeds, which are children of ``SeedSequence(root_seed)``
STREAM = 0x5057
DRAW, PARTICLE, DRAWN = "posterior_draw", "posterior_particle", "drawn_"


class PosteriorSpec(BaseModel):
    """The ``[posterior]`` table of an experiment file."""

    model_config = ConfigDict(extra="forbid", strict=True)
    file: str = Field(description="a posterior.csv written by 'normsim calibrate' (a path, "
                      "relative to the current folder or to the experiment file)")
    draws: int | None = Field(None, ge=1, le=100_000, description="distinct posterior draws; "
                              "replicate r uses draw r mod draws (default: one per replicate)")
    parameters: list[str] | None = Field(None, description="the posterior's parameters that "
                                         "carry over (default: all)")
    _option: bool = PrivateAttr(False)  # the file came from 'normsim sweep --posterior'


@dataclass(frozen=True)
class Draws:
    """The posterior a design draws from, and its draws."""

    file: str  # the file as resolved
    content: str  # sha256 of its bytes (part of the experiment's identity)
    names: tuple[str, ...]  # the flat names of the parameters drawn
    unused: tuple[str, ...]  # the posterior's parameters left out (as the file spells them)
    particles: pd.DataFrame  # the chosen parameters and the normalised weight
    n_draws: int | None  # None: one draw per replicate
    root_seed: int

    def draw_of(self, replicate: int) -> int:
        return replicate if self.n_draws is None else replicate % self.n_draws

    def particle(self, draw: int) -> int:
        """The particle (row of the file) draw ``draw`` picks: weight-proportional, from a
        generator seeded by the root seed and the draw's position alone."""
        rng = np.random.default_rng([STREAM, self.root_seed, draw])
        return int(rng.choice(len(self.particles), p=self.particles["weight"].to_numpy()))

    def values(self, replicate: int) -> dict:
        """Flat parameter name -> the value replicate ``replicate`` draws (in its own type)."""
        row = self.particles.iloc[self.particle(self.draw_of(replicate))]
        return {n: parameter_range(n).cast(row[n]) for n in self.names}

    def record(self, replicate: int) -> dict:
        """The columns a run's table carries: draw, particle and each drawn value."""
        draw = self.draw_of(replicate)
        return {DRAW: draw, PARTICLE: self.particle(draw),
                **{DRAWN + n: float(v) for n, v in self.values(replicate).items()}}

    def table(self, replicates: int) -> pd.DataFrame:
        """One row per replicate: its draw, particle and values."""
        rows = [{"replicate": r, **self.record(r)} for r in range(replicates)]
        return pd.DataFrame(rows)


def applies(name: str, scenario: Scenario) -> bool:
    """Whether a drawn parameter sets something in ``scenario`` (an engager kind's parameter
    only where the scenario has an engager of that kind)."""
    section = PARAMETERS[name][0]
    if section == "engager":
        return bool(scenario.engagers)
    if section in ENGAGER_SECTIONS:
        return any(e.kind == section for e in scenario.engagers)
    return True


def resolve(file: str, experiment_path: Path) -> Path:
    """The posterior file: as given, else beside the experiment file."""
    path = Path(file)
    if not path.is_file() and not path.is_absolute() and (experiment_path.parent / path).is_file():
        return experiment_path.parent / path
    return path


def load_draws(spec: PosteriorSpec, path: Path, where: str, scenarios: dict[str, Scenario],
               taken: dict[str, str], root_seed: int) -> Draws:
    """Read and check the posterior of an experiment (``where``: the experiment file, for
    messages; ``scenarios``: name -> scenario of every condition; ``taken``: flat names the
    factors and fixed values set -> how the file names them)."""
    field = f"{where}: posterior.file = '{spec.file}'" + (" (--posterior)" if spec._option else "")
    data = _read(path, field)
    columns = [c for c in data.columns if c not in NOT_PARAMETERS]
    if "weight" not in data.columns or not columns:
        raise ScenarioError(f"{field}: not a posterior written by 'normsim calibrate': it needs "
                            "a 'weight' column and at least one parameter column (it has: "
                            f"{', '.join(map(str, data.columns)) or 'none'}).")
    chosen = columns if spec.parameters is None else spec.parameters
    for name in chosen:
        if name not in columns:
            raise ScenarioError(f"{where}: posterior.parameters: '{name}' is not a parameter of "
                                f"{path} (its parameters: {', '.join(columns)}).")
    weights = _weights(data["weight"], field)
    names, particles = [], pd.DataFrame({"weight": weights / weights.sum()})
    for column in chosen:
        flat = _parameter(column, field, where, scenarios, taken)
        values = pd.to_numeric(data[column], errors="coerce")
        if values.isna().any():
            row = int(np.flatnonzero(values.isna().to_numpy())[0])
            raise ScenarioError(f"{field}: {column} = {data[column].iloc[row]!r} (row {row + 2}) "
                                "is not a number.")
        rng = parameter_range(flat)
        for value in (values.min(), values.max()):  # a range: its ends are enough
            for name, scenario in scenarios.items():
                if applies(flat, scenario):
                    with_values(scenario, {flat: rng.cast(value)},
                                f"{field}: {column} (scenario '{name}')")
        names.append(flat)
        particles[flat] = values.to_numpy(float)
    unused = tuple(c for c in columns if c not in chosen)
    content = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return Draws(str(path), content, tuple(names), unused, particles, spec.draws, root_seed)


def _weights(column: pd.Series, field: str) -> np.ndarray:
    """The particles' weights, checked: numbers, none negative, not all 0."""
    weights = pd.to_numeric(column, errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if len(bad):  # rows count from 2: the header is row 1
        raise ScenarioError(f"{field}: weight = {column.iloc[bad[0]]} (row {bad[0] + 2}) is not "
                            "allowed: weights are numbers ≥ 0 that do not all vanish.")
    if weights.sum() <= 0:
        raise ScenarioError(f"{field}: every weight is 0; weights are numbers ≥ 0 that do not "
                            "all vanish.")
    return weights


def _read(path: Path, field: str) -> pd.DataFrame:
    if not path.is_file():
        raise ScenarioError(f"{field}: no such file ({path}); give the posterior.csv a "
                            "calibration wrote ('normsim calibrate ... --out FOLDER').")
    try:
        data = pd.read_csv(path)
    except UnicodeDecodeError:
        raise ScenarioError(f"{field}: {path} is not UTF-8 text; give the posterior.csv a "
                            "calibration wrote.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        first = (str(err).strip().splitlines() or ["unreadable"])[0][:120]
        raise ScenarioError(f"{field}: {path} is not a readable CSV table ({first}); give the "
                            "posterior.csv a calibration wrote.") from None
    if data.empty:
        raise ScenarioError(f"{field}: {path} has no particles (no rows); give the posterior.csv "
                            "a calibration wrote.")
    return data


def _parameter(column: str, field: str, where: str, scenarios: dict[str, Scenario],
               taken: dict[str, str]) -> str:
    """The flat name of a posterior column, checked against the experiment's scenarios."""
    found = locate(column)
    names = ", ".join(scenarios)
    if column.startswith("population."):
        raise ScenarioError(f"{field}: parameter '{column}' sizes a population file, which a "
                            f"sweep cannot redraw (scenarios: {names}); leave it out with "
                            "posterior.parameters = [...] and say why in the file.")
    if found is None or found[0] == "run":
        raise ScenarioError(f"{field}: '{column}' is not a model parameter{suggest(column)}; "
                            "see 'normsim parameters', or leave it out with "
                            "posterior.parameters = [...].")
    flat = next(k for k, v in PARAMETERS.items() if v == found)
    if flat in taken:
        raise ScenarioError(f"{where}: {taken[flat]} and posterior parameter '{column}' name the "
                            "same parameter; give it once (drawn or set).")
    if not any(applies(flat, s) for s in scenarios.values()):
        raise ScenarioError(f"{field}: parameter '{column}' belongs to a {found[0]} engager, "
                            f"which none of the experiment's scenarios has ({names}); leave it "
                            "out with posterior.parameters = [...].")
    return flat


__all__ = ["PosteriorSpec", "Draws", "load_draws", "resolve", "applies", "DRAW", "PARTICLE",
           "DRAWN"]
