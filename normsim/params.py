"""How a parameter is declared: once, with its default, range, words, unit and source.

Every settings section of the model (``[group]``, an engager kind, a norm ...) is a
:class:`Section` whose fields are declared with :func:`P`. Everything else -- validation,
``normsim parameters``, the ODD's parameter tables, axis labels in figures, the app's controls
-- reads these declarations, so a parameter's label or range is written in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field

NEVER = -1  # "no such week" in week-valued parameters


def P(default: Any, lo: float | None = None, hi: float | None = None, *, meaning: str,
      source: str, label: str = "", unit: str = "") -> Any:
    """Declare a parameter: default, inclusive range, meaning in words, its source, and a short
    ``label`` (a few words, for axes and controls; derived from the name when empty)."""
    return Field(default, ge=lo, le=hi, description=meaning,
                 json_schema_extra={"source": source, "unit": unit, "label": label})


class Section(BaseModel):
    """A table of settings. ``title`` names it in documents; ``bundle`` is seed 002's
    success-factor bundle it belongs to (environment, persuader, armed group, interaction)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    title: ClassVar[str] = ""
    bundle: ClassVar[str] = ""


def info(section: type[Section], field: str):
    """The pydantic field info of a declared parameter."""
    return section.model_fields[field]


def bounds(section: type[Section], field: str) -> tuple[float | None, float | None]:
    """The inclusive range ``(lo, hi)`` a parameter was declared with (None where open)."""
    meta = info(section, field).metadata
    lo = next((m.ge for m in meta if isinstance(m, Ge)), None)
    hi = next((m.le for m in meta if isinstance(m, Le)), None)
    return lo, hi


def extra(section: type[Section], field: str) -> dict:
    return info(section, field).json_schema_extra or {}


def label(section: type[Section], field: str) -> str:
    """A parameter in a few words (its declared label, else its name in words)."""
    return extra(section, field).get("label") or field.replace("_", " ")
