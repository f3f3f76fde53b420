"""Print import cycles in mailbot/: between modules, and between packages.

Counts every `import`/`from ... import` of a mailbot module anywhere in a file (top level,
functions, TYPE_CHECKING blocks): a cycle hidden in a function is still a cycle of concerns.
Exit status 1 when a cycle is found. Usage: python scripts/import_graph.py
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "mailbot"


def module_name(path: Path) -> str:
    """mailbot/a/b.py -> mailbot.a.b; a package's __init__ is the package."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, known: set[str]) -> set[str]:
    """The mailbot modules one file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known}


def package_of(module: str) -> str:
    """The subpackage (mailbot.x) a module belongs to, or the module itself at top level."""
    parts = module.split(".")
    return ".".join(parts[:2])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    """Print module and package cycles; exit 1 if there is any."""
    files = {module_name(p): p for p in ROOT.rglob("*.py")}
    known = set(files)
    graph = {m: imports(p, known) - {m} for m, p in files.items()}
    # A package's __init__ importing its own modules is how a package shows its API, not a cycle.
    for m in graph:
        if files[m].name == "__init__.py":
            graph[m] = {d for d in graph[m] if not d.startswith(m + ".")}
    packages: dict[str, set[str]] = {}
    for m, deps in graph.items():
        pm = package_of(m)
        packages.setdefault(pm, set()).update(package_of(d) for d in deps if package_of(d) != pm)
    found = False
    for kind, g in (("module", graph), ("package", packages)):
        for comp in cycles(g):
            found = True
            print(f"{kind} cycle: {' <-> '.join(comp)}")
    if not found:
        print(f"no import cycles among {len(graph)} modules and {len(packages)} packages")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
