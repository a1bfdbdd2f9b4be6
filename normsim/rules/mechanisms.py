"""The competing mechanisms the evidence asks for, each switchable and off by default.

One weekly entry point (:func:`week`, called by the model after the engagers' step and before
the leadership decides) runs those switched on, in this order:

1. :mod:`normsim.rules.military_value` adds the war's part to each norm's military cost;
2. :mod:`normsim.rules.presence` moves the peacekeepers' deterrence at each community;
3. :mod:`normsim.rules.habit` counts sustained instrumental restraint and settles part of it;
4. :mod:`normsim.rules.below_top` lets engagers that met a group work below its top commander.

Presence and military value reach fighters' conduct through one array of log-odds per unit,
``fighters.adjust`` ``(C, units)`` (None when neither is on, so runs without them are unchanged to
the bit). :mod:`normsim.rules.reciprocity` is not weekly state: the leadership's payoff asks it;
:mod:`normsim.rules.splinter_causes` is asked by :mod:`normsim.rules.splinters`; the model asks
:mod:`normsim.rules.ownership` to split the engagers' support.
"""

from __future__ import annotations

import numpy as np

from normsim.rules import below_top, habit, military_value, presence
from normsim.rules.below_top import BelowTopSettings
from normsim.rules.habit import HabitSettings
from normsim.rules.military_value import MilitaryValueSettings
from normsim.rules.presence import PresenceSettings
from normsim.rules.ownership import OwnershipSettings
from normsim.rules.reciprocity import ReciprocitySettings
from normsim.rules.splinter_causes import SplinterCausesSettings

#: scenario section -> its settings (collected by :mod:`normsim.settings.schema`)
SECTIONS = {"presence": PresenceSettings, "military_value": MilitaryValueSettings,
            "reciprocity": ReciprocitySettings, "habit": HabitSettings,
            "below_top": BelowTopSettings, "splinter_causes": SplinterCausesSettings,
            "ownership": OwnershipSettings}


def week(world) -> None:
    """This week's mechanisms (those switched on); see the module's docstring."""
    s, fc = world.settings, world.fighters
    state = world.__dict__.setdefault("_mechanisms", {})
    adjust = None
    if s.military_value.enabled:
        extra = military_value.week(world)  # (G, N)
        civ = [j for j, n in enumerate(fc.norms) if world.norms[n].key == "civilians"]
        if civ:
            adjust = np.zeros((len(fc.norms), len(fc.unit_group)))
            adjust[civ] += s.military_value.conduct_effect * extra[fc.unit_group][:, fc.norms[civ]].T
    share = None
    if s.presence.enabled:
        where = state.setdefault("presence", presence.Presence(world))
        removed = where.week(world)  # (K,) log-odds removed
        share = where.level * presence.saturation(s.presence)  # (K,) share of the maximum
        civ = [j for j, n in enumerate(fc.norms) if world.norms[n].key == "civilians"]
        if civ:
            adjust = np.zeros((len(fc.norms), len(fc.unit_group))) if adjust is None else adjust
            adjust[civ] -= removed[fc.unit_community]
    fc.adjust = adjust
    if s.habit.enabled:
        state.setdefault("habit", habit.Habit(world)).week(world, share)
    if s.below_top.enabled:
        state.setdefault("below_top", below_top.BelowTop(world)).week(world)
