"""Scenario files, overrides, and the flat keyword parameters the model takes.

A scenario file is TOML: ``title``, ``description`` and one table per section of
:mod:`normsim.settings.schema`. The model takes the same parameters as flat keywords
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

from normsim.engagers import KINDS, AnyEngagerSettings
from normsim.settings.reading import (ScenarioError, _show, allowed_in, read_toml,  # noqa: F401
                                      read_validated, shipped_folder, shipped_or_file,
                                      shown_value)
from normsim.settings.schema import ENGAGER_SECTIONS, RUN_ONLY, SECTIONS, Scenario
from normsim.world.typology import TYPES, preset


SCENARIO_DIR = shipped_folder("normsim.scenarios")


def flat_name(section: str, field: str) -> str:
    """The keyword name of a parameter: ``group.centralisation`` -> ``group_centralisation``.

    Hypothesis switches are already prefixed (``h1_strength``) and run settings stand alone
    (``record_every``). An engager kind's parameters are named after the kind
    (``dialogue_principled``) and set that field on every engager of the kind.
    """
    return field if section in ("hypotheses", "run") else f"{section}_{field}"


#: every settings section by name: the scenario's sections, ``engager`` (what every engager
#: has: ``engager.end_week`` sets it on all of them; ``engager.contact_interval`` on all that
#: meet) and the engager kinds
ALL_SECTIONS: dict[str, type] = {**SECTIONS, "engager": AnyEngagerSettings, **ENGAGER_SECTIONS}
_NOT_PARAMETERS = ("kind", "name", "groups", "norms", "norm")  # an engager's identity
_ENGAGERS = ("engager", *ENGAGER_SECTIONS)


def _scalar(section: str, field: str) -> bool:
    if section == "run":
        return field not in RUN_ONLY
    return not (section in _ENGAGERS and field in _NOT_PARAMETERS)


#: every model parameter: flat keyword name -> (section, field), in declaration order
PARAMETERS: dict[str, tuple[str, str]] = {
    flat_name(s, f): (s, f)
    for s, cls in ALL_SECTIONS.items() for f in cls.model_fields if _scalar(s, f)
}
_DOTTED = {f"{s}.{f}": (s, f) for s, cls in ALL_SECTIONS.items() for f in cls.model_fields
           if f != "kind"}
#: names from before engagers were plug-ins: the single persuader is a dialogue engager
_LEGACY_SECTION = {"persuader": "dialogue"}


def defaults() -> dict[str, Any]:
    """Every model parameter's default, by flat name (engager kinds: their class defaults)."""
    return {name: ALL_SECTIONS[s].model_fields[f].default for name, (s, f) in PARAMETERS.items()}


def to_flat(scenario: Scenario) -> dict[str, Any]:
    """The model parameters of a scenario as flat keywords (an engager kind's from the first
    engager of that kind; kinds the scenario does not have are left out)."""
    out = {}
    for name, (s, f) in PARAMETERS.items():
        if s in _ENGAGERS:
            # the first engager with that field: a kind that does not meet has no 'reputation'
            first = next((e for e in scenario.engagers if s in ("engager", e.kind)
                          and f in type(e).model_fields), None)
            if first is not None:
                out[name] = getattr(first, f)
        else:
            out[name] = getattr(getattr(scenario, s), f)
    return out


def locate(key: str) -> tuple[str, str] | None:
    """(section, field) of a flat (``group_centralisation``) or dotted (``group.centralisation``)
    parameter name; the old ``persuader`` names map to the ``dialogue`` engager."""
    for old, new in _LEGACY_SECTION.items():
        for sep in ("_", "."):
            if key.startswith(old + sep) and key != f"{old}{sep}count":
                key = new + sep + key[len(old) + 1:]
    return PARAMETERS.get(key) or _DOTTED.get(key)


