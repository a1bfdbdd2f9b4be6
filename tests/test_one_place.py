"""One concept, one place (issue 21's review): the data's partial dates have one reader, a whole
number typed into the app one reader, the seed one limit, and the hypotheses' modulated
quantities a name of their own."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from annotated_types import Le

from normsim.app.address import read
from normsim.app.panel import read_seed
from normsim.app.runs import Refusal
from normsim.calibration.record import period_end as calibration_period_end
from normsim.calibration.spec import CalibrationFile
from normsim.rules import hypotheses
from normsim.settings.arguments import whole_text
from normsim.settings.data import decimal_year, partial_date, period_end
from normsim.settings.schema import RunSettings
from normsim.sweeps.experiment import Experiment


@pytest.mark.parametrize("text, parts", [("2007", (2007, None, None)),
                                         ("2004-09", (2004, 9, None)),
                                         (" 2008-02-29 ", (2008, 2, 29))])
def test_a_partial_date_is_read_once(text, parts):
    assert partial_date(text) == parts


@pytest.mark.parametrize("text", ["07-11", "2007-13", "2007-02-30", "2007/11", "2007-1", ""])
def test_a_date_that_is_not_one_is_refused_by_every_reader(text):
    for reader in (partial_date, period_end, decimal_year):
        with pytest.raises(ValueError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
            reader(text)


def test_the_calibration_reads_the_period_end_of_the_data():
    assert calibration_period_end is period_end
    assert period_end("2008-02") == date(2008, 2, 29)
    assert decimal_year("2004-09") == pytest.approx(2004 + 8.5 / 12)


@pytest.mark.parametrize("text, value", [("42", 42), (" 1 000 ", 1000), ("0", 0), ("-1", None),
                                         ("3.0", None), ("+3", None), ("²", None), ("", None)])
def test_a_whole_number_typed_into_the_app_is_read_once(text, value):
    assert whole_text(text) == value
    seed = read_seed(text)
    assert seed == value if value is not None else isinstance(seed, Refusal)
    if text:  # (an address drops an empty value)
        recipe = read(urlencode({"seed": text}))
        assert recipe.seed == value
        assert bool(recipe.problems) == (value is None)


def test_the_seed_has_one_limit_everywhere():
    limit = 2**63 - 1  # a signed 64-bit integer
    run_seed = RunSettings.model_fields["seed"]
    assert next(m.le for m in run_seed.metadata if isinstance(m, Le)) == limit
    for model in (Experiment, CalibrationFile):
        field = model.model_fields["root_seed"]
        assert next(m.le for m in field.metadata if isinstance(m, Le)) == limit
    assert read_seed(str(limit)) == limit
    assert isinstance(read_seed(str(limit + 1)), Refusal)


def test_the_hypotheses_modulate_quantities_not_the_competing_mechanisms():
    assert not hasattr(hypotheses, "MECHANISMS")
    assert set(hypotheses.MODULATED) == {"openness", "trust", "persuasion", "consolidation"}
