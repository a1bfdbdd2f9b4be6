"""Kinds of event, declared once beside the code that logs them, with their words.

The model logs events as they happen (a commitment made, a doctrine adopted, a setback); the
narrative, the score card, chart markers in the app and reports all read these declarations, so
a new engager's events reach them without editing any of them.

    COMMITMENT = declare("commitment made", "the top commander publicly committed the group to "
                         "respect {norm}", marker="commitment")
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    kind: str  #: the name in the events table ("commitment made")
    words: str  #: the default sentence; ``{norm}`` and ``{detail}`` are filled in when logged
    key: bool = True  #: a reader follows it (the narrative tells it)
    first_only: bool = False  #: only each group's first one is told (routine events)
    marker: str = ""  #: a short label when charts mark it ("" for no marker)


KINDS: dict[str, EventKind] = {}


def declare(kind: str, words: str, *, key: bool = True, first_only: bool = False,
            marker: str = "") -> EventKind:
    """Declare an event kind (idempotent for an identical declaration)."""
    event = EventKind(kind, words, key, first_only, marker)
    if KINDS.get(kind, event) != event:
        raise ValueError(f"event kind {kind!r} is declared twice, differently")
    KINDS[kind] = event
    return event


#: sentences logged in place of a kind's words (``log(..., text=...)``), declared with
#: :func:`sentence` so that every language's catalogue translates them whole
TEXTS: dict[str, str] = {}


def sentence(kind: EventKind, words: str) -> str:
    """Declare a sentence an event of ``kind`` may be told with instead of its kind's words
    (``{norm}``, ``{detail}`` and ``{engager}`` are filled in as for the kind's)."""
    TEXTS[words] = kind.kind
    return words


def kinds() -> tuple[str, ...]:
    return tuple(KINDS)


def key_kinds() -> tuple[str, ...]:
    return tuple(k for k, e in KINDS.items() if e.key)


def first_only_kinds() -> tuple[str, ...]:
    return tuple(k for k, e in KINDS.items() if e.first_only)


def markers() -> dict[str, str]:
    """Event kind -> its chart marker label, for the kinds charts mark."""
    return {k: e.marker for k, e in KINDS.items() if e.marker}