def suggest(key: str) -> str:
    if key in ALL_SECTIONS:
        first = next(iter(ALL_SECTIONS[key].model_fields))
        return f" ({key} is a section: name one of its parameters, e.g. {key}.{first})"
    close = difflib.get_close_matches(key, [*_DOTTED, *PARAMETERS, *ALL_SECTIONS], n=1,
                                      cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def _set(data: dict, section: str, field: str, value: Any, key: str, origin: str) -> None:
    """Set one parameter in nested scenario data (an engager kind's: on every such engager)."""
    if section == "group" and field == "type" and value != "":
        if not isinstance(value, str) or value not in TYPES:
            raise ScenarioError(f"{origin}: {key} = {value!r} is not a type of group; types "
                                f"are: {', '.join(TYPES)}")
        if value != data["group"].get("type"):  # a new type sets its settings
            data["group"].update(preset(value))
    if section not in _ENGAGERS:
        data[section][field] = value
        return
    tables = [e for e in data["engager"] if section == e.get("kind") or section == "engager"
              and field in getattr(KINDS.get(e.get("kind")), "Settings", AnyEngagerSettings
                                   ).model_fields]
    if not tables:
        have = ", ".join(sorted({e.get("kind", "?") for e in data["engager"]})) or "none"
        raise ScenarioError(f"{origin}: '{key}' sets a {section} engager's parameter, but the "
                            f"scenario has no {section} engager (its engagers: {have}); add an "
                            f"[[engager]] table with kind = \"{section}\".")
    for table in tables:
        table[field] = value


def _legacy_count(data: dict, count: Any, origin: str) -> None:
    """``persuader.count`` (before engagers were plug-ins): that many dialogue engagers sharing
    the groups in turn; 0 for none."""
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 20:
        raise ScenarioError(f"{origin}: persuader.count = {count!r} is not allowed: expected a "
                            "whole number from 0 to 20 (the number of dialogue engagers)")
    first = next((e for e in data["engager"] if e.get("kind") == "dialogue"), {"kind": "dialogue"})
    others = [e for e in data["engager"] if e.get("kind") != "dialogue"]
    n_groups = data.get("group", {}).get("count", 1)
    dialogue = [{**first, "groups": [g for g in range(n_groups) if g % count == i]
                 if count > 1 else first.get("groups", [])} for i in range(count)]
    data["engager"] = dialogue + others


def _legacy_tables(data: dict, origin: str) -> dict:
    """Accept a ``[persuader]`` table (the form before ``[[engager]]`` tables)."""
    if "persuader" not in data:
        return data
    data = dict(data)
    table = dict(data.pop("persuader"))
    if not isinstance(table, dict):
        raise ScenarioError(f"{origin}: persuader must be a table ([persuader])")
    if "engager" in data or "engagers" in data:
        raise ScenarioError(f"{origin}: use either a [persuader] table (the old form) or "
                            "[[engager]] tables, not both")
    count = table.pop("count", 1)
    data["engager"] = [{"kind": "dialogue", **table}]
    _legacy_count(data, count, origin)
    return data


def with_values(base: Scenario, values: Mapping[str, Any], origin: str) -> Scenario:
    """``base`` with parameters replaced by ``values`` (keys flat or dotted; also title/description).

    ``origin`` names where the values came from (a file, ``--set``) for error messages.
    """
    data = base.model_dump(by_alias=True)
    # a group type first (it sets several fields), then what every engager has, then the rest
    order = {"group_type": 0, "group.type": 0}
    ranked = sorted(spell_out_sections(values).items(), key=lambda kv: order.get(
        kv[0], 1 if str(kv[0]).startswith(("engager_", "engager.")) else 2))
    for key, value in ranked:
        if key in ("title", "description", "norms"):
            data[key] = value
            continue
        if isinstance(value, np.generic):  # numpy scalars from SALib, pandas or batch_run
            value = value.item()
        if key in ("persuader_count", "persuader.count"):
            _legacy_count(data, value, origin)
            continue
        where = locate(key)
        if where is None:
            raise ScenarioError(f"{origin}: '{key}' is not a parameter{suggest(key)}. "
                                "See 'normsim parameters' for the list.")
        _set(data, where[0], where[1], value, key, origin)
    return validate(data, origin)


def spell_out_sections(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"group": {"fighters": 5}}`` (a TOML table, or ``--set group={fighters=5}``) means
    ``{"group.fighters": 5}``, as TOML itself reads it."""
    out = {}
    for key, value in values.items():
        if key in ALL_SECTIONS and isinstance(value, Mapping):
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


def scenario_path(name_or_path: str | Path) -> Path:
    """The file of a shipped scenario name (``baseline``) or of a path; ScenarioError if none."""
    return shipped_or_file(name_or_path, SCENARIO_DIR, "scenario")


def load(name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> Scenario:
    """Load and validate a scenario file (or shipped name), then apply overrides."""
    path = scenario_path(name_or_path)
    data, _ = read_toml(path)
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
    data = _legacy_tables(dict(data), origin)
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        lines = [_explain(e, data) for e in err.errors()]
        head = f"{origin}: " if len(lines) == 1 else f"{origin}: {len(lines)} problems:\n  "
        raise ScenarioError(head + "\n  ".join(dict.fromkeys(lines))) from None


def allowed(section: str, field: str) -> str:
    """What a parameter accepts, in words: 'a number from 0 to 1'."""
    return allowed_in(ALL_SECTIONS[section], field)


def _explain_engager(error: Mapping[str, Any], loc: list[str]) -> str:
    """An error inside the ``[[engager]]`` tables: loc is (engager, i[, kind], field...)."""
    kind, value = error["type"], error.get("input")
    number = int(loc[1]) + 1 if len(loc) > 1 and loc[1].isdigit() else None
    where = f"engager {number}" if number else "engager"
    rest = loc[2:]
    section = rest[0] if rest and rest[0] in ENGAGER_SECTIONS else None
    if section:
        rest = rest[1:]
    if kind in ("union_tag_invalid", "literal_error") and (not rest or rest == ["kind"]):
        tag = value.get("kind") if isinstance(value, dict) else value
        return (f"{where}: kind = {_show(tag)} is not an engager kind; kinds are: "
                + ", ".join(KINDS))
    if kind == "union_tag_not_found":
        return f"{where}: give its kind, e.g. kind = 'dialogue' (kinds: {', '.join(KINDS)})"
    if kind in ("model_type", "dict_type", "list_type", "model_attributes_type") and not rest:
        return ("engager must be a list of tables ([[engager]] with kind = ...), not "
                + _show(value))
    if section is None and len(ENGAGER_SECTIONS) == 1:
        section = next(iter(ENGAGER_SECTIONS))
    fields = ENGAGER_SECTIONS[section].model_fields if section else {}
    if len(rest) == 1 and kind == "extra_forbidden":
        return (f"{where}: {rest[0]} is not a parameter of a {section} engager"
                f"{suggest(section + '.' + rest[0])}; it has: {', '.join(fields)}")
    if rest and rest[0] in fields:
        hint = (" (leave groups out to engage every group)" if rest[0] == "groups" else "")
        return (f"{where} ({section}): {rest[0]} = {_show(value)} is not allowed: expected "
                f"{allowed(section, rest[0])}{hint}")
    return f"{where}: " + error["msg"].removeprefix("Value error, ")


def _explain(error: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    loc = [str(p) for p in error["loc"]]
    kind, value = error["type"], error.get("input")
    dotted = ".".join(loc)
    if loc and loc[0] in ("engager", "engagers"):
        return _explain_engager(error, loc)
    if not loc:
        return error["msg"].removeprefix("Value error, ")
    if loc[0] == "norms":
        return (f"norms = {_show(value)} is not allowed: expected a list of norm names, e.g. "
                "[\"civilians\", \"mines\"]")
    if kind == "extra_forbidden":
        if len(loc) == 1:
            hint = (f" (a {loc[0]} engager's settings go in its [[engager]] table, with kind = "
                    f"\"{loc[0]}\")" if loc[0] in ENGAGER_SECTIONS else suggest(loc[0]))
            return (f"[{loc[0]}] is not a section{hint}; sections are: "
                    + ", ".join(SECTIONS) + ", plus title, description, norms and [[engager]] "
                    "tables")
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
