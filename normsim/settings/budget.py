"""How large a model, a run and a sweep may be: checked before anything is built.

Each field of a scenario has its own range, but their products do not: 100 groups of 5,000,000
fighters are each allowed and together need hundreds of gigabytes. So before a model allocates
its agents, before a run starts and before a design is built, the sizes are estimated and
checked against these limits (a :class:`normsim.errors.BudgetError` names the estimate, the
limit and the fields to lower):

- **memory of one run**: at most :data:`MEMORY_SHARE` of this machine's memory (or of the
  container's limit, if lower); the environment variable ``NORMSIM_MEMORY_GB`` sets another
  limit (e.g. on a small head node that sends runs to bigger Dask workers);
- **time of one run**: at most :data:`MAX_RUN_HOURS`, estimated at the speeds below;
- **a sweep**: at most :data:`MAX_RUNS` runs (conditions x replicates), counted from the
  experiment file before its design is built;
- **local workers**: as many runs in parallel as fit in the memory limit together.

The estimates come from what a model actually allocates, measured on this project's 2-core
machines (``tests/test_bad_input.py`` measures them again with ``tracemalloc`` and fails if a
change of the model makes them too low).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from normsim.errors import BudgetError
from normsim.settings.population import expected_size

#: bytes one fighter takes: his arrays in the cohort and his Mesa agent (measured peak: 554
#: traced, 580 resident)
BYTES_PER_FIGHTER = 640
#: bytes one commander takes, likewise (measured peak: 563 traced, 604 resident)
BYTES_PER_COMMANDER = 640
#: bytes one armed group takes with its communities and agents (measured: about 24,000)
BYTES_PER_GROUP = 32_000
#: bytes of one recorded (week, group) row: the DataCollector's row, then the tidy table's
#: (measured: about 900 + 240)
BYTES_PER_RECORDED_ROW = 1_500
#: seconds to build one fighter or commander agent (measured: 7 to 10 microseconds)
SECONDS_PER_AGENT_BUILT = 12e-6
#: seconds per fighter or commander per week (measured: about 0.1 microseconds)
SECONDS_PER_AGENT_WEEK = 0.15e-6
#: seconds per group per week: its agents' Python code and its records (measured: about 100 us)
SECONDS_PER_GROUP_WEEK = 150e-6

MEMORY_SHARE = 0.5
MAX_RUN_HOURS = 24
MAX_RUNS = 1_000_000
GB = 1e9


@dataclass(frozen=True)
class Size:
    """How many agents a scenario makes."""

    groups: int
    fighters: int  # in all groups
    commanders: int  # in all groups: strategic, operational and tactical

    @classmethod
    def of(cls, settings) -> Size:
        """The agents of a scenario; with a population file, its groups at their types' mean
        size."""
        g = settings.group
        per_group = 1 + g.operational_commanders * (1 + g.units_per_commander)
        count, fighters = g.count, g.fighters
        if settings.population:
            count, fighters = expected_size(settings.population, g)
        return cls(count, count * fighters, count * per_group)

    def words(self) -> str:
        return (f"{self.groups:,} group(s) of {self.fighters // self.groups:,} fighters and "
                f"{self.commanders // self.groups:,} commanders each")


def model_bytes(size: Size) -> float:
    return ((size.fighters * BYTES_PER_FIGHTER) + (size.commanders * BYTES_PER_COMMANDER)
            + size.groups * BYTES_PER_GROUP)


def run_bytes(settings, steps: int, twin: bool = False) -> float:
    """Memory of a whole run: its model and its records (one row per group and norm a recorded
    week); with its ``twin`` without engagement, whose records are kept beside."""
    rows = Size.of(settings).groups * len(settings.norms) * (steps // settings.run.record_every + 2)
    return model_bytes(Size.of(settings)) + rows * BYTES_PER_RECORDED_ROW * (2 if twin else 1)


def run_seconds(settings, steps: int, twin: bool = False) -> float:
    """Time of a run (and of its ``twin``, run after it: twice as long)."""
    size = Size.of(settings)
    agents = size.fighters + size.commanders
    norms = len(settings.norms)
    once = (agents * SECONDS_PER_AGENT_BUILT
            + steps * norms * (agents * SECONDS_PER_AGENT_WEEK + size.groups * SECONDS_PER_GROUP_WEEK))
    return once * (2 if twin else 1)


def memory_limit() -> tuple[float, str]:
    """The memory one run may use, in bytes, and where that limit comes from (in words)."""
    return _memory_limit(os.environ.get("NORMSIM_MEMORY_GB", "").strip())


@functools.cache
def _memory_limit(chosen: str) -> tuple[float, str]:
    if chosen:
        try:
            gigabytes = float(chosen)
            if not gigabytes > 0:
                raise ValueError
            return gigabytes * GB, "NORMSIM_MEMORY_GB"
        except ValueError:
            raise BudgetError(f"NORMSIM_MEMORY_GB = {chosen!r} is not allowed: expected a number "
                              "of gigabytes, e.g. 16") from None
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    where = "this machine's memory"
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            limit = int(Path(path).read_text().strip())
        except (OSError, ValueError):  # no cgroup limit ("max") or not Linux
            continue
        if limit < total:
            total, where = limit, "this container's memory limit"
    return total * MEMORY_SHARE, f"{MEMORY_SHARE:.0%} of {where}; NORMSIM_MEMORY_GB changes it"


def check_model(settings, origin: str) -> None:
    """Refuse a model whose agents alone would not fit in memory (before allocating them)."""
    size = Size.of(settings)
    _check_memory(model_bytes(size), _prefix(origin) + size.words(), "")


def check_run(settings, steps: int, origin: str, twin: bool = False) -> None:
    """Refuse a run that would not fit in memory with its records, or would take too long
    (with its ``twin`` without engagement, if it runs one)."""
    size = Size.of(settings)
    what = (f"{_prefix(origin)}{size.words()}, {steps:,} weeks recorded every "
            f"{settings.run.record_every}" + (" (and its twin without engagement)" if twin else ""))
    _check_memory(run_bytes(settings, steps, twin), what, ", steps, or raise run.record_every")
    hours = run_seconds(settings, steps, twin) / 3600
    if hours > MAX_RUN_HOURS:
        raise BudgetError(f"{what} would take about {_hours(hours)} on a machine like ours; the "
                          f"budget for one run is {MAX_RUN_HOURS} hours. Lower steps, "
                          "group.fighters or group.count.")


def check_design(runs: int, conditions: int, replicates: int, origin: str) -> None:
    """Refuse a sweep of more than :data:`MAX_RUNS` runs, before its design is built."""
    if runs > MAX_RUNS:
        raise BudgetError(f"{origin}: {conditions:,} conditions x {replicates:,} replicates = "
                          f"{runs:,} runs; the budget for one sweep is {MAX_RUNS:,} runs. Use fewer "
                          "factor values, a smaller sample, fewer replicates, or split the "
                          "experiment.")


def workers_that_fit_bytes(bytes_per_run: float) -> int:
    """How many runs of this size fit in memory side by side (at least 1)."""
    limit, _ = memory_limit()
    return max(1, int(limit // max(bytes_per_run, 1)))


def _check_memory(needed: float, what: str, more_fields: str) -> None:
    limit, where = memory_limit()
    if needed > limit:
        needed_text, limit_text = apart(needed, limit)
        raise BudgetError(f"{what} would need about {needed_text} of memory; the budget for one "
                          f"run is {limit_text} ({where}). Lower group.fighters, group.count, "
                          f"group.operational_commanders or group.units_per_commander{more_fields}.")


def _prefix(origin: str) -> str:
    return f"{origin}: " if origin else ""


def gb(n: float) -> str:
    return f"{n / GB:,.1f} GB" if n >= 0.1 * GB else f"{n / 1e6:,.1f} MB"


def apart(needed: float, limit: float) -> tuple[str, str]:
    """Two sizes in one unit, with as many decimals as it takes for them to read differently
    (not 'about 0.4 MB; the budget is 0.4 MB')."""
    scale, unit = (GB, "GB") if max(needed, limit) >= 0.1 * GB else (1e6, "MB")
    for digits in range(1, 7):
        a, b = f"{needed / scale:,.{digits}f}", f"{limit / scale:,.{digits}f}"
        if a != b:
            break
    return f"{a} {unit}", f"{b} {unit}"


def _hours(h: float) -> str:
    if round(h) <= MAX_RUN_HOURS:  # just over the budget: enough digits to show it is over
        return f"{h:,.1f} hours"
    return f"{h:,.0f} hours" if h < 72 else f"{h / 24:,.0f} days"


__all__ = ["Size", "check_model", "check_run", "check_design", "workers_that_fit_bytes", "gb",
           "memory_limit", "model_bytes", "run_bytes", "run_seconds", "MAX_RUNS", "MAX_RUN_HOURS"]
