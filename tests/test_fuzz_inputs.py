"""Hypothesis fuzzing of the file kinds and adapters issue 23 added to the corpus: population
files, data files, and the arguments of ``seeds``, ``salib_problem``, ``ema.model`` and ``run``.
Each either works or raises ``normsim.UserError`` (0 tracebacks), and whatever is accepted meets
rules written here from the documented limits, not taken from the code (0 wrongly accepted)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import normsim
from normsim.errors import UserError
from normsim.world.groups import GroupSettings
from normsim.world.typology import TYPES

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
MAX_SEED = 2**63 - 1
MIN_LIFETIME = 52  # weeks; the population file's documented shortest life

scalars = st.one_of(st.booleans(), st.integers(-10, 10**7), st.floats(allow_nan=True),
                    st.text(max_size=6), st.just(date(1979, 5, 27)),
                    st.sampled_from([0, 1, -1, 0.5, 2**63, 520]))
NUMERIC = [n for n, f in GroupSettings.model_fields.items()
           if f.annotation in (int, float) and n not in ("count", "start_week", "end_week")]
SETTINGS = [*NUMERIC, "core_goal_incompatible", "type", "count", "charisma"]


def _bounds(name):
    meta = GroupSettings.model_fields[name].metadata
    lo = next((m.ge for m in meta if hasattr(m, "ge")), None)
    hi = next((m.le for m in meta if hasattr(m, "le")), None)
    return lo, hi


spreads = st.one_of(
    st.fixed_dictionaries({"mean": st.floats(-10, 1000), "sd": st.floats(-1, 50)}),
    st.fixed_dictionaries({"min": st.floats(-10, 1000), "max": st.floats(-10, 1000)}),
    st.dictionaries(st.sampled_from(["mean", "sd", "min", "max", "x"]), scalars, max_size=3))
types = st.fixed_dictionaries(
    {"key": st.one_of(st.sampled_from(list(TYPES)), st.text(max_size=4)),
     "share": st.one_of(st.sampled_from([1.0, 0.5, 0.25]), st.floats(-1, 2), scalars)},
    optional={n: st.one_of(spreads, scalars) for n in SETTINGS})
populations = st.fixed_dictionaries(
    {"groups": st.one_of(st.integers(-1, 30), st.just(501), scalars),
     "type": st.one_of(st.lists(types, min_size=0, max_size=3), scalars)},
    optional={"countries": st.one_of(st.integers(0, 5), scalars),
              "emergence": st.fixed_dictionaries({}, optional={
                  "first_week": st.integers(-1, 60), "last_week": st.integers(-1, 60),
                  "lifetime": st.one_of(spreads, scalars)}),
              "title": scalars})


def _setting_value(name):
    """A value for a setting: valid, out of range, or of another kind."""
    lo, hi = _bounds(name) if name in NUMERIC else (0, 1)
    lo = lo if lo is not None else -5
    hi = min(hi if hi is not None else lo + 1000, lo + 1000)
    return st.one_of(st.floats(lo, hi), st.integers(int(lo), int(min(hi, lo + 50))),
                     st.fixed_dictionaries({"mean": st.floats(lo - 1, hi + 1),
                                            "sd": st.floats(0, 5)}),
                     st.fixed_dictionaries({"min": st.floats(lo - 1, hi), "max": st.floats(lo, hi + 1)}),
                     scalars, spreads)


@st.composite
def near_valid_populations(draw):
    """A valid population file, then up to three settings of any kind on its types."""
    keys = draw(st.lists(st.sampled_from(list(TYPES)), min_size=1, max_size=2, unique=True))
    types = [{"key": k, "share": 1.0 / len(keys)} for k in keys]
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(SETTINGS))
        draw(st.sampled_from(types))[name] = draw(_setting_value(name))
    data = {"groups": draw(st.integers(1, 12)), "type": types}
    if draw(st.booleans()):
        data["emergence"] = {"last_week": draw(st.integers(0, 100)),
                             "lifetime": draw(st.one_of(spreads, st.fixed_dictionaries(
                                 {"mean": st.floats(-100, 2000), "sd": st.floats(0, 100)})))}
    return data


def _inside(value, name) -> bool:
    lo, hi = _bounds(name)
    return (lo is None or value >= lo) and (hi is None or value <= hi)


@FUZZ
@given(data=st.one_of(near_valid_populations(), populations), seed=st.integers(0, 2**32))
def test_fuzzed_population_files_load_and_draw_or_get_a_user_error(tmp_path, data, seed):
    from normsim.settings.population import draw, load_population
    path = tmp_path / "p.toml"
    try:
        path.write_text(tomli_w.dumps(data))
    except (TypeError, ValueError):
        return
    try:
        pop = load_population(path)
    except UserError as err:
        assert str(err).strip()
        event("refused")
        return
    event("accepted")
    # accepted: every setting lies inside its declared range, every lifetime at least 52 weeks
    for t in pop.type:
        for name, spec in (t.model_extra or {}).items():
            assert name in NUMERIC or name == "core_goal_incompatible", name
            if isinstance(spec, dict):
                assert name in NUMERIC
                for key in ("mean", "min", "max"):
                    if key in spec:
                        assert math.isfinite(spec[key]) and _inside(spec[key], name), (name, spec)
            elif name in NUMERIC:
                assert not isinstance(spec, bool) and math.isfinite(spec) and _inside(spec, name)
    life = pop.emergence.lifetime
    if life is not None:
        assert (life.mean if life.mean is not None else life.min) >= MIN_LIFETIME
    groups, country, kind = draw(pop, GroupSettings(), np.random.default_rng(seed))
    assert len(groups) == pop.groups == len(country) == len(kind)


HEADER = ["year", "as_of", "norm", "pledge_type", "unit", "count", "kind", "source", "quote"]
rows = st.fixed_dictionaries({
    "year": st.one_of(st.sampled_from(["2001", "2003", "2005"]), st.text(max_size=4)),
    "as_of": st.one_of(st.sampled_from(["2001", "2003-06", "2003-13", "2005-02-30", "2005-02-28",
                                         "2019-05", "1999"]), st.text(max_size=8)),
    "norm": st.sampled_from(["landmines", "mines", "children"]),
    "pledge_type": st.sampled_from(["deed", "action_plan"]),
    "unit": st.sampled_from(["groups", "deeds", "x"]),
    "count": st.one_of(st.sampled_from(["0", "1", "20", "26"]), st.text(max_size=3)),
    "kind": st.sampled_from(["exact", "lower_bound", "about"]),
    "source": st.sampled_from(["S", ""]), "quote": st.sampled_from(["q", ""])})


DATES = [("2001", "2001"), ("2003", "2003-06"), ("2005", "2005-02-28"), ("2008", "2008-11-30"),
         ("2019", "2019-05"), ("1999", "1999")]
valid_rows = st.builds(
    lambda when, count, unit, kind: {"year": when[0], "as_of": when[1], "norm": "landmines",
                                     "pledge_type": "deed", "unit": unit, "count": count,
                                     "kind": kind, "source": "S", "quote": "q"},
    st.sampled_from(DATES), st.sampled_from(["0", "1", "20", "26"]),
    st.sampled_from(["groups", "deeds"]), st.sampled_from(["exact", "exact", "lower_bound"]))


@FUZZ
@given(table=st.lists(st.one_of(valid_rows, valid_rows, valid_rows, rows), max_size=5), norm=st.sampled_from(["mines", "landmines", "children"]),
       norms=st.one_of(st.none(), st.sampled_from([["mines"], ["civilians"]])),
       weeks=st.one_of(st.none(), st.sampled_from([260, 520, 1040])),
       fit_until=st.one_of(st.none(), st.integers(2000, 2010)))
def test_fuzzed_data_files_are_read_or_get_a_user_error(tmp_path, table, norm, norms, weeks,
                                                       fit_until):
    from normsim.settings.data import observed
    path = tmp_path / "c.csv"
    pd.DataFrame(table, columns=HEADER).to_csv(path, index=False)
    try:
        points = observed(path, norm, 2000, norms=norms, weeks=weeks, fit_until=fit_until)
    except UserError as err:
        assert str(err).strip()
        event("refused")
        return
    event("accepted")
    # accepted: rows there, dates inside the run, no two exact counts for one week, fitted >= 1
    assert len(points) > 0
    if weeks is not None:
        assert points["week"].between(0, weeks).all()
    exact = points[points["kind"] == "exact"]
    assert (exact.groupby("year")["count"].nunique() <= 1).all()
    if fit_until is not None:
        assert (exact[exact["year"] < fit_until + 1]["count"] >= 1).all()
    if norms is not None:
        assert {"landmines": "mines"}.get(norm, norm) in norms


anything = st.one_of(scalars, st.none(), st.lists(scalars, max_size=2),
                     st.just(np.int64(3)), st.just(np.float64(2.5)))


@FUZZ
@given(root=anything, n=st.one_of(anything, st.integers(-2, 20)))
def test_fuzzed_seeds_arguments(root, n):
    try:
        out = normsim.seeds(root, n)
    except UserError as err:
        assert str(err).strip()
        return
    for x in (root, n):  # accepted: whole numbers (numpy's too), not switches
        assert isinstance(x, (int, np.integer)) and not isinstance(x, bool)
    assert 0 <= root <= MAX_SEED and 0 <= n <= 1_000_000 and len(out) == n


specs = st.one_of(st.sampled_from(["group_people_war", "persuader_contact_interval", "nope",
                                   "dialogue_practical_first"]),
                  st.tuples(st.sampled_from(["group_people_war", "persuader_contact_interval"]),
                            anything, anything),
                  anything)


@FUZZ
@given(names=st.one_of(st.lists(specs, max_size=3), anything))
def test_fuzzed_salib_problems(names):
    try:
        problem = normsim.salib_problem(names)
    except UserError as err:
        assert str(err).strip()
        return
    assert isinstance(names, list) and problem["num_vars"] == len(names) >= 1
    for low, high in problem["bounds"]:
        assert math.isfinite(low) and math.isfinite(high) and low < high


@FUZZ
@given(steps=st.one_of(st.none(), anything, st.integers(-2, 3)),
       replicates=st.one_of(anything, st.integers(0, 3)),
       root_seed=st.one_of(anything, st.integers(-1, 5)),
       fixed=st.one_of(st.none(), anything, st.dictionaries(st.sampled_from(
           ["group_fighters", "nope", 5]), anything, max_size=2)),
       outcomes=st.one_of(st.none(), anything, st.lists(st.sampled_from(
           ["final_compliance", "nope"]), max_size=2)))
def test_fuzzed_ema_models(steps, replicates, root_seed, fixed, outcomes):
    ema = pytest.importorskip("normsim.adapters.ema")
    try:
        m = ema.model(["group_people_war"], steps=steps, replicates=replicates,
                      root_seed=root_seed, fixed=fixed, outcomes=outcomes)
    except UserError as err:
        assert str(err).strip()
        return
    for x in (replicates, root_seed):
        assert isinstance(x, (int, np.integer)) and not isinstance(x, bool)
    assert 1 <= replicates <= 100_000 and 0 <= root_seed <= MAX_SEED
    assert steps is None or (isinstance(steps, (int, np.integer)) and not isinstance(steps, bool)
                             and 1 <= steps <= 100_000)  # numpy whole numbers, as EMA passes them
    assert len(m.replications) == replicates


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counterfactual=st.one_of(st.booleans(), anything),
       key=st.one_of(st.sampled_from(["group_insecurity", "nope"]), anything),
       value=anything, steps=st.one_of(st.integers(-1, 3), anything))
def test_fuzzed_run_arguments(counterfactual, key, value, steps):
    params = {"group_fighters": 10, "group_units_per_commander": 1}
    try:
        params[key] = value
    except TypeError:  # an unhashable key: not a mapping anyone can pass
        return
    try:
        table = normsim.run(params, seed=1, steps=steps, counterfactual=counterfactual)
    except UserError as err:
        assert str(err).strip()
        return
    assert type(counterfactual) is bool and isinstance(key, str)
    assert type(steps) is int and 1 <= steps <= 100_000 and len(table) > 0
