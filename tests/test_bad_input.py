"""Bad input of every kind (``bad_input_corpus.py``): through the command line it gets exit
status 2, one message naming the file, the field and the value, and no traceback; through the
Python API a ``UserError`` with the same words; either way nothing is written or changed. A
sample goes through the real command in a subprocess. Then hypothesis fuzzes the experiment and
scenario loaders (always an Experiment, a Scenario or a UserError), and the size budget's
figures are measured again."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bad_input_cases import GOOD_EXPERIMENT, MEMORY_GB, Case
from bad_input_corpus import CORPUS
from normsim.settings import budget
from normsim.cli import main
from normsim.errors import UserError
from normsim.sweeps.experiment import Experiment, load_experiment
from normsim.sweeps.design import Plan, plan
from normsim.settings.scenario import ALL_SECTIONS as SECTIONS
from normsim.settings.scenario import PARAMETERS, load
from normsim.settings.schema import Scenario

CLI_CASES = [c for c in CORPUS if c.args]
API_CASES = [c for c in CORPUS if c.api]
#: every 8th command-line case, and the lock, also through the real command
SUBPROCESS_SAMPLE = CLI_CASES[::8] + [c for c in CLI_CASES if c.id == "folder-locked"]


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory) -> Path:
    """A small finished sweep of the corpus's good experiment, copied into cases that need one."""
    from normsim.sweeps.engines import sweep
    folder = tmp_path_factory.mktemp("template")
    (folder / "e.toml").write_text(GOOD_EXPERIMENT)
    exp, text = load_experiment(folder / "e.toml")
    sweep(plan(exp), folder / "o", text, workers=1, progress=False)
    return folder / "o"


def prepare(case: Case, d: Path, finished_sweep: Path) -> dict:
    d.mkdir()
    if case.sweep_folder:
        shutil.copytree(finished_sweep, d / "o")
    for name, content in case.files.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode()
        (d / name).write_bytes(data)
    return (case.setup(d) or {}) if case.setup else {}


def snapshot(folder: Path) -> dict:
    """Every file and folder under ``folder``, with the files' bytes."""
    return {p.relative_to(folder): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def words_of(case: Case, d: Path, extra: dict) -> list[str]:
    return [w.replace("{d}", str(d)) for w in (*case.words, *extra.get("words", ()))]


def check_refusal(status: int, stderr: str, output: str, words: list[str]) -> None:
    assert status != 0, f"accepted: {output}"
    assert "Traceback" not in output and "Exception" not in output, f"traceback: {output}"
    assert status == 2, f"exit status {status}: {output}"
    errors = [line for line in stderr.splitlines() if line.lower().startswith("error:")]
    assert len(errors) == 1, f"expected one error message: {stderr}"
    for w in words:
        assert w in stderr, (w, stderr)


def args_of(case: Case, d: Path) -> list[str]:
    return [str(a).replace("{d}", str(d)) for a in case.args]


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c.id)
def test_a_bad_input_on_the_command_line(case, tmp_path, finished_sweep, monkeypatch):
    d = tmp_path / "case"
    extra = prepare(case, d, finished_sweep)
    monkeypatch.chdir(d)
    before = snapshot(tmp_path)
    try:
        result = CliRunner(env={"NORMSIM_MEMORY_GB": MEMORY_GB}).invoke(main, args_of(case, d))
    finally:
        if "cleanup" in extra:
            extra["cleanup"]()
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"traceback: {result.exception!r}"
    check_refusal(result.exit_code, result.stderr, result.output, words_of(case, d, extra))
    assert snapshot(tmp_path) == before, "something was written or changed"


