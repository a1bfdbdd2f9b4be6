"""The top command of every group: its own view of each norm, its commitments, its orders.

Seed 002: "ensuring the commitment of the top-command echelon of the arms carrier is
indispensable"; "all relevant command levels ... must ... send a strong signal to subordinate
levels so as to ensure that the observance of IHL becomes a clear 'top-down' priority. This
priority must also remain clear in case of personnel changes". The integration concept "relies
heavily on the cooperation of the arms carriers' leadership".

Each week, for every group and norm at once (:func:`week`):

1. the top commander's view settles (:func:`normsim.world.people.settle`: drift back to what he has
   internalised, internalisation, forgetting), and a doctrine the group owns pulls him towards
   the norm: once a norm is "incorporated ... in the doctrine of the arms carriers, the arms
   carriers begin to lead the action themselves" (a successor is socialised by it too);
2. his instructions follow the leverage engagers hold over the group
   (:func:`normsim.rules.internalisation.follow_leverage`);
3. he commits publicly when his acceptance (or what compliance buys) passes a threshold, trust
   with an engager he met this week is high enough, and that engager offers a commitment; a
   commitment lapses when neither holds any more;
4. his emphasis (from conviction) and his instructions drive the integration cycle
   (:func:`normsim.world.integration.week`);
5. he may be replaced; the successor keeps as much of the priority as the doctrine holds;
6. the chain of command is ordered to comply as far as his instructions go -- and, with
   ``commitment_orders`` switched on, fully on a norm the group stands publicly committed to
   (:func:`give_orders`): a deed obliges the signatory to issue "orders and directives to
   commanders and fighters".

**The strategic decision.** Commitment and compliance follow from normative acceptance *and*
instrumental payoff, against the **military cost** of the norm for this group
(:mod:`normsim.rules.norms`). Acceptance cannot rise past ``1 - cost``: seed 002's limit ("should the
arms carrier deem that the employment of land-mines is fundamental for its success, the ICRC
will then find itself unable to act against this conviction"). The instrumental payoff is the
leverage engagers hold (conditions, incentives, the expected cost of pressure, the audience cost
of a public commitment) plus **legitimacy**: a group that aspires to the international community
(H3's aspiration) gains standing by complying where an engager of that community is watching --
legitimacy-seeking rebels comply (Jo 2015, Compliant Rebels). Both are worth more when the
state's forces respect IHL too (**reciprocity**, :mod:`normsim.world.state`). The leadership instructs
compliance to the extent the payoff exceeds the cost. Constituencies restrain through the
communities (Stanton 2016; :mod:`normsim.world.communities`): their pressure on conduct, and the
recruits their support brings (:data:`normsim.rules.norms.CHILDREN`'s cost).
"""

from __future__ import annotations

import numpy as np

from normsim.world.arrays import clip, column
from normsim.world.batch_streams import count

from normsim.world import integration
from normsim.events import declare, sentence
from normsim.rules import reciprocity, splinter_causes
from normsim.rules.internalisation import follow_leverage
from normsim.params import P, Section
from normsim.world.people import excess, settle

COMMIT_ACCEPTANCE, COMMIT_ACCEPTANCE_IN_PEACE, COMMIT_TRUST = 0.5, 0.4, 0.4
LAPSE_ACCEPTANCE = 0.3  # a commitment lapses when the leader's willingness falls below this
UNCOMMITTED_SIGNAL = 0.5  # top commander's emphasis before a commitment, relative to after
LEADER_TRUST_KEPT = 0.5  # share of an engager's trust that survives a new top commander


class LeadershipSettings(Section):
    title = "The leadership's strategic decision"
    bundle = "armed group"
    legitimacy_value: float = P(
        0.3, 0, 2, label="value of legitimacy from complying",
        meaning="Instrumental pull to comply for a group that fully aspires to the international "
        "community, where an engager of full standing and trust is watching (times aspiration, "
        "reputation and trust).", source="Jo 2015 (Compliant Rebels): rebels seeking "
        "international legitimacy comply with IHL; seed 002, H3 and H4 ('the improvement of the "
        "arms carrier's image and reputation'). Size: assumption.")
    commitment_orders: bool = P(
        False, label="a commitment is an order to the chain of command",
        meaning="A public commitment carries the top command's full order to comply down the "
        "chain of command for as long as it stands: units and fighters are under the order "
        "(times the chain's transmission) whatever the leverage (off: a commitment moves only "
        "the top commander's emphasis, and orders follow leverage alone).",
        source="Geneva Call, Deed of Commitment for Adherence to a Total Ban on Anti-Personnel "
        "Mines (2000): the signatory undertakes to issue the necessary orders and directives to "
        "its commanders and fighters for the implementation and enforcement of the commitment; "
        "seed 002: the top command must 'send a strong signal to subordinate levels' so that "
        "IHL becomes 'a clear top-down priority'; issue 18, item 7: without it signatories "
        "violated at a quarter of their occasions, against 'by and large complied' (Geneva "
        "Call, Progress Report 2000-2007). Off by default until the calibration and the "
        "experiments are rerun with it (docs/calibration/README.md): the shipped results were "
        "measured without it.")

