"""Ownership earned by what the group does, not assigned by who helps it.

Without this mechanism the engager's kind decides whether the integration work it supports is
the group's own: a deed's implementation support is *owned*, a peace operation's action plan
*imposed* (:mod:`normsim.engagers`). The evidence ties ownership to what the group itself does:
Geneva Call's signatories draft their own codes and report on their own conduct (seed 001; seed
000: "a sense of ownership of norms can be an important factor in securing NSAGs' compliance");
the ICRC "takes no part in the actual drafting process" (seed 002, footnote 6) and trains
trainers inside the group; groups whose own rules and training carry restraint keep it (ICRC
2018, The Roots of Restraint in War; Bangerter 2011 on groups' own codes).

With it on, every engager's support (owned and imposed alike) is pooled per group and norm, and
the share the group owns is

    invitation[kind] x practice,    practice = (doctrine + training + committed) / 3,

the group's own practice on the norm: a code it wrote (its doctrine), trainers of its own (its
training), and reporting on its own conduct (a public commitment carries reporting obligations:
seed 001). An engager's kind sets how much it *invites* the group to do itself, not the outcome
(the deed and the peace operation are the kinds that support integration work):
a group that drafts, trains and reports owns what any engager helps it with, as far as that
engager leaves room. Off by default.
"""

from __future__ import annotations

import numpy as np

from normsim.params import P, Section


class OwnershipSettings(Section):
    title = "Ownership earned"
    bundle = "interaction"
    enabled: bool = P(
        False, label="earned ownership switched on",
        meaning="Switch: the share of engagers' support the group owns follows its own practice "
        "(own code, own trainers, own reporting) times how much the engager invites it (off: "
        "owned or imposed by the engager's kind, as before).",
        source="Seed 000 (ownership); seed 001 (own codes, self-reporting); seed 002, footnote "
        "6; ICRC 2018.")
    invitation_deed: float = P(
        1.0, 0, 1, label="how much a deed invites ownership",
        meaning="Share of its support a deed's engager leaves to the group to own, at full "
        "practice.", source="Seed 001: signatories draft and report themselves.")
    invitation_peace_operation: float = P(
        0.5, 0, 1, label="how much a peace operation invites ownership",
        meaning="Share of its support a peace operation leaves to the group to own, at full "
        "practice (an action plan's benchmarks are set with the mission).",
        source="Seed 003; seed 004 (action plans). Size: assumption.")


def practice(groups) -> np.ndarray:
    """What the group does itself on each norm ``(G, N)``: its code, its trainers, its reports."""
    return (groups.doctrine + groups.factor("training") + groups.committed) / 3.0


def split(world, support: tuple) -> tuple:
    """Re-split the engagers' support into (owned, imposed) by earned ownership; unchanged when
    the mechanism is off."""
    s = world.settings.ownership
    if not s.enabled:
        return support
    earned = practice(world.groups)
    owned = np.zeros_like(earned)
    imposed = np.zeros_like(earned)
    for e in world.engagers:
        rec = e.engagement
        total = rec.support_owned + rec.support_imposed
        # kinds that declare no invitation (a dialogue gives no support) leave it all to the group
        share = getattr(s, f"invitation_{e.kind}", 1.0) * earned
        owned += total * share
        imposed += total * (1.0 - share)
    return owned, imposed
