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