@pytest.mark.parametrize("case", SUBPROCESS_SAMPLE, ids=lambda c: c.id)
@pytest.mark.multiprocess
def test_a_bad_input_to_the_real_command(case, tmp_path, finished_sweep):
    d = tmp_path / "case"
    extra = prepare(case, d, finished_sweep)
    before = snapshot(tmp_path)
    try:
        proc = subprocess.run([sys.executable, "-m", "normsim.cli", *args_of(case, d)], cwd=d,
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NORMSIM_MEMORY_GB": MEMORY_GB})
    finally:
        if "cleanup" in extra:
            extra["cleanup"]()
    check_refusal(proc.returncode, proc.stderr, proc.stdout + proc.stderr, words_of(case, d, extra))
    assert snapshot(tmp_path) == before, "something was written or changed"


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c.id)
def test_a_bad_input_to_the_python_api(case, tmp_path, finished_sweep, monkeypatch):
    d = tmp_path / "case"
    extra = prepare(case, d, finished_sweep)
    monkeypatch.chdir(d)
    monkeypatch.setenv("NORMSIM_MEMORY_GB", MEMORY_GB)
    before = snapshot(tmp_path)
    with pytest.raises(UserError) as caught:
        case.api(d)
    message = str(caught.value)
    assert message and "\n" not in message.strip() or "problems" in message
    for w in words_of(case, d, extra):
        assert w in message, (w, message)
    assert snapshot(tmp_path) == before, "something was written or changed"


def test_the_corpus_is_large_and_its_inputs_distinct():
    assert len(CORPUS) >= 150
    inputs = [(c.args, tuple(sorted((k, v if isinstance(v, bytes) else v.encode())
                                    for k, v in c.files.items())), c.api, c.setup) for c in CORPUS]
    assert len(set(map(repr, inputs))) == len(CORPUS)
    kinds = {c.id.split("-")[0] for c in CORPUS}
    assert {"exp", "sweep", "folder", "summarize", "report", "plot", "scen", "set", "opt", "api",
            "schema"} <= kinds


# -- fuzz: the loaders never fail in any other way ------------------------------------------------
KEYS = [*(f"{s}.{f}" for s, f in PARAMETERS.values()), *PARAMETERS, "run.steps", "run.seed",
        "run.record_every", "group", "nope", "persuader.charm"]
scalars = st.one_of(st.booleans(), st.integers(-10, 10**7), st.floats(allow_nan=True),
                    st.text(max_size=8), st.sampled_from([0, 1, -1, 0.5, 2**63, 520, 100_001]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(["values", "min", "max", "x"]), inner,
                                        max_size=3), max_leaves=8)
factor = st.one_of(
    st.fixed_dictionaries({"values": st.lists(scalars, min_size=0, max_size=4)}),
    st.fixed_dictionaries({"min": st.floats(-1, 2), "max": st.floats(-1, 2)}),
    values)
wild_experiments = st.fixed_dictionaries(
    {"title": st.one_of(st.text(max_size=5), scalars), "question": st.text(max_size=5)},
    optional={
        "scenario": st.sampled_from(["baseline", "peace_window", "nope", 3]),
        "replicates": st.one_of(st.integers(-1, 3), st.just(100_001), scalars),
        "steps": st.one_of(st.integers(-1, 30), st.just(100_001), scalars),
        "record_every": st.one_of(st.integers(-1, 60), scalars),
        "root_seed": st.one_of(st.integers(-1, 2**64), scalars),
        "threshold": st.one_of(st.floats(-1, 2), scalars),
        "design": st.one_of(st.fixed_dictionaries({}, optional={
            "kind": st.sampled_from(["factorial", "lhs", "sobol", "morris", "grid", 1]),
            "samples": st.one_of(st.integers(-1, 8), scalars),
            "levels": st.one_of(st.integers(0, 6), scalars),
            "outcome": st.sampled_from(["final_compliance", "highest_stage", "nonsense", 2])}),
            scalars),
        "factors": st.one_of(st.dictionaries(st.sampled_from(KEYS), factor, max_size=3), scalars),
        "fixed": st.one_of(st.dictionaries(st.sampled_from(KEYS), values, max_size=3), scalars),
        "extra": scalars,
    })
MODEL_PARAMETERS = [(flat, s, f) for flat, (s, f) in PARAMETERS.items() if s != "run"]


def _bounds(section: str, name: str):
    info = SECTIONS[section].model_fields[name]
    lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    hi = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    return info.annotation, lo, hi


