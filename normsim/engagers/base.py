"""What every engager shares: its settings, its engagement record per group, its meetings.

An engager is a Mesa agent that engages armed groups on norms (seed 002's ICRC; seed 001's
Geneva Call; seed 003's peace operations). A kind is one module in ``normsim/engagers/`` that
declares its settings (a :class:`EngagerSettings` subclass with ``kind``), its events (with
:func:`normsim.events.declare`) and an :class:`Engager` subclass registered with
:func:`register`; scenarios name it in a ``[[engager]]`` table (``kind = "dialogue"``).

Per engager, the :class:`Engagement` record holds, for every group, the trust between the two,
the contacts made, the commitments made through it and the leverage it holds over the group's
conduct (the instrumental pull of :mod:`normsim.rules.internalisation`).
"""

from __future__ import annotations

from typing import ClassVar, Literal

import mesa
import numpy as np
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from normsim.world.arrays import at, clip
from normsim.world.batch_streams import count, each_row
from normsim.events import declare
from normsim.rules.hypotheses import Conditions, modulate
from normsim.rules.norms import observability
from normsim.params import NEVER, P, Section
from normsim.rules.leadership import ceiling

ACCESS_INTENSITY_LOSS = 0.5  # share of access lost at full intensity
TRUST_EROSION = 0.005  # weekly share of trust lost without contact (relationships need upkeep)
INFORMATION_PER_MEETING = 0.2  # share of the top commander's knowledge gap a meeting closes
REPORT_GAP = 13  # weeks between 'violation reported' events of one engager and group
DETECTION_TRUST_LOSS = 0.1  # share of trust lost when a monitor reports violations

FIRST_CONTACT = declare("first contact", "{engager} met the top commander for the first time",
                        marker="first contact")
ENGAGEMENT_ENDED = declare("engagement ended", "{engager} ended its engagement with the group",
                           marker="engagement ends")
REPORTED = declare("violation reported", "{engager} reported violations of {norm} ({detail}); "
                   "the group's standing suffers", first_only=True)


#: how an engager with a capacity ranks the groups it could approach, by its ``approach``
_APPROACH_SCORES = {
    "first": lambda g, draws: -g.start_week.astype(float) - np.arange(g.n) * 1e-6,
    "most_open": lambda g, draws: g.people_war + g.aspiration,
    "largest": lambda g, draws: g.fighters.astype(float),
    "random": lambda g, draws: draws,
}


class EngagerSettings(Section):
    """Settings every engager kind has; a kind adds the capabilities it uses (:class:`Meets`,
    :class:`Monitors`, :class:`OffersCommitments`) as bases, its own fields and ``kind``."""

    bundle = "persuader"
    name: str = P("", meaning="A name for reports and the narrative (default: the kind's).",
                  source="Convention.", label="name")
    groups: list[int] = P([], meaning="Indices of the groups it engages (empty: every group).",
                          source="MODEL.md: several engagers, many groups.", label="groups engaged")
    norms: list[str] = P([], meaning="Norms it engages on, among those in play that its kind "
                         "handles (empty: all of them).", source="Seeds 001, 003, 004: "
                         "commitments on one specific norm.", label="norms engaged on")
    start_week: int = P(0, 0, 100_000, unit="week", label="week the engagement starts",
                        meaning="Week the engagement starts.",
                        source="Seed 002: 'the ICRC seeks engagement ... as early as possible'.")
    end_week: int = P(NEVER, -1, 100_000, unit="week", label="week the engagement ends",
                      meaning="Week the engagement ends (-1: never); to probe how durable "
                      "compliance is.", source="MODEL.md: durability is an open question.")
    capacity: int = P(0, 0, 10_000, label="groups it can engage at once",
                      meaning="How many groups it can engage at the same time (0: every group "
                      "it is given); when a group it engages ends, it approaches another.",
                      source="Seed 002: delegations of '15 so-called expats' and about 120 local "
                      "staff; the ICRC 'deals with more than 100 non-state arms carriers in some "
                      "30 countries'. Size: assumption.")
    approach: Literal["first", "most_open", "largest", "random"] = P(
        "first", label="whom it approaches first",
        meaning="Which groups it approaches when it has room: first (in the order they "
        "emerged), most_open (people's-war ideology and aspiration: the ICRC's 'point of "
        "entry'), largest (most fighters), random.",
        source="Seed 002: 'the ICRC seeks engagement with non-state arms carriers as early as "
        "possible'; a people's-war ideology is 'the point of entry'.")

    @model_validator(mode="after")
    def _window(self):
        if self.end_week != NEVER and self.end_week <= self.start_week:
            raise PydanticCustomError(
                "engagement_window", "the engagement must end after it starts: end_week = {end} is "
                "not later than start_week = {start} (-1: it never ends)",
                {"start": self.start_week, "end": self.end_week})
        return self


