"""Populations of groups (issue 11): drawn as their types say, emerging and ending, watching
each other, splintering only under their conditions, deterministic per seed on any engine."""


import numpy as np
import pandas as pd
import pytest
from scipy import stats

from normsim import NormDiffusionModel, run
from normsim.analysis.population import signatories, yearly
from normsim.sweeps.engines import sweep
from normsim.sweeps.experiment import load_experiment
from normsim.sweeps.design import plan
from normsim.world.groups import GroupSettings, GroupState
from normsim.rules.emulation import EmulationSettings, emulation, watch_weights
from normsim.settings.population import draw, load_population
from normsim.settings.scenario import ScenarioError
from normsim.sweeps.readers import read_runs
from normsim.world.typology import TYPES

POPULATION = """
title = "two kinds of group"
groups = {groups}
countries = 3
[[type]]
key = "peoples_war"
share = 0.6
fighters = {{ min = 20, max = 40 }}
people_war = {{ mean = 0.9, sd = 0.05 }}
[[type]]
key = "predatory"
share = 0.4
fighters = {{ min = 20, max = 40 }}
[emergence]
first_week = 0
last_week = 100
lifetime = {{ mean = 150, sd = 30 }}
"""


def population(tmp_path, groups=30, engager="deed", extra=""):
    pop = tmp_path / "pop.toml"
    pop.write_text(POPULATION.format(groups=groups))
    scen = tmp_path / "scen.toml"
    kind = f'[[engager]]\nkind = "{engager}"\n' + ('norm = "civilians"\n' if engager == "deed"
                                                   else "")
    scen.write_text(f'title = "a population"\npopulation = "{pop}"\n{extra}\n{kind}')
    return scen


def test_a_populations_groups_differ_as_their_types_say(tmp_path):
    pop = load_population(tmp_path.joinpath("p.toml")) if False else None
    path = tmp_path / "p.toml"
    path.write_text(POPULATION.format(groups=200))
    pop = load_population(path)
    settings, country, kind = draw(pop, GroupSettings(), np.random.default_rng(1))
    types = np.array([s.type for s in settings])
    assert (types == "peoples_war").sum() == 120 and (types == "predatory").sum() == 80
    pw = np.array([s.people_war for s in settings])
    assert abs(pw[types == "peoples_war"].mean() - 0.9) < 0.02  # the file's spread
    assert (pw[types == "predatory"] == TYPES["predatory"].settings["people_war"]).all()
    fighters = np.array([s.fighters for s in settings])
    assert fighters.min() >= 20 and fighters.max() <= 40
    starts = np.array([s.start_week for s in settings])
    ends = np.array([s.end_week for s in settings])
    assert starts.min() == 0 and starts.max() <= 100 and (ends - starts >= 52).all()
    assert set(country) <= {0, 1, 2}


def test_groups_emerge_and_end_over_the_run(tmp_path):
    df = run({"norms": ["civilians"]}, seed=2, steps=300, scenario=population(tmp_path))
    alive = df.groupby("step")["alive"].sum()
    assert alive.iloc[0] < alive.max() and alive.iloc[-1] < alive.max()
    live = df[df["alive"]]
    assert (live["occasions"] > 0).mean() > 0.99
    assert (df.loc[~df["alive"], "occasions"] == 0).all()


def test_emulation_weighs_peers_of_the_same_country_and_type_more():
    g = GroupState([GroupSettings()] * 4, 1, 0.5)
    g.committed[0, 0] = True  # group 0 has committed
    country, kind = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    signal = emulation(g, watch_weights(country, kind, EmulationSettings()))[:, 0]
    assert signal[0] == 0  # not its own
    assert signal[1] > signal[3] and signal[2] > signal[3]  # same country / same type
    assert signal[1] > signal[2]  # a country weighs more than a type (4 > 2)


@pytest.mark.statistical
def test_emulation_raises_commitments_among_groups(tmp_path):
    scen = population(tmp_path, groups=30)
    counts = {}
    for strength in (0.0, 5.0):
        counts[strength] = [
            signatories(run({"emulation_strength": strength, "deed_persuasion_rate": 0.04,
                             "norms": ["civilians"], "record_every": 26},
                            seed=s, steps=260, scenario=scen), by=())["signatories"].iloc[-1]
            for s in range(8)]
    assert stats.ttest_rel(counts[5.0], counts[0.0], alternative="greater").pvalue < 0.01


def test_splinters_happen_only_under_their_conditions():
    weak = {"group_fighters": 60, "group_operational_commanders": 3,
            "group_centralisation": 0.2, "group_splinter_rate": 1.0, "group_count": 2}
    split = run(weak, seed=1, steps=300)
    assert split["group"].nunique() > 2  # a weak group whose leaders commit splinters
    committed_first = split.groupby("group")["step"].min()
    assert (committed_first.iloc[2:] > 0).all()  # new groups appear during the run
    none = run({**weak, "persuader_count": 0}, seed=1, steps=300)
    assert none["group"].nunique() == 2  # no commitment: nothing to break away from
    strong = run({**weak, "group_centralisation": 1.0}, seed=1, steps=300)
    assert strong["group"].nunique() == 2  # a perfect structure holds together


