"""Baselines and scores (issue 18): each baseline recovers the curve it is named for, is fitted to
exactly the rows the model is fitted to, and is scored on every held-out date."""
import numpy as np
import pandas as pd
import pytest

from calibration_helpers import calibration_file
from normsim.calibration import baselines, load_calibration
from normsim.calibration.outputs import score
from normsim.calibration.record import known_counts, later_counts


def test_each_baseline_recovers_the_curve_it_is_named_for():
    t = np.linspace(0.5, 12, 12)
    a, b = 1.0, 0.25
    assert baselines.fit("loglinear_poisson", t, np.exp(a + b * t)) == pytest.approx([a, b],
                                                                                      rel=1e-3)
    m, p, q = 60.0, 0.03, 0.4
    e = np.exp(-(p + q) * t)
    fit = baselines.fit("bass", t, m * (1 - e) / (1 + q / p * e), ceiling=(10, 500))
    assert [fit[0], np.exp(fit[1]), np.exp(fit[2])] == pytest.approx([m, p, q], rel=0.02)
    k, r, t0 = 50.0, 0.7, 6.0
    fit = baselines.fit("logistic", t, k / (1 + np.exp(-r * (t - t0))), ceiling=(10, 500))
    assert [fit[0], np.exp(fit[1]), fit[2]] == pytest.approx([k, r, t0], rel=0.02)


def _scores(tmp_path, rows):
    tmp_path.mkdir()
    spec, _ = load_calibration(calibration_file(tmp_path, rows=rows))
    args = (spec.data.file, "mines", spec.start_year, spec.cutoff_date)
    fitted = known_counts(*args)
    held = later_counts(*args)
    draws = pd.DataFrame({"draw": np.repeat([0, 1, 2], 3), "step": np.tile([0, 150, 300], 3),
                          "signatories": [0, 4, 7, 0, 5, 9, 0, 3, 6]})
    return score(spec, draws, fitted, held).set_index(["forecaster", "as_of"])


def test_baselines_are_fitted_to_the_fitted_rows_only_and_scored_on_every_held_out_date(tmp_path):
    base = {"2001-06": 2, "2002-06": 4, "2003-06": 6, "2004-06": 8}
    one = _scores(tmp_path / "a", base)
    assert sorted(one.index.get_level_values("as_of").unique()) == ["2003-06", "2004-06"]
    later = _scores(tmp_path / "b", {**base, "2003-06": 30})  # a held-out count changed
    pd.testing.assert_series_equal(one["median"], later["median"])  # no baseline saw it
    assert later.loc[("logistic", "2003-06"), "observed"] == 30
    assert (later.loc[pd.IndexSlice[:, "2003-06"], "crps"]
            != one.loc[pd.IndexSlice[:, "2003-06"], "crps"]).all()
    earlier = _scores(tmp_path / "c", {**base, "2002-06": 9})  # a fitted count changed
    for name in ("loglinear_poisson", "logistic", "bass"):
        assert not one.loc[name, "median"].equals(earlier.loc[name, "median"]), name


def test_the_data_readme_states_the_event_lists_completeness_as_computed():
    from pathlib import Path

    from normsim.calibration.record import completeness

    text = (Path(__file__).parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    for row in completeness().itertuples():
        line = (f"| {row.as_of} | {row.published_total} | {row.unit} | {row.source} | "
                f"{row.events_listed} | {row.rows_of_unknown_size}")
        assert line in text, line
        assert f"| {row.share_listed:.2f} |" in text.split(line, 1)[1].split("\n", 1)[0] + " |"