def _valid_value(section: str, name: str):
    kind, lo, hi = _bounds(section, name)
    if kind is bool:
        return st.booleans()
    if kind is str:  # a group type
        from normsim.world.typology import TYPES
        return st.sampled_from(["", *TYPES])
    if getattr(kind, "__args__", None):  # a choice among words
        return st.sampled_from(kind.__args__)
    if kind is int:
        return st.integers(lo, min(hi, lo + 40))  # small: sizes stay cheap to plan
    return st.floats(lo, hi, allow_nan=False)


@st.composite
def near_valid_experiments(draw):
    """A valid experiment, then up to two random changes to it."""
    kind = draw(st.sampled_from(["factorial", "lhs", "sobol", "morris"]))
    pool = [p for p in MODEL_PARAMETERS
            if kind == "factorial" or _bounds(p[1], p[2])[0] in (int, float)]
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
    factors = {}
    for flat, section, name in chosen:
        key = draw(st.sampled_from([flat, f"{section}.{name}"]))
        if kind == "factorial":
            factors[key] = {"values": draw(st.lists(_valid_value(section, name), min_size=1,
                                                    max_size=3))}
        else:
            a, b = draw(_valid_value(section, name)), draw(_valid_value(section, name))
            factors[key] = {"min": float(min(a, b)), "max": float(max(a, b))}
    fixed = {f"{s}.{n}": draw(_valid_value(s, n)) for _, s, n in
             draw(st.lists(st.sampled_from(MODEL_PARAMETERS), max_size=2, unique=True))}
    data = {"title": "fuzz", "question": "q?", "replicates": draw(st.integers(1, 3)),
            "steps": draw(st.integers(1, 30)), "root_seed": draw(st.integers(0, 2**63 - 1)),
            "design": {"kind": kind, "samples": draw(st.integers(1, 4))},
            "factors": factors, "fixed": fixed}
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.sampled_from(["top", "design", "factors", "fixed", "delete"]))
        if where == "top":
            data[draw(st.sampled_from([*data, "record_every", "threshold", "scenario", "x"]))] = \
                draw(values)
        elif where == "delete":
            data.pop(draw(st.sampled_from(sorted(data))))
        elif isinstance(data.get(where), dict):
            sub = {"design": ["kind", "samples", "levels", "outcome", "x"],
                   "factors": KEYS, "fixed": KEYS}[where]
            data[where][draw(st.sampled_from(sub))] = draw(factor if where == "factors" else values)
    return data


experiments = st.one_of(near_valid_experiments(), wild_experiments)
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _load_and_plan(path: Path) -> None:
    try:
        exp, _ = load_experiment(path)
        assert isinstance(exp, Experiment)
        if exp.replicates * budget.MAX_RUNS > 0 and exp.design.samples <= 8:
            assert isinstance(plan(exp.model_copy(update={"replicates": min(exp.replicates, 3)})),
                              Plan)
    except UserError as err:
        assert str(err).strip()


@FUZZ
@given(data=experiments)
@example(data={"title": "fuzz", "question": "q?", "replicates": 1, "steps": 1, "root_seed": 0,
               "design": {"kind": "factorial", "samples": 1},
               "factors": {"environment_conflict_intensity": {"values": [0.0]}},
               "fixed": {"group.type": []}})  # found by the fuzzer: a list as a group's type
def test_fuzzed_experiments_load_or_get_a_user_error(tmp_path, data):
    path = tmp_path / "fuzz.toml"
    try:
        path.write_text(tomli_w.dumps(data))
    except (TypeError, ValueError):  # not representable in TOML: nothing to load
        return
    _load_and_plan(path)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=200),
                     st.text(max_size=200).map(str.encode),
                     st.sampled_from(GOOD_EXPERIMENT.splitlines()).map(str.encode),
                     st.lists(st.sampled_from(GOOD_EXPERIMENT.splitlines()), max_size=25).map(
                         lambda lines: "\n".join(lines).encode())))
def test_fuzzed_experiment_text_loads_or_gets_a_user_error(tmp_path, raw):
    path = tmp_path / "fuzz.toml"
    path.write_bytes(raw)
    _load_and_plan(path)


