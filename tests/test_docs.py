"""Documentation stays true: ODD's parameter tables and constants match the code; the README
shows the quick start and every command."""

import ast
import importlib
import re
from pathlib import Path

import pytest

from normsim.settings.docgen import END, START, parameter_tables
from normsim.settings.scenario import PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_odd_parameter_tables_are_the_generated_ones():
    block = ODD.split(START)[1].split(END)[0].strip()
    assert block == parameter_tables().strip(), "run: python -m normsim.settings.docgen --write"


def test_every_parameter_is_documented_with_a_source():
    for name, (section, field) in PARAMETERS.items():
        row = next(l for l in ODD.splitlines() if l.startswith(f"| `{section}.{field}` |"))
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert len(cells) == 7 and cells[5] and cells[6], name


# module paths may have dots (engagers.base.NAME): the last dot separates the name
CONSTANT_ROW = re.compile(r"^\| `([\w.]+)\.(\w+)` \| ([^|]+) \|")


def test_the_fixed_constants_table_matches_the_code():
    rows = [CONSTANT_ROW.match(l) for l in ODD.split("## 9.")[1].splitlines()]
    rows = [r.groups() for r in rows if r]
    assert len(rows) >= 30
    for module, name, value in rows:
        actual = getattr(importlib.import_module(f"normsim.{module}"), name)
        documented = ast.literal_eval(value.strip())
        if hasattr(actual, "tolist"):
            actual = tuple(actual.tolist())
        assert actual == documented, f"{module}.{name}: code {actual!r}, ODD {documented!r}"


def test_the_readme_opens_with_the_two_command_quick_start():
    head = README[:2500]
    assert "make run" in head and "make test" in head


@pytest.mark.parametrize("command", ["run", "scenarios", "parameters", "sweep", "summarize", "plot", "report", "app"])
def test_the_readme_shows_every_command(command):
    assert f"normsim {command}" in README
