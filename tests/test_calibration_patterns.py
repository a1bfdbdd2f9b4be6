"""Patterns of a calibration beyond the counts (issue 18, items 6 and 7): the signatories'
conduct (held out, or fitted as a summary statistic when the file asks) and the transfer to
later deeds (held out), measured from runs' records and events."""
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


class _Ran:
    """A run's output as the calibration reads it: its records and events."""

    def __init__(self, records, events):
        self._records, self._events = records, events

    def records(self):
        return self._records

    def events(self):
        return self._events


def _signed_run():
    """Groups 0 and 1 sign at week 10 (first recorded at 13); while committed, group 0 violates
    at 4 of its 20 occasions (compliance 0.8, below 0.9), group 1 at 1 of 20 (0.95)."""
    events = _events([(10, 0, "mines", "commitment made", ""),
                      (10, 1, "mines", "commitment made", "")])
    records = _records([(0, 0, "mines", False, True, 10, 9), (13, 0, "mines", True, True, 10, 4),
                        (78, 0, "mines", True, True, 10, 0), (13, 1, "mines", True, True, 10, 1),
                        (78, 1, "mines", True, True, 10, 0), (13, 2, "mines", False, True, 10, 9)])
    records["commitments"] = [0, 1, 1, 1, 1, 0]
    return _Ran(records, events)


@pytest.mark.parametrize("conduct, expected", [
    (None, 0.5),  # held out: the counts alone (2 signatories at week 13 against 4 observed)
    ((0.9, 0.8, 2.0), float(np.hypot(0.5, 2.0 * (0.8 - 0.5)))),  # half comply: 0.3 short
    ((0.9, 0.4, 2.0), 0.5),  # at or above the majority: nothing added
    ((0.99, 0.8, 1.0), float(np.hypot(0.5, 0.8))),  # at 0.99 neither complies: all of it short
])
def test_a_fitted_conduct_joins_the_count_distance_with_the_complying_shortfall(conduct,
                                                                               expected):
    from normsim.calibration.driver import Simulator

    sim = Simulator(scenario={}, population=None, norm="mines", names=(), weeks=(13,),
                    counts=(4.0,), steps=20, record_every=13, conduct=conduct)
    assert sim.fit(_signed_run()) == pytest.approx(expected)


def test_no_signatory_falls_short_by_the_whole_majority():
    from normsim.calibration.driver import Simulator

    run = _signed_run()
    quiet = _Ran(run.records().assign(commitments=0, committed=False), run.events().iloc[:0])
    sim = Simulator(scenario={}, population=None, norm="mines", names=(), weeks=(13,),
                    counts=(4.0,), steps=20, record_every=13, conduct=(0.9, 0.5, 1.0))
    assert sim.conduct_gap(quiet) == 0.5


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
