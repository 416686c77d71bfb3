"""A batch with bad items: each is rejected with a reason, the good ones are stored."""

from __future__ import annotations

from ingest.run import ingest
from storage import open_db
from tests.conftest import seed_text


def test_bad_items_never_stop_a_batch(tmp_path, summarizer):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_text(seed_text("002"), encoding="utf-8")
    (folder / "b_empty.txt").write_text("", encoding="utf-8")
    (folder / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)) * 10)
    (folder / "d_english.txt").write_text(
        "Foreign ministers meet\n\nThe ministers met in Geneva on Monday to discuss trade. "
        "They agreed to meet again next year. Talks were described as constructive.\n",
        encoding="utf-8",
    )
    (folder / "e_latin1.txt").write_bytes("Tin ngắn\n\nCafé über".encode("latin-1", "replace") + b"\xff\xfe")
    (folder / "f_one_sentence.txt").write_text("Tin vắn\n\nBộ Ngoại giao họp báo thường kỳ.\n", encoding="utf-8")
    huge_body = "\n\n".join(seed_text("004").splitlines()[5:30]) * 300  # ~1.5 MB of real sentences
    (folder / "g_huge.txt").write_text("Bài rất dài về ngoại giao kinh tế\n\n" + huge_body, encoding="utf-8")
    (folder / "h_good.txt").write_text(seed_text("003"), encoding="utf-8")

    db = open_db(tmp_path / "d.db")
    report = ingest(db, [folder, tmp_path / "missing.txt"], summarizer)

    assert report.new == 3, report.summary_line()  # a_good, g_huge, h_good
    assert report.rejected == {
        "empty": 1, "binary": 1, "not_vietnamese": 1, "not_utf8": 1, "too_short": 1, "not_found": 1,
    }
    line = report.summary_line()
    assert "3 new" in line and "6 rejected" in line and "not_vietnamese 1" in line
    huge = db.execute("select length(body), id from articles where title like 'Bài rất dài%'").fetchone()
    assert huge[0] > 1_000_000  # stored whole
    summary = db.execute("select text from summaries where article_id = ?", [huge[1]]).fetchone()[0]
    assert 0 < len(summary) <= 400
