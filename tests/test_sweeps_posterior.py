"""normsim.sweeps.posterior on its own (whole posterior sweeps are in test_posterior_design.py):
a draw depends on the root seed and its position alone, never picks a particle of weight 0,
replicates share draws in turn, whole numbers are rounded; where a drawn parameter applies;
where the file is found; and the clear refusals of a bad posterior."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from normsim.settings.scenario import ScenarioError, load
from normsim.sweeps.posterior import DRAWN, Draws, PosteriorSpec, applies, load_draws, resolve


def _draws(weights, n_draws=None, root_seed=3, **values):
    particles = pd.DataFrame({"weight": np.asarray(weights, float) / np.sum(weights), **values})
    return Draws("p.csv", "sha256:x", tuple(values), (), particles, n_draws, root_seed)


def test_a_draw_depends_on_the_root_seed_and_its_position_alone():
    d = _draws([0.2, 0.3, 0.5], dialogue_trust_rate=[0.1, 0.2, 0.3])
    forward = [d.particle(i) for i in range(40)]
    assert [d.particle(i) for i in reversed(range(40))] == forward[::-1]  # order: no matter
    # the draw is numpy's choice from a generator seeded by (STREAM, root seed, draw)
    expected = [int(np.random.default_rng([0x5057, 3, i]).choice(3, p=[0.2, 0.3, 0.5]))
                for i in range(40)]
    assert forward == expected
    other = _draws([0.2, 0.3, 0.5], root_seed=4, dialogue_trust_rate=[0.1, 0.2, 0.3])
    assert [other.particle(i) for i in range(40)] != forward


def test_a_particle_of_weight_zero_is_never_drawn_and_a_sole_weight_always():
    d = _draws([0.0, 1.0, 0.0], dialogue_trust_rate=[0.1, 0.2, 0.3])
    assert {d.particle(i) for i in range(200)} == {1}


def test_replicates_take_the_draws_in_turn_and_record_their_values():
    d = _draws([1.0, 1.0], n_draws=2, deed_capacity=[7.5, 40.2],
               dialogue_trust_rate=[0.25, 0.5])
    assert [d.draw_of(r) for r in range(5)] == [0, 1, 0, 1, 0]
    assert _draws([1.0]).draw_of(7) == 7  # no number of draws: one per replicate
    row = d.particles.iloc[d.particle(1)]
    assert d.values(3) == {"deed_capacity": round(row["deed_capacity"]),  # 8 or 40
                           "dialogue_trust_rate": row["dialogue_trust_rate"]}
    assert type(d.values(3)["deed_capacity"]) is int
    table = d.table(3)
    assert table.columns.tolist() == ["replicate", "posterior_draw", "posterior_particle",
                                      DRAWN + "deed_capacity", DRAWN + "dialogue_trust_rate"]
    assert table["posterior_draw"].tolist() == [0, 1, 0]


def test_an_engager_kinds_parameter_applies_only_where_the_scenario_has_that_kind():
    baseline, deed = load("baseline"), load("engager_deed")  # dialogue; deed
    assert applies("deed_persuasion_rate", deed) and not applies("deed_persuasion_rate",
                                                                 baseline)
    assert applies("dialogue_trust_rate", baseline) and not applies("dialogue_trust_rate", deed)
    assert applies("engager_reputation", deed) and applies("group_centralisation", baseline)
    assert not applies("engager_reputation", load("no_engagement"))


def test_the_file_is_found_as_given_else_beside_the_experiment(tmp_path, monkeypatch):
    (tmp_path / "exp").mkdir()
    (tmp_path / "exp" / "posterior.csv").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert resolve("posterior.csv", tmp_path / "exp" / "e.toml") == tmp_path / "exp" / \
        "posterior.csv"
    (tmp_path / "posterior.csv").write_text("x")  # now one in the current folder too
    assert resolve("posterior.csv", tmp_path / "exp" / "e.toml").resolve() == \
        (tmp_path / "posterior.csv").resolve()


GOOD = "dialogue.trust_rate,deed.capacity,distance,index,weight\n0.1,10,0.3,0,3\n0.2,20,0.2,1,1\n"


def _load(tmp_path, text=GOOD, parameters=None, scenarios=("baseline", "engager_deed"),
          taken=None):
    path = tmp_path / "posterior.csv"
    path.write_text(text)
    spec = PosteriorSpec(file="posterior.csv", parameters=parameters)
    return load_draws(spec, path, "e.toml", {s: load(s) for s in scenarios}, taken or {}, 5)


def test_a_good_posterior_is_read_with_flat_names_and_normalised_weights(tmp_path):
    d = _load(tmp_path)
    assert d.names == ("dialogue_trust_rate", "deed_capacity") and d.unused == ()
    assert d.particles["weight"].tolist() == [0.75, 0.25]
    assert d.particles["deed_capacity"].tolist() == [10.0, 20.0]
    assert d.content.startswith("sha256:") and d.root_seed == 5
    chosen = _load(tmp_path, parameters=["deed.capacity"])
    assert chosen.names == ("deed_capacity",) and chosen.unused == ("dialogue.trust_rate",)


@pytest.mark.parametrize("text, kwargs, message", [
    ("a,b\n1,2\n", {}, r"not a posterior written by 'normsim calibrate': it needs a 'weight' "
                       r"column .* \(it has: a, b\)"),
    (GOOD.replace(",1\n", ",-1\n"), {}, r"weight = -1 \(row 3\) is not allowed"),
    (GOOD.replace(",3\n", ",0\n").replace(",1\n", ",0\n"), {}, r"every weight is 0"),
    (GOOD.replace("0.2,20", "high,20"), {}, r"dialogue.trust_rate = 'high' \(row 3\) is not a "
                                            r"number"),
    (GOOD, {"parameters": ["deed.rate"]}, r"posterior.parameters: 'deed.rate' is not a "
                                          r"parameter of .*posterior.csv"),
    (GOOD.replace("deed.capacity", "population.groups"), {}, r"'population.groups' sizes a "
                                                             r"population file"),
    (GOOD, {"scenarios": ("baseline",)}, r"'deed.capacity' belongs to a deed engager, which "
                                         r"none of the experiment's scenarios has \(baseline\)"),
    (GOOD, {"taken": {"deed_capacity": "factors.deed.capacity"}},
     r"factors.deed.capacity and posterior parameter 'deed.capacity' name the same parameter"),
    (GOOD.replace("0.2,20", "7.5,20"), {}, r"dialogue.trust_rate \(scenario 'baseline'\): "
                                           r".*trust_rate = 7.5 is not allowed: expected a "
                                           r"number from 0 to 1"),
    ("", {}, r"is not a readable CSV table"),
    ("dialogue.trust_rate,weight\n", {}, r"has no particles"),
], ids=["no-weight", "negative-weight", "zero-weights", "not-a-number", "unknown-chosen",
        "population", "kind-absent", "set-twice", "out-of-range", "empty", "no-rows"])
def test_a_bad_posterior_is_refused_naming_the_file_field_and_value(tmp_path, text, kwargs,
                                                                    message):
    with pytest.raises(ScenarioError, match=message) as err:
        _load(tmp_path, text, **kwargs)
    assert "e.toml" in str(err.value)


def test_a_missing_file_is_named(tmp_path):
    spec = PosteriorSpec(file="gone.csv")
    with pytest.raises(ScenarioError, match=r"e.toml: posterior.file = 'gone.csv': no such file"):
        load_draws(spec, tmp_path / "gone.csv", "e.toml", {"baseline": load("baseline")}, {}, 1)
