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

from normsim.schema import NEVER, EnvironmentSettings

PERSISTENCE = 0.95  # assumption: weekly persistence of intensity shocks (offensives, lulls)


class Environment:
    """Conflict intensity (mean-reverting around its base, lowered during a peace process),
    and the politicisation that a listing adds to every engagement."""

    def __init__(self, settings: EnvironmentSettings, rng: np.random.Generator):
        self.settings, self.rng = settings, rng
        self.shock = 0.0
        self.intensity = settings.conflict_intensity
        self.peace = self.in_peace(0)
        self.listed = settings.listing_week == 0

    def in_peace(self, week: int) -> bool:
        s = self.settings
        return (s.peace_start_week != NEVER and week >= s.peace_start_week
                and (s.peace_end_week == NEVER or week < s.peace_end_week))

    def advance(self, week: int) -> list[tuple[str, str]]:
        """Move to ``week``; return the events that happened, as (kind, text in words)."""
        s, events = self.settings, []
        peace = self.in_peace(week)
        if peace != self.peace:
            events.append(("peace process started", "peace talks opened; the fighting calms") if peace
                          else ("peace process ended", "the peace talks ended; the fighting resumes"))
        self.peace = peace
        if s.listing_week != NEVER and week == s.listing_week:
            self.listed = True
            events.append(("group listed", "the state listed the group as a terrorist "
                           "organisation, politicising any contact with it"))
        if s.intensity_volatility > 0:
            self.shock = PERSISTENCE * self.shock + s.intensity_volatility * self.rng.normal()
        base = s.conflict_intensity * (1.0 - s.peace_calming if peace else 1.0)
        self.intensity = float(np.clip(base + self.shock, 0.0, 1.0))
        return events

    def politicisation(self, own: float) -> float:
        """A persuader's own politicisation plus what a listing adds (H5), capped at 1."""
        return min(1.0, own + (self.settings.listing_politicisation if self.listed else 0.0))
