"""No import cycle inside ``sim``, counting every import: module level and inside functions.

The graph is built from the source with ``ast`` (no module is imported), so an import hidden
in a function body to dodge a cycle counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    """Dotted module name of a file under the repository root."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: str = "sim") -> nx.DiGraph:
    """Every import between modules of ``package``, at any depth of the source."""
    files = {module_name(p): p for p in (ROOT / package).rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, name, is_package, files):
                if target != name:
                    graph.add_edge(name, target)
    return graph


def _targets(node: ast.AST, name: str, is_package: bool, files: dict) -> list[str]:
    if isinstance(node, ast.Import):
        return [_known(alias.name, files) for alias in node.names if _known(alias.name, files)]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = name.split(".") if is_package else name.split(".")[:-1]
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join([*anchor, *([base] if base else [])])
    out = []
    for alias in node.names:
        target = _known(f"{base}.{alias.name}", files) or _known(base, files)
        if target:
            out.append(target)
    return out


def _known(dotted: str, files: dict) -> str | None:
    """The longest prefix of ``dotted`` that is a module of the package, if any."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in files:
            return candidate
    return None


def test_the_graph_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = "def f():\n    from sim.state.world import World\n    return World\n"
    node = ast.parse(source)
    files = {"sim.state.world": None, "sim.x": None}
    found = [t for n in ast.walk(node) for t in _targets(n, "sim.x", False, files)]
    assert found == ["sim.state.world"]


def test_no_import_cycle_in_sim() -> None:
    graph = import_graph()
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []
