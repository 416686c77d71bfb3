"""Bulletins: `diplobot report` as a subprocess (DOCX, HTML, CSV, and its one-line refusals),
and `/report` in the terminal chat."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from tests.conftest import ROOT
from tests.synthetic_news import TZ, build


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "news.db"
    return path, build(path, weeks=4)


def diplobot(db, *args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db))
    return subprocess.run([sys.executable, "-m", "diplobot.cli", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def span(stored, days: int = 14):
    """(--from, --to, the stored articles of those days): the last `days` days."""
    end = datetime.now(TZ).date()
    start = end - timedelta(days=days - 1)
    return start.isoformat(), end.isoformat(), [s for s in stored if start <= s[2] <= end]


def test_docx_holds_the_articles_of_the_period_grouped(news, tmp_path):
    from docx import Document

    start, end, inside = span(news[1])
    out = tmp_path / "ban-tin.docx"
    done = diplobot(news[0], "report", "--from", start, "--to", end, "--format", "docx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    document = Document(str(out))
    headings = {p.style.name: [] for p in document.paragraphs}
    for p in document.paragraphs:
        headings[p.style.name].append(p.text)
    titles = headings["Heading 3"]
    assert sorted(titles) == sorted(f"{title_of(k)} ({n})" for n, (_, k, _) in numbered(news[1], inside))
    assert "văn hóa — giáo dục" in headings["Heading 1"] and "Chủ đề khác" in headings["Heading 1"]
    assert "Tỉnh, thành: TP. Hồ Chí Minh" in headings["Heading 2"]  # Bình Dương, by its post-2025 name
    xml = document.element.xml
    assert 'TOC \\o "1-2"' in xml and "HYPERLINK" in xml and "https://tin.example.vn/" in xml
    assert len(document.inline_shapes) == 1  # the /stats chart on the cover
    assert any(f"{len(inside)} bài viết" in p.text for p in document.paragraphs)
    # Two progress bars on stderr, each counting the articles once: read, then written.
    n = len(inside)
    assert f"report: read: 100%|██████████| {n}/{n}" in done.stderr
    assert f"report: write: 100%|██████████| {n}/{n}" in done.stderr
    assert f"/{2 * n}" not in done.stderr
    assert done.stdout.strip().endswith(f"{len(inside)} articles") and not list(tmp_path.glob(".*.part"))


def title_of(kind: str) -> str:
    from tests.synthetic_news import NEWS

    return NEWS[kind][0]


def numbered(stored, inside):
    ids = {s[0] for s in inside}
    return [(n, s) for n, s in enumerate(stored) if s[0] in ids]


def test_csv_round_trips(news, tmp_path):
    start, end, inside = span(news[1], 7)
    out = tmp_path / "ban-tin.csv"
    done = diplobot(news[0], "report", "--from", start, "--to", end, "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == ["id", "date", "outlet", "title", "url", "summary", "provinces", "countries", "people", "topics"]
    assert sorted(int(r["id"]) for r in rows) == sorted(s[0] for s in inside)
    korea = next(r for r in rows if r["title"].startswith("Hàn Quốc"))
    assert korea["provinces"] == "Bình Dương (nay thuộc TP. Hồ Chí Minh)" and korea["countries"] == "Hàn Quốc"
    assert korea["url"].endswith("?a=1&b=2") and start <= korea["date"] <= end
    both = next(r for r in rows if r["title"].startswith("Nhật Bản và"))
    assert both["countries"] == "Nhật Bản; Hàn Quốc" and "& <đào tạo>" in both["summary"]


def test_html_is_one_escaped_page_with_the_chart_inlined(news, tmp_path):
    start, end, inside = span(news[1])
    out = tmp_path / "ban-tin.html"
    done = diplobot(news[0], "report", "--from", start, "--to", end, "--format", "html", "--out", str(out),
                    "--no-progress")
    assert done.returncode == 0 and done.stderr == ""
    page = out.read_text(encoding="utf-8")
    assert page.count("<article>") == len(inside) and 'src="data:image/png;base64,iVBORw0KGgo' in page
    assert "Cổng tin &lt;Đà Nẵng&gt;" in page and "<Đà Nẵng>" not in page
    assert "&amp; &lt;đào tạo&gt;" in page and 'href="https://tin.example.vn/' in page and "?a=1&amp;b=2" in page
    assert "src=\"http" not in page  # nothing to fetch: one self-contained file


@pytest.mark.parametrize("args, message", [
    (["--from", "2024-03-31", "--to", "2024-01-01"], "--from 2024-03-31 is after --to 2024-01-01"),
    (["--from", "2024-02-30", "--to", "2024-03-01"], "--from: expected a date YYYY-MM-DD, got '2024-02-30'"),
    (["--from", "2001-01-01", "--to", "2001-01-31"], "no article between 2001-01-01 and 2001-01-31"),
])
def test_bad_periods_are_one_line(news, tmp_path, args, message):
    done = in_process(news[0], "report", *args, "--out", str(tmp_path / "x.docx"))
    assert done.exit_code == 1 and done.stderr == f"diplobot: {message}\n" and done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def in_process(db, *args: str):
    """The CLI in this process (click's runner): bad input costs no interpreter start-up."""
    from click.testing import CliRunner

    from diplobot.cli import cli

    env = {k: None for k in os.environ if k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    return CliRunner().invoke(cli, list(args), env={**env, "DIPLOBOT_DB": str(db)}, prog_name="diplobot")


def test_bad_targets_are_one_line_and_leave_nothing(news, tmp_path):
    start, end, _ = span(news[1])
    done = in_process(news[0], "report", "--from", start, "--to", end, "--out", str(tmp_path / "missing" / "x.docx"))
    assert done.exit_code == 1 and done.stderr == f"diplobot: --out: folder {tmp_path / 'missing'} does not exist\n"
    done = in_process(news[0], "report", "--from", start, "--to", end, "--out", str(tmp_path))
    assert done.exit_code == 1 and done.stderr == f"diplobot: --out: {tmp_path} is a folder\n"
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):  # root writes anywhere: nothing to check
        pytest.skip("running as root")
    done = in_process(news[0], "report", "--from", start, "--to", end, "--out", str(locked / "x.docx"))
    assert done.exit_code == 1 and "is not writable" in done.stderr and len(done.stderr.splitlines()) == 1
    assert list(locked.iterdir()) == []


def test_report_in_the_terminal_chat_writes_a_docx(news, tmp_path):
    from docx import Document

    from bot.registry import BotContext
    from bot.terminal import TerminalChat
    from diplobot.settings import Settings
    from storage import open_db

    settings = Settings.from_env({"DIPLOBOT_DB": str(news[0]), "DIPLOBOT_CHART_DIR": str(tmp_path)})
    out = io.StringIO()
    TerminalChat(BotContext(db=open_db(news[0]), settings=settings), io.StringIO("/report 7 ngày\n/report hôm xưa\n"),
                 out).run()
    (docx,) = tmp_path.glob("*.docx")
    assert f"Tệp: {docx}" in out.getvalue() and "Cách dùng: /report" in out.getvalue()
    assert any(p.style.name == "Heading 3" for p in Document(str(docx)).paragraphs)


def test_a_writer_that_fails_leaves_no_file(news, tmp_path, monkeypatch):
    from bot import report
    from bot.bulletin import Bulletin
    from bot.periods import parse_period
    from bot.trends import Coverage

    def broken(bulletin, out, progress=None):
        out.write(b"half a bulletin")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(report.WRITERS, "csv", broken)
    period = parse_period("7 ngày", datetime.now(TZ).date())
    bulletin = Bulletin(period, datetime.now(TZ), Coverage(period, 0, [], [], None))
    target = tmp_path / "x.csv"
    target.write_bytes(b"the previous bulletin")
    with pytest.raises(RuntimeError):
        report.save(bulletin, "csv", target)
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"] and target.read_bytes() == b"the previous bulletin"


def test_chart_dir_is_validated(tmp_path):
    from diplobot.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="^DIPLOBOT_CHART_DIR: .* is not an existing folder"):
        Settings.from_env({"DIPLOBOT_CHART_DIR": str(tmp_path / "missing")})
    assert Settings.from_env({"DIPLOBOT_CHART_DIR": str(tmp_path)}).chart_dir == tmp_path


def test_without_a_period_the_last_seven_days_as_in_the_chat(news, tmp_path):
    """`diplobot report --out X` alone is /report's default, the last 7 days to today; `--from`
    alone reaches to today."""
    def ids(*args: str) -> list[int]:
        out = tmp_path / "r.csv"
        done = in_process(news[0], "report", *args, "--format", "csv", "--out", str(out), "--no-progress")
        assert done.exit_code == 0, done.output
        return sorted(int(r["id"]) for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))

    start, _, inside = span(news[1], 7)
    assert ids() == sorted(s[0] for s in inside) and inside
    start, _, inside = span(news[1], 10)
    assert ids("--from", start) == sorted(s[0] for s in inside) and len(inside) > len(span(news[1], 7)[2])
