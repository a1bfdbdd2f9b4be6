"""The pieces of the bad-input corpus (``bad_input_corpus.py``): what a case is, the good
experiment the bad ones are made from, and the builders of each kind of case."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import normsim
from normsim.settings.scenario import ALL_SECTIONS

BIG_SEED = 10**31
MAX_SEED = "9223372036854775807"
MEMORY_GB = "8"  # NORMSIM_MEMORY_GB for every case, so that budget cases do not depend on the machine


@dataclass(frozen=True)
class Case:
    id: str
    words: tuple[str, ...]  # must all be in the message ({d}: the case's folder)
    args: tuple = ()  # a CLI case: the arguments of 'normsim'
    api: Callable[[Path], object] | None = None  # an API case: must raise UserError
    files: dict = field(default_factory=dict)  # name -> text or bytes, written before
    setup: Callable[[Path], dict] | None = None  # more set-up: may return {"words", "cleanup"}
    sweep_folder: bool = False  # copy a finished sweep folder to {d}/o first


# -- experiment files -------------------------------------------------------------------------
def experiment(top: str = "", factors: str = '"dialogue.principled" = { values = [0.0, 1.0] }',
               fixed: str = "", tail: str = "", title: str = 'title = "bad input test"\n',
               question: str = 'question = "Does a bad input get one clear message?"\n') -> str:
    return (f'{title}{question}scenario = "baseline"\nreplicates = 2\nsteps = 10\nroot_seed = 3\n'
            f'{top}\n[factors]\n{factors}\n[fixed]\n"group.fighters" = 20\n'
            f'"group.units_per_commander" = 2\n{fixed}\n{tail}')


GOOD_EXPERIMENT = experiment()


def exp_case(id, words, text, *extra_args, more_files=None, names_file=True):
    files = {"e.toml": text, **(more_files or {})}
    return Case(id, ("{d}/e.toml", *words) if names_file else tuple(words), ("sweep", "{d}/e.toml", "--out", "{d}/o", "--quiet",
                                              *extra_args), files=files)



# -- a sweep's folder: foreign, edited experiment, damaged manifest, in use -------------------------
def _damage(name: str, content):
    def setup(d: Path) -> dict:
        path = d / "o" / name
        if content is None:
            path.unlink()
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return {}
    return setup


def _hold_the_lock(d: Path) -> dict:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from normsim.sweeps.lock import FolderLock; "
         "FolderLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(120)",
         str(d / "o")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return {"words": [f"process {holder.pid}", "in use by another sweep"],
            "cleanup": lambda: (holder.kill(), holder.wait())}


def folder_case(id, words, setup=None, text=GOOD_EXPERIMENT, args=("sweep", "{d}/e.toml")):
    return Case(id, tuple(words), (*args, "--out", "{d}/o", "--quiet"), files={"e.toml": text},
                setup=setup, sweep_folder=True)



def reader_case(id, words, *args, setup=None):
    return Case(id, tuple(words), args, setup=setup, sweep_folder=True)



# -- scenario files, --set and the options of 'run' ---------------------------------------------
def run_case(id, words, *args, files=None, setup=None):
    return Case(id, tuple(words), ("run", *args), files=files or {}, setup=setup)


def scenario_case(id, words, text):
    return run_case(id, ["{d}/s.toml", *words], "{d}/s.toml", "--out", "{d}/out",
                    files={"s.toml": text})


SMALL = ("--set", "group.fighters=20", "--set", "group.units_per_commander=2")

# -- the Python API -------------------------------------------------------------------------------
def api_case(id, words, call, files=None):
    return Case(id, tuple(words), api=call, files=files or {})


def _save_to(target: str):
    def call(d: Path):
        from normsim.analysis.saved_run import save_run
        model = normsim.run_model({"group_fighters": 10, "group_units_per_commander": 1}, seed=1,
                                  steps=2)
        return save_run(model, target.replace("{d}", str(d)))
    return call


def _experiment_api(then=None):
    def call(d: Path):
        from normsim.sweeps.experiment import load_experiment
        from normsim.sweeps.design import plan
        exp, body = load_experiment(d / "api.toml")
        the_plan = plan(exp)
        return then(the_plan, body, d) if then else the_plan
    return call


def _sweep_with(scheduler: str):
    def then(the_plan, body, d):
        from normsim.sweeps.engines import sweep
        return sweep(the_plan, d / "o", body, scheduler=scheduler, progress=False)
    return then


TINY = {"group_fighters": 10, "group_units_per_commander": 1}

# -- one bad value for every parameter of the schema, through each of four doors in turn -----------
def _bad_value(section: str, name: str):
    """A value out of the parameter's range (or of the wrong type, for true/false), and how the
    message shows it."""
    info = ALL_SECTIONS[section].model_fields[name]
    if info.annotation is bool:
        return 3, "3", "true or false"
    if info.annotation is str or getattr(info.annotation, "__args__", None):  # a choice
        return "nope", '"nope"' if info.annotation is not str else "'nope'", "nope"
    hi = next(m.le for m in info.metadata if hasattr(m, "le"))
    lo = next(m.ge for m in info.metadata if hasattr(m, "ge"))
    if info.annotation is int:
        return hi + 1, str(hi + 1), f"a whole number from {lo} to {hi}"
    return hi + 0.5, repr(hi + 0.5), f"a number from {lo:g} to {hi:g}"


def _toml(value) -> str:
    return "true" if value is True else "false" if value is False else repr(value)


def _api_keyword(flat: str, value, scenario: str = "baseline"):
    return lambda d: normsim.run({**TINY, flat: value}, seed=1, steps=2, scenario=scenario)


