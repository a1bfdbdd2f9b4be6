"""normsim.analysis.kinds on its own: the list of figures is plain data (the CLI's help reads it
without loading the library's heavy parts), names exactly the figures the report draws, and
every other name is refused naming them all."""

from __future__ import annotations

import ast
import inspect

import pandas as pd
import pytest

from normsim.analysis import kinds
from normsim.analysis.kinds import KINDS
from normsim.analysis.report import check_kind, relevant_kinds
from normsim.analysis.results import Results
from normsim.settings.scenario import ScenarioError


def test_the_kinds_are_plain_data_that_import_nothing():
    tree = ast.parse(inspect.getsource(kinds))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import,
                                                                     ast.ImportFrom))]
    assert all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in KINDS.items())


def test_a_sweep_with_everything_gets_exactly_every_kind_once():
    """Twins, two factors, a setback, Sobol indices, and runs on both sides of the threshold:
    the report draws every figure there is, and no other."""
    res = Results(
        out=".", manifest={"factors": ["group_centralisation", "group_people_war"],
                           "design": "sobol"},
        conditions=pd.DataFrame(), records=pd.DataFrame(), runs=pd.DataFrame(),
        outcomes=pd.DataFrame({"final_compliance": [0.9, 0.2], "engagement_effect": [0.1, 0.0]}),
        effects=pd.DataFrame(), events=pd.DataFrame({"kind": ["setback"]}), threshold=0.8,
        sensitivity=pd.DataFrame({"parameter": ["group_centralisation"], "ST": [0.5]}))
    drawn = relevant_kinds(res)
    assert sorted(drawn) == sorted(KINDS) and len(drawn) == len(set(drawn))


def test_another_name_is_refused_naming_every_kind():
    with pytest.raises(ScenarioError) as err:
        check_kind("histogram")
    assert str(err.value) == ("--kind 'histogram' is not a figure; choose one of: "
                              + ", ".join(KINDS) + ".")