COMMITMENT = declare("commitment made", "the top commander publicly committed the group to "
                     "respect {norm}", marker="commitment")
LAPSED = declare("commitment lapsed", "the top commander no longer stands by the group's "
                 "commitment to {norm}", marker="commitment lapsed")
HELD_BACK = declare("held back by the cost", "the top commander will go no further on {norm}: "
                    "{detail}")
REPLACED = declare("commander replaced", "a new {detail} commander took over",
                   marker="new top commander")
CARRIED_OVER = sentence(REPLACED, "a new top commander took over; the doctrine carries the "
                        "priority over")
MAY_SLIP = sentence(REPLACED, "a new top commander took over; with little in the doctrine, "
                    "the priority may slip")
NEW_LEADER_LAPSED = sentence(LAPSED, "the new top commander does not stand by the group's "
                             "commitment to {norm}")


def ceiling(groups) -> np.ndarray:
    """How far the leadership can come to accept each norm ``(G, N)``: one less its military
    cost. Seed 002: "should the arms carrier consider ethnic cleansing as one of its key goals,
    it would be next to impossible for the ICRC to persuade the carrier"."""
    return 1.0 - groups.cost


def legitimacy(world) -> np.ndarray:
    """Legitimacy a group can gain by complying ``(G, N)``: its aspiration times the standing and
    trust of the most regarded engager engaging it on the norm (0 with no engager)."""
    g = world.groups
    best = np.zeros((g.n, g.n_norms))
    for e in world.engagers:
        if e.active(world.steps) and e.meets:  # standing is shown at meetings
            rec = e.engagement
            seen = (e.settings.reputation * rec.trust * rec.engaged)[:, None] * e.on[None, :]
            best = np.maximum(best, seen)
    return world.settings.leadership.legitimacy_value * g.aspiration[:, None] * best


def payoff(world, leverage: np.ndarray) -> np.ndarray:
    """The instructions the leadership's interests call for ``(G, N)``: leverage and legitimacy,
    valued by reciprocity, less the norm's military cost."""
    value = reciprocity.value(world, leverage + legitimacy(world))  # mirror (default) or contrast
    return clip(value - world.groups.cost, 0.0, 1.0)


def willingness(acceptance: np.ndarray, instruction: np.ndarray) -> np.ndarray:
    """How ready the top command is to stand by a commitment: convinced, or paid enough."""
    return np.maximum(acceptance, instruction)


def week(world, signals, leverage: np.ndarray, support: tuple) -> np.ndarray:
    """The leadership's week (steps 1-5 above); returns the drills the cycle schedules.
    ``leverage`` is the engagers' summed leverage ``(G, N)``; ``support`` the integration work
    they do with the group, (owned, imposed)."""
    s, g, cc = world.settings, world.groups, world.commanders
    L = cc.leader
    p = cc.people
    a, b, k = p.acceptance[:, L], p.baseline[:, L], p.knowledge[:, L]
    if s.internalisation.enabled:  # an owned doctrine socialises its leaders
        pull = g.command_learning[:, None] * signals.openness * g.owned  # (G, N)
        a += pull.T * k * (1.0 - a)
    settle(a, b, k, p.knowledge_origin[:, L], decay=signals.decay, forgetting=signals.forgetting,
           kappa=signals.kappa.T)
    # the cost stops persuasion above the ceiling; it does not push a leader below where he
    # started (without engagement nothing moves: the stationary null)
    limit = ceiling(g)  # (G, N)
    top = np.maximum(limit.T, p.origin[:, L])
    _tell_held_back(world, (a > top).T & (g.cost > 0.0))
    a = clip(a, 0.0, top)
    p.acceptance[:, L], p.baseline[:, L], p.knowledge[:, L] = a, np.minimum(b, top), k
    follow_leverage(g.instruction, payoff(world, leverage), s.internalisation)

    # a leader's conviction commits the group only as far as its goals allow (seed 002's limit)
    ready = willingness(np.minimum(a.T, limit), g.instruction)  # (G, N)
    _commit(world, ready)
    committed = g.committed
    cc.emphasis[:, L] = (excess(a, p.origin[:, L]) ** 2
                         * np.where(committed.T, 1.0, UNCOMMITTED_SIGNAL))
    drills = integration.week(world, cc.emphasis[:, L].T, g.instruction, support)
    _turn_over(world)
    give_orders(g, s.leadership.commitment_orders)
    return drills


