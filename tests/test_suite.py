"""The suite itself: every module of the model (its world, rules, engagers, settings and
simulation) and of the wings around it (analysis, calibration, adapters, sweeps) has tests that
import it, and no assertion is written so that it cannot fail."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

TESTS = Path(__file__).parent
PACKAGE = TESTS.parent / "normsim"
#: the model itself: each module there is tested on its own
WINGS = ("world", "rules", "engagers", "settings", "simulation")


def modules_named_by(tree: ast.AST) -> set[str]:
    """The normsim modules a test module imports, directly or through a name they define."""
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            named |= {a.name for a in node.names if a.name.startswith("normsim")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("normsim"):
            named.add(node.module)
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                named.add(f"{node.module}.{alias.name}")  # a submodule imported by name
                named.add(getattr(value, "__module__", None) or "")  # a class or function
    return named


def wing_modules(wings=WINGS) -> list[str]:
    return sorted(".".join(("normsim", *p.relative_to(PACKAGE).with_suffix("").parts))
                  for wing in wings for p in (PACKAGE / wing).glob("*.py")
                  if p.name != "__init__.py")


def test_every_module_of_the_model_has_tests_that_import_it():
    named = set()
    for path in TESTS.glob("test_*.py"):
        named |= modules_named_by(ast.parse(path.read_text(encoding="utf-8")))
    untested = [m for m in wing_modules() if m not in named]
    assert not untested, f"modules no test imports: {untested}"


#: the wings around the model whose every module is tested on its own too (issue 21)
OUTER_WINGS = ("analysis", "calibration", "adapters", "sweeps")


def test_every_module_of_analysis_calibration_adapters_and_sweeps_has_tests_that_import_it():
    named = set()
    for path in TESTS.glob("test_*.py"):
        named |= modules_named_by(ast.parse(path.read_text(encoding="utf-8")))
    untested = [m for m in wing_modules(OUTER_WINGS) if m not in named]
    assert not untested, f"modules no test imports: {untested}"


def test_the_check_sees_an_untested_module():
    tree = ast.parse("from normsim.world.people import settle\nfrom normsim import Commander\n")
    named = modules_named_by(tree)
    assert {"normsim.world.people", "normsim.world.agents"} <= named
    assert "normsim.world.environment" not in named


def test_no_assertion_ends_in_or_true_or_asserts_a_constant():
    for path in TESTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Assert):
                continue
            test = node.test
            assert not isinstance(test, ast.Constant), f"{path.name}:{node.lineno}"
            if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
                assert not any(isinstance(v, ast.Constant) and v.value for v in test.values), \
                    f"{path.name}:{node.lineno}: an 'or' with a true constant never fails"
