"""The layers hold: read from the imports of every module under server/.

Features react to each other through facts on the bus (server.core.bus), never by
importing another feature's services or handlers; core imports no feature; and no
two packages import each other, directly or round a longer cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from server import features
from tests.support import ROOT

SERVER = ROOT / "server"
FEATURES = {
    "sessions",
    "presence",
    "agenda",
    "board",
    "content",
    "web",
    "accounts",
    "groups",
    "notebook",
    "actions",
    "summary",
    "pulse",
    "breakouts",
    "operations",
}
ENTRY_MODULES = {"events", "views", "service"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every server module a file imports, also inside functions (a lazy import is one too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("server.") and _exists(name)}


def _exists(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def package_of(module: str) -> str:
    """server.agenda.service -> agenda; a top-level module (server.app) is its own package."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SERVER.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        graph[module_name(path)] = imports_of(path)
    return graph


def test_no_cycle_between_packages():
    edges: dict[str, set[str]] = {}
    for module, imported in import_graph().items():
        source = package_of(module)
        edges.setdefault(source, set()).update(
            package_of(other) for other in imported if package_of(other) != source
        )
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target in path:
                cycles.append([*path[path.index(target) :], target])
            elif len(path) < len(edges):
                visit(target, [*path, target])

    for start in sorted(edges):
        visit(start, [start])
    assert cycles == []


def test_no_feature_imports_another_features_handlers_or_services():
    offending = [
        (module, other)
        for module, imported in import_graph().items()
        if package_of(module) in FEATURES
        for other in imported
        if package_of(other) in FEATURES
        and package_of(other) != package_of(module)
        and other.rsplit(".", 1)[-1] in ENTRY_MODULES
    ]
    assert offending == []


def test_core_imports_no_feature():
    offending = [
        (module, other)
        for module, imported in import_graph().items()
        if package_of(module) == "core"
        for other in imported
        if package_of(other) in FEATURES
    ]
    assert offending == []


def test_the_architecture_doc_lists_every_reaction_between_features():
    """docs/architecture.md shows the list: `python -m server reactions --write
    docs/architecture.md` brings it up to date after a change."""
    doc = (ROOT / "docs" / "architecture.md").read_text()
    assert features.reactions_table() in doc


def test_no_test_module_imports_another():
    """Shared fixtures and helpers live in conftest.py or a support module, not in a test."""
    offending = [
        (path.name, name)
        for path in (ROOT / "tests").glob("*.py")
        for name in imports_of_tests(path)
        if name.rsplit(".", 1)[-1].startswith("test_")
    ]
    assert offending == []


def imports_of_tests(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("tests.")}
    return found
