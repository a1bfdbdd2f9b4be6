"""A parameter in words (normsim.settings.words): its declared label, prefixed by the engager
kind when the label does not say it, and its value as a person reads it. Expected words are the
declarations (``P(..., label=...)``, the shipped scenarios' titles, the typology's titles)."""

from __future__ import annotations

import pytest

from normsim.settings.words import field_of, scenario_text, type_text, value_text, words


@pytest.mark.parametrize("name,text", [
    ("group_centralisation", "centralisation of the group"),
    ("group.centralisation", "centralisation of the group"),         # dotted
    ("dialogue_principled", "dialogue: argues from principles"),       # a kind's, prefixed
    ("persuader_principled", "dialogue: argues from principles"),      # the old name
    ("deed_end_week", "deed: week the engagement ends"),
    ("engager_contact_interval", "interval between meetings"),         # every engager's
    ("h1_enabled", "H1 switched on"),
    ("scenario", "scenario"),
    ("replicate_seed", "replicate seed"),                              # not a parameter
])
def test_a_parameter_in_a_few_words(name, text):
    assert words(name) == text


@pytest.mark.parametrize("name,value,text", [
    ("h1_enabled", True, "yes"),
    ("h1_enabled", 0, "no"),                     # a switch given as a number
    ("environment_listing_week", -1, "never"),   # -1 weeks
    ("dialogue_end_week", -1, "never"),
    ("environment_listing_week", 52, "52"),
    ("group_centralisation", 0.123456, "0.123"),  # numbers short
    ("group_centralisation", 0.5, "0.5"),
    ("group_fighters", 600, "600"),
    ("group_type", "peoples_war", "people's-war insurgency"),
    ("group_type", "", "no type"),
    ("dialogue_approach", "most_open", "most_open"),
    ("not_a_parameter", 3.14159, "3.14"),
    ("not_a_parameter", True, "yes"),
])
def test_a_value_in_words(name, value, text):
    assert value_text(name, value) == text


def test_a_scenario_in_words_drops_the_question_its_experiment_shares(tmp_path):
    assert scenario_text("engager_deed") == "A deed of commitment on the protection of civilians"
    assert scenario_text("baseline") == ("Baseline: an ICRC-style persuader engages a guerrilla "
                                         "group")
    assert value_text("scenario", "engager_dialogue") == ("ICRC-style dialogue on the "
                                                          "protection of civilians")
    asked = tmp_path / "asked.toml"
    asked.write_text('title = "Why? "\n', encoding="utf-8")  # nothing after the question
    assert scenario_text(str(asked)) == "Why? "
    assert scenario_text("no_such_scenario") == "no_such_scenario"  # never fails a figure


def test_a_type_of_group_in_words():
    assert type_text("predatory") == "predatory or warlord group"
    assert type_text("rebels") == "rebels"  # not a type: as given
    assert type_text("") == "no type"


def test_a_parameters_place_or_none():
    assert field_of("group_centralisation") == ("group", "centralisation")
    assert field_of("persuader.principled") == ("dialogue", "principled")
    assert field_of("nothing") == (None, None)
