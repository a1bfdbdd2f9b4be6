"""The scenario schema: every model parameter, its meaning, range, default and source.

Each settings section is declared beside the rules that read it (``GroupSettings`` in
:mod:`normsim.world.groups`, ``IntegrationSettings`` in :mod:`normsim.world.integration`, an engager kind's
settings in its module in :mod:`normsim.engagers` ...); this module assembles them into the
:class:`Scenario`. ``normsim.settings.scenario`` loads files and overrides against it; ``docs/ODD.md``'s
parameter tables are generated from it. A scenario is a TOML file with a ``title``, a
``description`` in words, the ``norms`` in play, one ``[[engager]]`` table per engager (with its
``kind``), and one table per section (``[group]``, ``[environment]`` ...) that overrides these
defaults.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from normsim.rules import norms as norm_registry
from normsim.world.communities import CommunitySettings
from normsim.engagers import KINDS
from normsim.engagers.dialogue import DialogueSettings
from normsim.world.environment import EnvironmentSettings
from normsim.world.fighters import FighterSettings
from normsim.world.groups import GroupSettings
from normsim.rules.hypotheses import HypothesisSettings
from normsim.world.integration import IntegrationSettings
from normsim.rules.internalisation import InternalisationSettings
from normsim.rules.leadership import LeadershipSettings
from normsim.rules.norms import NORMS
from normsim.rules.emulation import EmulationSettings
from normsim.rules.mechanisms import SECTIONS as MECHANISM_SECTIONS
from normsim.params import NEVER, P, Section
from normsim.settings.population import group_count
from normsim.settings.reading import MAX_SEED
from normsim.world.state import StateSettings

__all__ = ["NEVER", "P", "Section", "Scenario", "SECTIONS", "ENGAGER_SECTIONS", "RUN_ONLY"]


class RunSettings(Section):
    title = "Run"
    steps: int = P(520, 1, 100_000, unit="weeks", meaning="Number of weekly steps to simulate.",
                   source="MODEL.md: a run spans years (H6 is about long time spans).")
    seed: int = P(1, 0, MAX_SEED, meaning="Seed of the run's random generator; the CLI's --seed "
                  "overrides it.", source="Reproducibility: every draw comes from it.")
    record_every: int = P(1, 1, 10_000, unit="weeks", meaning="Record the tidy table every this "
                          "many weeks (the first and last week are always recorded).",
                          source="Assumption: weekly records by default.")


SECTIONS: dict[str, type[Section]] = {
    "run": RunSettings, "environment": EnvironmentSettings, "group": GroupSettings,
    "community": CommunitySettings, "integration": IntegrationSettings,
    "fighters": FighterSettings, "internalisation": InternalisationSettings,
    "leadership": LeadershipSettings, "emulation": EmulationSettings, "state": StateSettings,
    **{key: norm.Settings for key, norm in NORMS.items()},  # one table per norm: [mines] ...
    "hypotheses": HypothesisSettings,
    **MECHANISM_SECTIONS,  # [presence], [military_value], [reciprocity], [habit], [below_top], [splinter_causes], [ownership]: off
}
#: engager kind -> its settings section (a ``[[engager]]`` table with ``kind = "..."``)
ENGAGER_SECTIONS: dict[str, type[Section]] = {k: cls.Settings for k, cls in KINDS.items()}
RUN_ONLY = ("steps", "seed")  # run settings that are not model parameters

_tables = tuple(ENGAGER_SECTIONS.values())
EngagerTable: Any = (Annotated[Union[_tables], Field(discriminator="kind")] if len(_tables) > 1
                     else _tables[0])


class _ScenarioBase(BaseModel):
    """What a scenario holds besides its sections: a title, a description in words, the norms
    in play, a population file and the engagers; :data:`Scenario` adds one field per section."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)
    title: str = "Unnamed scenario"
    description: str = ""
    norms: list[str] = Field(default_factory=lambda: ["civilians"], description="Norms in play; "
                             "the first is the one outcomes report by default.")
    population: str = Field("", description="A population file (name in populations/ or a path) "
                            "drawing each group's settings ('': group.count copies of [group]).")
    engagers: list[EngagerTable] = Field(default_factory=lambda: [DialogueSettings()],
                                         alias="engager", description="The engagers, one "
                                         "[[engager]] table each (none: no engagement).")

    @model_validator(mode="after")
    def _consistent(self):
        known = norm_registry.keys()
        for n in self.norms:
            if n not in known:
                raise ValueError(f"norms: '{n}' is not a norm; norms are: {', '.join(known)}")
        if not self.norms or len(set(self.norms)) != len(self.norms):
            raise ValueError(f"norms = {self.norms} must name at least one norm, each once")
        for i, e in enumerate(self.engagers):
            handles = KINDS[e.kind].handles
            for n in e.norms + ([e.norm] if hasattr(e, "norm") else []):
                if n not in self.norms:
                    raise ValueError(f"engager {i + 1} ({e.kind}): norms: '{n}' is not in play; "
                                     f"the scenario's norms are: {', '.join(self.norms)}")
                if n not in handles:
                    raise ValueError(f"engager {i + 1} ({e.kind}): a {e.kind} engager does not "
                                     f"handle '{n}'; it handles: {', '.join(handles)}")
            if not e.groups:
                continue
            count, where = self.group.count, "group.count"
            if self.population:  # as many groups as the population file makes
                count, where = group_count(self.population), f"population '{self.population}'"
            bad = [g for g in e.groups if not 0 <= g < count]
            if bad:
                raise ValueError(f"engager {i + 1} ({e.kind}): groups {bad} do not exist; groups "
                                 f"are numbered 0 to {count - 1} ({count} in {where})")
        return self


#: A validated scenario: its title, description, norms, population and engagers, and one field
#: per declared section (built from :data:`SECTIONS`, so a registered norm's table is in it)
Scenario = create_model("Scenario", __base__=_ScenarioBase, __module__=__name__,
                        **{key: (cls, cls()) for key, cls in SECTIONS.items()})
Scenario.__doc__ = ("A validated scenario: a title, a description in words, the norms in play, "
                    "the engagers, and every parameter (one field per section of SECTIONS).")
