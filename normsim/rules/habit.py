"""From habit to conviction: compliance practised long enough for what it buys becomes one's own.

Risse, Ropp and Sikkink (1999, The Power of Human Rights) describe socialisation as a sequence:
instrumental adaptation first (actors comply for what it brings, or to escape pressure), then
argument, then institutionalisation and habitualisation -- a practice kept long enough is no
longer questioned and comes to be believed. Kelman (1958) keeps compliance and internalisation
apart; this mechanism is the bridge between them that the evidence describes. It is slow and
needs duration: the ICRC's own study of armed groups finds restraint rooted in what a group
routinely does and how it is socialised, not in one-off instructions (ICRC 2018, The Roots of
Restraint in War).

Each week, for each group and norm, the **instrumental restraint** its people are under is the
leadership's orders as far as the chain transmits them (instructions for what compliance buys,
:mod:`normsim.rules.internalisation`, or a standing commitment's order,
:func:`normsim.rules.leadership.give_orders`) plus, for fighters, the deterrence of peacekeepers among their community
(:mod:`normsim.rules.presence`, as a share of its saturating effect). A group's restraint is
**sustained** while it stays at or above ``threshold``; the count of sustained weeks resets when
it falls below. After ``onset_weeks`` of it, each person under restraint ``r`` moves a share

    rate x r x ramp x (1 - contrary_practice)

of his gap to full acceptance into both his acceptance and what he has internalised (his
baseline), where ``ramp`` grows linearly from 0 at ``onset_weeks`` to 1 at twice that: the
longer the practice, the faster it settles (Risse, Ropp and Sikkink: habitualisation takes
years); entrenched contrary practice (H2) resists it. A gain so settled survives the end of the
leverage or the troops that produced it; a practice shorter than ``onset_weeks`` leaves nothing.
Off by default (``enabled = false`` reproduces the model without it).
"""

from __future__ import annotations

import numpy as np

from normsim.params import P, Section
from normsim.world.arrays import clip


class HabitSettings(Section):
    title = "From habit to conviction"
    bundle = "interaction"
    enabled: bool = P(
        False, label="habit switched on",
        meaning="Switch: sustained instrumental compliance (instructions obeyed, presence) is "
        "slowly internalised (off: instructions and presence move no one's acceptance).",
        source="Risse, Ropp and Sikkink 1999: from instrumental adaptation to habitualisation; "
        "ICRC 2018 (The Roots of Restraint in War).")
    rate: float = P(
        0.003, 0, 0.1, unit="per week", label="rate at which habit becomes conviction",
        meaning="Weekly share of the gap to full acceptance that settles, under full restraint, "
        "once the practice has lasted twice onset_weeks.", source="Risse, Ropp and Sikkink "
        "1999 (years, not months). Size: assumption (a third of a full restraint's gap in "
        "about 2.5 years).")
    onset_weeks: int = P(
        52, 1, 1040, unit="weeks", label="weeks before a practice becomes a habit",
        meaning="Weeks of sustained restraint before any of it settles; the rate then grows "
        "linearly to its full value at twice this.", source="Assumption: a year of practice "
        "(Risse, Ropp and Sikkink 1999: habitualisation follows sustained compliance).")
    threshold: float = P(
        0.05, 0, 1, label="restraint that counts as practice",
        meaning="A group's instrumental restraint (orders x transmission, plus presence) at "
        "or above which a week counts as sustained compliance.", source="Assumption.")


class Habit:
    """Weeks of sustained instrumental restraint per group and norm."""

    def __init__(self, world):
        self.sustained = np.zeros((world.groups.n, world.groups.n_norms), dtype=np.int64)

    def week(self, world, presence_share: np.ndarray | None) -> None:
        """Count sustained weeks; settle part of the restrained people's gap.
        ``presence_share`` is each community's deterrence as a share of its maximum ``(K,)``."""
        s, g, cc, fc = world.settings.habit, world.groups, world.commanders, world.fighters
        if len(self.sustained) < g.n:  # a faction splintered: it starts with no practice
            extra = np.zeros((g.n - len(self.sustained), g.n_norms), dtype=np.int64)
            self.sustained = np.concatenate([self.sustained, extra])
        ordered = clip(g.orders * g.transmission[:, None], 0.0, 1.0)  # (G, N)
        felt = ordered.copy()
        if presence_share is not None and len(fc.norms):
            local = np.bincount(fc.group, weights=presence_share[fc.community], minlength=g.n)
            felt[:, fc.norms] += (local / np.maximum(fc.sizes, 1))[:, None]
        felt = clip(felt, 0.0, 1.0)
        self.sustained = np.where((felt >= s.threshold) & g.alive[:, None], self.sustained + 1, 0)
        ramp = clip((self.sustained - s.onset_weeks) / s.onset_weeks, 0.0, 1.0)
        speed = s.rate * ramp * (1.0 - g.contrary_practice)[:, None]  # (G, N)
        if not speed.any():
            return
        _settle(cc.people, (speed * ordered)[cc.group].T)  # commanders: orders only
        if len(fc.norms):
            r = ordered[:, fc.norms][fc.group].T  # (C, fighters)
            if presence_share is not None:
                r = clip(r + presence_share[fc.community][None, :], 0.0, 1.0)
            _settle(fc.people, speed[:, fc.norms][fc.group].T * r)


def _settle(people, share: np.ndarray) -> None:
    """Move ``share`` of each person's gap to full acceptance into acceptance and baseline."""
    step = share * (1.0 - people.acceptance)
    people.acceptance += step
    people.baseline += step
    np.minimum(people.baseline, 1.0, out=people.baseline)
