"""normsim.calibration.report on its own: the calibration report's text from hand-made tables
(no calibration is run): the fixed settings with or without a source, what presses against a
prior or is not identified, the model's CRPS against the best baseline with the 20% aim, lower
bounds listed apart, further sections before the provenance, and the transfer and conduct
sections' counts."""

from __future__ import annotations

import json
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from normsim.calibration.report import conduct_section, report, transfer_section


def _spec(fixed=None):
    return NS(title="Mine ban", question="Does the deed  spread?", scenario="deed",
              start_year=2000, cutoff="2005-12-31", predict_until="2012-12-31", root_seed=5,
              data=NS(file="data/signing.csv", norm="mines", pledge_type="deed"),
              abc=NS(population_size=40, replicates=2), predictive=NS(draws=30),
              fixed={} if fixed is None else fixed,
              conduct=NS(complying_threshold=0.9, majority=0.5, fitted=False, weight=1.0))


def _summary(pressed=("", ""), identified=(True, True)):
    return pd.DataFrame({"parameter": ["deed_rate", "emulation"], "mean": [0.123456, 2.0],
                         "pressed_against": list(pressed), "identified": list(identified)})


def _gen(t, eps, sims):
    g = pd.DataFrame({"x": [1.0]})
    g.attrs.update(t=t, epsilon=eps, simulations=sims)
    return g


FITTED = pd.DataFrame({"as_of": ["2002-01-01", "2004-06-01"], "count": [10, 20],
                       "kind": ["exact", "exact"], "source": ["GC 2002", "GC 2004"]})
HELD = pd.DataFrame({"as_of": ["2008-01-01", "2009-01-01"], "count": [35, 40],
                     "kind": ["exact", "at_least"], "source": ["GC 2008", "GC 2009"]})
PIT = pd.DataFrame({"as_of": ["2002-01-01"], "pit": [0.5]})


def _scores(model, *baselines):
    rows = [("model", model)] + [(f"b{i}", c) for i, c in enumerate(baselines)]
    return pd.DataFrame({"forecaster": [f for f, _ in rows], "as_of": "2008-01-01",
                         "crps": [c for _, c in rows], "interval_score_90": 1.0})


def _report(spec=None, summary=None, scores=None, sections=()):
    return report(spec or _spec(), _summary() if summary is None else summary,
                  [_gen(0, 9.5, 40), _gen(1, 4.25, 80)], FITTED, HELD, PIT,
                  _scores(0.6, 1.0, 0.8) if scores is None else scores,
                  {"seed": 5, "git_commit": "abc"}, sections)


def test_the_report_says_what_was_fitted_and_blind_to_what():
    text = _report()
    assert text.startswith("# Mine ban\n\n> Does the deed spread?\n")
    assert ("**Cutoff 2005-12-31**: only rows of `data/signing.csv` dated on or before it were "
            "read for fitting (2 exact counts of mines, deed); 2 later rows") in text
    assert "| generation | epsilon | simulations |" in text and "| 1 | 4.25 | 80 |" in text
    assert "| deed_rate | 0.1235 |  | True |" in text  # floats to 4 significant digits
    assert "| emulation | 2 |  | True |" in text


def test_fixed_settings_show_their_source_or_say_they_are_an_assumption():
    text = _report(_spec({"group.fighters": {"value": 300, "source": "Sivakumaran 2012",
                                             "dated": "2012"}, "deed.rate": 0.2}))
    assert "- `group.fighters` = 300: Sivakumaran 2012 (dated 2012)" in text
    assert "- `deed.rate` = 0.2: no source given (an assumption)" in text
    assert "Fixed settings:\n\n- none\n" in _report()


def test_parameters_pressed_against_a_bound_or_not_identified_are_named():
    text = _report(summary=_summary(pressed=("", "upper"), identified=(False, True)))
    assert "Pressed against a prior bound (widen the prior and rerun, or report it as " \
           "unidentified): emulation." in text
    assert "Not identified (the 90% interval spans half the prior range or more): deed_rate." \
        in text
    clean = _report()
    assert "No posterior presses against a prior bound." in clean
    assert "Every 90% interval spans less than half its prior range." in clean


