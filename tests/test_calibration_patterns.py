"""Held-out patterns of a calibration (issue 18, items 6 and 7): the signatories' conduct and the
transfer to later deeds, measured from runs' records and events, never fitted."""
import numpy as np
import pandas as pd
import pytest

from normsim.calibration import conduct, transfer


def _events(rows):
    return pd.DataFrame(rows, columns=["step", "group", "norm", "kind", "text"])


def _records(rows):
    return pd.DataFrame(rows, columns=["step", "group", "norm", "committed", "alive",
                                       "occasions", "violations"])


def test_conduct_counts_violations_only_while_committed_and_splits_the_first_year():
    events = _events([
        (10, 0, "mines", "commitment made", ""), (10, 1, "mines", "commitment made", ""),
        (100, 1, "mines", "commitment lapsed",
         "the new top commander does not stand by the group's commitment to mines"),
        (120, 1, "mines", "commitment made", ""),
        (30, 0, "mines", "violation reported", ""),
        (5, 2, "mines", "violation reported", ""),  # group 2 never signed: not a signatory
    ])
    records = _records([
        (0, 0, "mines", False, True, 10, 9),  # before signing: not counted
        (13, 0, "mines", True, True, 10, 4),  # first year
        (78, 0, "mines", True, True, 10, 0),  # later
        (13, 1, "mines", True, True, 10, 1),  # first year
        (104, 1, "mines", False, True, 10, 10),  # lapsed: not counted
        (130, 1, "mines", True, True, 10, 0),  # later
        (13, 2, "mines", False, True, 10, 10),
    ])
    m = conduct.measure(records, events, "mines", complying_threshold=0.9)
    assert m["signatories"] == 2
    assert m["violation_rate_committed"] == pytest.approx(5 / 40)
    assert m["violation_rate_first_year"] == pytest.approx(5 / 20)
    assert m["violation_rate_later"] == 0
    assert m["violation_rate_uncommitted"] == pytest.approx(29 / 30)  # rows of 0, 1 and 2
    assert m["complying_share"] == pytest.approx(0.5)  # group 0: 4/20 violate; group 1: 1/20
    assert m["lapsed_share"] == pytest.approx(0.5) and m["resigned_share"] == pytest.approx(0.5)
    assert m["lapses_at_succession"] == 1.0
    assert m["reported_share"] == pytest.approx(0.5)


@pytest.mark.parametrize("low, high, says", [(0.6, 0.8, "agrees"), (0.1, 0.3, "contradicts"),
                                             (0.4, 0.6, "undecided")])
def test_the_verdict_reads_the_interval_against_the_declared_majority(low, high, says):
    table = pd.DataFrame([{"measure": "complying_share", "mean": (low + high) / 2,
                           "ci_low": low, "ci_high": high, "q05": low, "q95": high, "draws": 10}])
    assert says in conduct.verdict(table, 0.5)


def test_group_names_match_across_the_event_lists_spellings():
    assert transfer.same_group("Komalah – The Kurdistan Organization of the Communist Party of "
                               "Iran") == transfer.same_group("Komalah – Kurdistan Organization "
                                                              "of the Communist Party of Iran")
    assert transfer.same_group("Kurdistan Democratic Party – Iran (KDP)") == \
        transfer.same_group("Kurdistan Democratic Party – Iran")
    assert transfer.same_group("Komala Party of Kurdistan") != \
        transfer.same_group("Komala Party of Iranian Kurdistan")


def test_the_records_first_signatures_are_read_from_the_data():
    from normsim.calibration import load_calibration

    spec, _ = load_calibration("mine_ban_2007_models_demo")
    children, violence = spec.transfer.deeds
    obs = transfer.observed(children, spec)
    assert (obs["as_of"], obs["count"], obs["named"]) == ("2012-08-06", 2, 2)
    obs = transfer.observed(violence, spec)
    assert (obs["as_of"], obs["count"], obs["named"]) == ("2012-12-14", 5, 5)
    # four of the five Iranian Kurdish parties had signed the mine-ban deed by 2010
    assert obs["named_mine_signatories"] == 4


def test_a_hit_is_the_observation_inside_the_draws_central_90():
    from types import SimpleNamespace

    spec = SimpleNamespace(start_year=2000, weeks=lambda y: (y + 1 - 2000) * 52)
    deed = SimpleNamespace(name="d", norm="children", proxy=False, launched="2010", until=2013)
    draws = pd.DataFrame({"first_week": [600.0 + k for k in range(20)],
                          "weeks": [[600 + k, 700] for k in range(20)]})
    obs = {"as_of": "x", "week": 610, "count": 1, "source": "S", "named": 0,
           "named_mine_signatories": 0}
    row = transfer.score(deed, spec, draws, obs)
    assert row["first_date_hit"] and row["count_hit"]
    row = transfer.score(deed, spec, draws, {**obs, "week": 500, "count": 0})
    assert not row["first_date_hit"] and row["count_hit"]  # 0 by week 500 in every draw
    never = draws.assign(first_week=np.nan, weeks=[[] for _ in range(20)])
    row = transfer.score(deed, spec, never, obs)
    assert row["no_signature_by_until"] == 1 and not row["first_date_hit"]


PATTERNS = """
[[transfer.deeds]]
name = "children deed"
norm = "{norm}"
launched = "2003"
launched_source = "a test"
until = 2004
data_file = "commitments_children.csv"
data_norm = "child_recruitment"
[conduct]
complying_threshold = 0.9
majority = 0.5
"""


def test_calibrate_writes_the_transfer_and_conduct_when_the_file_asks(tmp_path):
    from calibration_helpers import calibration_file, normsim

    path = calibration_file(tmp_path, extra=PATTERNS.format(norm="children"))
    done = normsim("calibrate", path, "--out", tmp_path / "out", "--workers", 1)
    assert done.returncode == 0, done.stderr
    moved = pd.read_csv(tmp_path / "out" / "transfer.csv")
    assert list(moved["deed"]) == ["children deed"]
    assert moved.loc[0, "observed_first"] == "2012-08-06"  # the record's first, read to score
    table = pd.read_csv(tmp_path / "out" / "conduct.csv").set_index("measure")
    assert table.loc["signatories", "draws"] == 8  # every forecast draw measured
    assert 0 <= table.loc["violation_rate_committed", "mean"] <= 1
    report = (tmp_path / "out" / "report.md").read_text()
    assert "## Transfer" in report and "## Conduct of the signatories" in report
    assert "**Verdict:**" in report


@pytest.mark.parametrize("norm, says", [("violence", "not a norm of the model"),
                                        ("mines", "the calibrated deed's own norm")])
def test_a_bad_transfer_entry_gets_one_clear_message(tmp_path, norm, says):
    from calibration_helpers import calibration_file, normsim

    path = calibration_file(tmp_path, extra=PATTERNS.format(norm=norm))
    done = normsim("calibrate", path, "--out", tmp_path / "out")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert says in done.stderr and "transfer.deeds[0]" in done.stderr
    assert "Traceback" not in done.stderr
