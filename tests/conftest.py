"""Shared fixtures: the seed files, real SQLite files in tmp_path, a seeded database."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from diplobot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

# The local HTTP site fixture (`local_site`) for every test module, without an import in each.
pytest_plugins = ["tests.local_site"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(prefix: str) -> str:
    """The raw text of the seed whose file name starts with `prefix` ("001")."""
    return next(p for p in SEED_FILES if p.name.startswith(prefix)).read_text(encoding="utf-8")


@pytest.fixture
def settings() -> Settings:
    """Every default, validated as at start (an empty environment: nothing of the test runner's
    leaks in). A test that needs other values builds `Settings.from_env({...})` itself."""
    return Settings.from_env({})


@pytest.fixture(scope="session")
def summarizer():
    from summarizer import load_summarizer

    return load_summarizer("extractive")


@pytest.fixture(scope="session")
def seeded_db_path(tmp_path_factory, summarizer) -> Path:
    """A database file with the five seeds ingested once per session (read-only use)."""
    from ingest.run import ingest
    from storage import open_db

    path = tmp_path_factory.mktemp("seeded") / "diplobot.db"
    report = ingest(open_db(path), [SEEDS], summarizer)
    assert report.new == 5, report.summary_line()
    return path


def copy_db(src: Path, target: Path) -> Path:
    """A consistent copy of a SQLite file (the backup API: pages still in its WAL come too)."""
    source, copy = sqlite3.connect(src), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return target


def rows(path: Path, sql: str, args=()) -> list[tuple]:
    """What a second connection reads: the rows committed to the file."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, list(args)).fetchall()
    finally:
        conn.close()


@pytest.fixture
def seeded_copy(seeded_db_path, tmp_path) -> Path:
    """A private copy of the seeded database that a test (or the bot it runs) may write."""
    return copy_db(seeded_db_path, tmp_path / "seeded-copy.db")


@pytest.fixture
def seeded_db(seeded_db_path):
    from storage import open_db

    return open_db(seeded_db_path)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seeds folder that a test may edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def seed_titles(seeded_db) -> dict[str, str]:
    """Seed prefix ("000"…"004") → stored title."""
    from ingest.cleaning import clean_text

    return {p.name[:3]: clean_text(p.read_text(encoding="utf-8")).title for p in SEED_FILES}


@pytest.fixture
def api():
    """A fake Bot API server on 127.0.0.1 (tests.fake_bot_api), stopped after the test."""
    with FakeBotAPI() as server:
        yield server
