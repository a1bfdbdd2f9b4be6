"""Declared once, derived everywhere: a norm, an engager kind or a hypothesis declared in its own
module reaches the scenario schema, the week and the documents without a second list."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from normsim.rules.norms import COMMAND, FIGHTERS, NORMS, Norm, _mine_occasions
from normsim.settings.schema import SECTIONS, Scenario


PACKAGE = Path(__file__).resolve().parent.parent / "normsim"


def with_added(tmp_path: Path, module: str, code: str) -> Path:
    """A copy of the package with ``code`` appended to ``module`` (as a developer adds a norm,
    an engager kind or a hypothesis in its own file); the folder to put on the path."""
    shutil.copytree(PACKAGE, tmp_path / "normsim", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "normsim" / module
    target.write_text((target.read_text() if target.exists() else "") + textwrap.dedent(code))
    return tmp_path


def run_python(code: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=300, cwd=path, env={"PYTHONPATH": str(path)})


def test_the_scenario_has_one_table_per_declared_section_and_norm():
    tables = set(Scenario.model_fields) - {"title", "description", "norms", "population",
                                          "engagers"}
    assert tables == set(SECTIONS) and set(NORMS) <= tables


NEW_NORM = """

    class LootingSettings(Section):
        title = "Norm: no looting"
        base_looting: float = P(0.2, 0.001, 0.999, meaning="m", source="s")
        military_value: float = P(1.0, 0, 10, meaning="m", source="s")
        observability: float = P(0.5, 0, 1, meaning="m", source="s")

    LOOTING = register(Norm(key="looting", short="looting", title="the ban on looting",
                  decided_by=COMMAND, occasion="a unit passing a village",
                  Settings=LootingSettings, cost=lambda groups, shortfall: groups.strength,
                  source="test", occasions=lambda ns, world, units: np.where(units.live, 3, 0),
                  base=lambda ns: ns.base_looting))
    """


def test_a_norm_registered_in_its_own_module_runs_with_its_table(tmp_path):
    """Before: the schema listed norm fields by hand, so a validated scenario with a new norm
    crashed with an AttributeError, and a norm the command decides had no occasions."""
    out = run_python("""
    import normsim
    from normsim.settings.scenario import validate
    s = validate({"norms": ["civilians", "looting"], "looting": {"base_looting": 0.9}}, "test")
    m = normsim.NormDiffusionModel(settings=s, rng=3, group_count=2)
    m.run_model(5)
    r = m.records()
    print(int(r[r.norm == "looting"].occasions.sum()), s.looting.base_looting)
    """, with_added(tmp_path, "rules/norms.py", NEW_NORM))
    assert out.returncode == 0, out.stderr
    occasions, base = out.stdout.split()
    assert int(occasions) > 0 and float(base) == 0.9


def test_a_norm_the_command_decides_cannot_be_declared_without_its_occasions():
    settings = NORMS["mines"].Settings
    with pytest.raises(ValueError, match="needs occasions"):
        Norm(key="x", short="x", title="x", decided_by=COMMAND, occasion="x", Settings=settings,
             cost=lambda g, s: 0.0, source="x", base=lambda ns: 0.1)
    with pytest.raises(ValueError, match="encounters"):
        Norm(key="x", short="x", title="x", decided_by=FIGHTERS, occasion="x", Settings=settings,
             cost=lambda g, s: 0.0, source="x", occasions=_mine_occasions)


RUN = """
    import hashlib, sys
    import normsim
    params = dict(arg.split("=") for arg in sys.argv[1:])
    params = {k: v == "True" if v in ("True", "False") else float(v) for k, v in params.items()}
    m = normsim.NormDiffusionModel(rng=11, **params)
    m.run_model(80)
    r = m.records()
    print(hashlib.sha256(r.to_csv().encode()).hexdigest())
    """

NEW_HYPOTHESIS = """

    register(Hypothesis(
        "h_test", "a test hypothesis", PERSUADER, ("persuasion",), source="test",
        effect=lambda c, h, strength, enabled: modulation(np.zeros(c.size), strength, enabled)))
    """


def fingerprint(path: Path, **params) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(RUN),
                          *(f"{k}={v}" for k, v in params.items())], capture_output=True,
                         text=True, timeout=300, cwd=path, env={"PYTHONPATH": str(path)})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_new_hypothesis_changes_nothing_until_it_is_switched_on(tmp_path):
    """Before: the house convention (on, strength 0.6) moved results when a hypothesis was
    added; now a hypothesis is off unless declared on."""
    added = with_added(tmp_path, "rules/hypotheses.py", NEW_HYPOTHESIS)
    before = fingerprint(PACKAGE.parent)
    assert fingerprint(added) == before
    assert fingerprint(added, h_test_enabled=True) != before


def readme_watchdog() -> str:
    """The README's example of an engager kind added in one file."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    return readme.split("# normsim/engagers/watchdog.py\n", 1)[1].split("```", 1)[0]


def test_a_kind_that_never_meets_has_no_meeting_settings_and_never_meets(tmp_path):
    """Before: every kind inherited the nine meeting parameters (reputation, contact_interval,
    access ...), which a watchdog never reads, and met the leadership unless given access 0."""
    out = run_python("""
    import json
    from normsim import NormDiffusionModel
    from normsim.engagers import KINDS
    from normsim.settings.scenario import PARAMETERS, validate
    s = validate({"engager": [{"kind": "watchdog"}], "group": {"count": 2}}, "test")
    m = NormDiffusionModel(settings=s, rng=3)
    m.run_model(150)
    e = m.events()
    print(json.dumps({"capabilities": KINDS["watchdog"].capabilities(),
                      "parameters": sorted(n for n in PARAMETERS if n.startswith("watchdog_")),
                      "reported": int((e.kind == "violation reported").sum()),
                      "met": int((e.kind == "first contact").sum()),
                      "commits": bool(m.engager_agents[0].commits_to.any())}))
    """, with_added(tmp_path, "engagers/watchdog.py", readme_watchdog()))
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["capabilities"] == ["monitors"]
    assert got["parameters"] == ["watchdog_approach", "watchdog_capacity", "watchdog_end_week",
                                 "watchdog_monitoring", "watchdog_shame", "watchdog_start_week"]
    assert got["reported"] > 0 and got["met"] == 0 and not got["commits"]
