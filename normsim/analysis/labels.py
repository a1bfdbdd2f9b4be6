"""Parameters in words, for axes and legends: ``dialogue_principled`` becomes "dialogue: argues
from principles (0–1)". Words are the labels declared with each parameter (:func:`normsim.params.P`)
and the unit or range in brackets comes from the same declaration, so neither can drift from the
model. A parameter's words and a value's live with the settings (:mod:`normsim.settings.words`)."""

from __future__ import annotations

from annotated_types import Ge, Le

from normsim.settings.scenario import ALL_SECTIONS
from normsim.settings.schema import NEVER
from normsim.settings.words import field_of, value_text, words
from normsim.simulation.outcomes import OUTCOMES


def factor_label(name: str) -> str:
    """A parameter for an axis: words and, in brackets, its unit or range ("(0–1)", "(weeks)")."""
    section, field = field_of(name)
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


def condition_text(names, values, short: bool = True) -> str:
    """One condition in words: "people's-war ideology: 0.8, entrenched contrary practice: 0.1"."""
    return ", ".join(f"{words(n) if short else factor_label(n)}: {value_text(n, v)}"
                     for n, v in zip(names, values))


#: outcomes of a run (normsim.simulation.outcomes.OUTCOMES and time to threshold), in words with units
OUTCOME_LABELS = {**{name: o.words for name, o in OUTCOMES.items()},
                  "weeks_to_threshold": "weeks until compliance reaches the threshold"}


def outcome_label(name: str) -> str:
    return OUTCOME_LABELS.get(name, name.replace("_", " "))
