"""normsim driven by the tools researchers already use, each the real library:

EMA Workbench 3.0 (``perform_experiments``, sequential and on its multiprocessing evaluator under
``spawn``; PRIM on the result), SALib (Sobol through :func:`normsim.salib_problem`), Mesa
(``batch_run`` on two processes; its SolaraViz dashboard served and opened in Chromium), and
DuckDB reading a sweep's folders. Runs are tiny (small groups, a few weeks). Expected values
come from normsim's own plain entry point (``run`` + ``outcomes``) or from the schema's
validation, never from the adapter under test.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL

import normsim
from normsim.adapters import ema
from normsim.sweeps.experiment import load_experiment
from normsim.sweeps.design import plan
from normsim.simulation.outcomes import OUTCOMES, outcomes
from normsim.settings.scenario import ScenarioError, from_flat

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 20
#: a known strong driver of compliance (the odds of violating) and a weak one
DRIVER, OTHER = ("fighters_base_violation", 0.05, 0.6), ("dialogue_contact_interval", 1, 16)


@pytest.fixture(scope="module", autouse=True)
def start_method_restored():
    """EMA's pool and mesa.batch_run use the process-wide start method; batch_run sets 'spawn'.
    Leave it as found for the other tests of this worker."""
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


# -- seeds, keywords, rounding ------------------------------------------------------------------

def test_seeds_are_the_seeds_of_a_sweeps_replicates():
    exp, _ = load_experiment("h4_principles", replicates=5)
    assert normsim.seeds(exp.root_seed, 5) == plan(exp).seeds
    assert normsim.seeds(exp.root_seed, 3) == plan(exp).seeds[:3]  # more replicates keep these
    assert len(set(normsim.seeds(0, 100))) == 100


def test_run_takes_its_parameters_as_keywords_as_ema_calls_it():
    as_mapping = normsim.run({**SMALL, "group_centralisation": 0.3}, seed=3, steps=6)
    as_keywords = normsim.run(seed=3, steps=6, group_centralisation=0.3, **SMALL)
    pd.testing.assert_frame_equal(as_mapping, as_keywords)
    with pytest.raises(ScenarioError, match="did you mean group_centralisation"):
        normsim.run(seed=3, steps=2, group_centralsation=0.3)


def test_a_sampled_float_reaches_a_whole_number_parameter_only_through_the_problems_rounding():
    with pytest.raises(ScenarioError, match="contact_interval = 7.13 .*whole number"):
        normsim.run({**SMALL, "dialogue_contact_interval": 7.13}, seed=1, steps=2)
    problem = normsim.salib_problem(["group_centralisation", "dialogue_contact_interval"])
    assert problem.params([0.25, 7.13]) == {"group_centralisation": 0.25,
                                           "dialogue_contact_interval": 7}
    # nearest whole number, halves to even, as documented
    rounded = [problem.params([0.5, x])["dialogue_contact_interval"] for x in (7.5, 6.5, 6.51)]
    assert rounded == [8, 6, 7]
    assert type(problem.params(np.array([0.5, 3.9]))["dialogue_contact_interval"]) is int
    normsim.run({**SMALL, **problem.params([0.25, 7.13])}, seed=1, steps=2)


@pytest.mark.parametrize("name", ["group_centralisation", "dialogue_contact_interval",
                                  "group_age_weeks", "fighters_base_violation", "h6_span_half"])
def test_the_problems_bounds_are_exactly_what_the_schema_accepts(name):
    (low, high), = normsim.salib_problem([name])["bounds"]
    step = 1 if isinstance(low, int) else 1e-9
    from_flat({name: low}), from_flat({name: high})
    for outside in (low - step, high + step):
        with pytest.raises(ScenarioError):
            from_flat({name: outside})


def test_problems_refuse_what_salib_cannot_sample_and_ranges_the_schema_forbids():
    with pytest.raises(ScenarioError, match="dialogue_practical_first takes False or True"):
        normsim.salib_problem(["dialogue_practical_first"])
    with pytest.raises(ScenarioError, match=r"centralisation range \[0.2, 1.5\] is not allowed"):
        normsim.salib_problem([("group_centralisation", 0.2, 1.5)])
    with pytest.raises(ScenarioError, match="'steps' is not a model parameter"):
        normsim.salib_problem(["steps"])


# -- EMA Workbench ------------------------------------------------------------------------------

def ema_model(**extra):
    return ema.model(uncertainties=[DRIVER, OTHER, "dialogue_practical_first"],
                     levers=["dialogue_principled"],
                     outcomes=["final_compliance", "highest_stage"],
                     replicates=2, root_seed=11, steps=WEEKS, fixed=SMALL, **extra)


def experiments_of(evaluator_cls=None, **evaluator_args):
    from ema_workbench import SequentialEvaluator

    m = ema_model()
    with (evaluator_cls or SequentialEvaluator)(m, **evaluator_args) as evaluator:
        return evaluator.perform_experiments(scenarios=12, policies=2,
                                             uncertainty_sampling_kwargs={"rng": 5},
                                             lever_sampling_kwargs={"rng": 6})


@pytest.fixture(scope="module")
def ema_results():
    return experiments_of()


def test_ema_parameters_take_their_types_and_bounds_from_the_schema():
    from ema_workbench import BooleanParameter, IntegerParameter, RealParameter

    m = ema_model()
    kinds = {p.name: type(p) for p in [*m.uncertainties, *m.levers]}
    assert kinds == {"fighters_base_violation": RealParameter,
                     "dialogue_contact_interval": IntegerParameter,
                     "dialogue_practical_first": BooleanParameter,
                     "dialogue_principled": RealParameter}
    (low, high), = normsim.salib_problem(["dialogue_principled"])["bounds"]
    lever = m.levers["dialogue_principled"]
    assert (lever.lower_bound, lever.upper_bound) == (low, high)


def test_ema_outcomes_are_normsims_own_outcomes_averaged_over_the_sweeps_seeds(ema_results):
    experiments, results = ema_results
    assert len(experiments) == 24
    assert set(experiments["dialogue_contact_interval"]) <= set(range(1, 17))
    for i in (0, 13):
        row = experiments.iloc[i]
        params = {**SMALL, **{name: row[name].item() if hasattr(row[name], "item") else row[name]
                              for name in ("fighters_base_violation", "dialogue_contact_interval",
                                           "dialogue_practical_first", "dialogue_principled")}}
        tables = [normsim.run(params, seed=s, steps=WEEKS) for s in normsim.seeds(11, 2)]
        for name in ("final_compliance", "highest_stage"):
            expected = np.mean([outcomes(t)[name] for t in tables])
            assert results[name][i] == pytest.approx(expected, rel=1e-12)
        weekly = np.mean([t.groupby("step")["compliance_rate"].mean().to_numpy()
                          for t in tables], axis=0)
        np.testing.assert_allclose(results["compliance_rate"][i], weekly, rtol=1e-12)
    assert results["TIME"].shape == results["compliance_rate"].shape == (24, WEEKS + 1)
    np.testing.assert_array_equal(results["TIME"][0], np.arange(WEEKS + 1))


@pytest.mark.multiprocess
def test_ema_multiprocessing_under_spawn_gives_the_same_outcomes(ema_results):
    from ema_workbench import MultiprocessingEvaluator

    multiprocessing.set_start_method("spawn", force=True)  # nothing may rely on fork's copy
    experiments, results = experiments_of(MultiprocessingEvaluator, n_processes=2)
    names = ["scenario", "policy"]  # EMA numbers its samples process-wide: labels, not data
    pd.testing.assert_frame_equal(experiments.drop(columns=names),
                                  ema_results[0].drop(columns=names))
    assert results.keys() == ema_results[1].keys()
    for name, values in results.items():
        np.testing.assert_array_equal(values, ema_results[1][name], err_msg=name)


def test_ema_prim_finds_the_known_driver_of_compliance(ema_results):
    from ema_workbench.analysis import prim

    experiments, results = ema_results
    x = experiments[[DRIVER[0], OTHER[0], "dialogue_principled"]]
    x = x.astype(float)  # EMA 3.0.0's PRIM may paste 4.5 into an int64 column (its issue 448)
    y = results["final_compliance"] > np.median(results["final_compliance"])
    box = prim.Prim(x, y).find_box()
    assert box.density >= 0.8 and box.coverage >= 0.8
    assert box.res_dim == 1  # one condition explains it ...
    assert box.box_lim.loc[1, "fighters_base_violation"] < DRIVER[2]  # ... low odds of violating


def test_ema_outcomes_default_to_every_declared_outcome_and_bad_names_are_refused():
    m = ema.model(uncertainties=[DRIVER])
    names = [o.name for o in m.outcomes]
    assert names == [*OUTCOMES, *ema.DEFAULT_SERIES, "TIME"]
    with pytest.raises(ScenarioError, match="'final_complience' is not an outcome"):
        ema.model(uncertainties=[DRIVER], outcomes=["final_complience"])
    with pytest.raises(ScenarioError, match="named more than once"):
        ema.model(uncertainties=[DRIVER], levers=["fighters_base_violation"])


# -- SALib --------------------------------------------------------------------------------------

def test_salib_sobol_through_the_problem_makes_n_d_plus_2_runs_and_ranks_the_driver_first():
    from SALib.analyze import sobol as sobol_analysis
    from SALib.sample import sobol

    problem = normsim.salib_problem([DRIVER, OTHER])
    n = 16
    X = sobol.sample(problem, n, calc_second_order=False, seed=3)
    assert X.shape == (n * (problem["num_vars"] + 2), 2)  # N (D + 2), not N (2D + 2)
    rows = problem.rows(X)
    intervals = [r["dialogue_contact_interval"] for r in rows]
    assert all(type(i) is int and 1 <= i <= 16 for i in intervals)
    Y = np.array([outcomes(normsim.run({**SMALL, **r}, seed=1, steps=WEEKS))["final_compliance"]
                  for r in rows])
    indices = sobol_analysis.analyze(problem, Y, calc_second_order=False, seed=3)
    total = dict(zip(problem["names"], indices["ST"]))
    assert total["fighters_base_violation"] > total["dialogue_contact_interval"]


# -- Mesa ---------------------------------------------------------------------------------------

@pytest.mark.multiprocess
def test_mesa_batch_run_on_two_processes_matches_one_process_and_a_direct_run():
    import mesa

    params = {**SMALL, "dialogue_principled": [0.0, 1.0]}
    kwargs = dict(parameters=params, rng=[1, 2], max_steps=8, data_collection_period=-1,
                  display_progress=False)
    two = pd.DataFrame(mesa.batch_run(normsim.NormDiffusionModel, number_processes=2, **kwargs))
    one = pd.DataFrame(mesa.batch_run(normsim.NormDiffusionModel, number_processes=1, **kwargs))
    assert len(two) == 4
    key = ["dialogue_principled", "rng"]
    pd.testing.assert_frame_equal(two.sort_values(key).reset_index(drop=True),
                                  one.sort_values(key).reset_index(drop=True))
    row = two[(two["rng"] == 2) & (two["dialogue_principled"] == 1.0)].iloc[0]
    model = normsim.NormDiffusionModel(rng=2, **{**SMALL, "dialogue_principled": 1.0})
    model.run_model(8)
    direct = model.datacollector.get_model_vars_dataframe().iloc[-1]
    assert row["compliance_rate"] == direct["compliance_rate"]
    assert row["trust"] == direct["trust"]


def test_the_mesa_dashboard_example_builds_its_page():
    import runpy

    import reacton.core

    page = runpy.run_path(str(ROOT / "examples" / "mesa_dashboard.py"))
    assert isinstance(page["page"], reacton.core.Element)
    controls = page["model_params"]
    assert controls["dialogue_contact_interval"]["type"] == "SliderInt"
    assert controls["dialogue_practical_first"]["type"] == "Checkbox"
    assert controls["group_fighters"]["max"] == 2000  # the example's narrower range
    assert controls["group_people_war"]["value"] == normsim.settings.scenario.defaults()["group_people_war"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.multiprocess
@pytest.mark.browser
def test_the_mesa_dashboard_is_served_on_this_machine_and_steps_in_chromium(tmp_path, browser):
    port = free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false", "SOLARA_ASSETS_PROXY": "true",
           "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/", "SOLARA_ASSETS_FONTAWESOME_ENABLED": "false"}
    solara = Path(sys.executable).parent / "solara"
    server = subprocess.Popen([str(solara), "run", str(ROOT / "examples" / "mesa_dashboard.py"),
                               "--host", "127.0.0.1", "--port", str(port), "--production",
                               "--no-open"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, "solara run ended"
                assert time.monotonic() < deadline, "the dashboard did not start in 60 s"
                time.sleep(0.5)
        context = browser.new_context()  # the session's Chromium (tests/app_helpers.py)
        try:
            page = context.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            page.get_by_text("dialogue_contact_interval").wait_for(timeout=30_000)
            plots = page.locator("img")  # Mesa's matplotlib plots arrive as images
            plots.nth(1).wait_for(timeout=30_000)
            before = plots.nth(0).get_attribute("src")
            page.get_by_role("button", name="Step").click()
            page.wait_for_function("src => document.querySelector('img').src !== src", arg=before,
                                   timeout=30_000)  # the week's step redrew the compliance plot
        finally:
            context.close()
        outside = [r for r in requests if urlparse(r).scheme not in ("data", "blob")
                   and urlparse(r).hostname != "127.0.0.1"]
        assert requests and not outside, f"requests left the machine: {outside}"
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- DuckDB reads a sweep's folders ---------------------------------------------------------------

def test_duckdb_reads_a_sweeps_runs_and_events_as_normsim_wrote_them(tmp_path):
    import duckdb

    from normsim.sweeps.engines import sweep
    from normsim.sweeps.readers import read_runs

    experiment = tmp_path / "tiny.toml"
    experiment.write_text(
        'title = "tiny"\nquestion = "Do the readers agree?"\nreplicates = 2\nsteps = 12\n'
        'root_seed = 4\n[factors]\n"dialogue.principled" = { values = [0.0, 1.0] }\n[fixed]\n'
        + "".join(f"{k} = {v}\n" for k, v in SMALL.items()))
    exp, text = load_experiment(experiment)
    p = plan(exp)
    out = tmp_path / "out"
    sweep(p, out, text, workers=1, progress=False)
    con = duckdb.connect()
    runs = con.sql(f"SELECT run_id, avg(compliance_rate) AS mean_compliance "
                   f"FROM read_parquet('{out}/runs/*.parquet') "
                   "GROUP BY run_id ORDER BY run_id").df()
    assert list(runs["run_id"]) == sorted(run_id for run_id, *_ in p.runs())
    expected = read_runs(out).groupby("run_id")["compliance_rate"].mean()
    np.testing.assert_allclose(runs["mean_compliance"], expected.sort_index().to_numpy(),
                               rtol=1e-12)
    events = con.sql(f"SELECT run_id, kind, count(*) AS n "
                     f"FROM read_parquet('{out}/events/*.parquet') "
                     "GROUP BY run_id, kind ORDER BY run_id, kind").df()
    by_pandas = (pd.read_parquet(out / "events").groupby(["run_id", "kind"]).size()
                 .rename("n").reset_index().sort_values(["run_id", "kind"]).reset_index(drop=True))
    pd.testing.assert_frame_equal(events.astype({"n": "int64"}),
                                  by_pandas.astype({"run_id": str, "kind": str, "n": "int64"}),
                                  check_dtype=False)
    assert len(events) > 0


# -- the README's researcher routes run as written --------------------------------------------

def readme_block(lead: str) -> str:
    """The first Python block after the paragraph that starts with ``lead``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(lead):]
    return after.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(("lead", "made"), [("**EMA Workbench 3.0**", "box"),
                                           ("**SALib**", "indices")])
def test_the_readmes_researcher_routes_run_as_written(lead, made, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_block(lead), f"README.md: {lead}", "exec"), namespace)  # noqa: S102
    assert namespace[made] is not None
