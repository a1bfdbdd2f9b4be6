"""normsim.adapters.salib on its own: the problem's bounds from the schema (or narrowed), rows
turned into run's parameters (whole numbers rounded halves to even, and only there), and the
clear errors for what SALib cannot sample. Bounds below are the schema's, as ``normsim
parameters`` states them: group.centralisation 0 to 1, dialogue.contact_interval 1 to 520."""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.sample import sobol

from normsim.adapters.salib import Problem, salib_problem
from normsim.errors import UserError
from normsim.settings.scenario import ScenarioError


def test_the_problem_has_the_schemas_bounds_or_the_narrower_ones_given():
    problem = salib_problem(["group.centralisation", ("dialogue_contact_interval", 2, 16)])
    assert dict(problem) == {"num_vars": 2,
                             "names": ["group_centralisation", "dialogue_contact_interval"],
                             "bounds": [[0, 1], [2, 16]]}


def test_a_row_becomes_parameters_whole_numbers_rounded_halves_to_even():
    problem = salib_problem(["group_centralisation", "dialogue_contact_interval"])
    assert problem.params([0.25, 7.5]) == {"group_centralisation": 0.25,
                                           "dialogue_contact_interval": 8}
    got = problem.params(np.array([0.4, 6.5]))  # a sampler's row: numpy floats
    assert got == {"group_centralisation": 0.4, "dialogue_contact_interval": 6}
    assert type(got["group_centralisation"]) is float
    assert type(got["dialogue_contact_interval"]) is int
    assert problem.rows([[0.0, 1.2], [1.0, 519.7]]) == [
        {"group_centralisation": 0.0, "dialogue_contact_interval": 1},
        {"group_centralisation": 1.0, "dialogue_contact_interval": 520}]


def test_salibs_own_sampler_takes_the_problem_and_every_row_stays_in_bounds():
    problem = salib_problem(["group_centralisation", ("dialogue_contact_interval", 1, 16)])
    rows = problem.rows(sobol.sample(problem, 8, calc_second_order=False, seed=1))
    assert len(rows) == 8 * (2 + 2)  # N (D + 2)
    assert all(0 <= r["group_centralisation"] <= 1 and 1 <= r["dialogue_contact_interval"] <= 16
               for r in rows)


def test_a_row_of_the_wrong_length_names_the_parameters():
    problem = salib_problem(["group_centralisation", "dialogue_contact_interval"])
    with pytest.raises(UserError, match=r"a row of 3 values for 2 parameters "
                                        r"\(group_centralisation, dialogue_contact_interval\)"):
        problem.params([0.1, 2, 3])


@pytest.mark.parametrize("names, message", [
    (["group_ihl_department"], r"group_ihl_department takes False or True, which SALib cannot "
                               r"sample: .* factorial design"),
    (["reciprocity_story"], r"reciprocity_story takes mirror or contrast or both"),
    (["group_centralisation", "group.centralisation"], r"group_centralisation named more than "
                                                        r"once"),
    ([], r"give at least one parameter to sample"),
    (["no_such_parameter"], r"'no_such_parameter' is not a model parameter"),
])
def test_what_salib_cannot_sample_is_refused_with_a_scenario_error(names, message):
    with pytest.raises(ScenarioError, match=message):
        salib_problem(names)


@pytest.mark.parametrize("names", ["group_centralisation", [("group_centralisation", 0,
                                                               math.inf)], [3]])
def test_anything_but_a_list_of_names_and_finite_ranges_is_a_user_error(names):
    with pytest.raises(UserError, match="is not allowed"):
        salib_problem(names)


def test_a_problem_is_a_plain_dict_for_salib_and_keeps_the_ranges():
    problem = salib_problem(["group_fighters"])
    assert isinstance(problem, Problem) and isinstance(problem, dict)
    assert [r.name for r in problem.ranges] == ["group_fighters"]
    assert problem["bounds"] == [[1, 5_000_000]]
