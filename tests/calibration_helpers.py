"""Small calibrations for the tests: a population of a dozen groups, a synthetic counts file, a
cutoff three years in (each simulation takes a fraction of a second)."""
import contextlib
import subprocess
import sys
import traceback
from pathlib import Path

BIN = Path(sys.executable).parent

POPULATION = """
title = "a dozen groups"
groups = 12
countries = 3
[[type]]
key = "peoples_war"
share = 0.6
fighters = { min = 20, max = 30 }
people_war = { mean = 0.9, sd = 0.05 }
[[type]]
key = "secessionist"
share = 0.4
fighters = { min = 20, max = 30 }
[emergence]
first_week = 0
last_week = 200
"""

HEADER = "year,as_of,date_basis,norm,pledge_type,unit,count,kind,source,locator,quote,note\n"
ROWS = {  # as_of: count; up to 2002 fitted (cutoff 2002-12-31), later ones held out
    "2001-06": 2, "2002-06": 4, "2003-06": 6, "2004-06": 8}

CALIBRATION = """
title = "a small calibration"
scenario = "{scenario}"
start_year = 2000
cutoff = "2002-12-31"
predict_until = 2004
record_every = 13
root_seed = 3
[data]
file = "{data}"
norm = "mines"
[parameters]
"deed.persuasion_rate" = {{ min = 0.005, max = 0.3 }}
"deed.capacity" = {{ min = 1, max = 12 }}
[abc]
population_size = {particles}
generations = {generations}
replicates = 2
[predictive]
draws = 8
[baselines]
ceiling = {{ min = 4, max = 100 }}
draws = 40
"""


def counts_file(path: Path, rows=None) -> Path:
    rows = ROWS if rows is None else rows
    path.write_text(HEADER + "".join(
        f"{a[:4]},{a},stated,landmines,deed,groups,{c},exact,TEST,row,made up for a test,\n"
        for a, c in rows.items()))
    return path


def calibration_file(tmp_path: Path, particles=5, generations=2, rows=None, extra="") -> Path:
    pop = tmp_path / "pop.toml"
    pop.write_text(POPULATION)
    scen = tmp_path / "mines.toml"
    scen.write_text(f'title = "mines"\npopulation = "{pop}"\nnorms = ["mines"]\n'
                    '[[engager]]\nkind = "deed"\nnorm = "mines"\napproach = "most_open"\n')
    data = counts_file(tmp_path / "counts.csv", rows)
    path = tmp_path / "cal.toml"
    path.write_text(CALIBRATION.format(scenario=scen, data=data, particles=particles,
                                       generations=generations) + extra)
    return path


def normsim(*args, cwd=None) -> subprocess.CompletedProcess:
    """`normsim ARGS` run in this process by click's test runner, as `tests/test_bad_input.py`
    runs its corpus: the same command, exit status and messages, without paying a new Python's
    imports (about 2 s) per call. An exception the command lets escape comes back in `stderr`
    as its traceback, so the tests' "no Traceback" checks still see it. Tests that need a real
    process (a kill, a signal) start one with `BIN / "normsim"`."""
    from click.testing import CliRunner

    from normsim.cli import main

    with contextlib.chdir(cwd or Path.cwd()):
        result = CliRunner().invoke(main, [str(a) for a in args])
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["normsim", *map(str, args)], result.exit_code,
                                       result.stdout, stderr)


def first_task_slowest(task: dict) -> tuple[int, int]:
    """A task whose first one finishes last (for the order of a runner's results)."""
    import time
    time.sleep(1.5 if task["index"] == 0 else 0.01)
    return task["index"], task["index"] * 10
