"""Scenario files, overrides, and the flat keyword parameters the model takes.

A scenario file is TOML: ``title``, ``description`` and one table per section of
:mod:`normsim.schema`. The model takes the same parameters as flat keywords
(``group_centralisation=0.3``): that is what ``mesa.batch_run``, SALib and the sweep runner pass
around. ``--set group.centralisation=0.3`` uses the dotted form; both spellings are accepted.

Bad input never ends in a traceback: :class:`ScenarioError` (a :class:`normsim.errors.UserError`)
carries one message naming the file, the field, the value and what is allowed.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from annotated_types import Ge, Le
from pydantic import ValidationError

from normsim.errors import UserError
from normsim.schema import RUN_ONLY, SECTIONS, Scenario

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(UserError):
    """A scenario or an override is invalid; the message says where, what, and what is allowed."""


def flat_name(section: str, field: str) -> str:
    """The keyword name of a parameter: ``group.centralisation`` -> ``group_centralisation``.

    Hypothesis switches are already prefixed (``h1_strength``) and run settings stand alone
    (``record_every``).
    """
    return field if section in ("hypotheses", "run") else f"{section}_{field}"


#: every model parameter: flat keyword name -> (section, field), in declaration order
PARAMETERS: dict[str, tuple[str, str]] = {
    flat_name(s, f): (s, f)
    for s, cls in SECTIONS.items() for f in cls.model_fields
    if not (s == "run" and f in RUN_ONLY)
}
_DOTTED = {f"{s}.{f}": (s, f) for s, cls in SECTIONS.items() for f in cls.model_fields}


def defaults() -> dict[str, Any]:
    """Every model parameter's default, by flat name."""
    return to_flat(Scenario())


def to_flat(scenario: Scenario) -> dict[str, Any]:
    """The model parameters of a scenario as flat keywords."""
    return {name: getattr(getattr(scenario, s), f) for name, (s, f) in PARAMETERS.items()}


def locate(key: str) -> tuple[str, str] | None:
    return PARAMETERS.get(key) or _DOTTED.get(key)


