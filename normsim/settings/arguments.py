"""Checks of the Python API's own arguments (not the model's parameters, which the schema checks).

:func:`normsim.run`, :func:`normsim.seeds`, :func:`normsim.salib_problem` and
:func:`normsim.adapters.ema.model` take a few arguments of their own: a switch, a whole number, a
mapping of parameters, a list of parameter names. A wrong one raises
:class:`normsim.errors.UserError` here, before any work, with the argument's name, the value
and what is allowed -- the same message the command line would give -- instead of a
``TypeError`` from deep inside numpy or EMA Workbench.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from normsim.errors import UserError
from normsim.settings.reading import MAX_SEED
from normsim.settings.schema import Scenario


def show(value: Any) -> str:
    """A value as the user wrote it in Python (``'abc'``, ``None``, ``2.5``)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def plain(value: Any) -> Any:
    """numpy scalars as the Python value they hold (samplers and pandas hand those out)."""
    return value.item() if isinstance(value, np.generic) else value


def whole(value: Any, name: str, low: int, high: int) -> int:
    """``value`` if it is a whole number (not a switch, not 3.0) from ``low`` to ``high``."""
    value = plain(value)
    if type(value) is not int or not low <= value <= high:
        raise UserError(f"{name} = {show(value)} is not allowed: expected a whole number from "
                        f"{low} to {high}")
    return value


def whole_text(text: str) -> int | None:
    """A whole number written as text (digits only; spaces ignored: ``"1 000"``), else None: the
    one reader of a whole number typed into the app or written in its address."""
    text = str(text).strip().replace(" ", "")
    return int(text) if text.isascii() and text.isdigit() else None


def switch(value: Any, name: str) -> bool:
    """``value`` if it is True or False (``"yes"`` and 1 are refused, not read as true)."""
    value = plain(value)
    if type(value) is not bool:
        raise UserError(f"{name} = {show(value)} is not allowed: expected True or False")
    return value


def parameters(value: Any, name: str = "params") -> dict[str, Any]:
    """A mapping of parameter names (text) to values, as a dict."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UserError(f"{name} = {show(value)} is not allowed: expected a mapping of parameter "
                        "names to values, e.g. {'group_centralisation': 0.3}")
    bad = [k for k in value if not isinstance(k, str)]
    if bad:
        raise UserError(f"{name}: the key {show(bad[0])} is not allowed: parameter names are "
                        "text, e.g. 'group_centralisation' (see 'normsim parameters')")
    return dict(value)


def scenario(value: Any, name: str = "scenario"):
    """A Scenario, or a shipped name or a file path (text or a Path); None for the defaults."""
    if value is None or isinstance(value, (Scenario, Path)):
        return value
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{name} = {show(value)} is not allowed: expected a shipped scenario's "
                        "name (e.g. 'baseline'), a scenario file's path or a Scenario")
    return value


def specs(value: Any, name: str) -> list:
    """A list of parameter specs: names, or ``(name, low, high)`` / ``(name, [choices])``."""
    if isinstance(value, (str, bytes)) or not _iterable(value):
        raise UserError(f"{name} = {show(value)} is not allowed: expected a list of parameter "
                        "names or (name, low, high) tuples, e.g. ['group_people_war', "
                        "('persuader_contact_interval', 1, 16)]")
    out = list(value)
    for spec in out:
        if isinstance(spec, str):
            continue
        if not isinstance(spec, (tuple, list)) or not spec or not isinstance(spec[0], str):
            raise UserError(f"{name}: {show(spec)} is not allowed: expected a parameter name or "
                            "a tuple (name, low, high), e.g. ('group_people_war', 0.2, 0.8)")
        if len(spec) == 3:
            for bound in spec[1:]:
                bound = plain(bound)
                if type(bound) not in (int, float) or not math.isfinite(bound):
                    raise UserError(f"{name}: {show(tuple(spec))}: the bound {show(bound)} is "
                                    "not allowed: expected a finite number")
    return out


def names(value: Any, name: str) -> list[str]:
    """A list of names (outcomes, series); a single text is refused, not read letter by letter."""
    if isinstance(value, (str, bytes)) or not _iterable(value):
        example = [value] if isinstance(value, str) else ["final_compliance"]
        raise UserError(f"{name} = {show(value)} is not allowed: expected a list of names, e.g. "
                        f"{example}")
    out = list(value)
    bad = [v for v in out if not isinstance(v, str)]
    if bad:
        raise UserError(f"{name}: {show(bad[0])} is not allowed: expected a name (text)")
    return out


def _iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return not isinstance(value, Mapping)


__all__ = ["MAX_SEED", "whole", "whole_text", "switch", "parameters", "scenario", "specs", "names", "show"]
