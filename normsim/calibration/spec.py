"""Calibration files: what to fit, to which data, with which priors and how long to run.

    title = "The mine-ban deed, 2000-2007"
    question = "..."
    scenario = "mine_ban"           # a scenario with a population and the engager
    start_year = 2000                # week 0 of the model
    fit_until = 2007                 # data up to this year are fitted; later ones are held out
    predict_until = 2018
    root_seed = 1
    [data]
    file = "commitments_mines.csv"   # in data/, or a path
    norm = "mines"
    pledge_type = "deed"
    units = ["groups", "deeds"]
    [parameters]                     # uniform priors inside each parameter's declared range
    "deed.persuasion_rate" = { min = 0.005, max = 0.08 }
    [fixed]                          # set in every simulation
    "group.fighters" = 60
    [abc]
    population_size = 100
    generations = 6
    [predictive]
    draws = 60
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

CALIBRATION_DIR = Path(__file__).resolve().parent.parent.parent / "calibrations"


class Prior(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    min: float
    max: float

    @model_validator(mode="after")
    def _range(self):
        if not self.min < self.max:
            raise ValueError(f"empty range: min = {self.min} must be below max = {self.max}")
        return self


class DataSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    file: str
    norm: str
    pledge_type: str = "deed"
    units: list[str] = ["groups", "deeds"]


class ABCSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    population_size: int = Field(100, ge=5, le=100_000)
    generations: int = Field(6, ge=1, le=100)
    min_epsilon: float = Field(0.0, ge=0)


class PredictiveSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    draws: int = Field(60, ge=2, le=100_000)


class CalibrationFile(BaseModel):
    """A validated calibration file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: str
    question: str = ""
    scenario: str
    start_year: int = Field(ge=1900, le=2100)
    fit_until: int = Field(ge=1900, le=2100)
    predict_until: int = Field(ge=1900, le=2100)
    record_every: int = Field(13, ge=1, le=520)
    root_seed: int = Field(0, ge=0, le=2**63 - 1)
    data: DataSpec
    parameters: dict[str, Prior] = Field(min_length=1)
    fixed: dict[str, Any] = {}
    abc: ABCSpec = ABCSpec()
    predictive: PredictiveSpec = PredictiveSpec()

    @model_validator(mode="after")
    def _years(self):
        if not self.start_year <= self.fit_until < self.predict_until:
            raise ValueError(f"years must run start_year <= fit_until < predict_until (got "
                             f"{self.start_year}, {self.fit_until}, {self.predict_until})")
        return self

    def weeks(self, until: int) -> int:
        """Weeks from the start of ``start_year`` to the end of year ``until``."""
        return (until + 1 - self.start_year) * 52


def calibration_path(name_or_path: str | Path) -> Path:
    from normsim.settings.scenario import shipped_or_file

    return shipped_or_file(name_or_path, CALIBRATION_DIR, "calibration")


def load_calibration(name_or_path: str | Path) -> tuple[CalibrationFile, str]:
    """Validate a calibration file: its priors inside the parameters' declared ranges, its
    scenario and data readable; ScenarioError naming file, field and value otherwise."""
    from normsim.settings.data import observed
    from normsim.params import bounds
    from normsim.settings.scenario import (ALL_SECTIONS, ScenarioError, load, locate, read_validated,
                                  suggest, with_values)

    path = calibration_path(name_or_path)
    spec, text = read_validated(path, CalibrationFile)
    for key, prior in spec.parameters.items():
        where = locate(key)
        if where is None:
            raise ScenarioError(f"{path}: parameters.{key} is not a model parameter"
                                f"{suggest(key)}; see 'normsim parameters'.")
        section, field = where
        info = ALL_SECTIONS[section].model_fields[field]
        if info.annotation not in (int, float):
            raise ScenarioError(f"{path}: parameters.{key} is not a number; a prior needs a "
                                "numeric parameter")
        lo, hi = bounds(ALL_SECTIONS[section], field)
        if (lo is not None and prior.min < lo) or (hi is not None and prior.max > hi):
            raise ScenarioError(f"{path}: parameters.{key} = [{prior.min}, {prior.max}] is "
                                f"outside the parameter's range [{lo}, {hi}]")
    scenario_file = spec.scenario
    if not Path(scenario_file).is_file() and (path.parent / scenario_file).is_file():
        spec = spec.model_copy(update={"scenario": str(path.parent / scenario_file)})
    try:
        base = with_values(load(spec.scenario), spec.fixed, f"{path}: fixed")
        with_values(base, {k: p.min for k, p in spec.parameters.items()}, f"{path}: parameters")
    except ScenarioError as err:
        raise ScenarioError(f"{path}: {err}") from None
    points = observed(spec.data.file, spec.data.norm, spec.start_year, spec.data.pledge_type,
                      tuple(spec.data.units), until=spec.fit_until)
    if not (points["kind"] == "exact").any():
        raise ScenarioError(f"{path}: data: no exact count of {spec.data.norm} "
                            f"({spec.data.pledge_type}) up to {spec.fit_until} in "
                            f"{spec.data.file}: nothing to fit")
    return spec, text
