"""`diplobot retag`: improved rules reach articles stored earlier."""

from __future__ import annotations

from diplobot.tags import Tags
from ingest.maintenance import retag_all
from ingest.run import ingest
from storage import open_db
from tests.conftest import SEEDS


def test_retag_replaces_old_tags(tmp_path, summarizer):
    db = open_db(tmp_path / "d.db")
    empty = Tags(is_diplomatic=0.0)
    ingest(db, [SEEDS], summarizer, tagger=lambda *a: empty)  # an old tagger that found nothing
    assert db.execute("select count(*) from tags").fetchone()[0] == 0
    changed, total, _ = retag_all(db)
    assert (changed, total) == (5, 5)
    codes = {r[0] for r in db.execute("select code from tags where kind = 'country'").fetchall()}
    assert {"JP", "KR", "CN"} <= codes
    assert db.execute("select min(is_diplomatic) from articles").fetchone()[0] > 0.5
    # A second run changes nothing.
    assert retag_all(db)[0] == 0
