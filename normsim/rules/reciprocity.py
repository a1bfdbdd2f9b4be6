"""Reciprocity, both stories: does a group restrain more when the State respects IHL, or less?

**Mirror** (the model's story so far, :mod:`normsim.world.state`): a group reciprocates the
State's conduct -- its instrumental reasons to comply are worth more when the State's forces
respect IHL (seed 002: reciprocity as a benefit argued; its absence as a justification).

**Contrast**: restraint is worth most where the government abuses civilians, because it wins
the constituency the government alienates: groups that depend on a civilian constituency
restrain to distinguish themselves from an abusive government (Stanton 2016, Violence and
Restraint in Civil War; Jo 2015 on legitimacy-seeking rebels). Here that is an instrumental
reason of its own, ``contrast_value x people_war x (1 - state compliance)``, held by the
leadership whatever the engagers do.

A scenario chooses: ``story = "mirror"`` (the default; results as before), ``"contrast"``
(no mirror multiplier, the contrast reason alone), or ``"both"`` (the two together).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from normsim.params import P, Section
from normsim.world.arrays import column


class ReciprocitySettings(Section):
    title = "Reciprocity: mirror or contrast"
    bundle = "environment"
    story: Literal["mirror", "contrast", "both"] = P(
        "mirror", label="story of reciprocity",
        meaning="mirror: the group's instrumental reasons to comply are multiplied by the "
        "State's respect for IHL (state.reciprocity); contrast: a constituency-dependent group "
        "gains by restraint where the State abuses (no mirror); both: the two at once.",
        source="Mirror: seed 002 (reciprocity). Contrast: Stanton 2016 (restraint to win a "
        "constituency from an abusive government).")
    contrast_value: float = P(
        0.3, 0, 1, label="value of contrasting with an abusive State",
        meaning="Instructions to comply the leadership's interests call for in a group fully "
        "dependent on its constituency (people_war 1) facing a State that never respects IHL "
        "(scaled by people_war x (1 - the State's compliance)).",
        source="Stanton 2016: rebels with civilian constituencies restrain more against abusive "
        "governments. Size: assumption (as legitimacy_value).")


def value(world, reasons: np.ndarray) -> np.ndarray:
    """What the leadership's instrumental ``reasons`` ``(G, N)`` are worth under the scenario's
    story of reciprocity (``mirror``: exactly as :meth:`State.value_of_compliance` says)."""
    s, state = world.settings.reciprocity, world.state
    if s.story == "mirror":
        return reasons * column(state.value_of_compliance())
    mirrored = reasons * (column(state.value_of_compliance()) if s.story == "both" else 1.0)
    contrast = s.contrast_value * world.groups.people_war * (1.0 - state.compliance)
    return mirrored + contrast[:, None]