# -- capabilities: a kind lists those it uses among its settings' bases and gets their settings --

class Meets(Section):
    """It meets the leadership of the groups it engages, builds trust with it and argues."""

    reputation: float = P(
        0.8, 0, 1, label="standing in the international community",
        meaning="Standing as a member of the renowned in-group (the international community), "
        "neutrality and reputation (H3).", source="Seed 002, H3 and 'Attributes of the NGO'.")
    politicisation: float = P(
        0.1, 0, 1, label="politicisation of the engagement",
        meaning="How much the engagement links the norms to political issues (H5).",
        source="Seed 002, H5: 'the linking of political issues with the norms ... do not form part "
        "of the ICRC's integration concept'.")
    contact_interval: int = P(
        4, 1, 520, unit="weeks", label="interval between meetings",
        meaning="Weeks between meetings with a group's leadership (H6).",
        source="Seed 002, H6: trust depends on 'the timespan between meetings'.")
    access: float = P(0.9, 0, 1, label="access to the leadership",
                      meaning="Chance a due meeting takes place in calm conditions (halved at "
                      "full intensity).", source="Seed 002, H6: 'the security situation has to "
                      "be stable enough'.")
    trust_rate: float = P(0.04, 0, 1, label="trust gained per meeting",
                          meaning="Share of the trust gap closed per meeting in neutral "
                          "conditions.", source="Assumption.")


class Monitors(Section):
    """It reports the violations it learns of (times each norm's observability)."""

    monitoring: float = P(
        0.5, 0, 1, label="monitoring of commitments",
        meaning="Chance that a known-able violation of a watched norm is reported (times the "
        "norm's observability).", source="Seed 001: monitoring obligations, 'follow-up field "
        "missions'; seed 003 (monitoring and reporting). Size: assumption.")


class OffersCommitments(Section):
    """A group's leadership can commit publicly to a norm through it (at a meeting)."""


#: capability -> its settings mixin
CAPABILITIES: dict[str, type[Section]] = {
    "meets": Meets, "monitors": Monitors, "offers commitments": OffersCommitments}


class AnyEngagerSettings(Meets, EngagerSettings):
    """What every engager has and what every engager that meets has: the ``engager`` section of
    flat parameters (``engager.contact_interval`` sets it on every engager that meets)."""

    title = "Every engager"


class Engagement:
    """One engager's record with every group (arrays over groups ``G`` and norms ``N``)."""

    def __init__(self, n_groups: int, n_norms: int):
        self.engaged = np.zeros(n_groups, dtype=bool)  # it engages this group
        self.trust = np.zeros(n_groups)
        self.meetings = np.zeros(n_groups, dtype=np.int64)
        self.last_meeting = np.full(n_groups, NEVER, dtype=np.int64)
        self.met = np.zeros(n_groups, dtype=bool)  # a meeting took place this week
        self.practical_agreement = np.zeros(n_groups, dtype=bool)  # a first problem solved
        self.commitments = np.zeros((n_groups, n_norms), dtype=np.int64)
        self.leverage = np.zeros((n_groups, n_norms))  # instrumental pull in force
        self.support_owned = np.zeros((n_groups, n_norms))  # integration work it helps the group
        self.support_imposed = np.zeros((n_groups, n_norms))  # do itself / it requires of it
        self.reported = np.zeros((n_groups, n_norms), dtype=np.int64)  # violations it reported
        self.last_report = np.full(n_groups, -10**9, dtype=np.int64)

    def grow(self) -> None:
        """One more group (a faction splintered): a fresh record for it."""
        for name, value in vars(self).items():
            fill = {"last_meeting": NEVER, "last_report": -10**9}.get(name, 0)
            extra = np.full((1, *value.shape[1:]), fill, dtype=value.dtype)
            setattr(self, name, np.concatenate([value, extra]))


KINDS: dict[str, type[Engager]] = {}


def register(cls: type[Engager]) -> type[Engager]:
    """Register an engager kind by its ``kind`` (a class decorator)."""
    if cls.kind in KINDS and KINDS[cls.kind] is not cls:
        raise ValueError(f"engager kind {cls.kind!r} is registered twice")
    KINDS[cls.kind] = cls
    return cls