def suggest(key: str) -> str:
    if key in SECTIONS:
        first = next(iter(SECTIONS[key].model_fields))
        return f" ({key} is a section: name one of its parameters, e.g. {key}.{first})"
    close = difflib.get_close_matches(key, [*_DOTTED, *PARAMETERS, *SECTIONS], n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def with_values(base: Scenario, values: Mapping[str, Any], origin: str) -> Scenario:
    """``base`` with parameters replaced by ``values`` (keys flat or dotted; also title/description).

    ``origin`` names where the values came from (a file, ``--set``) for error messages.
    """
    data = base.model_dump()
    for key, value in spell_out_sections(values).items():
        if key in ("title", "description"):
            data[key] = value
            continue
        if isinstance(value, np.generic):  # numpy scalars from SALib, pandas or batch_run
            value = value.item()
        where = locate(key)
        if where is None:
            raise ScenarioError(f"{origin}: '{key}' is not a parameter{suggest(key)}. "
                                "See 'normsim parameters' for the list.")
        data[where[0]][where[1]] = value
    return validate(data, origin)


def spell_out_sections(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"group": {"fighters": 5}}`` (a TOML table, or ``--set group={fighters=5}``) means
    ``{"group.fighters": 5}``, as TOML itself reads it."""
    out = {}
    for key, value in values.items():
        if key in SECTIONS and isinstance(value, Mapping):
            out.update({f"{key}.{field}": v for field, v in value.items()})
        else:
            out[key] = value
    return out


def check_seed(seed: Any, origin: str = "seed") -> int:
    """``seed`` as an int if it is one the scenario file can hold (``run.seed``'s range)."""
    return _check_run_setting("seed", seed, origin)


def check_steps(steps: Any, origin: str = "steps") -> int:
    """``steps`` as an int if it is a number of weeks ``run.steps`` allows."""
    return _check_run_setting("steps", steps, origin)


def _check_run_setting(field: str, value: Any, origin: str) -> int:
    info = SECTIONS["run"].model_fields[field]
    lo = next(m.ge for m in info.metadata if isinstance(m, Ge))
    hi = next(m.le for m in info.metadata if isinstance(m, Le))
    if isinstance(value, np.generic):  # numpy scalars: judge (and show) the plain value
        value = value.item()
    if type(value) is not int or not lo <= value <= hi:
        raise ScenarioError(f"{origin} = {_show(value)} is not allowed: expected "
                            f"{allowed('run', field)} (run.{field})")
    return value


def from_flat(values: Mapping[str, Any] | None = None, base: Scenario | None = None,
              origin: str = "model parameters") -> Scenario:
    """A scenario from flat keyword parameters over ``base`` (the defaults when None)."""
    return with_values(base or Scenario(), values or {}, origin)


def parse_override(text: str, origin: str = "--set") -> tuple[str, Any]:
    """Parse ``KEY=VALUE``; the value is read as a TOML value (``0.3``, ``true``, ``"x"``)."""
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key or not raw:
        raise ScenarioError(f"{origin} {text!r}: expected KEY=VALUE, e.g. group.centralisation=0.3")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word: let validation say whether a text is allowed here
    return key, value


def apply_overrides(scenario: Scenario, overrides: Iterable[str] | Mapping[str, Any],
                    origin: str = "--set") -> Scenario:
    """Apply ``--set KEY=VALUE`` strings (or a mapping) to a scenario, validating the result."""
    if isinstance(overrides, Mapping):
        values = dict(overrides)
    else:
        values = dict(parse_override(o, origin) for o in overrides)
    return with_values(scenario, values, origin) if values else scenario


def shipped_or_file(name_or_path: str | Path, folder: Path, kind: str) -> Path:
    """A file path, or the name of a shipped ``kind`` in ``folder``; ScenarioError if neither."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    shipped = folder / f"{name_or_path}.toml"
    if shipped.is_file():
        return shipped
    names = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
    raise ScenarioError(f"no {kind} file at '{name_or_path}', and it is not a shipped {kind} "
                        f"(shipped: {names}).")


def scenario_path(name_or_path: str | Path) -> Path:
    """The file of a shipped scenario name (``baseline``) or of a path; ScenarioError if none."""
    return shipped_or_file(name_or_path, SCENARIO_DIR, "scenario")


def load(name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> Scenario:
    """Load and validate a scenario file (or shipped name), then apply overrides."""
    path = scenario_path(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: malformed TOML: {err}.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{path}: cannot be read: {err}.") from None
    return apply_overrides(validate(data, str(path)), overrides)


def list_scenarios() -> list[tuple[str, str, str, Path]]:
    """Shipped scenarios as (name, title, description, path), baseline first."""
    out = []
    for path in sorted(SCENARIO_DIR.glob("*.toml"), key=lambda p: (p.stem != "baseline", p.stem)):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError:
            data = {}
        out.append((path.stem, data.get("title", path.stem), data.get("description", "").strip(), path))
    return out


# -- validation and its messages -------------------------------------------------------------

def validate(data: Mapping[str, Any], origin: str) -> Scenario:
    """Validate nested scenario data; ScenarioError lists every problem, one line each."""
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as err:
        lines = [_explain(e, data) for e in err.errors()]
        head = f"{origin}: " if len(lines) == 1 else f"{origin}: {len(lines)} problems:\n  "
        raise ScenarioError(head + "\n  ".join(dict.fromkeys(lines))) from None


def allowed(section: str, field: str) -> str:
    """What a parameter accepts, in words: 'a number from 0 to 1'."""
    info = SECTIONS[section].model_fields[field]
    kind = info.annotation
    if kind is bool:
        return "true or false"
    lo = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    hi = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    noun = "a whole number" if kind is int else "a number"
    if lo is not None and hi is not None:
        return f"{noun} from {lo:g} to {hi:g}" if kind is float else f"{noun} from {lo} to {hi}"
    return noun


def _explain(error: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    loc = [str(p) for p in error["loc"]]
    kind, value = error["type"], error.get("input")
    dotted = ".".join(loc)
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return (f"[{loc[0]}] is not a section{suggest(loc[0])}; sections are: "
                    + ", ".join(SECTIONS) + ", plus title and description")
        known = ", ".join(SECTIONS[loc[0]].model_fields) if loc[0] in SECTIONS else ""
        return f"{dotted} is not a parameter{suggest(dotted)}; [{loc[0]}] has: {known}"
    if len(loc) == 2 and loc[0] in SECTIONS and loc[1] in SECTIONS[loc[0]].model_fields:
        return f"{dotted} = {_show(value)} is not allowed: expected {allowed(loc[0], loc[1])}"
    if len(loc) == 1 and loc[0] in SECTIONS:
        if kind in ("model_type", "dict_type"):
            return f"{loc[0]} must be a table ([{loc[0]}]), not {_show(value)}"
        msg = error["msg"].removeprefix("Value error, ")
        return f"[{loc[0]}]: {msg}"
    if loc and loc[0] in ("title", "description"):
        return f"{loc[0]} = {_show(value)} is not allowed: expected a text in quotes"
    return f"{dotted or 'scenario'}: {error['msg']}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    return repr(value)
