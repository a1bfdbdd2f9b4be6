"""Splinters: a faction breaks away when the structure is weak and the leadership commits
against its will.

Seed 002: a weak structure means "several splinter groups under a poorly defined command
structure"; "particularly vis-à-vis new groups, disagreements may occur on how important IHL and
HR are for the carrier. This might be the case if diverse factions within an arms carrier are
present". Fragmentation follows weak internal ties and disagreement with the centre (Staniland
2014, Networks of Rebellion; Pearlman and Cunningham 2012). Here an operational commander and his
units break away when the top command has committed to a norm the commander does not accept:
each week, with chance ``splinter_rate x (1 - structure) x gap``, where ``gap`` is how far his
acceptance of the committed norm lies below the top commander's. A group keeps at least one
operational branch. The faction becomes a new group of the same type, in the same country,
uncommitted and with no integration work of its own; it keeps its people.
"""

from __future__ import annotations

import numpy as np

from normsim.world.arrays import clip, runs_of
from normsim.world.batch_streams import count

from normsim.world.commanders import OPERATIONAL
from normsim.events import declare
from normsim.rules import splinter_causes

SPLINTERED = declare("faction splintered", "a faction broke away, rejecting the top command's "
                     "commitment to {norm}; it fights on as a group of its own",
                     marker="splinter")


def candidates(world) -> np.ndarray:
    """The operational commanders who might break away this week and each one's weekly chance:
    ``(ops, chance)``, indices into the commanders and one chance per index."""
    g, cc = world.groups, world.commanders
    ops = np.flatnonzero(cc.level == OPERATIONAL)
    grp = cc.group[ops]
    leaders = cc.leader[grp]
    gap = (cc.acceptance[:, leaders] - cc.acceptance[:, ops]).T  # (ops, N)
    against = np.where(g.committed[grp], np.maximum(gap, 0.0), 0.0).max(axis=1)
    branches = np.bincount(grp, minlength=g.n)[grp]
    weak = 1.0 - clip(g.structure[grp], 0.0, 1.0)
    over_commitment = g.splinter_rate[grp] * weak * against
    other = splinter_causes.added(world, ops)  # succession, resources, a rival: off by default
    chance = (over_commitment + other) * (branches > 1) * g.alive[grp]
    return ops, chance


def week(world) -> list[int]:
    """Let factions break away this week; return the new groups' indices."""
    ops, chance = candidates(world)
    draws = count(world.streams.groups, runs_of(world.groups, world.commanders.group[ops]),
                  len(ops), "random")  # drawn weekly: streams stay in step
    leaving = ops[draws < chance]
    new, seen = [], set()
    for j in leaving:  # at most one faction per group per week
        parent = int(world.commanders.group[j])
        if parent in seen:
            continue
        seen.add(parent)
        norm = int(np.argmax(world.groups.committed[parent]))
        child = world.split(parent, int(j))
        because = splinter_causes.why(world, int(j), parent)  # None: over the commitment
        if because is None:
            world.log(SPLINTERED, parent, norm=norm, agent=world.leader_agent(child))
        else:
            world.log(splinter_causes.BROKE_AWAY, parent, agent=world.leader_agent(child), detail=because)
        new.append(child)
    return new