class Engager(mesa.Agent):
    """An engager. Its ``step`` meets the groups it engages when meetings are due and access is
    granted (if it :class:`Meets`), then lets its kind act (:meth:`meet`, :meth:`hold`)."""

    kind: ClassVar[str]
    noun: ClassVar[str] = "engager"  #: what the narrative calls it ("the persuader")
    Settings: ClassVar[type[EngagerSettings]]
    handles: ClassVar[tuple[str, ...]]  #: norm keys it can engage on
    summary: ClassVar[str]  #: what it does, in one line (``normsim engagers``)

    def __init__(self, model, index: int, settings: EngagerSettings):
        super().__init__(model)
        self.index, self.settings = index, settings
        world = model
        norms = [n.key for n in world.norms]
        wanted = settings.norms or [k for k in norms if k in self.handles]
        self.on = np.array([k in wanted and k in self.handles for k in norms], dtype=bool)
        self.engagement = Engagement(world.groups.n, len(norms))
        chosen = settings.groups or range(world.groups.n)
        if not settings.capacity:  # with a capacity, it chooses week by week (choose)
            self.engagement.engaged[list(chosen)] = True
        self.was_active = False

    def change_settings(self, settings: EngagerSettings, week: int) -> None:
        """New settings from ``week`` on (a change of conditions in a running model). At week 0,
        or when a capacity is taken away, the groups it engages are chosen again as when built
        (without a capacity it engages every group it is given); a capacity set or lowered
        mid-run keeps, of the groups it engages, as many as it has room for, those its approach
        rule ranks first (:meth:`choose`, from the next week it is active)."""
        capacity_before, self.settings = self.settings.capacity, settings
        if week == 0 or (settings.capacity == 0 < capacity_before):
            rec = self.engagement
            rec.engaged[:] = False
            if not settings.capacity:
                rec.engaged[list(settings.groups or range(self.model.groups.n))] = True

    def choose(self, world, draws: np.ndarray) -> None:
        """With a capacity: let go of groups that have ended, approach new ones by the rule;
        above its capacity (lowered mid-run) keep those the rule ranks first."""
        s, g, rec = self.settings, world.groups, self.engagement
        rec.engaged &= g.alive
        room = s.capacity - int(rec.engaged.sum())
        if room < 0:
            held = np.flatnonzero(rec.engaged)
            score = _APPROACH_SCORES[s.approach](g, draws)[held]
            rec.engaged[held[np.argsort(-score, kind="stable")[s.capacity:]]] = False
            return
        pool = np.zeros(g.n, dtype=bool)
        pool[list(s.groups) if s.groups else slice(None)] = True
        candidates = np.flatnonzero(pool & g.alive & ~rec.engaged & (rec.meetings == 0))
        if room <= 0 or len(candidates) == 0:
            return
        score = _APPROACH_SCORES[s.approach](g, draws)[candidates]  # only the rule in use
        chosen = candidates[np.argsort(-score, kind="stable")[:room]]
        rec.engaged[chosen] = True

    @classmethod
    def capabilities(cls) -> tuple[str, ...]:
        """The capabilities its settings declare (``meets``, ``monitors`` ...)."""
        return tuple(c for c, mixin in CAPABILITIES.items() if issubclass(cls.Settings, mixin))

    @property
    def meets(self) -> bool:
        return isinstance(self.settings, Meets)

    @property
    def offers_commitment(self) -> bool:
        """A group can commit publicly through it."""
        return isinstance(self.settings, OffersCommitments)

    @property
    def takes_new_groups(self) -> bool:
        """It engages groups that appear during the run (it was given no list of groups)."""
        return not self.settings.groups and not self.settings.capacity

    @property
    def name(self) -> str:
        return self.settings.name or self.noun

    @property
    def commits_to(self) -> np.ndarray:
        """Norms a group can commit to through this engager ``(N,)``."""
        return self.on & self.offers_commitment

    def active(self, week: int) -> bool:
        s = self.settings
        return week >= s.start_week and (s.end_week == NEVER or week < s.end_week)

    def step(self) -> None:
        world, rec = self.model, self.engagement
        week = world.steps
        rec.met[:] = False
        active = self.active(week)
        draws = count(world.streams.meetings, world.groups.run, len(rec.trust),
                      "random")  # drawn weekly: streams in step
        if self.settings.capacity and active:
            self.choose(world, draws)
        if not active:
            if self.was_active:
                for i in np.flatnonzero(rec.engaged & (rec.meetings > 0)):
                    world.log(ENGAGEMENT_ENDED, int(i), engager=self)
            self.was_active = False
            rec.leverage[:] = 0.0
            rec.support_owned[:] = 0.0
            rec.support_imposed[:] = 0.0
            rec.trust *= 1.0 - TRUST_EROSION
            return
        self.was_active = True
        if self.meets:
            self._meetings(world, draws)
        self.hold(world)

    def _meetings(self, world, draws: np.ndarray) -> None:
        """Meet the groups whose meeting is due, where access is granted."""
        s, rec, week = self.settings, self.engagement, world.steps
        due = (rec.engaged & world.groups.alive
               & ((rec.last_meeting == NEVER) | (week - rec.last_meeting >= s.contact_interval)))
        access = self.access(world) * (1.0 - ACCESS_INTENSITY_LOSS * world.environment.intensity)
        met = due & (draws < access)
        rec.trust[~met] *= 1.0 - TRUST_EROSION
        idx = np.flatnonzero(met)
        if len(idx):
            rec.met[idx] = True
            rec.meetings[idx] += 1
            rec.last_meeting[idx] = week
            world.groups.contact(idx, week)
            for i in idx[rec.meetings[idx] == 1]:
                world.log(FIRST_CONTACT, int(i), engager=self, agent=world.leader_agent(int(i)))
            self.meet(world, idx)

    def meet(self, world, idx: np.ndarray) -> None:
        """What happens at this week's meetings with the groups ``idx`` (kind-specific)."""

    def hold(self, world) -> None:
        """Set the leverage and support in force this week (kind-specific; none by default)."""

    def access(self, world) -> np.ndarray | float:
        """Chance a due meeting takes place in calm conditions (per group or one value)."""
        return self.settings.access

    # -- what several kinds do alike ------------------------------------------------------
    def kept_commitments(self, world) -> np.ndarray:
        """``(G, N)``: the commitments made through it that the groups it engages still keep."""
        rec = self.engagement
        return ((rec.commitments > 0) & world.groups.committed & self.on[None, :]
                & rec.engaged[:, None])

    def politicisation(self, world, idx: np.ndarray) -> np.ndarray:
        """H5's politicisation of this engagement with groups ``idx``: its own, what a listing
        adds, and the host state's objection to engaging the group (seed 003)."""
        own = at(world.environment.politicisation(self.settings.politicisation), idx)
        return np.minimum(1.0, own + world.groups.objection[idx])

    def build_trust(self, world, idx: np.ndarray, bonus=1.0) -> None:
        """Trust grows at each meeting, faster for a renowned in-group engager (H3) and in a
        less politicised engagement (H5). Seed 002: "Both parties need to win each other's
        trust to speak openly about difficult issues"."""
        s, rec = self.settings, self.engagement
        at = Conditions(world.groups, world.steps, idx, world, self)
        rate = modulate("trust", at, world.settings.hypotheses, start=s.trust_rate)
        rec.trust[idx] = np.minimum(1.0, rec.trust[idx]
                                    + rate * bonus * (1.0 - rec.trust[idx]))

    def persuade(self, world, idx: np.ndarray, *, principled: float, framing: float,
                 rate: float) -> None:
        """Information, then persuasion of the top commanders of ``idx`` on the norms this
        engager engages on, modulated by H1-H5 and trust, up to what each norm's military cost
        allows (seed 002: "Information and familiarisation are, therefore, a fundamental first
        step"; "In the event that the ICRC has the 'better arguments', the arms carriers allow
        themselves ... to be persuaded")."""
        g, rec = world.groups, self.engagement
        cc, on = world.commanders, self.on
        leader = cc.leader[idx]
        where = np.ix_(on, leader)
        k = cc.knowledge[where]
        k += INFORMATION_PER_MEETING * (1.0 - k)
        cc.knowledge[where] = k
        at = Conditions(g, world.steps, idx, world, self, principled=principled, framing=framing)
        pull = modulate("persuasion", at, world.settings.hypotheses, start=rate)
        a = cc.acceptance[where]
        gap = np.maximum(0.0, ceiling(g)[idx][:, on].T - a)
        peers = 1.0 + world.settings.emulation.strength * world.emulation[idx][:, on].T
        a += np.minimum(1.0, pull * rec.trust[idx] * k * peers) * gap
        cc.acceptance[where] = a

    def monitor(self, world, monitoring: float, watched: np.ndarray | None = None) -> None:
        """Reporting obligations and field verification: of the violations of the norms a
        group committed to through this engager (or of ``watched``, ``(G, N)``), each becomes
        known with chance ``monitoring`` times the norm's observability; a report costs the
        engager some of the group's trust (seed 001: signatories "providing information and
        reports ... and allowing follow-up field missions")."""
        g, rec, week = world.groups, self.engagement, world.steps
        if watched is None:
            watched = self.kept_commitments(world)
        if not watched.any():
            return
        seen = observability(world.settings, world.norms)
        chance = clip(monitoring * seen, 0.0, 1.0)
        counts = np.where(watched, g.violations, 0).astype(np.int64)
        found = each_row(world.streams.monitoring, g.run, "binomial", counts,
                         np.broadcast_to(chance, counts.shape))
        rec.reported += found
        hit = found.sum(axis=1) > 0
        rec.trust[hit] *= 1.0 - DETECTION_TRUST_LOSS
        for i in np.flatnonzero(hit & (week - rec.last_report >= REPORT_GAP)):
            rec.last_report[i] = week
            n = int(np.argmax(found[i]))
            world.log(REPORTED, int(i), engager=self, norm=n, value=float(found[i].sum()),
                      detail=f"{int(found[i].sum())} this week")
