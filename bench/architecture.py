"""The shape of the code, read with `ast`: import cycles, imports inside functions, guarded
imports, layer leaks, SQL outside storage, and how settings are reached (prints a table).

    python bench/architecture.py [ROOT ...]

Imports inside functions are counted only when they load a project module: a heavy
third-party package (torch, transformers, ctranslate2, trafilatura, matplotlib, docx) is
imported where it is used, and that is fine.

With several roots (e.g. a `git archive` of an older commit and this tree) the table has a
column per root, for before/after notes. tests/test_architecture.py asserts the rules with
the same functions, so the numbers printed here are the ones the suite keeps true.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("bot", "ingest", "summarizer", "tagger", "storage", "diplobot")
STORAGE_MAY_NOT_IMPORT = ("bot", "ingest", "summarizer", "tagger")
MAX_INNER_IMPORTS = 15
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}
# Statements SQLite runs, as a string literal starts them (the shape, not just the first word:
# "Update the feed" is English, "update feeds set" is SQL).
SQL_RE = re.compile(
    r"^\s*(select\s.+\sfrom\s|select\s+(count|changes|last_insert_rowid|1)\b|insert\s+(or\s+\w+\s+)?into\s"
    r"|update\s+\w+\s+set\s|delete\s+from\s|replace\s+into\s"
    r"|create\s+(table|index|unique\s+index|trigger|virtual\s+table|view|temp)\b"
    r"|alter\s+table\s|drop\s+(table|index|trigger|view)\s|pragma\s+\w+|with\s+\w+(\s*\([^)]*\))?\s+as\s*\("
    r"|begin\s+(immediate|deferred|exclusive|transaction)\b|begin\s*;|commit\s*;|rollback\s*(;|to\s)|vacuum\s*(;|into\s|$)"
    r"|savepoint\s|release\s+savepoint\s)",
    re.IGNORECASE | re.DOTALL,
)
_SQL_CALLS = {"execute", "executemany", "executescript"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the project module imported, dotted (a submodule when `from pkg import sub`)
    line: int
    inner: bool  # inside a function body
    guarded: bool  # inside a `try` whose handler catches ImportError


@dataclass
class Tree:
    """Every module of PACKAGES under one root, parsed once."""

    root: Path
    modules: dict[str, ast.Module] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> "Tree":
        tree = cls(root)
        for package in PACKAGES:
            for path in sorted((root / package).rglob("*.py")):
                parts = list(path.relative_to(root).with_suffix("").parts)
                if parts[-1] == "__init__":
                    parts.pop()
                name = ".".join(parts)
                tree.modules[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
                tree.paths[name] = path
        return tree

    def where(self, module: str, line: int) -> str:
        return f"{self.paths[module].relative_to(self.root)}:{line}"


def _resolve(tree: Tree, module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if tree.paths[module].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(tree: Tree, module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Project modules an import statement loads (the deepest one named)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = _resolve(tree, module, node)
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in tree.modules else base for a in node.names]
    found = []
    for name in names:
        while name and name not in tree.modules:
            name = name.rpartition(".")[0]
        if name and name not in found:
            found.append(name)
    return found


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(k, ast.Name) and k.id in _IMPORT_ERRORS for k in kinds)


def _walk(node: ast.AST, inner: bool = False, guarded: bool = False):
    """(node, inside a function, inside an ImportError guard) for every node below `node`."""
    for child in ast.iter_child_nodes(node):
        child_inner = inner or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        child_guarded = guarded
        if isinstance(node, ast.Try) and child in node.body:
            child_guarded = guarded or any(_catches_import_error(h) for h in node.handlers)
        yield child, child_inner, child_guarded
        yield from _walk(child, child_inner, child_guarded)


def imports(tree: Tree) -> list[Import]:
    found = []
    for module, parsed in tree.modules.items():
        for node, inner, guarded in _walk(parsed):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found += [Import(module, t, node.lineno, inner, guarded) for t in _targets(tree, module, node)]
    return found


def inner_imports(found: list[Import]) -> list[Import]:
    """Import statements inside functions that load a project module (one per statement)."""
    seen: dict[tuple[str, int], Import] = {}
    for imp in found:
        if imp.inner:
            seen.setdefault((imp.module, imp.line), imp)
    return list(seen.values())


def cycles(tree: Tree) -> list[list[str]]:
    """Strongly connected groups of modules (imports inside functions counted), largest first."""
    graph: dict[str, set[str]] = {m: set() for m in tree.modules}
    for imp in imports(tree):
        if imp.target != imp.module:
            graph[imp.module].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(groups, key=len, reverse=True)


def _docstrings(parsed: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(parsed):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def sql_outside_storage(tree: Tree) -> list[tuple[str, int, str]]:
    """(module, line, what) for SQL text or `.execute(` calls in every package but storage."""
    found = []
    for module, parsed in tree.modules.items():
        if module.split(".")[0] == "storage":
            continue
        skip = _docstrings(parsed)
        for node in ast.walk(parsed):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                if SQL_RE.match(node.value):
                    found.append((module, node.lineno, node.value.strip()[:40]))
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                if SQL_RE.match(str(node.values[0].value)):
                    found.append((module, node.lineno, str(node.values[0].value).strip()[:40]))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SQL_CALLS:
                found.append((module, node.lineno, f".{node.func.attr}("))
    return sorted(found)


def _mentions_settings(node: ast.AST) -> bool:
    return any((isinstance(n, ast.Name) and n.id == "settings") or (isinstance(n, ast.Attribute) and n.attr == "settings")
               for n in ast.walk(node))


def _is_settings(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "settings") or (
        isinstance(node, ast.Attribute) and node.attr == "settings")


def _default_values(tree: Tree) -> set[str]:
    """The defaults of `diplobot.settings.VARIABLES` that are no word or mark of their own (`07:00`, `a/b`)."""
    for node in ast.walk(tree.modules["diplobot.settings"]):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "VARIABLES":
            return {row.elts[1].value for row in node.value.elts
                    if isinstance(row.elts[1], ast.Constant) and len(str(row.elts[1].value)) >= 4
                    and re.search(r"[:/.]", str(row.elts[1].value))}
    return set()


def settings_access(tree: Tree) -> dict[str, int]:
    """How settings are reached outside diplobot/settings.py.

    - `getattr`: `getattr(...settings..., name, default)` calls (a hedge on a typed object),
    - `hedges`: `settings is None` tests and `_setting(ctx, …)` helper calls,
    - `reads`: `settings.x` / `ctx.settings.x` attribute reads,
    - `tz literals`: time zones typed as a literal (`ZoneInfo("…")`),
    - `default literals`: a setting's default typed again (`"07:00"`, `"Asia/Ho_Chi_Minh"`, a model id).
    """
    counts = {"getattr": 0, "hedges": 0, "reads": 0, "tz literals": 0, "default literals": 0}
    defaults = _default_values(tree)
    for module, parsed in tree.modules.items():
        if module == "diplobot.settings":
            continue
        skip = _docstrings(parsed)
        for node in ast.walk(parsed):
            if isinstance(node, ast.Constant) and node.value in defaults and id(node) not in skip:
                counts["default literals"] += 1
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "getattr" and node.args and _mentions_settings(node.args[0]):
                    counts["getattr"] += 1
                elif node.func.id == "_setting":
                    counts["hedges"] += 1
                elif node.func.id == "ZoneInfo" and node.args and isinstance(node.args[0], ast.Constant):
                    counts["tz literals"] += 1
            elif isinstance(node, ast.Compare) and _is_settings(node.left) and any(
                    isinstance(c, ast.Constant) and c.value is None for c in node.comparators):
                counts["hedges"] += 1
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                if _is_settings(node.value):
                    counts["reads"] += 1
    return counts


def storage_leaks(tree: Tree) -> list[Import]:
    return [i for i in imports(tree)
            if i.module.split(".")[0] == "storage" and i.target.split(".")[0] in STORAGE_MAY_NOT_IMPORT]


def measure(root: Path) -> dict[str, object]:
    tree = Tree.read(root)
    found = imports(tree)
    groups = cycles(tree)
    row: dict[str, object] = {
        "modules": len(tree.modules),
        "cyclic groups": len(groups),
        "modules in cycles": sum(len(g) for g in groups),
        "inner project imports": len(inner_imports(found)),
        "ImportError guards": sum(1 for i in found if i.guarded),
        "storage layer leaks": len(storage_leaks(tree)),
        "SQL outside storage": len(sql_outside_storage(tree)),
    }
    row.update({f"settings {k}": v for k, v in settings_access(tree).items()})
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", type=Path, default=[Path(__file__).resolve().parent.parent])
    parser.add_argument("--details", action="store_true", help="list cycles and offenders of the last root")
    args = parser.parse_args(argv)
    rows = [measure(r) for r in args.roots]
    width = max(len(k) for k in rows[0])
    print(f"{'':{width}}  " + "  ".join(f"{str(r)[-24:]:>24}" for r in args.roots))
    for key in rows[0]:
        print(f"{key:{width}}  " + "  ".join(f"{row[key]:>24}" for row in rows))
    if args.details:
        tree = Tree.read(args.roots[-1])
        for group in cycles(tree):
            print("cycle:", " ↔ ".join(group))
        for imp in imports(tree):
            if imp.inner:
                print("inner:", tree.where(imp.module, imp.line), "→", imp.target)
            if imp.guarded:
                print("ImportError guard:", tree.where(imp.module, imp.line), "→", imp.target)
        for module, line, what in sql_outside_storage(tree):
            print("SQL:", tree.where(module, line), what)
        for imp in storage_leaks(tree):
            print("storage leak:", tree.where(imp.module, imp.line), "→", imp.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
