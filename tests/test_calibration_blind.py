"""Blindness (issue 18): a calibration reads nothing dated after its cutoff, so changing any
later row cannot change its posterior; changing an earlier one does."""
import pandas as pd

from calibration_helpers import ROWS, calibration_file
from normsim.calibration import driver, load_calibration
from normsim.calibration.record import known_counts, period_end


def _posterior(tmp_path, rows):
    tmp_path.mkdir()
    spec, _ = load_calibration(calibration_file(tmp_path, particles=5, generations=2, rows=rows))
    with driver.Runner(1) as runner:
        gens = driver.run_abc(spec, tmp_path / "out", runner, "blind", log=lambda s: None)
    return driver.posterior(gens[-1], spec)


def test_changing_every_row_after_the_cutoff_changes_nothing_and_an_earlier_one_does(tmp_path):
    base = _posterior(tmp_path / "base", ROWS)
    later = {**ROWS, "2003-06": 40, "2004-06": 1, "2005": 99, "2003-01-01": 3}
    pd.testing.assert_frame_equal(base, _posterior(tmp_path / "later", later))
    earlier = {**ROWS, "2002-06": 9}
    assert not base.equals(_posterior(tmp_path / "earlier", earlier))


def test_a_row_counts_as_known_only_once_its_whole_period_has_ended(tmp_path):
    from datetime import date

    assert period_end("2007") == date(2007, 12, 31)
    assert period_end("2007-11") == date(2007, 11, 30)
    assert period_end("2008-02") == date(2008, 2, 29)
    path = calibration_file(tmp_path, rows={"2002": 3, "2002-12": 4, "2002-12-31": 5,
                                             "2003-01-01": 6})
    spec, _ = load_calibration(path)
    known = known_counts(spec.data.file, "mines", 2000, date(2002, 12, 30))
    assert known["as_of"].tolist() == []  # December 2002 has not ended on the 30th
    known = known_counts(spec.data.file, "mines", 2000, date(2002, 12, 31))
    assert known["as_of"].tolist() == ["2002", "2002-12", "2002-12-31"]
