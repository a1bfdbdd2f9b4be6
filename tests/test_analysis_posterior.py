"""Findings over a posterior (normsim.analysis.posterior): probabilities over draws with Jeffreys
intervals, computed from tables written here by hand, and the report of a real posterior
design saying what is calibrated and what is assumed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from normsim.analysis.posterior import jeffreys, probabilities
from normsim.analysis.results import Results
from sweep_helpers import invoke


def test_the_jeffreys_interval_is_statsmodels():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for k, n in ((3, 10), (1, 20), (19, 20), (50, 100)):
        low, high = proportion.proportion_confint(k, n, alpha=0.05, method="jeffreys")
        got = jeffreys(k, n)
        assert got[0] == k / n
        assert got[1] == pytest.approx(low, abs=1e-9) and got[2] == pytest.approx(high, abs=1e-9)
    # at the ends the interval reaches 0 or 1 (Brown, Cai and DasGupta 2001)
    assert jeffreys(0, 6)[1] == 0.0 and jeffreys(6, 6)[2] == 1.0
    assert np.isnan(jeffreys(0, 0)[0])


def results(effects_a, effects_b, replicates_per_draw=1) -> Results:
    """Two scenarios (a, b) x one group type; draw d's effect under each as given, repeated
    over the replicates sharing the draw."""
    conditions = pd.DataFrame({"scenario": ["a", "b"], "group_type": ["peoples_war"] * 2})
    conditions.index.name = "condition"
    n = len(effects_a)
    rows, records = [], []
    for c, effects in enumerate((effects_a, effects_b)):
        for r in range(n * replicates_per_draw):
            d = r % n
            rows.append({"condition": c, "replicate": r, "engagement_effect": effects[d]})
            records.append({"condition": c, "replicate": r, "posterior_draw": d})
    return Results(out=Path("."), manifest={"factors": ["scenario", "group_type"],
                                            "design": "factorial", "posterior": {}},
                   conditions=conditions, records=pd.DataFrame(records), runs=pd.DataFrame(),
                   outcomes=pd.DataFrame(rows), effects=pd.DataFrame(), events=pd.DataFrame(),
                   threshold=0.9)


def test_probabilities_over_draws_by_hand():
    # a beats b in draws 0-6, ties in 7, loses in 8 and 9; draw 10 is not measured under b
    a = [0.2, 0.3, 0.1, 0.5, 0.4, 0.2, 0.3, 0.1, 0.0, 0.1, 0.2]
    b = [0.1, 0.1, 0.0, 0.2, 0.3, 0.1, 0.2, 0.1, 0.1, 0.3, np.nan]
    pairs, best = probabilities(results(a, b, replicates_per_draw=2), "engagement_effect")
    ab = pairs[(pairs["level"] == "a") & (pairs["other"] == "b")].iloc[0]
    ba = pairs[(pairs["level"] == "b") & (pairs["other"] == "a")].iloc[0]
    assert (ab["probability"], ab["ties"], ab["draws"]) == (0.7, 1, 10)
    assert (ba["probability"], ba["ties"], ba["draws"]) == (0.2, 1, 10)
    beta = pytest.importorskip("scipy.stats").beta
    assert ab["p_low"] == pytest.approx(beta.ppf(0.025, 7.5, 3.5))
    assert ab["p_high"] == pytest.approx(beta.ppf(0.975, 7.5, 3.5))
    # the best: a alone in 7 draws, b alone in 2, the tie is neither's
    assert list(best.set_index("level")["probability"]) == [0.7, 0.2]
    assert (best["group_type"] == "peoples_war").all()


@pytest.mark.multiprocess
def test_the_report_of_a_posterior_design_says_what_is_calibrated(tmp_path):
    (tmp_path / "p.csv").write_text("deed.persuasion_rate,deed.trust_rate,emulation.strength,"
                                    "weight\n0.1,0.2,3,0.5\n0.3,0.1,5,0.5\n")
    (tmp_path / "e.toml").write_text("""title = "a small posterior design"
question = "Which engager, over a posterior?"
scenario = "engager_dialogue"
replicates = 3
steps = 30
record_every = 5
root_seed = 5

[design]
outcome = "engagement_effect"

[factors]
"scenario" = { values = ["engager_dialogue", "engager_deed"] }

[fixed]
"group.fighters" = 20
"group.units_per_commander" = 2

[posterior]
file = "p.csv"
parameters = ["deed.persuasion_rate", "deed.trust_rate"]
""")
    out = tmp_path / "o"
    assert invoke("sweep", tmp_path / "e.toml", "--workers", 2, "--out", out, "--quiet"
                  ).exit_code == 0
    result = invoke("report", out)
    assert result.exit_code == 0, result.output
    text = (out / "report" / "report.md").read_text()
    assert "## Calibrated and assumed" in text
    assert "| `deed.persuasion_rate` |" in text and "| `deed.trust_rate` |" in text
    assert "not carried over" in text and "`emulation.strength`" in text
    assert "**Every other parameter is an assumption**" in text
    assert "## Over the posterior: engagement effect" in text and "Jeffreys" in text
    best = pd.read_csv(out / "report" / "posterior_best_engagement_effect.csv")
    assert set(best["level"]) == {"engager_dialogue", "engager_deed"}
    assert best["draws"].eq(3).all()
    assert "| `p_low` | lower end of the probability's 95% Jeffreys interval" in (
        out / "report" / "columns.md").read_text()
