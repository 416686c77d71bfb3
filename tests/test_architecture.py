"""The seams stay where issue 12 put them, read with `ast` (bench/architecture.py holds the readers):
no import cycle, few imports inside functions, no ImportError guard around our own modules,
storage below every other part, and SQL only in storage."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.architecture import (  # noqa: E402 (after sys.path)
    MAX_INNER_IMPORTS, Tree, cycles, imports, inner_imports, sql_outside_storage, storage_leaks)


@pytest.fixture(scope="module")
def tree() -> Tree:
    return Tree.read(ROOT)


def test_no_import_cycles(tree):
    groups = cycles(tree)
    assert not groups, "import cycles (imports inside functions count): " + "; ".join(" ↔ ".join(g) for g in groups)


def test_few_project_imports_inside_functions(tree):
    inner = inner_imports(imports(tree))
    listed = "\n".join(f"  {tree.where(i.module, i.line)} → {i.target}" for i in inner)
    assert len(inner) <= MAX_INNER_IMPORTS, (
        f"{len(inner)} imports of project modules inside functions (at most {MAX_INNER_IMPORTS}); "
        f"move them to the module top:\n{listed}")


def test_no_import_error_guard_around_project_modules(tree):
    guarded = [f"{tree.where(i.module, i.line)} → {i.target}" for i in imports(tree) if i.guarded]
    assert not guarded, "try/except ImportError around project modules (they always exist): " + ", ".join(guarded)


def test_storage_imports_no_upper_layer(tree):
    leaks = [f"{tree.where(i.module, i.line)} → {i.target}" for i in storage_leaks(tree)]
    assert not leaks, "storage/ imports from bot/ ingest/ summarizer/ tagger/: " + ", ".join(leaks)


def test_sql_only_in_storage(tree):
    found = [f"{tree.where(m, line)} {what!r}" for m, line, what in sql_outside_storage(tree)]
    assert not found, "SQL outside storage/ (write a storage function): " + ", ".join(found)


def test_every_module_with_commands_is_in_the_handler_list(tree):
    """A module that registers `@command` handlers (bot.registry) is served only if bot.handlers lists it."""
    from bot.handlers import HANDLER_MODULES

    def registers(parsed) -> bool:
        return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "command"
            for d in node.decorator_list) for node in ast.walk(parsed))

    with_commands = {module for module, parsed in tree.modules.items() if registers(parsed)}
    assert with_commands == {m.__name__ for m in HANDLER_MODULES}


def test_the_readers_catch_each_kind_of_offence(tmp_path):
    """A small project with one of each offence: every reader above must see it."""
    files = {
        "bot/__init__.py": "",
        "bot/a.py": "from bot import b\n",
        "bot/b.py": "def f():\n    from bot.a import g\n    return g\n",
        "bot/c.py": ("try:\n    from bot import a\nexcept ImportError:\n    a = None\n"
                     "def q(db):\n    return db.execute('select id from articles where id = 1')\n"
                     "LABEL = 'Update the feed list'\n"),
        "storage/__init__.py": "",
        "storage/s.py": "import bot.a\nSQL = '''INSERT OR IGNORE INTO tags values (1)'''\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    small = Tree.read(tmp_path)
    found = imports(small)
    assert cycles(small) == [["bot.a", "bot.b"]]
    assert [(i.module, i.target) for i in inner_imports(found)] == [("bot.b", "bot.a")]
    assert [(i.module, i.target) for i in found if i.guarded] == [("bot.c", "bot.a")]
    assert [(i.module, i.target) for i in storage_leaks(small)] == [("storage.s", "bot.a")]
    assert [(m, what) for m, _, what in sql_outside_storage(small)] == [
        ("bot.c", ".execute("), ("bot.c", "select id from articles where id = 1")]
