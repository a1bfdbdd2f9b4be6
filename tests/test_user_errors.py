"""The rest of issue 23's user-facing promises: one error type for every user mistake, a run's
summary that describes a population as drawn, and messages that show dates as dates and budgets
with enough digits to tell two numbers apart."""

from __future__ import annotations

import pytest

import normsim
from normsim import errors
from normsim.settings.scenario import ScenarioError
from sweep_helpers import invoke

POPULATION = """groups = 6
[[type]]
key = "secessionist"
share = 1.0
fighters = { min = 10, max = 20 }
"""


def test_every_user_error_type_is_one_documented_type_exported_from_normsim():
    assert normsim.UserError is errors.UserError
    assert issubclass(ScenarioError, normsim.UserError)
    for kind in (errors.BudgetError, errors.FolderError, errors.FolderLocked,
                 errors.ClusterError, errors.DiskFull):
        assert issubclass(kind, normsim.UserError)
    assert "UserError" in normsim.__all__ and "UserError" in (normsim.__doc__ or "")


def test_the_summary_of_a_population_run_names_the_groups_drawn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.toml").write_text(POPULATION)
    (tmp_path / "s.toml").write_text('population = "p.toml"\n[group]\nunits_per_commander = 2\n')
    result = invoke("run", "s.toml", "--steps", "3", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[1]
    assert "6 groups of" in line and "population 'p.toml'" in line, line
    assert "1 group(s) of 600" not in line
    sizes = [int(x) for x in line.split("groups of ")[1].split(" fighters")[0].split(" to ")]
    assert all(10 <= s <= 20 for s in sizes), line


def test_a_budget_just_exceeded_shows_two_different_numbers(monkeypatch):
    from normsim.settings import budget
    from normsim.settings.scenario import load
    settings = load("baseline")
    needed = budget.model_bytes(budget.Size.of(settings))
    monkeypatch.setenv("NORMSIM_MEMORY_GB", repr(needed * 0.99 / 1e9))  # 1% short
    with pytest.raises(normsim.UserError) as err:
        budget.check_model(settings, "baseline")
    text = str(err.value)
    shown_needed = text.split("would need about ")[1].split(" of memory")[0]
    shown_limit = text.split("the budget for one run is ")[1].split(" (")[0]
    assert shown_needed != shown_limit, text
    (a, unit_a), (b, unit_b) = shown_needed.split(), shown_limit.split()
    assert unit_a == unit_b and float(a) > float(b), text


def test_a_date_in_a_file_is_shown_as_a_date(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[group]\nfighters = 1979-05-27\n")
    with pytest.raises(normsim.UserError) as err:
        normsim.load(path)
    assert "group.fighters = 1979-05-27" in str(err.value), str(err.value)
    assert "datetime" not in str(err.value)


def test_the_readme_says_what_each_command_does_when_stopped_out_of_disk_or_given_a_bad_file():
    from pathlib import Path

    from normsim.sweeps import cluster
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    words = " ".join(readme.split())
    section = words[words.index("### Errors, interruptions and sizes"):
                    words.index("## For analysts")]
    assert "| interrupted (Ctrl-C, `kill`; `kill -9`) | out of disk | a bad file or argument |" \
        in section
    for command in ("`normsim run`", "`normsim sweep`", "`normsim summarize`, `plot`, `report`"):
        assert f"| {command} |" in section, command
    assert f"from 1 to {cluster.MAX_GIVE_UP_AFTER}" in section
    for promise in ("`O_NOFOLLOW`", "symbolic link", "`normsim.UserError`", "population",
                    "data file"):
        assert promise in section, promise
