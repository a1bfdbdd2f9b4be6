"""The conflict environment all groups share: intensity, a peace-process window, a listing.

Seed 002, "General environmental factors": "An integration process is carried out with greater
success when a peace process or peace talks are underway, or when the conflict involving
non-state arms carriers has not yet reached a high-intensity level"; early contact comes "prior
to the possibility of the state imposing strict safeguards or setting out political restrictions
regarding contact with the arms carrier (such as the inclusion of the arms carriers in an
official list of terrorist organisations)".
"""

from __future__ import annotations

import numpy as np
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from normsim.world.arrays import clip
from normsim.events import declare
from normsim.params import NEVER, P, Section

PERSISTENCE = 0.95  # assumption: weekly persistence of intensity shocks (offensives, lulls)

PEACE_STARTED = declare("peace process started", "peace talks opened; the fighting calms",
                        marker="peace talks")
PEACE_ENDED = declare("peace process ended", "the peace talks ended; the fighting resumes",
                      marker="talks end")
LISTED = declare("group listed", "the state listed the group as a terrorist organisation, "
                 "politicising any contact with it", marker="listing")


class EnvironmentSettings(Section):
    title = "Environment (success-factor bundle: environment)"
    bundle = "environment"
    conflict_intensity: float = P(
        0.5, 0, 1, meaning="Intensity of the conflict: 0 calm, 1 large-scale operations. Raises "
        "encounters with civilians and the odds of violating, lowers access and slows integration.",
        source="Seed 002, General environmental factors: 'if an armed group is in the midst of "
        "large-scale military operations, other priorities will inevitably prevail over long-term "
        "compliance with IHL'.")
    intensity_volatility: float = P(
        0.03, 0, 0.5, meaning="Standard deviation of the weekly random shock to intensity "
        "(mean-reverting, persistence 0.95).", source="Assumption: conflicts have offensives and lulls.")
    peace_start_week: int = P(
        NEVER, -1, 100_000, unit="week", meaning="Week a peace process or peace talks start (-1: none).",
        source="Seed 002: 'An integration process is carried out with greater success when a peace "
        "process or peace talks are underway'.")
    peace_end_week: int = P(
        NEVER, -1, 100_000, unit="week", meaning="Week the peace process ends (-1: it lasts to the end).",
        source="Seed 002 (as peace_start_week); MODEL.md: successes can decay.")
    peace_calming: float = P(
        0.5, 0, 1, meaning="Share by which a peace process lowers conflict intensity; during it "
        "commitments also come at a lower threshold (compliance statements within ceasefires).",
        source="Seed 002, H6: compliance 'within the framework of ceasefires and peace-agreements'. "
        "Size: assumption.")
    listing_week: int = P(
        NEVER, -1, 100_000, unit="week", meaning="Week the state lists the group as a terrorist "
        "organisation or restricts contact with it (-1: never).",
        source="Seed 002: early contact comes 'prior to ... the inclusion of the arms carriers in an "
        "official list of terrorist organisations'; seed 003 on host-government objections.")
    listing_politicisation: float = P(
        0.4, 0, 1, meaning="Politicisation a listing adds to the engagement (capped at 1).",
        source="H5 (seed 002). Size: assumption.")

    @model_validator(mode="after")
    def _peace_window(self):
        if self.peace_end_week != NEVER and self.peace_end_week <= self.peace_start_week:
            # a typed error (its context holds the weeks) so that the app can say it in any language
            raise PydanticCustomError(
                "peace_window", "peace talks must end after they start: peace_end_week = {end} is "
                "not later than peace_start_week = {start} (-1: they last to the end)",
                {"start": self.peace_start_week, "end": self.peace_end_week})
        return self



