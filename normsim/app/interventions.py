"""Change the conditions of a running model from this week on ("what if the fighting calms now?").

A model's settings are a frozen, validated :class:`~normsim.settings.schema.Scenario`. :func:`change`
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

import numpy as np

from normsim.analysis.labels import value_text, words
from normsim.events import declare
from normsim.settings.scenario import PARAMETERS, ScenarioError, locate, to_flat, with_values
from normsim.settings.schema import NEVER

if TYPE_CHECKING:
    from normsim.simulation.model import NormDiffusionModel

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


def changes(model: NormDiffusionModel, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The parameters ``values`` would really change: flat name -> (now, then). A parameter of
    an engager kind the model does not have counts as a change (:func:`change` then says the
    scenario has no such engager)."""
    now = to_flat(model.settings)
    out = {}
    for key, value in values.items():
        name = flat(key)
        before = now.get(name, _MISSING)
        if before is _MISSING or before != value:
            out[name] = (None if before is _MISSING else before, value)
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
    _refresh(model, list(diff))
    said = [f"{words(name)}: {value_text(name, old)} → {value_text(name, new)}"
            for name, (old, new) in diff.items()]
    detail = json.dumps({name: [old, new] for name, (old, new) in diff.items()})
    for group in range(model.groups.n):
        model.log(CHANGED, group, detail=detail, text="conditions changed: " + "; ".join(said))
    return said


def _refresh(model: NormDiffusionModel, changed: list[str]) -> None:
    """Bring what the model took from its settings at the start in line with the new ones.

    Everything else reads ``model.settings`` each week. Group settings changed here apply to
    every group (a population's groups keep their own values of everything else). The listing
    is an event of a week: moved to a week already past, it takes effect now; moved ahead or to
    never, the group is not (or no longer) listed until then. At week 0 nothing has happened
    yet, so what the model settled when it was built is settled again (:func:`_settle`).
    """
    from normsim.world import integration
    from normsim.world.groups import PER_GROUP

    s, week, env = model.settings, model.steps, model.environment
    before, env.settings = env.settings, s.environment
    due = s.environment.listing_week  # the environment lists the group when this week begins
    listed = due != NEVER and (due < week or due == week == 0)  # (week 0: as when built)
    if listed and not env.listed and due < week:
        for group in range(model.groups.n):
            model.log("group listed", group)
    env.listed = listed
    g = model.groups
    for name in changed:
        section, field = PARAMETERS[name]
        if section == "group" and field in PER_GROUP:
            column = getattr(g, field)
            column[:] = getattr(s.group, field)
    g.structure = integration.structure_strength(g.centralisation, g.factions, g.wing_split)
    g.transmission = g.structure * (1.0 - s.integration.department_isolation * g.ihl_department)
    for agent, engager in zip(model.engager_agents, s.engagers):
        capacity_before = agent.settings.capacity
        agent.settings = engager if engager.kind != "deed" else engager.model_copy(
            update={"norms": [engager.norm]})
        if week == 0 or (engager.capacity == 0 < capacity_before):
            # as when built: without a capacity it engages every group it is given; with one it
            # chooses week by week (a capacity set mid-run keeps the groups it engages)
            rec = agent.engagement
            rec.engaged[:] = False
            if not engager.capacity:
                rec.engaged[list(engager.groups or range(g.n))] = True
    model.fighters.settings = s.fighters
    model.fighters.community_restraint = s.community.restraint
    model.communities.settings = s.community
    model.state.settings = s.state
    model._watch = None  # emulation weights follow the emulation settings
    if week == 0:
        _settle(model, before)


def _settle(model: NormDiffusionModel, environment_before) -> None:
    """At week 0, what the model settled when it was built from its settings, settled again
    from the new ones: the environment's starting intensity and peace, which groups are alive,
    the communities' harm at the no-engagement equilibrium and the state's starting conduct
    (so that a change at week 0 gives the run built with those settings)."""
    from normsim.world.environment import PERSISTENCE

    s, env, g, comm = model.settings, model.environment, model.groups, model.communities
    # the starting shock is drawn from the stationary spread (a standard normal times it); the
    # environment's stream has drawn nothing else yet, so a first draw now is the built one
    spread = [e.intensity_volatility / np.sqrt(1.0 - PERSISTENCE**2)
              for e in (environment_before, s.environment)]
    if spread[0] > 0 and spread[1] > 0:
        env.shock *= spread[1] / spread[0]
    elif spread[1] > 0:
        env.shock = float(env.rng.normal(0.0, spread[1]))
    else:
        env.shock = 0.0
    env.peace = env.in_peace(0)
    env.intensity = env._level(env.peace)
    g.alive = g.start_week <= 0
    comm.harm[:] = 0.0
    comm.settle_harm(model._expected_harm)
    model.state.compliance = s.state.compliance
    model.state.usual_groups = 1.0 - float(comm.usual_harm.mean())
