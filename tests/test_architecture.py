"""The package's shape, read from its own imports: every module imports only the roles below its own.

The map (folder -> job -> what it may import) is the package docstring's; this test
holds the code to it, so a second home for a rule (a step that asks the network, a
writer that writes files) fails here before review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tridentbib"

#: role -> the roles its modules may import (besides their own folder)
ALLOWED = {
    "base": set(),
    "http": {"base"},
    "store": {"base"},
    "sources": {"base"},
    "resolvers": {"base", "http"},
    "steps": {"base"},
    "writers": {"base", "steps"},
    "lookup": {"base", "http", "store", "sources", "resolvers", "steps"},
    "pipeline": {"base", "http", "store", "sources", "resolvers", "steps", "writers", "lookup"},
    "commands": {"base", "http", "store", "sources", "resolvers", "steps", "writers", "lookup", "pipeline"},
    "cli": {"base", "http", "store", "sources", "resolvers", "steps", "writers", "lookup", "pipeline", "commands"},
}
#: top-level modules by role (folders are their own role)
TOP_LEVEL = {
    "__init__": "base", "model": "base", "identifiers": "base", "latex": "base", "names": "base",
    "hosts": "base", "settings": "base", "bibtex_read": "base", "venue_names": "base", "timestamps": "base",
    "catalog": "base",
    "entry_fields": "base",
    "http": "http", "pipeline": "pipeline", "cli": "cli", "progress": "cli", "__main__": "cli",
}  # fmt: skip
MAX_LINES = 500


def modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 2 else parts)] = path
    return found


def role(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 2 and parts[1] in ALLOWED:  # a folder's own __init__
        return parts[1]
    if len(parts) == 2 or module == "tridentbib":
        return TOP_LEVEL.get(parts[-1] if len(parts) == 2 else "__init__", "unmapped")
    if parts[1] in TOP_LEVEL:  # a base module that grew into a folder (latex/, identifiers/)
        return TOP_LEVEL[parts[1]]
    return parts[1] if parts[1] in ALLOWED else "unmapped"


def imports(path: Path) -> set[str]:
    """Every tridentbib module a file imports, at any depth (function-level imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tridentbib"):
            found.add(node.module)
            found.update(
                f"{node.module}.{alias.name}" for alias in node.names
            )  # "from tridentbib.lookup import fallback"
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("tridentbib"))
    return found


MODULES = modules()


def test_every_module_has_a_role():
    assert [name for name in MODULES if role(name) == "unmapped"] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_only_down(name):
    own = role(name)
    wrong = sorted(
        target
        for target in imports(MODULES[name])
        if target in MODULES and role(target) != own and role(target) not in ALLOWED[own]
    )
    assert wrong == [], f"{name} ({own}) may import only {sorted(ALLOWED[own])} and its own folder"


def test_no_import_cycles():
    graph = {name: {t for t in imports(path) if t in MODULES and t != name} for name, path in MODULES.items()}
    # a package's __init__ importing its own modules is its face, not a cycle
    graph = {
        name: {t for t in targets if not (MODULES[t].name == "__init__.py" and name.startswith(t + "."))}
        for name, targets in graph.items()
    }
    done: set[str] = set()
    stack: list[str] = []

    def visit(name: str) -> None:
        if name in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(name) :] + [name]))
        if name in done:
            return
        stack.append(name)
        for target in sorted(graph[name]):
            visit(target)
        stack.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_500_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"
