"""The military value of violating a norm depends on the war the group is in.

Armed groups themselves say they break the law for "the group's objective, the military
advantage" it brings, and for what they think of IHL (Bangerter 2011, IRRC 93(882), on why
armed groups comply or not). Violence against civilians rises where control is contested
(Kalyvas 2006, The Logic of Violence in Civil War) and with a group's relative weakness: groups
losing on the battlefield turn on civilians (Wood 2010, Journal of Peace Research 47(5)); mines
are the weapon of a weak group defending territory (seed 002); children are recruited when
voluntary recruits fall short (Beber and Blattman 2013; seed 004).

With this mechanism on, each norm's military cost (:mod:`normsim.rules.norms`) gains a part that
moves with the war, each week, for each group:

- civilians: ``civilians x contest x (1 - strength)``,
- mines: ``mines x contest x (1 - strength) x territorial``,
- children: ``children x contest x shortfall``,

where ``contest`` is the intensity of the fighting (how contested control is: the environment's
intensity) and ``1 - strength`` the group's relative weakness. The added cost lowers the
leadership's ceiling and what compliance pays (:mod:`normsim.rules.leadership`) as any cost
does; for civilians, whose conduct fighters decide, it also adds ``conduct_effect`` log-odds of
violating per unit of added cost (commanders condone the violence that pays; command norms
already price their cost in :mod:`normsim.rules.policies`). Off by default.
"""

from __future__ import annotations

import numpy as np

from normsim.params import P, Section


class MilitaryValueSettings(Section):
    title = "Military value of violating a norm"
    bundle = "environment"
    enabled: bool = P(
        False, label="military value switched on",
        meaning="Switch: each norm's military cost moves with how contested control is and how "
        "weak the group is (off: the cost is fixed by the group's goals, territory and "
        "manpower, as before).", source="Bangerter 2011 (IRRC): groups violate IHL for the "
        "military advantage; Kalyvas 2006; Wood 2010.")
    civilians: float = P(
        0.5, 0, 1, label="value of violence against civilians",
        meaning="Cost of the civilians norm added for a group far weaker than the state (strength "
        "0) at full intensity of contest.", source="Wood 2010 (JPR): relative weakness raises "
        "violence against civilians; Kalyvas 2006: contested control. Size: assumption.")
    mines: float = P(
        0.3, 0, 1, label="value of mines in a contested war",
        meaning="Cost of the mines ban added for a weak group holding territory at full "
        "intensity of contest.", source="Seed 002 (mines 'fundamental for its success' to a "
        "weak group). Size: assumption.")
    children: float = P(
        0.3, 0, 1, label="value of child recruits in a contested war",
        meaning="Cost of the children norm added at a full manpower shortfall and full intensity "
        "(losses must be replaced).", source="Beber and Blattman 2013; seed 004. Size: "
        "assumption.")
    conduct_effect: float = P(
        2.0, 0, 10, label="effect of military value on violating civilians (log-odds)",
        meaning="Log-odds of a fighter's violation against civilians added per unit of the "
        "cost this mechanism adds (violence condoned where it pays).",
        source="Bangerter 2011; as the mines' and children's military_value (log-odds per unit "
        "of cost). Size: assumption.")


def added_cost(world) -> np.ndarray:
    """The cost each norm in play gains from the war this week ``(G, N)``."""
    s, g = world.settings.military_value, world.groups
    contest = float(world.environment.intensity)
    weak = 1.0 - g.strength
    per_norm = {"civilians": s.civilians * contest * weak,
                "mines": s.mines * contest * weak * g.territorial,
                "children": s.children * contest * np.asarray(g.shortfall, dtype=float)}
    # a norm the mechanism declares no war-driven cost for (one added later) gains none
    return np.stack([per_norm.get(n.key, 0.0) * np.ones(g.n) for n in world.norms], axis=1)


def week(world) -> np.ndarray:
    """Add the war's part to ``groups.cost`` (in place, capped at 1); return the added cost."""
    g = world.groups
    extra = np.minimum(added_cost(world), 1.0 - g.cost)
    g.cost = g.cost + extra
    return extra