@pytest.mark.parametrize("model, verdict", [
    (0.6, "the model's is 25% below it. The aim was at least 20% below; met."),  # 1 - 0.6/0.8
    (0.72, "the model's is 10% below it. The aim was at least 20% below; **not met** -- a "
           "finding."),
    (0.88, "the model's is 10% above it. The aim was at least 20% below; **not met**"),
])
def test_the_model_is_scored_against_the_best_baseline_and_the_20_percent_aim(model, verdict):
    text = _report(scores=_scores(model, 1.0, 0.8))  # the best baseline: 0.8
    assert f"Model mean CRPS {model:.3g}; best baseline 0.8: {verdict}" in text


def test_without_held_out_counts_or_baselines_nothing_is_claimed():
    assert "No exact held-out count: nothing to score." in _report(
        scores=pd.DataFrame(columns=["forecaster", "as_of", "crps", "interval_score_90"]))
    alone = _report(scores=_scores(0.6))
    assert "Mean over the held-out dates:" in alone and "best baseline" not in alone


def test_lower_bounds_are_listed_apart_and_sections_come_before_the_provenance():
    text = _report(sections=[["## Transfer", "later deeds"]])
    lower = text.split("Lower bounds held out (not scored; a bound is no count):")[1]
    assert "| 2009-01-01 | 40 | at_least | GC 2009 |" in lower
    assert "2008-01-01 | 35" not in lower
    assert text.index("## Transfer\nlater deeds") < text.index("## Provenance")
    meta = text.split("```json\n")[1].split("\n```")[0]
    assert json.loads(meta) == {"seed": 5, "git_commit": "abc"}
    # the provenance tells a referee how to check the outputs without rerunning them
    provenance = text.split("## Provenance")[1]
    assert "`normsim calibrate FILE --out FOLDER --check 3`" in provenance


def test_transfer_counts_its_hits_and_names_the_proxies():
    table = pd.DataFrame({"deed": ["children", "gender"],
                          "model_norm": ["child_soldiers", "sexual_violence (proxy)"],
                          "first_date_hit": [True, False], "count_hit": [True, True]})
    text = "\n".join(transfer_section(_spec(), table))
    assert "3 hit(s) of 4 predictions. Proxies (gender): the model has no such norm" in text
    no_proxy = table.assign(model_norm=["child_soldiers", "sexual_violence"])
    assert "Proxies" not in "\n".join(transfer_section(_spec(), no_proxy))


def test_conduct_reports_the_verdict_and_the_violation_rates():
    table = pd.DataFrame({"measure": ["violation_rate_first_year", "violation_rate_later",
                                      "violation_rate_uncommitted"], "mean": [0.15, 0.05, 0.4]})
    text = "\n".join(conduct_section(_spec(), table, "held"))
    assert "**Verdict:** held." in text
    assert "compliance at occasions while committed is at least 0.9" in text
    assert "more than 0.5 of the signatories" in text
    assert ("signatories violate at 0.15 of their occasions in their first year after signing "
            "and 0.05 after it, against 0.40 among groups not committed") in text
    assert "a held-out pattern (not fitted)" in text and "is what the fit was asked" not in text


def test_a_fitted_conduct_is_reported_as_fitted_not_as_a_test():
    table = pd.DataFrame({"measure": ["violation_rate_first_year", "violation_rate_later",
                                      "violation_rate_uncommitted"], "mean": [0.15, 0.05, 0.4]})
    spec = _spec()
    spec.conduct.fitted, spec.conduct.weight = True, 2.0
    text = "\n".join(conduct_section(spec, table, "held"))
    assert "## Conduct of the signatories: a fitted summary statistic (weight 2" in text
    assert "held-out" not in text
    assert "agreement here is what the fit was asked for, not a test" in text
