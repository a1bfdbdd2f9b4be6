"""Change the conditions of a running model from this week on ("what if the fighting calms now?").

:meth:`NormDiffusionModel.change_conditions <normsim.simulation.model.NormDiffusionModel.change_conditions>`
is the one way in; this module holds its rules. A model's settings are a frozen, validated
:class:`~normsim.settings.schema.Scenario`: a change builds a validated copy with the new values,
puts it in place of ``model.settings``, lets each population refresh what it derived from its
settings (through its own ``change_settings``), and logs a ``conditions changed`` event that says
what changed, in words. The week, the agents and their histories carry on: only what happens
from now on follows the new conditions.

Parameters that fix the model's make-up (how many groups, fighters, commanders, communities and
persuaders there are) cannot change in a running model; a change refuses them with a message,
and a new run with those settings is the way to try them.

    >>> model = NormDiffusionModel(rng=1)
    >>> for _ in range(100): model.step()
    >>> model.change_conditions({"environment_conflict_intensity": 0.2})
    ['conflict intensity: 0.5 → 0.2']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from normsim.events import declare
from normsim.settings.scenario import PARAMETERS, ScenarioError, locate, to_flat, with_values
from normsim.settings.words import value_text, words
from normsim.world.groups import PER_GROUP

#: parameters that set how many agents there are, or are only read when the model is built
#: (``persuader_count``, the number of dialogue engagers, is not a parameter but an alias that
#: rebuilds the engager list: it is fixed too)
FIXED_AT_START = ("group_count", "group_fighters", "group_operational_commanders",
                  "group_units_per_commander", "community_per_group", "persuader_count",
                  "community_initial_support", "record_every", "group_type")
_MISSING = object()

CHANGED = declare("conditions changed", "conditions changed: {detail}",
                  marker="conditions changed")


def flat(key: str) -> str:
    """A parameter's flat keyword name, from a flat or dotted key (ScenarioError if unknown)."""
    if key in ("persuader_count", "persuader.count"):
        return "persuader_count"
    where = locate(key)
    if where is None:
        raise ScenarioError(f"'{key}' is not a parameter. See 'normsim parameters' for the list.")
    return next(name for name, place in PARAMETERS.items() if place == where)


def changes(model, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The parameters ``values`` would really change: flat name -> (now, then). A parameter of
    an engager kind the model does not have counts as a change (applying it then says the
    scenario has no such engager)."""
    now = to_flat(model.settings)
    # the alias's value now: how many dialogue engagers the run has (asking for as many changes
    # nothing, so it is not refused as a setting fixed at the start)
    now["persuader_count"] = sum(e.kind == "dialogue" for e in model.settings.engagers)
    out = {}
    for key, value in values.items():
        name = flat(key)
        before = now.get(name, _MISSING)
        if before is _MISSING or before != value:
            out[name] = (None if before is _MISSING else before, value)
    return out


def change(model, values: Mapping[str, Any], origin: str,
           expected_harm: Callable) -> list[str]:
    """Apply ``values`` (flat or dotted parameter names) to ``model`` from its current week on
    (what :meth:`NormDiffusionModel.change_conditions` does; see there). ``expected_harm`` is
    the communities' expected harm at the start, given their pressure (settled again at week 0)."""
    diff = changes(model, values)
    if not diff:
        return []
    fixed = [name for name in diff if name in FIXED_AT_START]
    if fixed:
        raise ScenarioError(f"{origin}: {', '.join(fixed)} can only be set when a run starts; "
                            "start a new run with these settings instead.")
    model.settings = with_values(model.settings, {name: new for name, (_, new) in diff.items()},
                                 origin)
    _refresh(model, list(diff), expected_harm)
    said = [f"{words(name)}: {value_text(name, old)} → {value_text(name, new)}"
            for name, (old, new) in diff.items()]
    detail = json.dumps({name: [old, new] for name, (old, new) in diff.items()})
    for group in range(model.groups.n):
        model.log(CHANGED, group, detail=detail, text="conditions changed: " + "; ".join(said))
    return said


def _refresh(model, changed: list[str], expected_harm: Callable) -> None:
    """Each population brings what it took from its settings in line with the new ones.

    Everything else reads ``model.settings`` each week. Group settings changed here apply to
    every group (a population's groups keep their own values of everything else). At week 0
    nothing has happened yet, so what the model settled when it was built is settled again
    from the new settings (so that a change at week 0 gives the run built with them): the
    environment's start, which groups are alive, the communities' harm at the no-engagement
    equilibrium, the state's starting conduct. The order matters there: the communities'
    equilibrium reads the fighters' new settings and the environment's new start.
    """
    s, week = model.settings, model.steps
    if model.environment.change_settings(s.environment, week):
        for group in range(model.groups.n):
            model.log("group listed", group)
    group_values = {field: getattr(s.group, field) for section, field in map(PARAMETERS.get, changed)
                    if section == "group" and field in PER_GROUP}
    model.groups.change_settings(group_values, s.integration.department_isolation, week)
    for agent, engager in zip(model.engager_agents, s.engagers):
        agent.change_settings(engager, week)
    model.fighters.change_settings(s.fighters, s.community.restraint)
    model.communities.change_settings(s.community, week, expected_harm)
    model.state.change_settings(s.state, week,
                                1.0 - float(model.communities.usual_harm.mean()))
