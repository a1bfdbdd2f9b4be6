"""The command line: outputs of `normsim run`, listings, and what bad input gets (exit status 2,
one message naming the file, the field, the value and what is allowed; never a traceback)."""

import importlib
import json
import re
import subprocess
import sys
import time

import pandas as pd
import pytest
from click.testing import CliRunner

from normsim.cli import main
from normsim.sweeps.files import table_metadata
from normsim.settings.scenario import list_scenarios

SMALL_SET = ["--set", "group.fighters=40", "--set", "group.units_per_commander=2"]


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_run_writes_table_events_figure_scenario_and_provenance(tmp_path):
    out = tmp_path / "r"
    result = invoke("run", "baseline", "--seed", 3, "--steps", 60, *SMALL_SET, "--out", out)
    assert result.exit_code == 0, result.output
    names = {"records.parquet", "records.csv", "events.parquet", "events.csv", "compliance.png",
             "scenario.toml", "provenance.json"}
    assert names <= {p.name for p in out.iterdir()}
    table = pd.read_parquet(out / "records.parquet")
    assert table["step"].max() == 60 and len(table) == 61
    csv = pd.read_csv(out / "records.csv")
    pd.testing.assert_frame_equal(table, csv, check_dtype=False)
    meta = table_metadata(out / "records.parquet")
    assert meta["seed"] == 3 and meta["mesa"] and meta["scenario_hash"].startswith("sha256:")
    assert json.loads((out / "provenance.json").read_text()) == meta
    assert (out / "compliance.png").stat().st_size > 10_000
    assert "compliance" in result.output and "score card" in result.output