class Environment:
    """Conflict intensity (mean-reverting around its base, lowered during a peace process),
    and the politicisation that a listing adds to every engagement."""

    def __init__(self, settings: EnvironmentSettings, rng: np.random.Generator):
        self.settings, self.rng = settings, rng
        # the shock starts in its stationary distribution, so a run starts in equilibrium
        spread = settings.intensity_volatility / np.sqrt(1.0 - PERSISTENCE**2)
        self.shock = float(rng.normal(0.0, spread)) if spread > 0 else 0.0
        self.intensity = self._level(self.in_peace(0))
        self.peace = self.in_peace(0)
        self.listed = settings.listing_week == 0

    def in_peace(self, week: int) -> bool:
        s = self.settings
        return (s.peace_start_week != NEVER and week >= s.peace_start_week
                and (s.peace_end_week == NEVER or week < s.peace_end_week))

    def _level(self, peace: bool) -> float:
        s = self.settings
        base = s.conflict_intensity * (1.0 - s.peace_calming if peace else 1.0)
        return float(clip(base + self.shock, 0.0, 1.0))

    def advance(self, week: int) -> list:
        """Move to ``week``; return the kinds of event that happened (declared above)."""
        s, events = self.settings, []
        peace = self.in_peace(week)
        if peace != self.peace:
            events.append(PEACE_STARTED if peace else PEACE_ENDED)
        self.peace = peace
        if s.listing_week != NEVER and week == s.listing_week:
            self.listed = True
            events.append(LISTED)
        if s.intensity_volatility > 0:
            self.shock = PERSISTENCE * self.shock + s.intensity_volatility * self.rng.normal()
        self.intensity = self._level(peace)
        return events

    def change_settings(self, settings: EnvironmentSettings, week: int) -> bool:
        """New settings from ``week`` on (a change of conditions in a running model); True when
        the listing, moved to a week already past, takes effect now.

        The listing is an event of a week: moved to a week already past, it takes effect now;
        moved ahead or to never, the groups are not (or no longer) listed until then. At week 0
        nothing has happened yet, so the start is settled again as if built with ``settings``.
        """
        before, self.settings = self.settings, settings
        due = settings.listing_week  # the groups are listed when this week begins
        listed = due != NEVER and (due < week or due == week == 0)  # (week 0: as when built)
        now_listed = listed and not self.listed and due < week
        self.listed = listed
        if week == 0:
            self._restart(before)
        return now_listed

    def _restart(self, before: EnvironmentSettings) -> None:
        """At week 0, the start settled again from the new settings: the starting shock is drawn
        from the stationary spread (a standard normal times it); the stream has drawn nothing
        else yet, so a first draw now is the one a model built with these settings makes."""
        spread = [e.intensity_volatility / np.sqrt(1.0 - PERSISTENCE**2)
                  for e in (before, self.settings)]
        if spread[0] > 0 and spread[1] > 0:
            self.shock *= spread[1] / spread[0]
        elif spread[1] > 0:
            self.shock = float(self.rng.normal(0.0, spread[1]))
        else:
            self.shock = 0.0
        self.peace = self.in_peace(0)
        self.intensity = self._level(self.peace)

    def politicisation(self, own: float) -> float:
        """A persuader's own politicisation plus what a listing adds (H5), capped at 1."""
        return min(1.0, own + (self.settings.listing_politicisation if self.listed else 0.0))


class RunEnvironments:
    """The environments of a batch of runs (normsim.simulation.batch_engine): each run's own;
    what a process reads is one value per group, from the group's run (``groups.run``)."""

    def __init__(self, environments: list[Environment], groups):
        self.runs, self.groups = environments, groups

    def advance(self, week: int) -> list[list]:
        """Each run's environment moves to ``week``; each run's kinds of event."""
        return [env.advance(week) for env in self.runs]

    def _per_group(self, name: str) -> np.ndarray:
        return np.array([getattr(env, name) for env in self.runs])[self.groups.run]

    intensity = property(lambda self: self._per_group("intensity"))
    peace = property(lambda self: self._per_group("peace"))
    listed = property(lambda self: self._per_group("listed"))

    def politicisation(self, own: float) -> np.ndarray:
        return np.array([env.politicisation(own) for env in self.runs])[self.groups.run]
