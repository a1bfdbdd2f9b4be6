"""Calibration files: what to fit, to which data up to which date, with which priors, against
which baselines, and how many simulations it may take.

    title = "The mine-ban deed, 2000-2007"
    scenario = "mine_ban"            # a scenario with a population and the engager
    start_year = 2000                 # week 0 of the model
    cutoff = "2007-12-31"             # fitting reads only data dated on or before this day
    predict_until = 2018
    root_seed = 1
    [data]
    file = "commitments_mines.csv"    # in data/, or a path
    norm = "mines"
    [parameters]                      # uniform priors, declared before fitting
    "deed.persuasion_rate" = { min = 0.001, max = 0.5 }
    "deed.capacity" = { min = 5, max = 150 }         # whole numbers: rounded when simulated
    "population.groups" = { min = 40, max = 500 }    # how many groups the population has
    [fixed]                           # set in every simulation; shaping settings cite a source
    "group.fighters" = 60
    "deed.meeting_interval" = { value = 8, source = "an assumption", dated = "2000" }
    [abc]
    population_size = 100
    generations = 6
    replicates = 4                    # simulations per particle
    [predictive]
    draws = 60
    [baselines]                       # fitted to exactly the rows the model is fitted to
    models = ["loglinear_poisson", "logistic", "bass"]
    ceiling = { min = 34, max = 500 } # bounds of the logistic's and Bass's ceiling

A setting in ``[fixed]`` given as ``{ value, source, dated }`` must be dated on or before the
cutoff (a later source would let the future into the fit).

Optional sections ask for more than the fit (each written into the report):

    [models]                          # model selection (normsim.calibration.selection)
    events = "signing_events.csv"     # the event list whose structure is a statistic
    window_months = 12                # same-country decisions this close count as clustered
    clustering_weight = 1.0           # the statistic's weight in the distance (0: counts only)
    [models.variants.no_emulation]    # each variant: a prior (they sum to 1) and its settings
    prior = 0.5
    settings = { "emulation.strength" = 0.0 }
    [[transfer.deeds]]                # later deeds' first signatures (normsim.calibration.transfer)
    name = "children deed"
    norm = "children"                 # the model's norm; proxy = true when it is only the nearest
    launched = "2010"
    launched_source = "GC_DEEDS_PAGE"
    until = 2013
    data_file = "commitments_children.csv"
    data_norm = "child_recruitment"
    [conduct]                         # signatories' conduct (normsim.calibration.conduct)
    complying_threshold = 0.9
    majority = 0.5
    fitted = false                    # true: the complying share's shortfall joins the distance
    weight = 1.0
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from normsim.calibration.record import known_counts, period_end, read_events
from normsim.params import bounds
from normsim.rules.norms import keys
from normsim.settings.data import NORM_NAMES, read_counts
from normsim.settings.reading import MAX_SEED
from normsim.settings.scenario import (ALL_SECTIONS, ScenarioError, load, locate, read_validated,
                                       shipped_or_file, suggest, with_values)

CALIBRATION_DIR = Path(__file__).resolve().parent.parent.parent / "calibrations"
#: parameters of the population rather than of the scenario
POPULATION_PARAMETERS = {"population.groups": (1, 500)}
BASELINES = ("loglinear_poisson", "logistic", "bass")
#: most simulations one calibration may need (population x replicates x generations x batches)
MAX_SIMULATIONS = 2_000_000


class Prior(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    min: float
    max: float

    @model_validator(mode="after")
    def _range(self):
        if not self.min < self.max:
            raise ValueError(f"empty range: min = {self.min} must be below max = {self.max}")
        return self


class Sourced(BaseModel):
    """A fixed setting with where it comes from and when that source is dated."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    value: Any
    source: str = Field(min_length=1)
    dated: str

    @field_validator("dated")
    @classmethod
    def _date(cls, v):
        period_end(v)  # raises ValueError naming the form
        return v


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
    replicates: int = Field(4, ge=1, le=100)
    max_batches: int = Field(50, ge=1, le=1000)
    min_epsilon: float = Field(0.0, ge=0)


class PredictiveSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    draws: int = Field(60, ge=2, le=100_000)


class BaselineSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    models: list[str] = list(BASELINES)
    ceiling: Prior = Prior(min=1.0, max=1000.0)
    draws: int = Field(1000, ge=10, le=100_000)

    @field_validator("models")
    @classmethod
    def _known(cls, v):
        bad = [m for m in v if m not in BASELINES]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a baseline; the baselines are "
                             f"{', '.join(BASELINES)}")
        return v


class Variant(BaseModel):
    """One variant of the model in a model selection: its prior probability and the settings it
    sets over the fixed and the sampled ones."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    prior: float = Field(gt=0, lt=1)
    settings: dict[str, Any] = {}
    source: str = ""


class ModelsSpec(BaseModel):
    """``[models]``: model selection between variants (:mod:`normsim.calibration.selection`)."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    variants: dict[str, Variant] = Field(min_length=2)
    stay: float = Field(0.7, gt=0, lt=1)
    events: str = "signing_events.csv"
    window_months: float = Field(12.0, gt=0, le=240)
    clustering_weight: float = Field(1.0, ge=0, le=100)

    @model_validator(mode="after")
    def _priors(self):
        total = sum(v.prior for v in self.variants.values())
        if abs(total - 1) > 1e-9:
            raise ValueError(f"the variants' priors sum to {total:g}; they must sum to 1 (e.g. "
                             f"{1 / len(self.variants):g} each)")
        return self


class TransferDeed(BaseModel):
    """A later deed whose first signatures the posterior predicts (:mod:`normsim.calibration.transfer`)."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    name: str = Field(min_length=1)
    norm: str  # the model's norm the deed is run on
    proxy: bool = False  # the model has no such norm: ``norm`` is the nearest
    launched: str  # YYYY[-MM[-DD]]: when the deed was first offered (the question's premise)
    launched_source: str = Field(min_length=1)
    until: int = Field(ge=1900, le=2100)  # the last year run
    data_file: str  # its counts, read only to score
    data_norm: str

    @field_validator("launched")
    @classmethod
    def _date(cls, v):
        period_end(v)
        return v


class TransferSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    deeds: list[TransferDeed] = Field(min_length=1)


class ConductSpec(BaseModel):
    """``[conduct]``: how the record's words on conduct are read, before anything is measured
    (:mod:`normsim.calibration.conduct`)."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    complying_threshold: float = Field(0.9, gt=0, le=1)
    majority: float = Field(0.5, ge=0, lt=1)
    #: False: a held-out pattern, checked on the posterior draws and never fitted. True: a
    #: summary statistic fitted beside the counts: a simulation's distance is joined
    #: (Euclidean) with ``weight`` x how far its complying share falls short of ``majority``
    #: (the record's words are dated by the cutoff, so fitting them keeps the fit blind)
    fitted: bool = False
    weight: float = Field(1.0, gt=0, le=100)


