"""Parameters in words, for axes and legends: ``dialogue_principled`` becomes "dialogue: argues
from principles (0–1)". Words are the labels declared with each parameter (:func:`normsim.params.P`)
and the unit or range in brackets comes from the same declaration, so neither can drift from the
model."""

from __future__ import annotations

from functools import lru_cache

from annotated_types import Ge, Le

from normsim.simulation.outcomes import OUTCOMES

from normsim.params import label as param_label
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, locate
from normsim.settings.schema import ENGAGER_SECTIONS, NEVER

def _declared_words() -> dict[str, str]:
    """Flat parameter name -> its declared label (:func:`normsim.params.P`); for an engager
    kind's parameters, prefixed with the kind when its label does not say it."""
    out = {}
    for flat, (section, field) in PARAMETERS.items():
        text = param_label(ALL_SECTIONS[section], field)
        if section in ENGAGER_SECTIONS and section not in text:
            text = f"{section}: {text}"
        out[flat] = text
    return out


#: flat parameter name -> what it is, in a few words (the unit or range is added from the schema)
WORDS = _declared_words()


def _field(name: str):
    where = locate(name)
    return (None, None) if where is None else where


def _flat(name: str) -> str:
    where = locate(name)
    return next((k for k, v in PARAMETERS.items() if v == where), name) if where else name


def words(name: str) -> str:
    """A parameter in a few words, without unit: "persuader argues from principles"."""
    if name == "scenario":
        return "scenario"
    flat = _flat(name)
    return WORDS.get(flat, flat.replace("_", " "))


def factor_label(name: str) -> str:
    """A parameter for an axis: words and, in brackets, its unit or range ("(0–1)", "(weeks)")."""
    section, field = _field(name)
    if section is None:
        return words(name)
    info = ALL_SECTIONS[section].model_fields[field]
    extra = info.json_schema_extra or {}
    unit = extra.get("unit", "")
    lo = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    hi = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    if info.annotation is bool:
        suffix = "yes/no"
    elif unit == "week":
        suffix = "week; -1 never" if lo == NEVER else "week"
    elif unit:
        suffix = unit
    elif info.annotation is float and lo == 0 and hi == 1:
        suffix = "0–1"
    else:
        suffix = ""
    text = words(name)
    return f"{text} ({suffix})" if suffix else text


@lru_cache(maxsize=256)
def scenario_text(name: str) -> str:
    """A shipped scenario in words: its title, without a leading question shared by the arms of
    an experiment ("Which engager? A deed of commitment ..." -> "A deed of commitment ...");
    the name itself if there is no such scenario."""
    from normsim.settings.scenario import load

    try:
        title = load(name).title
    except Exception:  # noqa: BLE001 - a label falls back to the name, never fails a figure
        return str(name)
    head, sep, rest = title.partition("? ")
    return rest if sep and rest else title


def type_text(key: str) -> str:
    """A type of group in words (:data:`normsim.world.typology.TYPES`)."""
    from normsim.world.typology import TYPES

    return TYPES[key].title if key in TYPES else ("no type" if key == "" else str(key))


def value_text(name: str, value) -> str:
    """A factor's value in words: booleans as yes/no, -1 weeks as 'never', numbers short, a
    scenario by its title, a type of group by its description."""
    if name == "scenario":
        return scenario_text(value)
    section, field = _field(name)
    if (section, field) == ("group", "type"):
        return type_text(value)
    info = ALL_SECTIONS[section].model_fields[field] if section else None
    unit = ((info.json_schema_extra or {}).get("unit", "") if info else "")
    if isinstance(value, (bool,)) or (info is not None and info.annotation is bool):
        return "yes" if bool(value) else "no"
    if unit == "week" and value == NEVER:
        return "never"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def condition_text(names, values, short: bool = True) -> str:
    """One condition in words: "people's-war ideology: 0.8, entrenched contrary practice: 0.1"."""
    return ", ".join(f"{words(n) if short else factor_label(n)}: {value_text(n, v)}"
                     for n, v in zip(names, values))


#: outcomes of a run (normsim.simulation.outcomes.OUTCOMES and time to threshold), in words with units
OUTCOME_LABELS = {**{name: o.words for name, o in OUTCOMES.items()},
                  "weeks_to_threshold": "weeks until compliance reaches the threshold"}


def outcome_label(name: str) -> str:
    return OUTCOME_LABELS.get(name, name.replace("_", " "))
