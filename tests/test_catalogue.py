"""The built-in source catalogue: what it lists, `diplobot sources` and its OPML export/import,
and the default polling (the catalogue with a token and no DIPLOBOT_FEEDS; none with `none`)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from diplobot.settings import Settings
from ingest.catalogue import CatalogueError, load_catalogue, outlet, parse_catalogue
from ingest.opml import OpmlError, OpmlSource, read_opml, write_opml
from storage import open_db
from storage.sources import add_source, record_failure
from tests.fake_bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("baoquocte.vn", "mofa.gov.vn", "vietnamplus.vn", "nhandan.vn", "baochinhphu.vn", "vov.vn")


def hosts(urls) -> set[str]:
    return {urlsplit(u).hostname.removeprefix("www.") for u in urls}


def run(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    clean.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db), **env)
    return subprocess.run([sys.executable, "-m", "diplobot.cli", *args], capture_output=True, text=True,
                          env=clean, cwd=ROOT, timeout=120)


def listing(out: str) -> list[tuple[str, str]]:
    """(url, kind) of each line of `diplobot sources` (after its header)."""
    lines = out.strip().splitlines()
    assert lines[0].split("\t") == ["url", "kind", "from", "last success", "last error", "next try"]
    return [tuple(line.split("\t")[:2]) for line in lines[1:]]


def test_the_catalogue_lists_the_outlets_with_where_each_was_found():
    catalogue = load_catalogue()
    assert len(catalogue) >= 12 and set(REQUIRED) <= hosts(s.url for s in catalogue)
    assert sum(s.provincial for s in catalogue) >= 3
    assert {s.kind for s in catalogue} == {"feed", "section"}
    assert [s.url for s in catalogue if s.kind == "section" and "mofa.gov.vn" in s.url]
    for source in catalogue:
        assert source.found_at and source.language == "vi" and source.covers
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.checked), source
    # Shipped with the package: setuptools' package-data names the file.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "*.toml" in pyproject["tool"]["setuptools"]["package-data"]["ingest"]


@pytest.mark.parametrize("text, message", [
    ('[[source]]\noutlet="A"\nkind="rss"\nurl="https://a.vn/rss"\nlanguage="vi"\ncovers=["x"]\nfound_at="y"\n'
     'checked="2026-01-01"', "kind must be feed or section"),
    ('[[source]]\noutlet="A"\nkind="feed"\nurl="ftp://a.vn/rss"\nlanguage="vi"\ncovers=["x"]\nfound_at="y"\n'
     'checked="2026-01-01"', "url must be http(s)"),
    ('[[source]]\noutlet="A"\nkind="feed"\nurl="https://a.vn/rss"\nlanguage="vi"\ncovers=["x"]\nchecked="2026-01-01"',
     "'found_at' must be a non-empty string"),
    ("[[source]\n", "sources.toml:"),
])
def test_a_malformed_catalogue_names_the_entry_and_field(text, message):
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_catalogue(text)


def test_feeds_setting_unset_means_the_catalogue_none_means_nothing():
    unset = Settings.from_env({})
    assert unset.feeds_from == "catalogue" and unset.feeds == [s.url for s in load_catalogue()]
    for value in ("none", "None", " NONE "):
        off = Settings.from_env({"DIPLOBOT_FEEDS": value})
        assert (off.feeds_from, off.feeds) == ("none", [])
    listed = Settings.from_env({"DIPLOBOT_FEEDS": "https://a.vn/rss, https://b.vn/rss"})
    assert (listed.feeds_from, listed.feeds) == ("env", ["https://a.vn/rss", "https://b.vn/rss"])


def test_sources_lists_the_catalogue_and_the_database_with_health(tmp_path):
    db_path = tmp_path / "d.db"
    db = open_db(db_path)
    added = "https://soctrang.example/tin-tuc"
    add_source(db, added, "Cổng TTĐT Sóc Trăng", kind="section")
    now = datetime.now(timezone.utc)
    record_failure(db, added, "no_article_list", interval=timedelta(hours=1), now=now)
    db.close()
    done = run("sources", db=db_path)
    assert done.returncode == 0, done.stderr
    rows = listing(done.stdout)
    catalogue = [url for url, _ in rows[:len(load_catalogue())]]
    assert len(catalogue) >= 12 and set(REQUIRED) <= hosts(catalogue)
    assert rows[-1] == (added, "section")
    line = done.stdout.strip().splitlines()[-1].split("\t")
    assert line[2:4] == ["added", "never"] and line[4].startswith("no_article_list at ") and "(1 in a row)" in line[4]
    assert datetime.fromisoformat(line[5]) > now  # next try: after the backoff
    assert "the catalogue is polled" in done.stderr


def test_export_then_import_into_a_fresh_database_gives_the_same_sources(tmp_path):
    first = tmp_path / "a.db"
    db = open_db(first)
    add_source(db, "https://baolangson.vn/rss/the-gioi.rss", "Báo Lạng Sơn — Thế giới")
    add_source(db, "https://soctrang.gov.vn/tin-doi-ngoai", "Sóc Trăng — Đối ngoại", kind="section")
    db.close()
    opml = tmp_path / "sources.opml"
    assert run("sources", "export", str(opml), db=first).returncode == 0
    fresh = tmp_path / "b.db"
    done = run("sources", "import", str(opml), db=fresh)
    assert done.returncode == 0, done.stderr
    assert f"imported {len(load_catalogue()) + 2} sources from {opml}: {len(load_catalogue()) + 2} new" in done.stdout
    before, after = run("sources", db=first).stdout, run("sources", db=fresh).stdout
    assert listing(after) == listing(before) and ("https://soctrang.gov.vn/tin-doi-ngoai", "section") in listing(after)
    missing = run("sources", "import", str(tmp_path / "none.opml"), db=fresh)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "cannot read it" in missing.stderr
    # Imported sources are polled, with their kind.
    conn = sqlite3.connect(fresh)
    assert conn.execute("select kind, polled from sources where url like '%soctrang%'").fetchone() == ("section", 1)


def test_opml_from_a_feed_reader_and_hostile_files(tmp_path):
    reader = (b'<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
              b'<outline text="Tin"><outline type="rss" text="A" xmlUrl="https://a.vn/rss"/>'
              b'<outline type="rss" text="bad" xmlUrl="javascript:alert(1)"/></outline>'
              b'<outline type="link" text="S" url="https://s.vn/tin"/></body></opml>')
    found, skipped = read_opml(reader)
    assert found == [OpmlSource("https://a.vn/rss", "feed", "A"), OpmlSource("https://s.vn/tin", "section", "S")]
    assert skipped == ["javascript:alert(1): not an http(s) URL"]
    assert read_opml(write_opml(found))[0] == found
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<opml version="2.0"><body><outline type="rss" text="&lol2;" xmlUrl="https://a.vn/rss"/></body></opml>')
    with pytest.raises(OpmlError, match="refused"):
        read_opml(bomb)
    for data in (b"<rss><channel/></rss>", b"not xml at all"):
        with pytest.raises(OpmlError):
            read_opml(data)
    path = tmp_path / "bomb.opml"
    path.write_bytes(bomb)
    done = run("sources", "import", str(path), db=tmp_path / "d.db")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"diplobot: {path}: refused: EntitiesForbidden (entities or DTDs are "
                                                "not allowed)"]


def start_bot(db: Path, api: FakeBotAPI, **env: str) -> str:
    """`diplobot run` with a token, until it asks for updates; its log."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    clean.update(PYTHONPATH=str(ROOT), TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                 DIPLOBOT_DB=str(db), **env)
    proc = subprocess.Popen([sys.executable, "-m", "diplobot.cli", "run"], cwd=ROOT, env=clean, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        api.wait_for("getUpdates", timeout=60)  # up: post_init done, the first round is 10 s away
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    return output


def test_default_polling_with_a_token_and_none_turns_it_off(seeded_db_path, tmp_path):
    db = tmp_path / "bot.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(db)
    src.backup(dst)
    src.close(), dst.close()
    with FakeBotAPI() as api:
        catalogue = start_bot(db, api)
    assert f"Polling {len(load_catalogue())} sources from the built-in catalogue" in catalogue, catalogue[-2000:]
    with FakeBotAPI() as api:
        off = start_bot(db, api, DIPLOBOT_FEEDS="none")
    assert "Polling off (DIPLOBOT_FEEDS=none)" in off and "Polling " not in off.replace("Polling off", "")
    # The terminal chat stays offline.
    chat = subprocess.run([sys.executable, "-m", "diplobot.cli", "run"], input="/help\n", capture_output=True,
                          text=True, cwd=ROOT, timeout=60,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))},
                               "PYTHONPATH": str(ROOT), "DIPLOBOT_DB": str(db)})
    assert chat.returncode == 0 and "Polling" not in chat.stderr


def test_a_page_without_a_site_name_is_shown_under_the_catalogues_outlet():
    """A page of a catalogue site that names no outlet (no og:site_name) reads as that outlet,
    not as a bare host; a section's name ("VnExpress — Thế giới") gives the outlet, "VnExpress"."""
    first_on_host: dict[str, str] = {}
    for entry in load_catalogue():
        first_on_host.setdefault(urlsplit(entry.url).hostname.removeprefix("www."), entry.outlet.split(" — ")[0])
    for host, name in first_on_host.items():
        assert outlet(f"https://www.{host}/bai-viet.html") == outlet(f"https://{host}/a") == name
    assert outlet("https://vnexpress.net/the-gioi/bai-1.html") == "VnExpress"
    assert outlet("https://www.baoquocte.vn/bai.html") == "Báo Thế giới & Việt Nam"
    assert outlet("https://www.example.vn/bai.html") == "example.vn"
