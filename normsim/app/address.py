"""A session in the page's address, so that a refresh, a dropped connection or a bookmark brings
the run back.

The address holds the recipe of the run, not its state: the preset, the seed, the settings the
run started with where they differ from the preset's, its engagers and norms when they differ,
every change of conditions made mid-run (its week and values) and the week shown. The same seed
and settings give the same run, so :meth:`normsim.app.session.Session.replay` rebuilds it by
running the weeks again (ten years of the baseline take about a second). A value that does not
fit (a bookmark edited by hand, a parameter since renamed) is not applied, and the page says so.

    ?preset=engagement_ends&seed=7&week=260&start={"environment_conflict_intensity":0.9}
     &changes=[[150,{"dialogue_end_week":400}]]&lang=fr
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from normsim.settings.arguments import whole_text

KEYS = ("preset", "seed", "week", "start", "make", "changes", "lang")


@dataclass
class Recipe:
    """What a run was made from, as the address says it."""

    preset: str | None = None
    seed: int | None = None
    week: int = 0
    start: dict = field(default_factory=dict)  # flat values at week 0, where not the preset's
    make: dict | None = None  # {"engagers": [...], "norms": [...]}, where not the preset's
    changes: list[tuple[int, dict]] = field(default_factory=list)  # mid-run changes, in order
    problems: list[str] = field(default_factory=list)  # what could not be read, in words

    @property
    def empty(self) -> bool:
        return self.preset is None and self.seed is None and not self.week


def _json(text: str, kind: type, problems: list[str], key: str):
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, kind):
        problems.append(f"{key}={text[:60]}")
        return None
    return value


def _whole(text: str, problems: list[str], key: str) -> int | None:
    value = whole_text(text)
    if value is None:
        problems.append(f"{key}={text[:60]}")
    return value


def read(search: str | None) -> Recipe:
    """The recipe in a query string (with or without its ``?``); what does not parse is listed
    in ``problems`` and left out."""
    query = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
    recipe = Recipe()
    problems = recipe.problems
    recipe.preset = query.get("preset") or None
    if "seed" in query:
        recipe.seed = _whole(query["seed"], problems, "seed")
    if "week" in query:
        recipe.week = _whole(query["week"], problems, "week") or 0
    if "start" in query:
        recipe.start = _json(query["start"], dict, problems, "start") or {}
    if "make" in query:
        recipe.make = _json(query["make"], dict, problems, "make")
    if "changes" in query:
        changes = _json(query["changes"], list, problems, "changes") or []
        for item in changes:
            if (isinstance(item, list) and len(item) == 2 and isinstance(item[0], int)
                    and item[0] >= 0 and isinstance(item[1], dict)):
                recipe.changes.append((item[0], item[1]))
            else:
                problems.append(f"changes: {json.dumps(item)[:60]}")
        recipe.changes.sort(key=lambda c: c[0])
    return recipe


def write(recipe: Recipe, language: str | None = None) -> str:
    """The query string (without ``?``) that :func:`read` turns back into ``recipe``."""
    query: dict[str, str] = {"preset": recipe.preset or "", "seed": str(recipe.seed),
                             "week": str(recipe.week)}
    compact = {"separators": (",", ":")}
    if recipe.start:
        query["start"] = json.dumps(recipe.start, **compact)
    if recipe.make is not None:
        query["make"] = json.dumps(recipe.make, **compact)
    if recipe.changes:
        query["changes"] = json.dumps([[w, v] for w, v in recipe.changes], **compact)
    if language:
        query["lang"] = language
    return urlencode(query)
