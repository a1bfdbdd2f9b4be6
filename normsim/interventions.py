"""Change the conditions of a running model from this week on ("what if the fighting calms now?").

A model's settings are a frozen, validated :class:`~normsim.schema.Scenario`. :func:`change`
builds a validated copy with the new values, puts it in place of ``model.settings``, refreshes
what the model derived from the settings when it was built, and logs a ``conditions changed``
event that says what changed, in words. The week, the agents and their histories carry on: only
what happens from now on follows the new conditions.

Parameters that fix the model's make-up (how many groups, fighters, commanders, communities and
persuaders there are) cannot change in a running model; :func:`change` refuses them with a
message, and a new run with those settings is the way to try them.

    >>> model = NormDiffusionModel(rng=1)
    >>> for _ in range(100): model.step()
    >>> change(model, {"environment_conflict_intensity": 0.2})
    ['conflict intensity: 0.5 → 0.2']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from normsim.analysis.labels import value_text, words
from normsim.scenario import PARAMETERS, ScenarioError, locate, to_flat, with_values
from normsim.schema import NEVER

if TYPE_CHECKING:
    from normsim.model import NormDiffusionModel

#: parameters that set how many agents there are, or are only read when the model is built
FIXED_AT_START = ("group_count", "group_fighters", "group_operational_commanders",
                  "group_units_per_commander", "community_per_group", "persuader_count",
                  "community_initial_support", "record_every")


def flat(key: str) -> str:
    """A parameter's flat keyword name, from a flat or dotted key (ScenarioError if unknown)."""
    where = locate(key)
    if where is None:
        raise ScenarioError(f"'{key}' is not a parameter. See 'normsim parameters' for the list.")
    return next(name for name, place in PARAMETERS.items() if place == where)


def changes(model: NormDiffusionModel, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The parameters ``values`` would really change: flat name -> (now, then)."""
    now = to_flat(model.settings)
    out = {}
    for key, value in values.items():
        name = flat(key)
        if now[name] != value:
            out[name] = (now[name], value)
    return out


def change(model: NormDiffusionModel, values: Mapping[str, Any],
           origin: str = "change of conditions") -> list[str]:
    """Apply ``values`` (flat or dotted parameter names) to ``model`` from its current week on.

    Returns the changes in words (``'conflict intensity: 0.5 → 0.2'``); an empty list when no
    value differs. ScenarioError, with nothing changed, when a value is not allowed, the new
    settings contradict each other, or a parameter is fixed at the start (:data:`FIXED_AT_START`).
    """
    diff = changes(model, values)
    if not diff:
        return []
    fixed = [name for name in diff if name in FIXED_AT_START]
    if fixed:
        raise ScenarioError(f"{origin}: {', '.join(fixed)} can only be set when a run starts; "
                            "start a new run with these settings instead.")
    settings = with_values(model.settings, {name: new for name, (_, new) in diff.items()}, origin)
    model.settings = settings
    _refresh(model)
    said = [f"{words(name)}: {value_text(name, old)} → {value_text(name, new)}"
            for name, (old, new) in diff.items()]
    detail = json.dumps({name: [old, new] for name, (old, new) in diff.items()})
    for group in model.group_agents:
        model.log("conditions changed", group, None, "conditions changed: " + "; ".join(said),
                  detail=detail)
    return said


def _refresh(model: NormDiffusionModel) -> None:
    """Bring what the model took from its settings at the start in line with the new ones.

    Everything else reads ``model.settings`` each week. The listing is an event of a week: moved
    to a week already past, it takes effect now; moved ahead or to never, the group is not
    (or no longer) listed until then.
    """
    s, week, env = model.settings, model.steps, model.environment
    env.settings = s.environment
    due = s.environment.listing_week  # the environment lists the group when this week begins
    listed = due != NEVER and (due < week or due == week == 0)  # (week 0: as when built)
    if listed and not env.listed and due < week:
        for group in model.group_agents:
            model.log("group listed", group, None, "the state listed the group as a terrorist "
                      "organisation, politicising any contact with it")
    env.listed = listed
    model.signals.contrary[:] = s.group.contrary_practice
    model.signals.people_war[:] = s.group.people_war
    for group in model.group_agents:
        group.derive_from_settings()
    model.signals.transmission[:] = [g.transmission for g in model.group_agents]
