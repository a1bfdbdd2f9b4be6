"""What each parameter can take, for samplers and dashboards (normsim.settings.ranges): the
kind, bounds and default read from the schema, narrowed ranges and their refusals, the cast of a
sampled value, and Mesa's controls. Expected values are the declarations in the schema
(``group.fighters``: 1 to 5,000,000, default 600; ``group.centralisation``: 0 to 1, default 0.7;
``h1_enabled``: default on; an engager's ``approach``: first, most_open, largest or random)."""

from __future__ import annotations

import numpy as np
import pytest

from normsim.settings.ranges import Range, mesa_user_params, parameter_range
from normsim.settings.scenario import ScenarioError

APPROACHES = ("first", "most_open", "largest", "random")


@pytest.mark.parametrize("spec,expected", [
    ("group_fighters", Range("group_fighters", "int", 1, 5_000_000, (), 600)),
    ("group.centralisation", Range("group_centralisation", "float", 0, 1, (), 0.7)),
    ("h1_enabled", Range("h1_enabled", "bool", None, None, (False, True), True)),
    ("dialogue_approach", Range("dialogue_approach", "choice", None, None, APPROACHES, "first")),
    ("persuader_principled", Range("dialogue_principled", "float", 0, 1, (), 1.0)),  # old name
])
def test_a_parameters_range_is_read_from_the_schema(spec, expected):
    assert parameter_range(spec) == expected


def test_a_narrowed_range_keeps_the_kind_and_whole_numbers_stay_whole():
    r = parameter_range(("group_fighters", 50.0, 500.0))
    assert (r.low, r.high) == (50, 500) and isinstance(r.low, int) and r.default == 600
    r = parameter_range(("group_centralisation", 0.2, 0.4))
    assert (r.kind, r.low, r.high, r.default) == ("float", 0.2, 0.4, 0.7)
    assert parameter_range(("dialogue_approach", ["random", "first"])).choices == (
        "random", "first")
    assert parameter_range(("h1_enabled", [True])).choices == (True,)


@pytest.mark.parametrize("spec,words", [
    ("group_centralisaton", "'group_centralisaton' is not a model parameter (did you mean "
                            "group_centralisation?)"),
    ("steps", "'steps' is not a model parameter"),  # a run setting, not the model's
    ("group_type", "group_type cannot be sampled: it takes a text in quotes"),
    (("group_centralisation", 0.5), "group_centralisation: give a range as "
                                    "('group_centralisation', low, high)"),
    (("group_centralisation", 0.5, 0.5), "group_centralisation range [0.5, 0.5] is not allowed: "
                                         "group_centralisation takes a number from 0 to 1, and "
                                         "low must be below high"),
    (("group_centralisation", -0.1, 0.5), "range [-0.1, 0.5] is not allowed"),
    (("group_centralisation", 0.5, 1.1), "range [0.5, 1.1] is not allowed"),
    (("group_fighters", 50.5, 500), "group_fighters takes a whole number from 1 to 5000000"),
    (("dialogue_approach", ["first", "nearest"]), "dialogue_approach: choices ['first', "
                                                  "'nearest'] are not allowed: it takes first or "
                                                  "most_open or largest or random"),
    (("h1_enabled", []), "h1_enabled: choices [] are not allowed: it takes False or True"),
])
def test_a_bad_parameter_or_range_gets_one_clear_message(spec, words):
    with pytest.raises(ScenarioError) as err:
        parameter_range(spec)
    assert words in str(err.value)


def test_a_sampled_value_is_cast_to_the_parameters_own_type():
    fighters = parameter_range("group_fighters")
    assert fighters.cast(7.13) == 7 and isinstance(fighters.cast(7.13), int)
    assert fighters.cast(np.float64(7.5)) == 8 and fighters.cast(6.5) == 6  # halves to even
    assert type(parameter_range("group_centralisation").cast(np.float32(0.5))) is float
    on = parameter_range("h1_enabled").cast(np.bool_(True))
    assert on is True  # a numpy switch as Python's, for the scenario's validation
    assert parameter_range("dialogue_approach").cast(np.str_("largest")) == "largest"


def test_mesa_controls_follow_the_kind_and_start_within_the_range():
    controls = mesa_user_params(["group_centralisation", ("group_fighters", 50, 500),
                                 ("group_insecurity", 0.2, 0.6),
                                 ("group_operational_commanders", 5, 9), "h1_enabled",
                                 ("dialogue_approach", ["largest", "random"])])
    assert controls["group_centralisation"] == {
        "type": "SliderFloat", "min": 0, "max": 1, "step": 0.01, "value": 0.7,
        "label": "group_centralisation"}
    assert controls["group_insecurity"]["step"] == pytest.approx(0.004)  # a hundredth of the range
    assert controls["group_fighters"] == {"type": "SliderInt", "min": 50, "max": 500, "step": 1,
                                          "value": 500, "label": "group_fighters"}  # 600 > 500
    assert controls["group_operational_commanders"]["value"] == 5  # default 3 < 5
    assert controls["h1_enabled"] == {"type": "Checkbox", "value": True, "label": "h1_enabled"}
    assert controls["dialogue_approach"] == {"type": "Select", "values": ["largest", "random"],
                                             "value": "largest", "label": "dialogue_approach"}