def give_orders(groups, commitment_orders: bool) -> None:
    """What the chain of command is ordered this week ``(G, N)``: the instructions leverage
    calls for, or the full order a standing public commitment carries (the deed's clause on
    orders to commanders and fighters), whichever is more."""
    if commitment_orders:
        np.maximum(groups.instruction, groups.committed, out=groups.orders)
    else:
        groups.orders[:] = groups.instruction


def _tell_held_back(world, pressed: np.ndarray) -> None:
    """The first time persuasion presses a leader against a norm's ceiling, the story says so
    and why (seed 002: the ICRC 'will then find itself unable to act against this conviction')."""
    g = world.groups
    new = pressed & ~g.held_back & g.alive[:, None]
    for i, n in zip(*np.nonzero(new)):
        world.log(HELD_BACK, int(i), norm=int(n), agent=world.leader_agent(int(i)),
                  detail=world.norms[int(n)].why_costly)
    g.held_back |= new


def _commit(world, ready: np.ndarray) -> None:
    g = world.groups
    peace = world.environment.peace
    threshold = (np.where(column(peace), COMMIT_ACCEPTANCE_IN_PEACE, COMMIT_ACCEPTANCE)
                 if np.ndim(peace) else COMMIT_ACCEPTANCE_IN_PEACE if peace else COMMIT_ACCEPTANCE)
    trust, offered = np.zeros((g.n, g.n_norms)), np.zeros((g.n, g.n_norms), dtype=np.int64) - 1
    for e in world.engagers:  # the most trusted engager met this week takes the commitment
        rec = e.engagement
        can = (rec.met[:, None] & e.commits_to[None, :] & (rec.trust[:, None] > trust))
        trust = np.where(can, rec.trust[:, None], trust)
        offered = np.where(can, e.index, offered)
    new = (~g.committed & g.alive[:, None] & (ready >= threshold) & (trust >= COMMIT_TRUST)
           & (offered >= 0))
    lapse = g.committed & (ready < LAPSE_ACCEPTANCE)
    for i, n in zip(*np.nonzero(new)):
        g.committed[i, n] = True
        g.commitments[i, n] += 1
        world.engagers[offered[i, n]].engagement.commitments[i, n] += 1
        world.log(COMMITMENT, int(i), norm=int(n), agent=world.leader_agent(int(i)),
                  engager=world.engagers[offered[i, n]])
    for i, n in zip(*np.nonzero(lapse)):
        g.committed[i, n] = False
        world.log(LAPSED, int(i), norm=int(n), agent=world.leader_agent(int(i)))


def _turn_over(world) -> None:
    """A new top commander; he keeps as much of the old priority as the doctrine holds."""
    g, cc = world.groups, world.commanders
    new = (count(world.streams.groups, g.run, g.n, "random") < g.leadership_turnover) & g.alive
    if not new.any():
        return
    idx = np.flatnonzero(new)
    keep = g.doctrine[idx].max(axis=1)
    cc.replace(cc.leader[idx], keep, world.streams.commanders, g)
    splinter_causes.note_succession(world, idx)  # a succession may split it (off by default)
    for e in world.engagers:
        e.engagement.trust[idx] *= LEADER_TRUST_KEPT
    for i in idx:
        doctrine = g.doctrine[i].max()
        world.log(REPLACED, int(i), agent=world.leader_agent(int(i)), detail="strategic",
                  text=CARRIED_OVER if doctrine >= integration.DOCTRINE_ADOPTED else MAY_SLIP)
    a = cc.acceptance[:, cc.leader[idx]].T
    lapse = g.committed[idx] & (willingness(a, g.instruction[idx]) < LAPSE_ACCEPTANCE)
    for j, n in zip(*np.nonzero(lapse)):
        g.committed[idx[j], n] = False
        world.log(LAPSED, int(idx[j]), norm=int(n), agent=world.leader_agent(int(idx[j])),
                  text=NEW_LEADER_LAPSED)
