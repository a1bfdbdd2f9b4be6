"""The package's layout keeps its promise (docs/ARCHITECTURE.md): imports run downwards only,
from a wing to its own wing or to a wing below it, and no module imports itself round a circle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "normsim"

#: the floors, from the ground up; shells on top (the CLI may start the app)
FLOORS = [("normsim.params", "normsim.errors", "normsim.events"), ("normsim.world",),
          ("normsim.rules",), ("normsim.engagers",), ("normsim.settings",),
          ("normsim.simulation",), ("normsim.sweeps",), ("normsim.analysis",),
          ("normsim.calibration",), ("normsim.adapters", "normsim.app"), ("normsim.cli",)]


def floor(module: str) -> int:
    for level, prefixes in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return level
    raise AssertionError(f"{module} is in no wing of docs/ARCHITECTURE.md")


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(path: Path, name: str, known) -> list[tuple[str, int, bool]]:
    """(imported normsim module, line, at module level) for each import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]
        for t in targets:
            if t.startswith("normsim"):
                found.append((t, node.lineno, id(node) in top))
    return found


def graph():
    known = modules()
    return known, {m: imports(p, m, known) for m, p in known.items()}


def test_every_module_is_in_a_wing():
    for name in modules():
        if name != "normsim":
            floor(name)


def test_imports_run_downwards_only():
    known, edges = graph()
    upward = [f"{m}:{line} imports {t}" for m, found in edges.items() if m != "normsim"
              for t, line, _ in found if t != "normsim" and floor(t) > floor(m)]
    assert not upward, "imports running up a floor:\n" + "\n".join(upward)


def test_no_import_circle():
    known, edges = graph()
    # every import counts, inside functions too: deferring one does not undo the circle
    nexts = {m: sorted({t for t, _, _ in found if t in known and t != m})
             for m, found in edges.items()}
    state, path, circles = {}, [], []

    def visit(m):
        state[m] = "open"
        path.append(m)
        for n in nexts.get(m, []):
            if n == "normsim" or m == "normsim":
                continue  # the package's face re-exports; it is not a floor
            if state.get(n) == "open":
                circles.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n)
        path.pop()
        state[m] = "done"

    for m in sorted(nexts):
        if m not in state:
            visit(m)
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_the_check_sees_an_upward_import():
    """The checker itself: a world module importing the simulation is caught."""
    assert floor("normsim.simulation.model") > floor("normsim.world.groups")
    assert floor("normsim.cli") > floor("normsim.app.page") > floor("normsim.calibration.driver")


def _unexplained_imports_inside_functions(path: Path) -> list[int]:
    """Lines of the imports inside functions of ``path`` that do not say why they are deferred:
    the word 'deferred' on the import's line, or on the first line of its run of imports or in
    the comment just above it (``if TYPE_CHECKING:`` at module level is not inside a function)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for holder in ast.walk(func):
            for field in ("body", "orelse", "finalbody", "handlers"):
                body = getattr(holder, field, None)
                if not isinstance(body, list):
                    continue
                run_start = None  # the first import of the current run of imports
                for stmt in body:
                    if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                        run_start = None
                        continue
                    run_start = run_start or stmt
                    said = " ".join(lines[i] for i in {stmt.lineno - 1, run_start.lineno - 1,
                                                         run_start.lineno - 2})
                    if "deferred" not in said:
                        found.append(stmt.lineno)
    return sorted(set(found))


def test_an_import_inside_a_function_says_why_it_is_deferred():
    """An import inside a function is kept only to defer a heavy dependency (matplotlib, pyarrow,
    Dask, SALib, solara; the command line's commands), and says so in a comment with the word
    'deferred'; every other import sits at the top of its module (docs/ARCHITECTURE.md)."""
    unexplained = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in modules().values()
                   for line in _unexplained_imports_inside_functions(path)]
    assert not unexplained, "imports inside functions without a reason:\n" + "\n".join(unexplained)


def test_the_check_sees_an_import_inside_a_function_without_a_reason(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\n\ndef f():\n    import json\n    return json\n\n\n"
                      "def g():\n    # deferred: pyarrow is heavy\n    import pyarrow\n"
                      "    import pyarrow.parquet\n    return pyarrow\n\n\n"
                      "def h():\n    x = 1\n    import csv  # deferred: a reason on the line\n"
                      "    import re\n    return csv, re, x\n\n\n"
                      "def k():\n    if True:\n        import csv\n    return csv\n", encoding="utf-8")
    assert _unexplained_imports_inside_functions(module) == [5, 25]