def test_a_splinter_keeps_its_people_and_starts_anew():
    m = NormDiffusionModel(rng=1, group_fighters=60, group_operational_commanders=3,
                           group_centralisation=0.2, group_splinter_rate=1.0)
    m.run_model(300)
    g, fc = m.groups, m.fighters
    assert g.n > 1 and fc.n == 60 and len(m.group_agents) == g.n
    assert np.bincount(fc.group, minlength=g.n).sum() == 60
    child = g.n - 1
    assert g.type[child] == g.type[0] and m.country[child] == m.country[0]
    assert m.commanders.level[m.commanders.leader[child]] == 0
    ev = m.events()
    assert (ev["kind"] == "faction splintered").sum() == g.n - 1


def test_a_population_run_is_fixed_by_its_seed(tmp_path):
    scen = population(tmp_path, groups=12)
    a = run({"norms": ["civilians"]}, seed=4, steps=80, scenario=scen)
    b = run({"norms": ["civilians"]}, seed=4, steps=80, scenario=scen)
    pd.testing.assert_frame_equal(a, b)
    c = run({"norms": ["civilians"]}, seed=5, steps=80, scenario=scen)
    assert not a.equals(c)


def test_population_tables_by_type_and_year(tmp_path):
    df = run({"norms": ["civilians"]}, seed=3, steps=156, scenario=population(tmp_path))
    table = yearly(df, by=())
    assert set(table["type"]) == {"peoples_war", "predatory"}
    assert table["committed_share"].between(0, 1).all()
    assert table["complying_share"].between(0, 1).all()


EXPERIMENT = """
title = "population test"
question = "A population sweep gives the same table on any engine."
scenario = "{scenario}"
replicates = 2
steps = 60
record_every = 10
root_seed = 5
[factors]
"deed.persuasion_rate" = {{ values = [0.02, 0.05] }}
"""


@pytest.mark.multiprocess
def test_a_population_sweep_is_the_same_on_one_and_two_workers_and_on_dask(tmp_path):
    from distributed import LocalCluster

    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(scenario=population(tmp_path, groups=10)))
    exp, text = load_experiment(path)
    p = plan(exp)
    sweep(p, tmp_path / "one", text, workers=1, progress=False)
    sweep(p, tmp_path / "two", text, workers=2, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        sweep(p, tmp_path / "dask", text, scheduler=cluster.scheduler_address, progress=False)
    one = read_runs(tmp_path / "one")
    pd.testing.assert_frame_equal(one, read_runs(tmp_path / "two"))
    pd.testing.assert_frame_equal(one, read_runs(tmp_path / "dask"))


# the calibration's own tests are in tests/test_calibration*.py


@pytest.mark.parametrize("text,words", [
    ('title = "x"\ngroups = 10\n[[type]]\nkey = "rebels"\nshare = 1.0\n', ['"rebels"', "types"]),
    ('title = "x"\ngroups = 10\n[[type]]\nkey = "predatory"\nshare = 0.5\n', ["add up to 0.5"]),
    ('title = "x"\ngroups = 10\n[[type]]\nkey = "predatory"\nshare = 1.0\nwings = 3\n',
     ["'wings' is not a group setting"]),
    ('title = "x"\ngroups = 900\n[[type]]\nkey = "predatory"\nshare = 1.0\n', ["groups", "900"]),
    ('title = "x"\ngroups = 10\n[[type]\n', ["malformed TOML"]),
])
def test_a_bad_population_file_gets_one_clear_message(tmp_path, text, words):
    path = tmp_path / "pop.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_population(path)
    assert str(path) in str(err.value)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


@pytest.mark.parametrize("rows,words", [
    ("year,as_of,norm,pledge_type,unit,count,kind,quote\n2003,2003,landmines,deed,groups,20,exact,q\n",
     ["missing column", "source"]),
    ("year,as_of,norm,pledge_type,unit,count,kind,source,quote\n"
     "2003,2003,landmines,deed,groups,twenty,exact,S,q\n", ["row 2", "count = 'twenty'"]),
    ("year,as_of,norm,pledge_type,unit,count,kind,source,quote\n"
     "2003,2003,landmines,deed,groups,20,exact,,q\n", ["row 2", "source is empty"]),
])
def test_a_bad_data_file_gets_one_clear_message(tmp_path, rows, words):
    from normsim.settings.data import read_counts
    path = tmp_path / "counts.csv"
    path.write_text(rows)
    with pytest.raises(ScenarioError) as err:
        read_counts(path)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


def test_the_shipped_data_files_pass_their_checks():
    from normsim.settings.data import DATA_DIR, read_counts
    files = sorted(DATA_DIR.glob("commitments_*.csv"))
    assert len(files) >= 4
    for f in files:
        table = read_counts(f)
        assert (table["count"] >= 0).all() and table["source"].str.len().gt(0).all()
