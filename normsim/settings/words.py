"""A parameter in words: its declared label (:func:`normsim.params.P`) and its value as a person
reads it ("dialogue: argues from principles", "never", "yes"). Declared beside the settings so
that the model can say what changed (a change of conditions mid-run) and analysis can label its
axes from the same words."""

from __future__ import annotations

from functools import lru_cache

from normsim.params import label as param_label
from normsim.settings.scenario import ALL_SECTIONS, PARAMETERS, load, locate
from normsim.settings.schema import ENGAGER_SECTIONS, NEVER
from normsim.world.typology import TYPES


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


def field_of(name: str):
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


@lru_cache(maxsize=256)
def scenario_text(name: str) -> str:
    """A shipped scenario in words: its title, without a leading question shared by the arms of
    an experiment ("Which engager? A deed of commitment ..." -> "A deed of commitment ...");
    the name itself if there is no such scenario."""
    try:
        title = load(name).title
    except Exception:  # noqa: BLE001 - a label falls back to the name, never fails a figure
        return str(name)
    head, sep, rest = title.partition("? ")
    return rest if sep and rest else title


def type_text(key: str) -> str:
    """A type of group in words (:data:`normsim.world.typology.TYPES`)."""
    return TYPES[key].title if key in TYPES else ("no type" if key == "" else str(key))


def value_text(name: str, value) -> str:
    """A factor's value in words: booleans as yes/no, -1 weeks as 'never', numbers short, a
    scenario by its title, a type of group by its description."""
    if name == "scenario":
        return scenario_text(value)
    section, field = field_of(name)
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
