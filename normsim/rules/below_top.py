"""Engagement below the top: operational and tactical commanders, community and religious leaders.

The ICRC's study of why armed groups restrain finds two routes (ICRC 2018, The Roots of Restraint
in War): in integrated, hierarchical groups restraint comes from the top, through doctrine,
orders and discipline; in decentralised, community-embedded groups it comes through community
and religious leaders, elders and peers, and engaging only the top leadership misses it. The
model's engagers meet only the top commander; with this mechanism on, an engager whose kind
allows it also works, at each meeting with a group, with

- **commanders below the top** (operational and tactical): their acceptance gap (up to the
  norm's ceiling) closes by ``commander_rate x trust x access`` per meeting, as the top
  commander's does by persuasion (:meth:`normsim.engagers.base.Engager.persuade`) but without
  H1-H5's modulation;
- **community and religious leaders** of the group's communities: their *voice* for the norm
  grows by ``community_rate x trust x access`` of its gap per meeting; each week it socialises
  the fighters stationed among them, ``socialisation x voice x people_war`` of their acceptance
  gap (peers and elders weigh as far as the group is embedded in the population: H2's
  people's war).

Which kinds reach whom (:data:`REACH`): the ICRC-style dialogue disseminates to commanders at
every level and works with community and religious leaders (seed 002: "all relevant command
levels"; ICRC 2018); a deed's engager (Geneva Call) trains commanders and works through
communities (seed 001); a peace operation reaches communities through its intermediaries --
elders, religious leaders (seed 003) -- but its dealings with the command are political, with
the top. ``access`` depends on structure: a centralised leadership controls who meets its
subordinates and speaks for its areas, withholding ``gatekeeping x centralisation`` of it.
Off by default.

Whether the community route stops at the group's goals is a declared choice, ``goal_ceiling``:
off (the default), communities raise fighters' acceptance whatever the norm costs the group, so
they can restrain fighters of a group whose core goal contradicts the norm, as far as the group
is embedded (people_war); on, fighters' acceptance is raised only up to the norm's ceiling
``1 - cost``, the bound commanders below the top already have. Evidence points both ways:
communities constrained the targeting of groups embedded in them even against their strategic
and ideological priorities, and did not constrain groups without social footing (Brooks, START
research brief, "How Community Ties Influence Terrorist Targeting of Civilians"); the ICRC finds
persuasion next to impossible where a group's key goal is the violation (seed 002), a finding
about its leadership.
"""

from __future__ import annotations

import numpy as np

from normsim.params import P, Section
from normsim.world.commanders import STRATEGIC

COMMANDERS, COMMUNITIES = "commanders", "communities"
REACH = {"dialogue": (COMMANDERS, COMMUNITIES), "deed": (COMMANDERS, COMMUNITIES),
         "peace_operation": (COMMUNITIES,)}


class BelowTopSettings(Section):
    title = "Engagement below the top"
    bundle = "persuader"
    enabled: bool = P(
        False, label="engagement below the top switched on",
        meaning="Switch: engagers whose kind allows it also work with commanders below the top "
        "and with community and religious leaders (off: they meet only the top commander).",
        source="ICRC 2018 (The Roots of Restraint in War): in decentralised, community-embedded "
        "groups restraint comes through community and religious leaders and peers.")
    commander_rate: float = P(
        0.01, 0, 1, label="persuasion of commanders below the top per meeting",
        meaning="Share of an operational or tactical commander's acceptance gap closed per "
        "meeting at full trust and access.", source="Seed 002 (dissemination to 'all relevant "
        "command levels'). Size: assumption (half the dialogue's rate with the top).")
    community_rate: float = P(
        0.02, 0, 1, label="community leaders won per meeting",
        meaning="Share of the gap in community and religious leaders' voice for the norm closed "
        "per meeting at full trust and access.", source="ICRC 2018; seed 003 "
        "(intermediaries: elders, religious leaders). Size: assumption.")
    socialisation: float = P(
        0.02, 0, 1, unit="per week", label="socialisation of fighters by their community",
        meaning="Weekly share of a fighter's acceptance gap closed by a community whose leaders "
        "speak fully for the norm, in a group fully embedded in its population (times "
        "people_war).", source="ICRC 2018 (peers, elders and religious leaders); Kaplan 2017. "
        "Size: assumption (as the fighters' learning rate's order).")
    gatekeeping: float = P(
        0.5, 0, 1, label="access a centralised leadership withholds",
        meaning="Share of access to commanders below the top and to community leaders a fully "
        "centralised group withholds (times centralisation).", source="ICRC 2018: in "
        "hierarchical groups, engagement goes through the leadership. Size: assumption.")


    goal_ceiling: bool = P(
        False, label="community influence stops at the group's goals",
        meaning="Switch: fighters' acceptance is raised by their community only up to the "
        "norm's ceiling for their group (1 - cost), like commanders' below the top (off: up to "
        "full acceptance, whatever the group's goal).", source="Seed 002 (a core goal such as "
        "ethnic cleansing makes persuasion 'next to impossible', of the leadership); against "
        "it, Brooks (START research brief, How Community Ties Influence Terrorist Targeting of "
        "Civilians): embedded groups were constrained by their communities against their own "
        "priorities. Default off: the choice the evidence does not settle, kept as first built.")


class BelowTop:
    """Community leaders' voice for each norm ``(K, N)``."""

    def __init__(self, world):
        self.voice = np.zeros((world.communities.n, world.groups.n_norms))

    def week(self, world) -> None:
        s, g, cc, com = world.settings.below_top, world.groups, world.commanders, world.communities
        access = 1.0 - s.gatekeeping * g.centralisation  # (G,)
        for e in world.engagers:
            reach, rec = REACH.get(e.kind, ()), e.engagement
            met = rec.met & g.alive
            if not reach or not met.any():
                continue
            pull = rec.trust * access * met  # (G,)
            if COMMANDERS in reach:
                below = np.flatnonzero(cc.level != STRATEGIC)
                top = np.maximum(1.0 - g.cost, 0.0)[cc.group[below]].T  # (N, below) ceilings
                a = cc.acceptance[:, below]
                step = s.commander_rate * pull[cc.group[below]] * np.maximum(top - a, 0.0)
                cc.acceptance[:, below] = a + step * e.on[:, None]
            if COMMUNITIES in reach:
                won = s.community_rate * pull[com.group][:, None] * e.on[None, :]
                self.voice += won * (1.0 - self.voice)
        fc = world.fighters
        if len(fc.norms) and self.voice.any():
            heard = self.voice[fc.community][:, fc.norms].T * g.people_war[fc.group]  # (C, n)
            if s.goal_ceiling:  # only up to what the group's goals allow (the module's docstring)
                top = np.maximum(1.0 - g.cost[fc.group][:, fc.norms].T, 0.0)  # (C, n)
                fc.acceptance[:] += s.socialisation * heard * np.maximum(top - fc.acceptance, 0.0)
            else:
                fc.acceptance[:] += s.socialisation * heard * (1.0 - fc.acceptance)
