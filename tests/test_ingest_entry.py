"""The one ingest path (`ingest.run.ingest`): every source kind through one reader table, the
quality gate judged once per item by the pipeline, one rejection type, and an exit status that
counts items the database could not take."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import pipeline, run
from ingest.files import read_article_file
from ingest.models import IngestOptions, Rejected, Source
from ingest.run import ingest
from storage import open_db
from storage.articles import store_article
from tests.conftest import SEED_FILES
from tests.news_site import TEASER, item, rss

ROOT = Path(__file__).resolve().parent.parent
LOCAL = IngestOptions(allow_private=True)


def count_gate_calls(monkeypatch) -> list[str]:
    """Every body the pipeline's quality gate judges, in order."""
    judged: list[str] = []
    gate = pipeline.quality_problem

    def counting(body: str) -> str | None:
        judged.append(body)
        return gate(body)

    monkeypatch.setattr(pipeline, "quality_problem", counting)
    return judged


def test_the_gate_judges_each_page_and_teaser_once(local_site, tmp_path, summarizer, monkeypatch):
    good = local_site.add_file("/a.html", "soctrang_toa_dam.html")
    wall = local_site.add_file("/b.html", "cloudflare_challenge.html")
    local_site.add("/rss", rss("Tin", [item("Tọa đàm", good), item("Bài sau tường chống bot", wall, description=TEASER)]),
                   "application/rss+xml")
    judged = count_gate_calls(monkeypatch)
    report = ingest(open_db(tmp_path / "d.db"), [local_site.url("/rss")], summarizer, LOCAL)
    assert report.new == 2, report.summary_line()
    assert len(judged) == 2  # the page of the first item, the teaser of the second (its page was an anti-bot wall)


def test_a_file_that_is_no_text_is_rejected_not_raised(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\x89PNG\x00\x00")
    assert read_article_file(path) == Rejected("binary")
    assert read_article_file(tmp_path / "missing.txt").reason == "unreadable"


def test_a_new_source_kind_plugs_in_with_one_reader(tmp_path, summarizer, monkeypatch):
    """What a `section` reader does: turn its source into articles for the batch's pipeline."""
    seen = []

    def read_listing(batch, source, report) -> bool:
        seen.append(source)
        for path in SEED_FILES[:2]:
            batch.pipeline.add(read_article_file(path), f"{source.location}#{path.name}", report)
        return True

    monkeypatch.setitem(run.READERS, "listing", read_listing)
    report = ingest(open_db(tmp_path / "d.db"), [Source("https://example.vn/tin", "listing"), Source("x", "nope")],
                    summarizer)
    assert seen == [Source("https://example.vn/tin", "listing")]
    assert report.new == 2 and (report.sources_ok, report.sources_failed) == (1, 1)
    assert report.rejected == {"error": 1}  # an unknown kind is a reported error, not a crash


def test_storage_refuses_an_unknown_field(tmp_path):
    db = open_db(tmp_path / "d.db")
    record = {"source_key": "k", "title": "Tin", "body": "Nội dung.", "content_hash": "h", "simhsh": 1}
    with pytest.raises(ValueError, match="simhsh"):
        store_article(db, record, None, None)
    assert db["articles"].count == 0


def test_a_folder_whose_items_all_failed_exits_nonzero(tmp_path):
    """`diplobot ingest` as a subprocess while another connection holds the write lock throughout:
    every item fails (database_busy), so the run exits 1, and the next run stores them."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in SEED_FILES[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    db_path = tmp_path / "d.db"
    open_db(db_path).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db_path))
    # The real CLI, with the write wait cut from 60 s to 0.3 s so that the test is quick.
    code = "import sys, storage.tx; storage.tx.WRITE_WAIT = 0.3; from diplobot.cli import cli; cli(prog_name='diplobot')"
    command = [sys.executable, "-c", code, "ingest", "--no-progress", str(folder)]
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin immediate")
    try:
        busy = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    finally:
        holder.execute("rollback")
        holder.close()
    assert busy.returncode == 1, busy.stdout + busy.stderr
    assert "2 failed (database_busy 2)" in busy.stdout, busy.stdout
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert again.returncode == 0 and "2 new" in again.stdout, again.stdout + again.stderr
