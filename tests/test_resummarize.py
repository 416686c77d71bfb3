"""`diplobot resummarize`: summaries made by another backend are redone, nothing else."""

from __future__ import annotations

from ingest.maintenance import resummarize_all
from ingest.run import ingest
from storage import open_db
from summarizer import Summary
from tests.conftest import SEEDS


class FirstSentence:
    """A second backend: the first line of the body."""

    name = "first"

    def summarize(self, title, body):
        return Summary(body.splitlines()[0], self.name)

    def summarize_many(self, items):
        return [self.summarize(t, b) for t, b in items]


def test_resummarize_redoes_only_other_backends(tmp_path, summarizer):
    db = open_db(tmp_path / "d.db")
    ingest(db, [SEEDS], summarizer)
    assert resummarize_all(db, FirstSentence(), "first") == (5, 5)
    backends = {row[0] for row in db.execute("select backend from summaries").fetchall()}
    assert backends == {"first"}
    # The search index follows the new summaries; a second run has nothing to do.
    assert resummarize_all(db, FirstSentence(), "first") == (0, 0)
    assert resummarize_all(db, summarizer, "extractive") == (5, 5)
