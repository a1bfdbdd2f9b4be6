"""Bad arguments to the Python API's adapters (``run``, ``seeds``, ``salib_problem``,
``ema.model``): each must raise ``normsim.UserError`` naming the argument, the value and what is
allowed. Expected words are written by hand from the documented limits."""

from __future__ import annotations

import math

import numpy as np

import normsim
from bad_input_cases import GOOD_EXPERIMENT, MAX_SEED, TINY, api_case, exp_case


def _ema(**kw):
    def call(d):
        from normsim.adapters import ema
        return ema.model(kw.pop("uncertainties", ["group_people_war"]), **kw)
    return call


def _salib(*specs):
    return lambda d: normsim.salib_problem(list(specs))


ADAPTERS = [
    api_case("api-run-counterfactual-text", ["counterfactual = 'yes'", "True or False"],
             lambda d: normsim.run(TINY, steps=2, counterfactual="yes")),
    api_case("api-run-counterfactual-one", ["counterfactual = 1", "True or False"],
             lambda d: normsim.run(TINY, steps=2, counterfactual=1)),
    api_case("api-run-key-number", ["params", "the key 5", "parameter names are text"],
             lambda d: normsim.run({5: 0.3}, steps=2)),
    api_case("api-run-scenario-number", ["scenario = 5", "a shipped scenario's name"],
             lambda d: normsim.run(TINY, steps=2, scenario=5)),
    api_case("api-run-scenario-empty", ["scenario = ''", "a shipped scenario's name"],
             lambda d: normsim.run(TINY, steps=2, scenario="")),
    api_case("api-run-model-steps-bool", ["steps = true", "from 1 to 100000"],
             lambda d: normsim.run_model(TINY, steps=True)),
    api_case("api-seeds-negative", ["root_seed = -1", MAX_SEED], lambda d: normsim.seeds(-1, 3)),
    api_case("api-seeds-fraction", ["root_seed = 1.5", MAX_SEED], lambda d: normsim.seeds(1.5, 3)),
    api_case("api-seeds-text", ["root_seed = '1'", MAX_SEED], lambda d: normsim.seeds("1", 3)),
    api_case("api-seeds-2-64", [f"root_seed = {2**64}", MAX_SEED],
             lambda d: normsim.seeds(2**64, 3)),
    api_case("api-seeds-just-over", [f"root_seed = {2**63}", MAX_SEED],
             lambda d: normsim.seeds(2**63, 3)),
    api_case("api-seeds-n-negative", ["n (the number of seeds) = -1", "from 0 to 1000000"],
             lambda d: normsim.seeds(1, -1)),
    api_case("api-seeds-n-fraction", ["n (the number of seeds) = 2.5"],
             lambda d: normsim.seeds(1, 2.5)),
    api_case("api-seeds-n-huge", ["n (the number of seeds) = 1000000000", "from 0 to 1000000"],
             lambda d: normsim.seeds(1, 10**9)),
    api_case("api-seeds-n-none", ["n (the number of seeds) = None"], lambda d: normsim.seeds(1, None)),
    api_case("api-salib-text-bound", ["('group_people_war', 'a', 1)", "the bound 'a'",
                                      "a finite number"], _salib(("group_people_war", "a", 1))),
    api_case("api-salib-none-bound", ["the bound None", "a finite number"],
             _salib(("group_people_war", None, 1))),
    api_case("api-salib-nan-bound", ["the bound nan", "a finite number"],
             _salib(("group_people_war", math.nan, 1.0))),
    api_case("api-salib-inf-bound", ["the bound inf"], _salib(("group_people_war", 0.0, math.inf))),
    api_case("api-salib-number", ["names: 5", "a parameter name or a tuple"], _salib(5)),
    api_case("api-salib-empty-tuple", ["names: ()", "a parameter name or a tuple"], _salib(())),
    api_case("api-salib-one-text", ["names = 'group_people_war'", "a list of parameter names"],
             lambda d: normsim.salib_problem("group_people_war")),
    api_case("api-salib-none", ["names = None", "a list of parameter names"],
             lambda d: normsim.salib_problem(None)),
    api_case("api-salib-switch", ["dialogue_practical_first takes False or True"],
             _salib("dialogue_practical_first")),
    api_case("api-salib-nothing", ["at least one parameter"], _salib()),
    api_case("api-salib-row-length", ["a row of 2 values for 1 parameters", "group_people_war"],
             lambda d: normsim.salib_problem(["group_people_war"]).params([0.1, 0.2])),
    api_case("api-ema-steps-0", ["steps = 0", "from 1 to 100000"], _ema(steps=0)),
    api_case("api-ema-steps-negative", ["steps = -5", "from 1 to 100000"], _ema(steps=-5)),
    api_case("api-ema-steps-fraction", ["steps = 2.5"], _ema(steps=2.5)),
    api_case("api-ema-replicates-text", ["replicates = 'x'", "from 1 to 100000"],
             _ema(replicates="x")),
    api_case("api-ema-replicates-0", ["replicates = 0", "from 1 to 100000"], _ema(replicates=0)),
    api_case("api-ema-replicates-fraction", ["replicates = 1.5"], _ema(replicates=1.5)),
    api_case("api-ema-root-seed-negative", ["root_seed = -1", MAX_SEED], _ema(root_seed=-1)),
    api_case("api-ema-root-seed-huge", [f"root_seed = {2**64}", MAX_SEED], _ema(root_seed=2**64)),
    api_case("api-ema-root-seed-numpy", ["root_seed = 1.5"], _ema(root_seed=np.float64(1.5))),
    api_case("api-ema-fixed-list", ["fixed = [1]", "a mapping"], _ema(fixed=[1])),
    api_case("api-ema-fixed-unknown", ["fixed", "'nope' is not a parameter"],
             _ema(fixed={"nope": 1})),
    api_case("api-ema-fixed-range", ["group.centralisation = 3", "a number from 0 to 1"],
             _ema(fixed={"group_centralisation": 3})),
    api_case("api-ema-uncertainties-text", ["uncertainties = 'group_people_war'", "a list"],
             _ema(uncertainties="group_people_war")),
    api_case("api-ema-uncertainties-number", ["uncertainties: 5"], _ema(uncertainties=[5])),
    api_case("api-ema-levers-none-bound", ["levers", "the bound None"],
             _ema(levers=[("persuader_contact_interval", None, 4)])),
    api_case("api-ema-outcomes-text", ["outcomes = 'final_compliance'", "a list of names"],
             _ema(outcomes="final_compliance")),
    api_case("api-ema-outcome-unknown", ["'nope' is not an outcome"], _ema(outcomes=["nope"])),
    api_case("api-ema-series-number", ["series: 3", "a name"], _ema(series=[3])),
    api_case("api-ema-name", ["name = 5", "a Python identifier"], _ema(name=5)),
    api_case("api-ema-name-spaces", ["name = 'my model'", "a Python identifier"],
             _ema(name="my model")),
    api_case("api-ema-scenario-number", ["scenario = 3"], _ema(scenario=3)),
    api_case("api-ema-memory", ["GB of memory"],
             _ema(fixed={"group_count": 100, "group_fighters": 5_000_000})),
]



#: --give-up-after: a finite wait, and only where something is waited for
GIVE_UP = [
    exp_case("sweep-give-up-without-scheduler", ["--give-up-after 60", "only for --scheduler"],
             GOOD_EXPERIMENT, "--give-up-after", "60", names_file=False),
    *(exp_case(f"sweep-give-up-{value}", [f"--give-up-after {shown}", "from 1 to 604800"],
               GOOD_EXPERIMENT, "--scheduler", "tcp://127.0.0.1:1", "--give-up-after", value,
               names_file=False)
      for value, shown in (("nan", "nan"), ("inf", "inf"), ("1e9", "1000000000.0"))),
]
