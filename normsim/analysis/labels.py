"""Parameters in words, for axes and legends: ``persuader_principled`` becomes "persuader argues
from principles (0–1)". Words come from :data:`WORDS`; the unit or range in brackets comes from
the parameter's declaration in :mod:`normsim.schema`, so it cannot drift from the model."""

from __future__ import annotations

from annotated_types import Ge, Le

from normsim.scenario import PARAMETERS, locate
from normsim.schema import NEVER, SECTIONS

#: flat parameter name -> what it is, in a few words (the unit or range is added from the schema)
WORDS = {
    "record_every": "recording period",
    "environment_conflict_intensity": "conflict intensity",
    "environment_intensity_volatility": "volatility of conflict intensity",
    "environment_peace_start_week": "week a peace process starts",
    "environment_peace_end_week": "week the peace process ends",
    "environment_peace_calming": "calming effect of a peace process",
    "environment_listing_week": "week the group is listed as terrorist",
    "environment_listing_politicisation": "politicisation added by a listing",
    "group_count": "armed groups",
    "group_fighters": "fighters per group",
    "group_operational_commanders": "operational commanders",
    "group_units_per_commander": "units per operational commander",
    "group_age_weeks": "group's age at the start",
    "group_insecurity": "group's insecurity",
    "group_people_war": "people's-war ideology",
    "group_contrary_practice": "entrenched contrary practice",
    "group_aspiration": "group's wish to join the international community",
    "group_centralisation": "centralisation of the group",
    "group_factions": "splinter factions",
    "group_wing_split": "split between political and military wings",
    "group_core_goal_incompatible": "core goal incompatible with IHL",
    "group_ihl_department": "separate IHL department",
    "group_leadership_turnover": "turnover of the top commander",
    "group_commander_turnover": "turnover of commanders",
    "group_fighter_turnover": "turnover of fighters",
    "group_baseline_knowledge": "knowledge of IHL before engagement",
    "group_baseline_acceptance": "acceptance of IHL before engagement",
    "group_acceptance_decay": "decay of acceptance",
    "group_command_learning": "commanders' learning rate",
    "persuader_count": "persuaders",
    "persuader_reputation": "persuader's reputation and in-group standing",
    "persuader_principled": "persuader argues from principles",
    "persuader_practical_framing": "law framed in practical terms",
    "persuader_politicisation": "politicisation of the engagement",
    "persuader_contact_interval": "interval between meetings",
    "persuader_start_week": "week the engagement starts",
    "persuader_end_week": "week the engagement ends",
    "persuader_practical_first": "talks open with a practical problem",
    "persuader_access": "persuader's access",
    "persuader_trust_rate": "trust gained per meeting",
    "persuader_persuasion_rate": "persuasion per meeting",
    "community_per_group": "communities per group",
    "community_organisation": "organisation of communities",
    "community_initial_support": "communities' initial support",
    "community_influence": "community influence on acceptance",
    "integration_growth": "growth of integration factors",
    "integration_reinforcement": "mutual reinforcement of integration factors",
    "integration_decay": "erosion of integration factors",
    "integration_setback_rate": "chance of a setback",
    "integration_setback_size": "size of a setback",
    "integration_training_interval": "interval between training cycles",
    "integration_drill_effect": "effect of a drill",
    "integration_department_isolation": "isolation of an IHL department",
    "fighters_encounter_rate": "encounters with civilians",
    "fighters_base_violation": "base chance of a violation",
    "fighters_intensity_effect": "effect of intensity on violating (log-odds)",
    "fighters_contrary_effect": "effect of contrary practice on violating (log-odds)",
    "fighters_acceptance_effect": "effect of acceptance on respecting IHL (log-odds)",
    "fighters_knowledge_effect": "effect of knowledge on respecting IHL (log-odds)",
    "fighters_fear_effect": "effect of fear of sanction on respecting IHL (log-odds)",
    "fighters_equipment_effect": "effect of equipment on respecting IHL (log-odds)",
    "fighters_learning_rate": "fighters' learning rate",
    "fighters_peer_influence": "peer influence among fighters",
    "h1_newness_halflife": "H1: half-life of newness",
    "h6_exposure_half": "H6: meetings to half consolidation",
    **{f"h{n}_enabled": f"H{n} switched on" for n in range(1, 7)},
    **{f"h{n}_strength": f"strength of H{n}" for n in range(1, 7)},
}


def _field(name: str):
    where = locate(name)
    return (None, None) if where is None else where


def _flat(name: str) -> str:
    where = locate(name)
    return next((k for k, v in PARAMETERS.items() if v == where), name) if where else name


def words(name: str) -> str:
    """A parameter in a few words, without unit: "persuader argues from principles"."""
    flat = _flat(name)
    return WORDS.get(flat, flat.replace("_", " "))


def factor_label(name: str) -> str:
    """A parameter for an axis: words and, in brackets, its unit or range ("(0–1)", "(weeks)")."""
    section, field = _field(name)
    if section is None:
        return words(name)
    info = SECTIONS[section].model_fields[field]
    extra = info.json_schema_extra or {}
    unit = extra.get("unit", "")
    lo = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    hi = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    if info.annotation is bool:
        suffix = "yes/no"
    elif unit == "week":
        suffix = "week; -1 never" if lo == NEVER else "week"
    elif unit:
        suffix = unit
    elif info.annotation is float and lo == 0 and hi == 1:
        suffix = "0–1"
    else:
        suffix = ""
    text = words(name)
    return f"{text} ({suffix})" if suffix else text


def value_text(name: str, value) -> str:
    """A factor's value in words: booleans as yes/no, -1 weeks as 'never', numbers short."""
    section, field = _field(name)
    info = SECTIONS[section].model_fields[field] if section else None
    unit = ((info.json_schema_extra or {}).get("unit", "") if info else "")
    if isinstance(value, (bool,)) or (info is not None and info.annotation is bool):
        return "yes" if bool(value) else "no"
    if unit == "week" and value == NEVER:
        return "never"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def condition_text(names, values, short: bool = True) -> str:
    """One condition in words: "people's-war ideology: 0.8, entrenched contrary practice: 0.1"."""
    return ", ".join(f"{words(n) if short else factor_label(n)}: {value_text(n, v)}"
                     for n, v in zip(names, values))


#: outcomes of a run (normsim.records.OUTCOMES and time to threshold), in words with units
OUTCOME_LABELS = {
    "final_compliance": "final compliance (share of encounters that respect IHL, last 52 weeks)",
    "mean_compliance": "mean compliance over the run (share of encounters that respect IHL)",
    "final_acceptance": "fighters' final acceptance of IHL (0–1)",
    "final_doctrine": "final level of IHL in doctrine (0–1)",
    "final_trust": "final persuader–group trust (0–1)",
    "final_stage": "final score-card stage (0–6)",
    "highest_stage": "highest score-card stage reached (0–6)",
    "commitments": "public commitments made",
    "weeks_to_threshold": "weeks until compliance reaches the threshold",
}


def outcome_label(name: str) -> str:
    return OUTCOME_LABELS.get(name, name.replace("_", " "))
