"""Reading what users write: a TOML file read once, its errors as one message naming the file,
the field, the value and what is allowed (:class:`ScenarioError`, a
:class:`normsim.errors.UserError`), and where shipped files live. Every kind of file --
scenarios, populations, experiments, calibrations -- is read here, so their messages agree."""

from __future__ import annotations

import tomllib
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from annotated_types import Ge, Le
from pydantic import ValidationError

from normsim.errors import UserError

#: the largest seed a file can hold (``run.seed``, ``root_seed``; the app's seed box): a signed
#: 64-bit integer. Declared once, here, below every settings module that reads a seed
MAX_SEED = 2**63 - 1


def shipped_folder(package: str) -> Path:
    """The folder of files shipped as package data (``normsim.scenarios``: the top-level
    ``scenarios/`` folder, which setup.py installs into the package, wheel or editable)."""
    return Path(str(resources.files(package)))


class ScenarioError(UserError):
    """A scenario or an override is invalid; the message says where, what, and what is allowed."""


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


def allowed_in(section: type, field: str) -> str:
    """What a field of a settings class accepts, in words: 'a number from 0 to 1'."""
    info = section.model_fields[field]
    kind = info.annotation
    if kind is bool:
        return "true or false"
    if kind is str:
        return "a text in quotes"
    if kind == list[int]:
        return "a list of whole numbers, e.g. [0, 2]"
    if kind == list[str]:
        return "a list of texts, e.g. [\"mines\"]"
    if getattr(kind, "__origin__", None) is Literal:
        return "one of: " + ", ".join(str(a) for a in kind.__args__)
    lo = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    hi = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    noun = "a whole number" if kind is int else "a number"
    if lo is not None and hi is not None:
        return f"{noun} from {lo:g} to {hi:g}" if kind is float else f"{noun} from {lo} to {hi}"
    return noun


def _show(value: Any) -> str:
    if isinstance(value, (date, time)):  # a TOML date or time: as it was written
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "a list of tables"
    return repr(value)


def shown_value(value: Any) -> str:
    """A value in a message about a file other than a scenario (as those messages always did,
    in Python's spelling), dates as dates."""
    return value.isoformat() if isinstance(value, (date, time)) else repr(value)


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """A TOML file's tables and its text; one ScenarioError naming the file and what is wrong
    (unreadable, not UTF-8, malformed) otherwise. Every file the user writes is read here."""
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as err:
        raise ScenarioError(f"{path}: cannot be read: not UTF-8 text (byte {err.start}); save it "
                            "as UTF-8.") from None
    except OSError as err:
        raise ScenarioError(f"{path}: cannot be read: {err.strerror or err}.") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: malformed TOML: {err}.") from None


def read_validated(path: Path, model) -> tuple[Any, str]:
    """Read a TOML file and validate it with the pydantic ``model``: (the validated object, the
    text); one ScenarioError naming the file, each field and its value otherwise."""
    data, text = read_toml(path)
    try:
        return model.model_validate(data), text
    except ValidationError as err:
        lines = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"])
            value = e.get("input")
            shown = "" if isinstance(value, dict) else f" = {shown_value(value)}"
            lines.append(f"{loc}{shown}: {e['msg'].removeprefix('Value error, ')}")
        raise ScenarioError(f"{path}: " + "; ".join(dict.fromkeys(lines))) from None