def test_the_written_scenario_replays_the_run_exactly(tmp_path):
    invoke("run", "peace_window", "--seed", 5, "--steps", 40, *SMALL_SET, "--out", tmp_path / "a")
    invoke("run", tmp_path / "a" / "scenario.toml", "--out", tmp_path / "b")
    a = pd.read_parquet(tmp_path / "a" / "records.parquet")
    b = pd.read_parquet(tmp_path / "b" / "records.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_scenarios_lists_every_shipped_scenario_with_its_description():
    result = invoke("scenarios")
    assert result.exit_code == 0
    for name, title, description, _ in list_scenarios():
        assert name in result.output and title in result.output
        assert description.split()[0] in result.output


def test_the_required_scenarios_are_shipped_and_valid():
    names = {n for n, *_ in list_scenarios()}
    assert {"baseline", "early_peoples_war", "late_entrenched", "incompatible_goal",
            "peace_window", "politicised", "conditional_persuader"} <= names
    for name, title, description, path in list_scenarios():
        assert path.read_text().lstrip().startswith("title"), name  # opens in words
        assert len(description.split()) >= 20, name


@pytest.mark.parametrize("command", ["run", "scenarios", "parameters", "engagers"])
def test_every_command_explains_itself(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and len(result.output) > 150


def test_parameters_lists_every_parameter_with_range_and_meaning():
    result = invoke("parameters")
    assert "group.centralisation (keyword group_centralisation) = 0.7; a number from 0 to 1" \
        in result.output
    deed = invoke("parameters", "deed")
    assert "deed.monitoring (keyword deed_monitoring)" in deed.output
    assert "group." not in deed.output


def test_engagers_lists_each_kind_in_one_line_with_its_norms():
    from normsim.engagers import KINDS
    result = invoke("engagers")
    assert result.exit_code == 0
    for kind, cls in KINDS.items():
        assert f"{kind} — {cls.summary}" in result.output
        assert ", ".join(cls.handles) in result.output


def test_run_with_counterfactual_writes_the_twin_and_prints_the_effect(tmp_path):
    import pandas as pd
    out = tmp_path / "out"
    result = invoke("run", "baseline", "--steps", 60, *SMALL_SET, "--out", out, "--counterfactual")
    assert result.exit_code == 0, result.output
    assert "engagement effect" in result.output
    table = pd.read_parquet(out / "records.parquet")
    assert "compliance_counterfactual" in table and table["compliance_counterfactual"].notna().any()


# -- bad input ---------------------------------------------------------------------------
BAD_FILES = {  # file content -> words the message must contain
    "unknown_key": ("[group]\ncentralisaton = 0.3\n", ["group.centralisaton", "not a parameter",
                                                       "did you mean group.centralisation"]),
    "wrong_type": ('[group]\nfighters = "many"\n', ["group.fighters", '"many"',
                                                    "a whole number from 1 to 5000000"]),
    "out_of_range": ("[group]\ncentralisation = 1.5\n", ["group.centralisation", "1.5",
                                                         "a number from 0 to 1"]),
    "bool_for_number": ('[[engager]]\nkind = "dialogue"\nreputation = true\n',
                        ["engager 1 (dialogue)", "reputation = true", "a number from 0 to 1"]),
    "legacy_table": ("[persuader]\nreputation = true\n", ["engager 1 (dialogue)",
                                                          "reputation = true", "from 0 to 1"]),
    "malformed": ("[group\ncentralisation = 0.3\n", ["malformed TOML", "line 1"]),
    "unknown_section": ("[grup]\ncentralisation = 0.3\n", ["[grup]", "did you mean group"]),
    "window": ('[[engager]]\nkind = "deed"\nstart_week = 50\nend_week = 10\n',
               ["end_week = 10", "start_week = 50", "engager 1"]),
    "unknown_kind": ('[[engager]]\nkind = "icrc"\n', ['kind = "icrc"', "dialogue", "deed"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_scenario_file_gets_exit_2_and_a_clear_message(tmp_path, case):
    text, words = BAD_FILES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out)
    assert result.exit_code == 2
    assert str(path) in result.output
    for w in words:
        assert w in result.output, (w, result.output)
    assert not out.exists()  # nothing written


@pytest.mark.parametrize("override,words", [
    ("group.centralisation", ["expected KEY=VALUE"]),
    ("group.centralisation=abc", ["group.centralisation", '"abc"', "a number from 0 to 1"]),
    ("group.nope=1", ["'group.nope' is not a parameter"]),
    ("dialogue.contact_interval=0", ["contact_interval = 0", "from 1 to 520"]),
    ("deed.norm=1", ["no deed engager", "dialogue"]),
])
def test_a_bad_set_gets_exit_2_and_a_clear_message(override, words):
    result = invoke("run", "baseline", "--set", override)
    assert result.exit_code == 2
    assert "--set" in result.output
    for w in words:
        assert w in result.output, (w, result.output)


def test_a_missing_scenario_gets_exit_2_and_the_list_of_shipped_ones():
    result = invoke("run", "no/such/file.toml")
    assert result.exit_code == 2
    assert "no scenario file at 'no/such/file.toml'" in result.output and "baseline" in result.output


def test_an_output_folder_that_cannot_be_written_gets_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = invoke("run", "baseline", "--steps", 5, *SMALL_SET, "--out", blocker / "sub")
    assert result.exit_code == 2 and "error:" in result.output


@pytest.mark.multiprocess
def test_the_real_command_prints_no_traceback(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[group]\nfighters = -3\n")
    proc = subprocess.run([sys.executable, "-m", "normsim.cli", "run", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"error: {path}: group.fighters = -3 is not allowed: "
                                   "expected a whole number from 1 to 5000000")
    assert "Traceback" not in proc.stderr + proc.stdout


# -- a run's folder appears whole or not at all; its scenario replays it -----------------------
def test_the_largest_seed_is_written_and_replayed(tmp_path):
    seed = 2**63 - 1  # run.seed's maximum: --seed and the scenario file take the same range
    invoke("run", "baseline", "--seed", seed, "--steps", 5, *SMALL_SET, "--out", tmp_path / "a")
    assert f"seed = {seed}" in (tmp_path / "a" / "scenario.toml").read_text()
    result = invoke("run", tmp_path / "a" / "scenario.toml", "--out", tmp_path / "b")
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a" / "records.parquet"),
                                  pd.read_parquet(tmp_path / "b" / "records.parquet"))


def test_a_rerun_replaces_the_previous_run_folder_whole(tmp_path):
    out = tmp_path / "r"
    invoke("run", "baseline", "--seed", 1, "--steps", 5, *SMALL_SET, "--out", out)
    result = invoke("run", "baseline", "--seed", 2, "--steps", 5, *SMALL_SET, "--out", out)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "provenance.json").read_text())["seed"] == 2
    assert table_metadata(out / "records.parquet")["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary folder left


def test_a_run_stopped_while_saving_leaves_the_previous_folder_as_it_was(tmp_path, monkeypatch):
    run_module = importlib.import_module("normsim.analysis.saved_run")  # where a run is saved
    out = tmp_path / "r"
    invoke("run", "baseline", "--seed", 1, "--steps", 5, *SMALL_SET, "--out", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = run_module.write_text_atomically

    def stopped_at_provenance(path, text):
        if path.name == "provenance.json":
            raise KeyboardInterrupt  # Ctrl-C half-way through writing the run's files
        return real(path, text)

    monkeypatch.setattr(run_module, "write_text_atomically", stopped_at_provenance)
    result = invoke("run", "baseline", "--seed", 2, "--steps", 5, *SMALL_SET, "--out", out)
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


@pytest.mark.multiprocess
def test_sigterm_during_a_run_writes_nothing(tmp_path):
    out = tmp_path / "r"
    command = ("import sys; import normsim.cli as cli; print('started', flush=True); "
               "cli.main(sys.argv[1:])")  # says when Python has started, however busy the machine
    proc = subprocess.Popen([sys.executable, "-c", command, "run", "baseline", "--steps", "20000",
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(3)  # into the run
    assert proc.poll() is None, proc.communicate()
    proc.terminate()
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "interrupted" in stderr and "Traceback" not in stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_the_summary_of_a_run_recorded_less_often_than_yearly_has_no_nan(tmp_path):
    result = invoke("run", "baseline", "--steps", 200, *SMALL_SET, "--set", "run.record_every=60",
                    "--out", tmp_path / "r")
    assert result.exit_code == 0, result.output
    assert not re.search(r"\bnan\b", result.output), result.output
    assert "in the first recorded week (week 60)" in result.output


def test_a_section_given_as_an_inline_table_sets_its_fields(tmp_path):
    a = invoke("run", "baseline", "--steps", 3, "--set", "group={fighters=40, units_per_commander=2}",
               "--out", tmp_path / "a")
    b = invoke("run", "baseline", "--steps", 3, *SMALL_SET, "--out", tmp_path / "b")
    assert a.exit_code == b.exit_code == 0, a.output
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a" / "records.parquet"),
                                  pd.read_parquet(tmp_path / "b" / "records.parquet"))


def test_a_full_disk_while_saving_a_run_leaves_nothing_and_says_so(tmp_path, monkeypatch):
    import errno

    import pyarrow.parquet

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyarrow.parquet, "write_table", full)
    out = tmp_path / "r"
    result = invoke("run", "baseline", "--steps", 3, *SMALL_SET, "--out", out)
    assert result.exit_code == 2 and result.stderr.count("error:") == 1
    assert f"no space left on the device of {out}; nothing was written" in result.stderr
    assert not list(tmp_path.iterdir())  # no folder, no temporary folder