scenarios = st.dictionaries(
    st.sampled_from([*SECTIONS, "title", "description", "grup"]),
    st.one_of(st.dictionaries(st.sampled_from([f for s in SECTIONS.values() for f in s.model_fields]
                                              + ["nope"]), values, max_size=4), scalars),
    max_size=4)


@FUZZ
@given(data=scenarios, overrides=st.lists(st.tuples(st.sampled_from(KEYS), st.text(max_size=8)),
                                          max_size=2))
def test_fuzzed_scenarios_load_or_get_a_user_error(tmp_path, data, overrides):
    path = tmp_path / "fuzz.toml"
    try:
        path.write_text(tomli_w.dumps(data))
    except (TypeError, ValueError):
        return
    try:
        assert isinstance(load(path, [f"{k}={v}" for k, v in overrides]), Scenario)
    except UserError as err:
        assert str(err).strip()


# -- the budget's figures are what a model really allocates -------------------------------------
def _traced_peak(**params) -> int:
    from normsim.simulation.model import NormDiffusionModel
    gc.collect()
    tracemalloc.start()
    model = NormDiffusionModel(rng=1, **params)
    model.step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del model
    return peak


def test_the_budget_holds_what_a_fighter_and_a_commander_really_take():
    one = dict(group_operational_commanders=1, group_units_per_commander=1)
    base = _traced_peak(group_fighters=1, **one)
    per_fighter = (_traced_peak(group_fighters=40_001, **one) - base) / 40_000
    per_commander = (_traced_peak(group_fighters=1, group_operational_commanders=100,
                                  group_units_per_commander=200) - base) / (100 * 201)
    for measured, declared in ((per_fighter, budget.BYTES_PER_FIGHTER),
                               (per_commander, budget.BYTES_PER_COMMANDER)):
        assert measured <= declared <= 2 * measured, (measured, declared)


def test_a_memory_limit_from_the_environment_is_checked(monkeypatch):
    monkeypatch.setenv("NORMSIM_MEMORY_GB", "lots")
    with pytest.raises(UserError, match="NORMSIM_MEMORY_GB = 'lots'"):
        budget.memory_limit()
    monkeypatch.setenv("NORMSIM_MEMORY_GB", "0.0001")
    with pytest.raises(UserError, match=r"baseline: 1 group\(s\) of 600 fighters .* the budget "
                                        r"for one run is 0.1 MB \(NORMSIM_MEMORY_GB\)"):
        budget.check_model(load("baseline"), "baseline")


def test_the_budget_refuses_before_allocating(monkeypatch):
    """A model of 2.3 billion fighters is refused at once (building it would take hours)."""
    from normsim import NormDiffusionModel
    monkeypatch.setenv("NORMSIM_MEMORY_GB", MEMORY_GB)
    tracemalloc.start()
    with pytest.raises(UserError, match="GB of memory"):
        NormDiffusionModel(group_count=100, group_fighters=5_000_000)
    assert tracemalloc.get_traced_memory()[1] < 50e6
    tracemalloc.stop()


def test_the_readme_states_the_limits_the_code_enforces():
    from normsim.sweeps import cluster
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    words = " ".join(readme.split())
    section = words[words.index("### Errors, interruptions and sizes"):]
    for text in (f"at most {budget.MAX_RUN_HOURS} hours", f"at most {budget.MAX_RUNS:,} runs",
                 f"about {budget.BYTES_PER_FIGHTER} bytes each",
                 f"{budget.BYTES_PER_GROUP // 1000} kB per group",
                 f"{budget.BYTES_PER_RECORDED_ROW / 1000:g} kB per recorded week",
                 "at most half of the machine's memory" if budget.MEMORY_SHARE == 0.5 else "?",
                 "NORMSIM_MEMORY_GB"):
        assert text in section, text
    for text in (f"within about {cluster.CONNECT_SECONDS} seconds",
                 f"after {cluster.REPORT_AFTER} seconds and gives up after {cluster.GIVE_UP_AFTER}"):
        assert text in words, text