class CalibrationFile(BaseModel):
    """A validated calibration file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: str
    question: str = ""
    scenario: str
    start_year: int = Field(ge=1900, le=2100)
    cutoff: str
    predict_until: int = Field(ge=1900, le=2100)
    record_every: int = Field(13, ge=1, le=520)
    root_seed: int = Field(0, ge=0, le=MAX_SEED)
    data: DataSpec
    parameters: dict[str, Prior] = Field(min_length=1)
    fixed: dict[str, Any] = {}
    abc: ABCSpec = ABCSpec()
    predictive: PredictiveSpec = PredictiveSpec()
    baselines: BaselineSpec = BaselineSpec()
    models: ModelsSpec | None = None
    transfer: TransferSpec | None = None
    conduct: ConductSpec | None = None

    @field_validator("cutoff")
    @classmethod
    def _cutoff(cls, v):
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"{v!r} is not a date: expected YYYY-MM-DD") from None
        return v

    @model_validator(mode="after")
    def _years(self):
        if not self.start_year <= self.cutoff_date.year < self.predict_until:
            raise ValueError(f"years must run start_year <= cutoff's year < predict_until (got "
                             f"{self.start_year}, {self.cutoff}, {self.predict_until})")
        both = sorted(set(self.parameters) & set(self.fixed))
        if both:
            raise ValueError(f"{both[0]} is both fixed (fixed.{both[0]}) and fitted "
                             f"(parameters.{both[0]}); a parameter is one or the other")
        sims = (self.abc.population_size * self.abc.replicates * self.abc.generations
                * self.abc.max_batches)
        if sims > MAX_SIMULATIONS:
            raise ValueError(f"abc: population_size x replicates x generations x max_batches = "
                             f"{sims:,} simulations at most; the budget for one calibration is "
                             f"{MAX_SIMULATIONS:,}. Use fewer particles, replicates, generations "
                             "or batches")
        return self

    @property
    def cutoff_date(self) -> dt.date:
        return dt.date.fromisoformat(self.cutoff)

    @property
    def fit_until(self) -> int:
        """The last year with fitted data (the app marks later counts as held out)."""
        return self.cutoff_date.year

    def week_of(self, day: dt.date) -> int:
        """Whole weeks from the start of ``start_year`` to ``day``."""
        year = day.year + (day.timetuple().tm_yday - 0.5) / 365  # as data.decimal_year does
        return int(round((year - self.start_year) * 52))

    def weeks(self, until: int) -> int:
        """Weeks from the start of ``start_year`` to the end of year ``until``."""
        return (until + 1 - self.start_year) * 52

    def fixed_values(self) -> dict[str, Any]:
        return {k: (v["value"] if isinstance(v, dict) else v) for k, v in self.fixed.items()}


def calibration_path(name_or_path: str | Path) -> Path:
    return shipped_or_file(name_or_path, CALIBRATION_DIR, "calibration")


def is_integer(key: str) -> bool:
    if key in POPULATION_PARAMETERS:
        return True
    section, field = locate(key)
    return ALL_SECTIONS[section].model_fields[field].annotation is int


def load_calibration(name_or_path: str | Path) -> tuple[CalibrationFile, str]:
    """Validate a calibration file completely before any work: priors inside the parameters'
    declared ranges, fixed settings valid (and their sources dated before the cutoff), the
    scenario and data readable with something to fit; ScenarioError naming file, field and value
    otherwise."""
    path = calibration_path(name_or_path)
    spec, text = read_validated(path, CalibrationFile)
    for key, prior in spec.parameters.items():
        if key in POPULATION_PARAMETERS:
            lo, hi = POPULATION_PARAMETERS[key]
        else:
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
            raise ScenarioError(f"{path}: parameters.{key} = [{prior.min:g}, {prior.max:g}] is "
                                f"outside the parameter's range [{lo}, {hi}]")
    for key, value in spec.fixed.items():
        if isinstance(value, dict):
            try:
                sourced = Sourced.model_validate(value)
            except ValueError as err:
                first = err.errors()[0]
                raise ScenarioError(f"{path}: fixed.{key}: {first['msg'].removeprefix('Value error, ')}"
                                    " (a sourced setting is { value = ..., source = \"...\", "
                                    "dated = \"YYYY[-MM[-DD]]\" })") from None
            if period_end(sourced.dated) > spec.cutoff_date:
                raise ScenarioError(f"{path}: fixed.{key} cites a source dated {sourced.dated}, "
                                    f"after the cutoff {spec.cutoff}: a setting that shapes the "
                                    "fit must come from before it, or be calibrated (a prior in "
                                    "[parameters])")
    scenario_file = spec.scenario
    if not Path(scenario_file).is_file() and (path.parent / scenario_file).is_file():
        spec = spec.model_copy(update={"scenario": str(path.parent / scenario_file)})
    try:
        base = with_values(load(spec.scenario), spec.fixed_values(), "fixed")
        lows = {k: (int(p.min) if is_integer(k) else p.min) for k, p in spec.parameters.items()
                if k not in POPULATION_PARAMETERS}
        with_values(base, lows, "parameters")
        if "population.groups" in spec.parameters and not base.population:
            raise ScenarioError(f"scenario {spec.scenario} has no population: "
                                "'population.groups' cannot be calibrated")
    except ScenarioError as err:
        raise ScenarioError(f"{path}: {err}") from None
    if spec.models is not None:
        _check_variants(path, spec, base)
    if spec.transfer is not None:
        _check_transfer(path, spec, base)
    points = known_counts(spec.data.file, spec.data.norm, spec.start_year, spec.cutoff_date,
                          spec.data.pledge_type, tuple(spec.data.units))
    norm = NORM_NAMES.get(spec.data.norm, spec.data.norm)
    if norm not in base.norms:
        raise ScenarioError(f"{path}: data.norm = {spec.data.norm!r} is not a norm of scenario "
                            f"{spec.scenario} (its norms: {', '.join(base.norms)})")
    zero = points[(points["kind"] == "exact") & (points["count"] < 1)]
    if len(zero):
        raise ScenarioError(f"{path}: data: the count dated {zero['as_of'].iloc[0]} in "
                            f"{spec.data.file} is 0; a fitted count must be at least 1 (the "
                            "distance compares simulated and observed counts as ratios)")
    if not (points["kind"] == "exact").any():
        raise ScenarioError(f"{path}: data: no exact count of {spec.data.norm} "
                            f"({spec.data.pledge_type}) dated on or before {spec.cutoff} in "
                            f"{spec.data.file}: nothing to fit")
    return spec, text


def _check_variants(path: Path, spec: CalibrationFile, base) -> None:
    """Each variant's settings are model settings with allowed values, and the event list is
    readable: ScenarioError naming the file, the field and the value otherwise."""
    for name, variant in spec.models.variants.items():
        bad = sorted(set(variant.settings) & set(POPULATION_PARAMETERS))
        if bad:
            raise ScenarioError(f"{path}: models.variants.{name}.settings.{bad[0]}: a variant "
                                "sets model settings, not the population's")
        try:
            with_values(base, variant.settings, f"models.variants.{name}.settings")
        except ScenarioError as err:
            raise ScenarioError(f"{path}: {err}") from None
    try:
        read_events(spec.models.events)
    except (OSError, ValueError, KeyError) as err:
        raise ScenarioError(f"{path}: models.events = {spec.models.events!r} cannot be read as "
                            f"an event list like data/signing_events.csv ({err})") from None


def _check_transfer(path: Path, spec: CalibrationFile, base) -> None:
    """Each deed's norm is a norm of the model, its launch after the start, its data readable."""
    for i, deed in enumerate(spec.transfer.deeds):
        where = f"{path}: transfer.deeds[{i}]"
        if deed.norm not in keys():
            raise ScenarioError(f"{where}.norm = {deed.norm!r} is not a norm of the model; its "
                                f"norms: {', '.join(keys())}")
        if deed.norm == spec.data.norm:
            raise ScenarioError(f"{where}.norm = {deed.norm!r} is the calibrated deed's own norm; "
                                "a transfer is to another deed")
        if not spec.start_year <= int(deed.launched[:4]) <= deed.until <= spec.predict_until:
            raise ScenarioError(f"{where}: launched = {deed.launched!r} and until = {deed.until} "
                                f"must satisfy start_year ({spec.start_year}) <= launched <= until "
                                f"<= predict_until ({spec.predict_until})")
        try:
            table = read_counts(deed.data_file)
        except (OSError, ValueError) as err:
            raise ScenarioError(f"{where}.data_file = {deed.data_file!r} cannot be read ({err})") from None
        if not ((table["norm"] == deed.data_norm) & (table["pledge_type"] == "deed")
                & (table["kind"] == "exact") & (table["unit"] == "groups")).any():
            raise ScenarioError(f"{where}: {deed.data_file} has no exact count of groups for "
                                f"data_norm = {deed.data_norm!r} (pledge_type deed): nothing to "
                                "score the first signature against")
