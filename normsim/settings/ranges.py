"""What each flat parameter can take, read from the schema: for samplers and exploration tools.

SALib (:mod:`normsim.adapters.salib`), EMA Workbench (:mod:`normsim.adapters.ema`) and Mesa's dashboard
(``examples/mesa_dashboard.py``) all ask the same questions of a parameter: is it a whole
number, a number, a switch or one of a few words, and between which bounds. The answers come
from the schema's annotations and its ``ge``/``le`` limits, so a parameter added to
:mod:`normsim.settings.schema` is ready for every tool.

A parameter is named by its flat name (``normsim parameters`` lists them) or its dotted name,
alone (the schema's whole range) or with a narrower range: ``("group_fighters", 50, 500)``.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from annotated_types import Ge, Le

from normsim.settings.scenario import (PARAMETERS, ScenarioError, allowed, defaults, flat_name, locate,
                              suggest)
from normsim.settings.scenario import ALL_SECTIONS as SECTIONS

KINDS = ("int", "float", "bool", "choice")


@dataclass(frozen=True)
class Range:
    """One parameter's type and bounds (inclusive), and its default."""

    name: str  # the flat name
    kind: str  # one of KINDS
    low: float | None = None
    high: float | None = None
    choices: tuple = ()  # for bool and choice
    default: Any = None

    def cast(self, value: Any) -> Any:
        """A sampled value in the parameter's own type: whole numbers are rounded to the nearest
        (halves to even, Python's ``round``), so that a sampler's 7.13 becomes 7 here and only
        here; ``run`` itself refuses 7.13 for a whole-number parameter."""
        if self.kind == "int":
            return int(round(float(value)))
        if self.kind == "float":
            return float(value)
        return value.item() if hasattr(value, "item") else value


Spec = str | tuple  # "name", ("name", low, high) or ("name", [choices])


def parameter_range(spec: Spec) -> Range:
    """The :class:`Range` of a parameter, narrowed if ``spec`` gives bounds or choices;
    ScenarioError if the name is unknown or the narrowing leaves the schema's range."""
    name, *narrow = (spec,) if isinstance(spec, str) else tuple(spec)
    full = _schema_range(name)
    if not narrow:
        if full.kind in ("int", "float") and (full.low is None or full.high is None):
            raise ScenarioError(f"{full.name} has no upper or lower limit in the schema: give a "
                                f"range, e.g. ('{full.name}', low, high)")
        return full
    return _narrowed(full, narrow, allowed(*PARAMETERS[full.name]))


@lru_cache(maxsize=None)
def _schema_range(name: str) -> Range:
    where = locate(name)
    flat = flat_name(*where) if where else None
    if flat not in PARAMETERS:  # unknown, or a run setting such as steps or seed
        raise ScenarioError(f"'{name}' is not a model parameter{suggest(name)}; "
                            "see 'normsim parameters'.")
    info = SECTIONS[where[0]].model_fields[where[1]]
    kind, choices = _kind(info.annotation, flat)
    low = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    return Range(flat, kind, low, high, choices, defaults()[flat])


def _kind(annotation, name: str) -> tuple[str, tuple]:
    if annotation is bool:
        return "bool", (False, True)
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if typing.get_origin(annotation) is Literal:
        return "choice", typing.get_args(annotation)
    raise ScenarioError(f"{name} cannot be sampled: it takes {allowed(*PARAMETERS[name])}, not "
                        "a number, a switch or one of a few words")


def _narrowed(full: Range, narrow: list, takes: str) -> Range:
    if full.kind in ("bool", "choice"):
        choices = tuple(narrow[0]) if len(narrow) == 1 else ()
        if not choices or any(c not in full.choices for c in choices):
            raise ScenarioError(f"{full.name}: choices {narrow[0] if narrow else []} are not "
                                f"allowed: it takes {' or '.join(map(str, full.choices))}")
        return replace(full, choices=choices)
    if len(narrow) != 2:
        raise ScenarioError(f"{full.name}: give a range as ('{full.name}', low, high)")
    low, high = narrow
    bad = (not low < high
           or (full.low is not None and low < full.low)
           or (full.high is not None and high > full.high)
           or (full.kind == "int" and not (float(low).is_integer() and float(high).is_integer())))
    if bad:
        raise ScenarioError(f"{full.name} range [{low}, {high}] is not allowed: {full.name} "
                            f"takes {takes}, and low must be below high")
    if full.kind == "int":
        low, high = int(low), int(high)
    return replace(full, low=low, high=high)


def mesa_user_params(specs: Iterable[Spec]) -> dict[str, dict]:
    """Controls for Mesa's SolaraViz (its ``model_params``), one per parameter, starting at the
    default (or the nearest allowed value): a whole-number or a number slider between the
    bounds, a checkbox for a switch, a list for a choice."""
    controls = {}
    for spec in specs:
        r = parameter_range(spec)
        value = r.default
        if r.kind in ("int", "float"):
            value = min(max(value, r.low), r.high)  # a narrowed range may leave the default out
        elif value not in r.choices:
            value = r.choices[0]
        if r.kind == "int":
            control = {"type": "SliderInt", "min": r.low, "max": r.high, "step": 1}
        elif r.kind == "float":
            control = {"type": "SliderFloat", "min": r.low, "max": r.high,
                       "step": (r.high - r.low) / 100}
        elif r.kind == "bool":
            control = {"type": "Checkbox"}
        else:
            control = {"type": "Select", "values": list(r.choices)}
        controls[r.name] = {**control, "value": value, "label": r.name}
    return controls
