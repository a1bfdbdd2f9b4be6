"""normsim.analysis.sources on its own: a parameter's declared basis, calibration files read
from a folder made here (and the scenario a calibration wrote, found by its title), and the
table "Where the values come from" for each way a value can stand: varied, fixed, calibrated in
these runs, calibrated elsewhere, or only fitted by a file. Values are the shipped scenarios':
deed.persuasion_rate is 0.02 in deed_mines and engager_deed and absent from baseline."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from normsim.analysis import sources as S


def test_a_parameters_basis_is_an_assumption_only_when_its_source_says_so():
    assert S.source_of("deed_persuasion_rate") == "As dialogue.persuasion_rate."
    assert S.basis("deed_persuasion_rate") == "cited source"
    # "Seed 001: '...'; Finnemore and Sikkink 1998 (norm cascades). Size: assumption."
    assert S.source_of("emulation_strength").endswith("Size: assumption.")
    assert S.basis("emulation_strength") == "assumption"
    assert S.source_of("record_every") == "Assumption: weekly records by default."
    assert S.basis("record_every") == "assumption"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """A calibration folder and a folder of scenarios (read only for their description), made
    here; calibrations() is cached, so it is cleared before and after."""
    cal, scen = tmp_path / "calibrations", tmp_path / "scenarios"
    cal.mkdir(), scen.mkdir()
    monkeypatch.setattr(S, "CALIBRATION_DIR", cal)
    monkeypatch.setattr(S, "SCENARIO_DIR", scen)
    S.calibrations.cache_clear()
    yield cal, scen
    S.calibrations.cache_clear()


def _calibration(cal, stem, title, *parameters):
    body = "\n".join(f'"{p}" = {{ low = 0.0, high = 1.0 }}' for p in parameters)
    (cal / f"{stem}.toml").write_text(f'title = "{title}"\n\n[parameters]\n{body}\n')


def _written_by(scen, stem, title):
    (scen / f"{stem}.toml").write_text(
        f"description = \"Calibrated by ABC-SMC ('{title}') on counts: posterior medians\"\n")


def test_calibrations_are_read_with_flat_names_and_the_scenario_they_wrote(folders):
    cal, scen = folders
    _calibration(cal, "fit", "Deeds to 2007", "deed.persuasion_rate", "group_centralisation")
    _calibration(cal, "other", "Another fit", "emulation.strength")
    (cal / "broken.toml").write_text("title = \n")  # not TOML: left out, not a crash
    _written_by(scen, "deed_mines", "Deeds to 2007")
    (scen / "baseline.toml").write_text('description = "Hand-written."\n')
    assert S.calibrations() == {
        "fit": {"title": "Deeds to 2007", "scenario": "deed_mines",
                "parameters": ["deed_persuasion_rate", "group_centralisation"]},
        "other": {"title": "Another fit", "scenario": None, "parameters": ["emulation_strength"]}}


def _table(scenario, factors=(), fixed=None, conditions=None):
    manifest = {"scenario": scenario, "factors": list(factors), "fixed": fixed}
    table = S.where_values_come_from(manifest, pd.DataFrame() if conditions is None
                                     else conditions)
    return {row.parameter: (row.value, row.basis, row.source) for row in table.itertuples()}


def test_varied_and_fixed_parameters_carry_their_declared_basis(folders):
    rows = _table("baseline", factors=["group_centralisation"], fixed={"deed.rate": 1,
                                                                       "emulation.strength": 2})
    assert rows["group_centralisation"][:2] == ("varied by the experiment", "cited source")
    assert rows["group_centralisation"][2].startswith("Seed 002: 'a weak structure")
    assert rows["emulation_strength"] == ("set to 2 by the experiment", "assumption",
                                          S._short(S.source_of("emulation_strength")))
    assert "deed.rate" not in rows and "deed_rate" not in rows  # not a parameter: no row


def test_a_value_is_calibrated_only_in_runs_of_the_scenario_the_calibration_wrote(folders):
    cal, scen = folders
    _calibration(cal, "fit", "Deeds to 2007", "deed.persuasion_rate")
    _written_by(scen, "deed_mines", "Deeds to 2007")
    assert _table("deed_mines")["deed_persuasion_rate"] == (
        "0.02 in these runs", "calibrated",
        "calibrated: calibrations/fit.toml, scenario deed_mines (docs/calibration/fit)")
    # runs of another scenario with the same parameter: its value there is not calibrated
    assert _table("engager_deed")["deed_persuasion_rate"] == (
        "0.02 in these runs", "not calibrated here (cited source declared)",
        "assumed here (0.02); calibrated to 0.02 on other data in scenario deed_mines "
        "(docs/calibration/fit)")
    assert "deed_persuasion_rate" not in _table("baseline")  # no deed engager: not used


def test_a_fitted_parameter_with_no_calibrated_scenario_is_an_assumption_here(folders):
    cal, _ = folders
    _calibration(cal, "fit", "Deeds to 2007", "emulation.strength", "deed.persuasion_rate",
                 "group.centralisation")
    # group.centralisation is 0.7 in baseline, 0.5 in late_entrenched
    rows = _table("baseline", factors=["deed_persuasion_rate"],
                  conditions=pd.DataFrame({"scenario": ["baseline", "late_entrenched",
                                                        "baseline"]}))
    assert rows["group_centralisation"][0] == "0.5, 0.7 in these runs"
    assert rows["emulation_strength"] == ("1 in these runs",
                                          "not calibrated here (assumption declared)",
                                          "assumed here; calibrations/fit.toml fits it "
                                          "(docs/calibration/README.md)")
    assert rows["deed_persuasion_rate"][0] == "varied by the experiment"  # once, as a factor


def test_a_parameter_fitted_by_several_files_has_one_row_naming_them_all(folders):
    cal, _ = folders
    _calibration(cal, "first", "One fit", "emulation.strength")
    _calibration(cal, "second", "Another fit", "emulation.strength")
    table = S.where_values_come_from({"scenario": "baseline", "factors": []}, pd.DataFrame())
    assert table["parameter"].tolist().count("emulation_strength") == 1
    row = table.set_index("parameter").loc["emulation_strength"]
    assert row["source"] == ("assumed here; calibrations/first.toml, calibrations/second.toml "
                             "fit it (docs/calibration/README.md)")


def test_a_demonstration_calibration_is_not_named_as_fitting_anything(folders):
    """A file named *_demo is a small run of the machinery, not a fit to stand on."""
    cal, _ = folders
    _calibration(cal, "fit", "One fit", "emulation.strength")
    _calibration(cal, "fit_demo", "A demonstration", "emulation.strength", "deed.persuasion_rate")
    table = S.where_values_come_from({"scenario": "engager_deed", "factors": []},
                                     pd.DataFrame())
    rows = table.set_index("parameter")["source"]
    assert rows["emulation_strength"] == ("assumed here; calibrations/fit.toml fits it "
                                          "(docs/calibration/README.md)")
    assert "deed_persuasion_rate" not in rows


def test_a_parameter_drawn_from_a_posterior_is_calibrated_where_it_is_used(folders):
    """A posterior experiment's drawn parameters take their draw's value, not the scenario's
    (0.02 here): the table says so, once, and names the posterior file."""
    cal, _ = folders
    _calibration(cal, "fit", "Deeds to 2007", "deed.persuasion_rate", "emulation.strength")
    posterior = S.CALIBRATION_DIR.parent / "docs" / "calibration" / "fit" / "posterior.csv"
    manifest = {"scenario": "engager_deed", "factors": ["scenario"],
                "posterior": {"file": str(posterior), "drawn": ["deed_persuasion_rate"]}}
    # the deed's rate exists only where a deed engages: the dialogue runs do not draw it
    table = S.where_values_come_from(manifest, pd.DataFrame(
        {"scenario": ["engager_deed", "engager_dialogue"]}))
    assert table["parameter"].tolist().count("deed_persuasion_rate") == 1
    rows = {row.parameter: (row.value, row.basis, row.source) for row in table.itertuples()}
    assert rows["deed_persuasion_rate"] == (
        "drawn from the posterior, one draw per replicate, in the runs of engager_deed",
        "calibrated",
        f"calibrated: drawn from {posterior.resolve().relative_to(S.CALIBRATION_DIR.parent.resolve())}")
    assert rows["emulation_strength"][1] == "not calibrated here (assumption declared)"


def test_a_calibrated_scenario_without_the_parameter_leaves_it_only_fitted(folders):
    """The scenario a calibration wrote may not hold a parameter it fits (baseline has no deed
    engager): the row says the file fits it instead of ending the report in a KeyError."""
    cal, scen = folders
    _calibration(cal, "fit", "Deeds to 2007", "deed.persuasion_rate")
    _written_by(scen, "baseline", "Deeds to 2007")
    assert _table("engager_deed")["deed_persuasion_rate"] == (
        "0.02 in these runs", "not calibrated here (cited source declared)",
        "assumed here; calibrations/fit.toml fits it (docs/calibration/README.md)")


def test_short_cuts_a_long_source_at_a_word():
    assert S._short("aaa bbb ccc", 6) == "aaa …"
    assert S._short("aaa bbb", 7) == "aaa bbb"


def test_the_summary_counts_the_base_scenarios_parameters_by_basis():
    text = S.summary({"scenario": "baseline"})
    total, cited, assumed = map(int, re.match(
        r"Of the (\d+) parameters of the base scenario `baseline`, (\d+) cite the seed "
        r"documents or the literature and (\d+) are declared assumptions", text).groups())
    assert cited + assumed == total and cited > 0 and assumed > 0


def test_the_section_is_a_markdown_table_with_parameters_in_words(folders):
    lines = S.section({"scenario": "baseline", "factors": ["group_centralisation"]},
                      pd.DataFrame())
    assert lines[:2] == ["## Where the values come from", ""]
    assert lines[4] == "| parameter | value | basis | source |"
    assert lines[6].startswith("| `group_centralisation` (centralisation of the group) | "
                               "varied by the experiment | cited source | Seed 002")
