"""Norms the command decides: what each unit does with its occasions to lay mines or recruit.

Laying anti-personnel mines and recruiting children are group policies carried out by units
(seed 002: "the duty of the highest command level to provide its combatants with equipment that
does not violate IHL"; seed 004: child recruitment by armed groups). Each week every unit of a
living group meets occasions -- chances to lay mines (Poisson, more where the group defends
territory and the fighting is intense), recruits joining it (each could be a child) -- and its
tactical commander decides. The log-odds of violating at an occasion add up as for fighters
(:mod:`normsim.world.fighters`), with the same effect sizes:

    logit(base) + military_value x cost                       (what the norm costs the group)
      - acceptance_effect x the commander's acceptance - knowledge_effect x his knowledge
      - order_effect x orders x transmission       (instructions for what it buys, or a commitment)
      - fear_effect x the norm's sanctions x transmission      (internal discipline)
      - equipment_effect x the norm's equipment factor         (stockpiles destroyed, rules)
      - what else restrains it                                 (children: community resistance)

Each norm declares how its occasions arise, its base chance and its restraint
(:mod:`normsim.rules.norms`); this module has no branch per norm.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from normsim.rules.norms import COMMAND, Units
from normsim.world.integration import EQUIPMENT, SANCTIONS
from normsim.world.arrays import at, runs_of
from normsim.world.batch_streams import each


def week(world, recruits_by_unit: np.ndarray, intensity: float) -> None:
    """This week's occasions and violations of the command's norms, into ``groups.occasions``
    and ``groups.violations`` (``recruits_by_unit``: recruits who joined each unit). Each norm
    declares its occasions, its base chance and what else restrains it
    (:class:`normsim.rules.norms.Norm`)."""
    s, g, cc = world.settings, world.groups, world.commanders
    decided = [(n, norm) for n, norm in enumerate(world.norms) if norm.decided_by == COMMAND]
    if not decided:
        return  # fighters decide every norm in play at their encounters (normsim.world.fighters)
    f = s.fighters
    units = cc.tactical
    ug = cc.group[units]
    these = Units(group=ug, live=g.alive[ug], recruits=recruits_by_unit,
                  intensity=at(intensity, ug))
    rng = world.streams.fighters
    for n, norm in decided:
        ns = getattr(s, norm.key)
        occasions = norm.occasions(ns, world, these)
        base = norm.base(ns)
        extra = norm.restraint(ns, world, these)
        # the terms that are the same for every unit of a group are computed per group and
        # looked up per unit (the same numbers: each is a product, and the sum keeps its order)
        odds = ((np.log(base / (1.0 - base)) + ns.military_value * g.cost[:, n])[ug]
                - f.acceptance_effect * cc.acceptance[n, units]
                - f.knowledge_effect * cc.knowledge[n, units]
                - (f.order_effect * g.orders[:, n] * g.transmission)[ug]
                - (f.fear_effect * g.factors[:, n, SANCTIONS] * g.transmission)[ug]
                - (f.equipment_effect * g.factors[:, n, EQUIPMENT])[ug] - extra)
        violations = each(rng, runs_of(g, ug), "binomial", occasions, expit(odds))
        g.occasions[:, n] = np.bincount(ug, weights=occasions, minlength=g.n)
        g.violations[:, n] = np.bincount(ug, weights=violations, minlength=g.n)
