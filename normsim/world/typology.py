"""Types of armed group: named presets of a group's settings, each with its reasons.

Seed 002 opens on the variety of non-state armed groups ("rebels, militias, warlords and crime
networks") and ties success to what kind of group it is: a people's-war ideology is "the point of
entry"; groups "aspiring to achieve state recognition" have most to lose from violations; a group
whose key goal is ethnic cleansing is "next to impossible" to persuade. A type sets the group
settings it names; anything a scenario or population gives explicitly overrides it
(``[group] type = "predatory"``; ``--set group.type=secessionist``). Values are assumptions that
order the types as the sources describe them, not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GroupType:
    key: str
    title: str
    settings: dict = field(default_factory=dict)  #: GroupSettings fields this type sets
    source: str = ""


TYPES: dict[str, GroupType] = {t.key: t for t in (
    GroupType("peoples_war", "people's-war insurgency", {
        "people_war": 0.85, "contrary_practice": 0.2, "aspiration": 0.7, "centralisation": 0.7,
        "strength": 0.4, "territorial": 0.6, "manpower_need": 0.2},
        "Seed 002, H2: 'Particularly in \"people's war\" models ... popular support of the arms "
        "carrier plays a significant role'; such an ideology is the ICRC's 'point of entry'."),
    GroupType("secessionist", "secessionist movement", {
        "people_war": 0.6, "contrary_practice": 0.3, "aspiration": 0.9, "centralisation": 0.7,
        "strength": 0.4, "territorial": 0.8, "manpower_need": 0.2},
        "Seed 002, H4: violations are 'particularly relevant for arms carriers aspiring to achieve "
        "state recognition'; Jo 2015 and Fazal 2018 (secessionists comply to win recognition)."),
    GroupType("predatory", "predatory or warlord group", {
        "people_war": 0.1, "contrary_practice": 0.6, "aspiration": 0.2, "centralisation": 0.4,
        "factions": 2, "strength": 0.5, "territorial": 0.4, "manpower_need": 0.4},
        "Seed 002 ('warlords and crime networks', 'criminal and informal economies'); Weinstein "
        "2007, Inside Rebellion: groups built on material rewards abuse civilians more."),
    GroupType("community_militia", "community militia", {
        "people_war": 0.8, "contrary_practice": 0.3, "aspiration": 0.2, "centralisation": 0.3,
        "factions": 2, "strength": 0.3, "territorial": 0.9, "manpower_need": 0.3},
        "Seed 001 (community protection); Jentzsch, Kalyvas and Schubiger 2015 (militias in "
        "civil wars: local, defensive, loosely commanded)."),
    GroupType("transnational", "transnational group with a core goal incompatible with the norms",
              {"core_goal_incompatible": True, "people_war": 0.2, "contrary_practice": 0.7,
               "aspiration": 0.05, "centralisation": 0.6, "strength": 0.5, "territorial": 0.5,
               "manpower_need": 0.3},
              "Seed 002: 'should the arms carrier consider ethnic cleansing as one of its key "
              "goals, it would be next to impossible for the ICRC to persuade the carrier'."),
)}


def preset(key: str) -> dict:
    """The group settings a type sets."""
    return dict(TYPES[key].settings)
