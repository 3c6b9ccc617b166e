"""Every module of ``sim/`` is imported by name by at least one test.

A module only exercised through a whole ``run()`` has no test of its own; this finds it.
Imports are read from the test sources with ``ast`` (module level and inside functions);
``from sim.x import y`` counts for ``sim.x.y`` when that is a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sim_modules() -> set[str]:
    """Dotted names of every module file under ``sim/`` (packages' ``__init__`` left out)."""
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "sim").rglob("*.py")
        if path.name != "__init__.py"
    }


def imported_names(source: str) -> set[str]:
    """Every dotted name an import in ``source`` could refer to (modules and their members)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def untested(modules: set[str], tests: list[str]) -> set[str]:
    """The modules no test source imports by name."""
    imported = set().union(*(imported_names(source) for source in tests))
    return modules - imported


def test_finds_a_module_no_test_imports() -> None:
    tests = ["from sim.core import domain\n", "def f():\n    from sim.state.world import World\n"]
    modules = {"sim.core.domain", "sim.state.world", "sim.state.ledger"}
    assert untested(modules, tests) == {"sim.state.ledger"}


def test_every_sim_module_is_imported_by_a_test() -> None:
    tests = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py")]
    assert sorted(untested(sim_modules(), tests)) == []
