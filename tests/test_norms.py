"""Several norms: their military costs, who decides them, and what moves their violations."""

import numpy as np
import pytest
from scipy import stats

from normsim import NormDiffusionModel, run
from normsim.world.groups import GroupSettings, GroupState
from normsim.rules.norms import INCOMPATIBLE_COST, NORMS, costs
from normsim.world.typology import TYPES
from shared_runs import replicates

NONE = {"persuader_count": 0, "group_fighters": 300}
ALPHA = 0.01


def test_every_norm_is_registered_with_its_settings_and_source():
    assert {"civilians", "mines", "children"} <= set(NORMS)  # and any norm declared since
    for key, norm in NORMS.items():
        assert norm.source and norm.title, key
        for name, field in norm.Settings.model_fields.items():  # every default has its reason
            assert (field.json_schema_extra or {}).get("source"), (key, name)


def test_military_costs_follow_what_the_sources_say():
    groups = GroupState([GroupSettings(strength=0.1, territorial=0.9),
                         GroupSettings(strength=0.9, territorial=0.1),
                         GroupSettings(core_goal_incompatible=True)], 3, 0.5)
    c = costs([NORMS[k] for k in ("civilians", "mines", "children")], groups,
              np.array([0.2, 0.2, 0.7]))
    assert c[0, 1] > c[1, 1]  # mines matter most to weak groups defending territory
    assert c[2, 0] == INCOMPATIBLE_COST and c[0, 0] == 0.0
    np.testing.assert_array_equal(c[:, 2], [0.2, 0.2, 0.7])  # children: the manpower shortfall


def _violations(params, norm, n=8, steps=156):
    out = []
    for df in replicates({**NONE, "norms": ["civilians", norm], **params}, n=n, steps=steps):
        sel = df[(df["norm"] == norm) & (df["step"] >= 1)]
        out.append(sel["violations"].sum() / max(sel["occasions"].sum(), 1))
    return np.array(out)


@pytest.mark.statistical
def test_weak_territorial_groups_lay_more_mines():
    weak = _violations({"group_strength": 0.1, "group_territorial": 0.9}, "mines")
    strong = _violations({"group_strength": 0.9, "group_territorial": 0.9}, "mines")
    assert stats.ttest_ind(weak, strong, alternative="greater").pvalue < ALPHA


@pytest.mark.statistical
def test_a_manpower_shortfall_drives_child_recruitment_and_communities_resist_it():
    short = _violations({"group_manpower_need": 0.8, "group_fighter_turnover": 0.02}, "children")
    enough = _violations({"group_manpower_need": 0.0, "group_fighter_turnover": 0.02}, "children")
    assert stats.ttest_ind(short, enough, alternative="greater").pvalue < ALPHA
    loose = _violations({"community_organisation": 0.0, "group_fighter_turnover": 0.02},
                        "children")
    organised = _violations({"community_organisation": 1.0, "group_fighter_turnover": 0.02},
                            "children")
    assert stats.ttest_ind(loose, organised, alternative="greater").pvalue < ALPHA


def test_command_norms_are_kept_per_norm_in_the_records():
    df = run({**NONE, "norms": ["mines", "children", "civilians"]}, seed=1, steps=20)
    assert list(df["norm"].unique()) == ["mines", "children", "civilians"]
    assert df.loc[df["norm"] == "mines", "acceptance_fighters"].isna().all()
    assert df.loc[df["norm"] == "civilians", "acceptance_fighters"].notna().all()


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_group_types_set_the_settings_they_name(kind):
    m = NormDiffusionModel(rng=1, group_type=kind, group_fighters=30)
    for field, value in TYPES[kind].settings.items():
        assert getattr(m.settings.group, field) == value
    assert TYPES[kind].source


def test_an_explicit_setting_overrides_the_type():
    m = NormDiffusionModel(rng=1, group_type="predatory", group_aspiration=0.9, group_fighters=30)
    assert m.settings.group.aspiration == 0.9 and m.settings.group.people_war == 0.1
