"""Recovery (issue 18): counts simulated by the model with known parameters, calibrated like the
record, give a posterior whose 90% intervals hold the known values."""
import pytest

from calibration_helpers import calibration_file
from normsim.calibration import driver, load_calibration

TRUE = {"deed.persuasion_rate": 0.25, "deed.capacity": 10}


def _file(tmp_path, rows=None):
    # a year longer than the other tests' files: the dozen groups sign slowly
    path = calibration_file(tmp_path, particles=16, generations=3, rows=rows)
    path.write_text(path.read_text().replace('cutoff = "2002-12-31"', 'cutoff = "2003-12-31"'))
    return path


@pytest.mark.statistical
def test_a_calibration_recovers_known_parameters_inside_its_90_percent_intervals(tmp_path):
    spec, _ = load_calibration(_file(tmp_path))
    sim, _ = driver.simulator(spec)
    # the synthetic record: one run with the known values (a seed no particle uses), read at
    # three dates up to the cutoff and one after it
    curve = sim.curve([TRUE[k] for k in sim.names], seed=987_654_321,
                      steps=spec.weeks(spec.predict_until))
    dates = {"2001-12": 100, "2003-01": 156, "2003-10": 202, "2004-06": 234}
    values = sim.at(curve, list(dates.values()))
    rows = {d: int(round(v)) for d, v in zip(dates, values)}
    assert 1 <= rows["2001-12"] < rows["2003-10"]  # the curve grows: there is something to fit
    spec, _ = load_calibration(_file(tmp_path, rows))
    with driver.Runner(1) as runner:
        gens = driver.run_abc(spec, tmp_path / "out", runner, "recovery", log=lambda s: None)
    summary = driver.summarise(driver.posterior(gens[-1], spec), spec).set_index("parameter")
    for key, value in TRUE.items():
        assert summary.at[key, "q05"] <= value <= summary.at[key, "q95"], summary
    # and the data narrowed at least one of them: the posterior is not the prior
    assert (summary["share_of_prior_range"] < 0.8).any(), summary
